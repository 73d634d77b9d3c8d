/**
 * JQL to a predicate and a sort order. Everything that could be wrong (fields, operators,
 * values, functions) is resolved here, before any issue is looked at, so a bad query
 * answers 400 and never a partial or wrong result.
 *
 * Negation follows Jira: `NOT a = b` is `a != b`, and `!=` / `NOT IN` do not match issues
 * where the field is empty. NOT is pushed down to the clauses (De Morgan), each clause's
 * operator inverted.
 */
import { badRequest } from '../errors';
import type { StoredIssue } from '../model/state-schema';
import type { Clause, Expr, FunctionCall, JqlQuery, Operator, Value } from './ast';
import { evaluateIssueFunction, functionNotAllowed } from './functions';
import { resolveSearcher, sortValue } from './resolve-field';
import type { JqlContext, Scalar, Searcher } from './searchers';
import { matchesText } from './values';

export type IssuePredicate = (issue: StoredIssue) => boolean;

const INVERSE: Readonly<Record<Operator, Operator>> = {
  '=': '!=',
  '!=': '=',
  in: 'not in',
  'not in': 'in',
  '>': '<=',
  '<=': '>',
  '<': '>=',
  '>=': '<',
  '~': '!~',
  '!~': '~',
  is: 'is not',
  'is not': 'is',
};

/** The literal values (and whether EMPTY is among them) an operand stands for. */
interface ResolvedOperand {
  literals: Scalar[];
  includesEmpty: boolean;
}

const resolveOperand = (ctx: JqlContext, searcher: Searcher, clause: Clause): ResolvedOperand => {
  const items: Array<Value | FunctionCall> = clause.operand.kind === 'list' ? clause.operand.items : [clause.operand];
  const literals: Scalar[] = [];
  let includesEmpty = false;
  for (const item of items) {
    if (item.kind === 'empty') includesEmpty = true;
    else if (item.kind === 'function') {
      if (!searcher.acceptsIssueFunctions) throw functionNotAllowed(item, searcher.label);
      if (clause.operator !== 'in' && clause.operator !== 'not in')
        throw badRequest(`The function '${item.name}' can only be used with the operators 'IN' and 'NOT IN'.`);
      literals.push(...evaluateIssueFunction(ctx, item));
    } else if (clause.operator === '~' || clause.operator === '!~') literals.push(item.text);
    else literals.push(searcher.literal(item.text));
  }
  return { literals, includesEmpty };
};

const compileClause = (ctx: JqlContext, clause: Clause, negated: boolean): IssuePredicate => {
  const searcher = resolveSearcher(ctx, clause.field);
  if (!searcher.operators.has(clause.operator)) {
    throw badRequest(
      `The operator '${clause.operator.toUpperCase()}' is not supported by the '${searcher.label}' field.`,
    );
  }
  const { literals, includesEmpty } = resolveOperand(ctx, searcher, clause);
  const operator = negated ? INVERSE[clause.operator] : clause.operator;
  const equalsAny = (v: Scalar) => literals.some((l) => searcher.equals(v, l));
  const ordered = (test: (c: number) => boolean) => (v: Scalar) =>
    literals.some((l) => {
      const c = searcher.compare?.(v, l);
      return c !== undefined && test(c);
    });
  const text = (v: Scalar) => literals.some((l) => matchesText(String(v), String(l)));

  switch (operator) {
    case 'is':
      return (issue) => searcher.values(issue).length === 0;
    case 'is not':
      return (issue) => searcher.values(issue).length > 0;
    case '=':
    case 'in':
      return (issue) => {
        const values = searcher.values(issue);
        return values.length === 0 ? includesEmpty : values.some(equalsAny);
      };
    case '!=':
    case 'not in':
      return (issue) => {
        const values = searcher.values(issue);
        return values.length > 0 && !values.some(equalsAny);
      };
    case '>':
      return (issue) => searcher.values(issue).some(ordered((c) => c > 0));
    case '>=':
      return (issue) => searcher.values(issue).some(ordered((c) => c >= 0));
    case '<':
      return (issue) => searcher.values(issue).some(ordered((c) => c < 0));
    case '<=':
      return (issue) => searcher.values(issue).some(ordered((c) => c <= 0));
    case '~':
      return (issue) => searcher.values(issue).some(text);
    case '!~':
      return (issue) => {
        const values = searcher.values(issue);
        return values.length > 0 && !values.some(text);
      };
  }
};

const compileExpr = (ctx: JqlContext, expr: Expr, negated: boolean): IssuePredicate => {
  switch (expr.kind) {
    case 'clause':
      return compileClause(ctx, expr, negated);
    case 'not':
      return compileExpr(ctx, expr.expr, !negated);
    case 'and':
    case 'or': {
      const left = compileExpr(ctx, expr.left, negated);
      const right = compileExpr(ctx, expr.right, negated);
      const conjunction = (expr.kind === 'and') !== negated;
      return conjunction ? (issue) => left(issue) && right(issue) : (issue) => left(issue) || right(issue);
    }
  }
};

export type IssueComparator = (a: StoredIssue, b: StoredIssue) => number;

const compileOrder = (ctx: JqlContext, query: JqlQuery): IssueComparator => {
  const keys = query.orderBy.map((key) => ({
    value: sortValue(ctx, key.field),
    sign: key.direction === 'desc' ? -1 : 1,
  }));
  return (a, b) => {
    for (const { value, sign } of keys) {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return sign * c;
    }
    // Without ORDER BY (and on ties) the stand-in orders by issue id, so paging is stable.
    return Number(a.id) - Number(b.id);
  };
};

export interface CompiledQuery {
  matches: IssuePredicate;
  compare: IssueComparator;
}

export const compileJql = (ctx: JqlContext, query: JqlQuery): CompiledQuery => {
  if (!query.where)
    throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  if (query.orderBy.length > 7) throw badRequest('The ORDER BY clause can contain at most 7 fields.');
  return { matches: compileExpr(ctx, query.where, false), compare: compileOrder(ctx, query) };
};
