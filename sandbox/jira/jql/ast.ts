/** The syntax tree of the JQL subset the stand-in understands. */

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type FieldRef =
  /** A field by name, e.g. `status`, `"Regulatory impact"`, or `Impact.status` (name + searchAlias). */
  | { kind: 'named'; name: string; alias?: string; text: string }
  /** `cf[10050]`, optionally with a searchAlias: `cf[10050].status`. */
  | { kind: 'custom-id'; id: string; alias?: string; text: string }
  /** `issue.property[propertyKey].dot.path`. */
  | { kind: 'property'; key: string; path?: string; text: string };

export type Value = { kind: 'value'; text: string; start: number } | { kind: 'empty'; start: number };

export interface FunctionCall {
  kind: 'function';
  name: string;
  args: string[];
  start: number;
}

export type Operand = Value | FunctionCall | { kind: 'list'; items: Array<Value | FunctionCall>; start: number };

export interface Clause {
  kind: 'clause';
  field: FieldRef;
  operator: Operator;
  operand: Operand;
  start: number;
}

export type Expr = Clause | { kind: 'and' | 'or'; left: Expr; right: Expr } | { kind: 'not'; expr: Expr };

export interface SortKey {
  field: FieldRef;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where?: Expr;
  orderBy: SortKey[];
}
