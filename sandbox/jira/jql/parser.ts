/**
 * A recursive-descent parser for JQL:
 *
 *   query    := [ or ] [ ORDER BY sortKey { , sortKey } ]
 *   or       := and { (OR | ||) and }
 *   and      := not { (AND | &&) not }
 *   not      := (NOT | !) not | ( or ) | clause
 *   clause   := field operator operand
 *   field    := word | "quoted name" [.alias] | cf[123] [.alias] | issue.property[key] [.path]
 *   operand  := value | EMPTY | NULL | function(args) | ( item { , item } )
 *
 * Syntax errors use Jira's wording and carry Jira's `(line L, character C)` suffix.
 */
import type { Clause, Expr, FieldRef, FunctionCall, JqlQuery, Operand, Operator, SortKey, Value } from './ast';
import type { Token } from './tokenizer';
import { jqlSyntaxError, tokenize } from './tokenizer';

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'order',
  'by',
  'in',
  'is',
  'empty',
  'null',
  'asc',
  'desc',
  'was',
  'changed',
]);
const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

class Parser {
  private index = 0;
  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  /** A method, not a property test, so TypeScript does not keep a narrowing across `advance()`. */
  private at(kind: Token['kind']): boolean {
    return this.current.kind === kind;
  }

  private get current(): Token {
    return (
      this.tokens[this.index] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'eof', text: '', start: 0, end: 0 }
    );
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private isWord(token: Token | undefined, word: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private describe(token: Token): string {
    return token.kind === 'eof' ? 'the end of the query' : `'${token.text}'`;
  }

  private fail(token: Token, message: string): never {
    throw jqlSyntaxError(this.query, token.start, message);
  }

  parse(): JqlQuery {
    let where: Expr | undefined;
    if (this.current.kind !== 'eof' && !(this.isWord(this.current, 'order') && this.isWord(this.peek(), 'by')))
      where = this.parseOr();
    const orderBy: SortKey[] = [];
    if (this.isWord(this.current, 'order')) {
      this.advance();
      if (!this.isWord(this.current, 'by'))
        this.fail(this.current, `Expecting 'by' but got ${this.describe(this.current)}.`);
      this.advance();
      for (;;) {
        const field = this.parseField();
        let direction: 'asc' | 'desc' = 'asc';
        if (this.isWord(this.current, 'asc') || this.isWord(this.current, 'desc'))
          direction = this.advance().text.toLowerCase() === 'desc' ? 'desc' : 'asc';
        orderBy.push({ field, direction });
        if (!this.at('comma')) break;
        this.advance();
      }
    }
    if (this.current.kind !== 'eof')
      this.fail(this.current, `Expecting either 'OR' or 'AND' but got ${this.describe(this.current)}.`);
    return where === undefined ? { orderBy } : { where, orderBy };
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.current.kind === 'or' || this.isWord(this.current, 'or')) {
      this.advance();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.current.kind === 'and' || this.isWord(this.current, 'and')) {
      this.advance();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.current.kind === 'not' || (this.isWord(this.current, 'not') && !this.isWord(this.peek(), 'in'))) {
      this.advance();
      return { kind: 'not', expr: this.parseNot() };
    }
    if (this.current.kind === 'lparen') {
      this.advance();
      const inner = this.parseOr();
      if (!this.at('rparen')) this.fail(this.current, `Expecting ')' but got ${this.describe(this.current)}.`);
      this.advance();
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): Clause {
    const start = this.current.start;
    const field = this.parseField();
    const operator = this.parseOperator();
    const operand = this.parseOperand(operator);
    return { kind: 'clause', field, operator, operand, start };
  }

  /** A `.alias` or `.path` written right after the previous token, with no space between. */
  private adjacentSuffix(after: Token): string | undefined {
    const token = this.current;
    if (token.kind === 'word' && token.text.startsWith('.') && token.start === after.end && token.text.length > 1) {
      this.advance();
      return token.text.slice(1);
    }
    return undefined;
  }

  private parseBracketed(what: string): { text: string; close: Token } {
    if (this.current.kind !== 'lbracket')
      this.fail(this.current, `Expecting '[' but got ${this.describe(this.current)}.`);
    this.advance();
    const inner = this.current;
    if (inner.kind !== 'word' && inner.kind !== 'string')
      this.fail(inner, `Expecting ${what} but got ${this.describe(inner)}.`);
    this.advance();
    const close = this.current;
    if (!this.at('rbracket')) this.fail(close, `Expecting ']' but got ${this.describe(close)}.`);
    this.advance();
    return { text: inner.text, close };
  }

  private parseField(): FieldRef {
    const token = this.current;
    const source = (from: number) => this.query.slice(from, this.tokens[this.index - 1]?.end ?? from);
    if (token.kind === 'string') {
      this.advance();
      const alias = this.adjacentSuffix(token);
      return alias === undefined
        ? { kind: 'named', name: token.text, text: source(token.start) }
        : { kind: 'named', name: token.text, alias, text: source(token.start) };
    }
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase()))
      this.fail(token, `Expecting a field name but got ${this.describe(token)}.`);
    const lower = token.text.toLowerCase();
    if (lower === 'cf' && this.peek()?.kind === 'lbracket') {
      this.advance();
      const { text: id, close } = this.parseBracketed('a custom field id');
      if (!/^\d+$/.test(id)) this.fail(token, `'cf[${id}]' is not a valid custom field id.`);
      const alias = this.adjacentSuffix(close);
      return alias === undefined
        ? { kind: 'custom-id', id, text: source(token.start) }
        : { kind: 'custom-id', id, alias, text: source(token.start) };
    }
    if (lower === 'issue.property' && this.peek()?.kind === 'lbracket') {
      this.advance();
      const { text: key, close } = this.parseBracketed('a property key');
      const path = this.adjacentSuffix(close);
      return path === undefined
        ? { kind: 'property', key, text: source(token.start) }
        : { kind: 'property', key, path, text: source(token.start) };
    }
    this.advance();
    const dot = token.text.indexOf('.');
    if (dot > 0 && dot < token.text.length - 1)
      return { kind: 'named', name: token.text.slice(0, dot), alias: token.text.slice(dot + 1), text: token.text };
    return { kind: 'named', name: token.text, text: token.text };
  }

  private parseOperator(): Operator {
    const token = this.current;
    if (token.kind === 'op') {
      this.advance();
      switch (token.text) {
        case '=':
        case '!=':
        case '>':
        case '>=':
        case '<':
        case '<=':
        case '~':
        case '!~':
          return token.text;
      }
    }
    if (this.isWord(token, 'in')) {
      this.advance();
      return 'in';
    }
    if (this.isWord(token, 'not') && this.isWord(this.peek(), 'in')) {
      this.advance();
      this.advance();
      return 'not in';
    }
    if (this.isWord(token, 'is')) {
      this.advance();
      if (this.isWord(this.current, 'not')) {
        this.advance();
        return 'is not';
      }
      return 'is';
    }
    if (this.isWord(token, 'was') || this.isWord(token, 'changed'))
      this.fail(token, `The Jira stand-in does not support the history operator '${token.text.toUpperCase()}'.`);
    return this.fail(token, `Expecting operator but got ${this.describe(token)}. ${VALID_OPERATORS}`);
  }

  private parseFunction(): FunctionCall {
    const nameToken = this.advance();
    this.advance(); // (
    const args: string[] = [];
    if (!this.at('rparen')) {
      for (;;) {
        const arg = this.current;
        if (arg.kind !== 'word' && arg.kind !== 'string')
          this.fail(arg, `Expecting a function argument but got ${this.describe(arg)}.`);
        args.push(arg.text);
        this.advance();
        if (this.at('comma')) {
          this.advance();
          continue;
        }
        break;
      }
    }
    if (!this.at('rparen')) this.fail(this.current, `Expecting ')' but got ${this.describe(this.current)}.`);
    this.advance();
    return { kind: 'function', name: nameToken.text, args, start: nameToken.start };
  }

  private parseItem(): Value | FunctionCall {
    const token = this.current;
    if (token.kind === 'word' && this.peek()?.kind === 'lparen') return this.parseFunction();
    if (token.kind === 'word' && (token.text.toLowerCase() === 'empty' || token.text.toLowerCase() === 'null')) {
      this.advance();
      return { kind: 'empty', start: token.start };
    }
    if (token.kind === 'word' || token.kind === 'string') {
      if (token.kind === 'word' && KEYWORDS.has(token.text.toLowerCase()))
        this.fail(token, `Expecting either a value, list or function but got ${this.describe(token)}.`);
      this.advance();
      return { kind: 'value', text: token.text, start: token.start };
    }
    return this.fail(token, `Expecting either a value, list or function but got ${this.describe(token)}.`);
  }

  private parseOperand(operator: Operator): Operand {
    const token = this.current;
    if (operator === 'is' || operator === 'is not') {
      const item = this.parseItem();
      if (item.kind !== 'empty')
        this.fail(token, `The operator '${operator.toUpperCase()}' only supports the values 'EMPTY' and 'NULL'.`);
      return item;
    }
    if (token.kind === 'lparen') {
      if (operator !== 'in' && operator !== 'not in')
        this.fail(
          token,
          `The operator '${operator.toUpperCase()}' does not support a list of values; use 'IN' or 'NOT IN'.`,
        );
      this.advance();
      const items: Array<Value | FunctionCall> = [this.parseItem()];
      while (this.at('comma')) {
        this.advance();
        items.push(this.parseItem());
      }
      if (!this.at('rparen')) this.fail(this.current, `Expecting ')' but got ${this.describe(this.current)}.`);
      this.advance();
      return { kind: 'list', items, start: token.start };
    }
    const item = this.parseItem();
    if ((operator === 'in' || operator === 'not in') && item.kind !== 'function') {
      this.fail(token, `The operator '${operator.toUpperCase()}' needs a list of values in parentheses or a function.`);
    }
    return item;
  }
}

export const parseJql = (query: string): JqlQuery => new Parser(query, tokenize(query)).parse();
