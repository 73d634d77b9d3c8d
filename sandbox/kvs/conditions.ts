/**
 * How the Custom Entity Store evaluates a range (`where`) condition on an index, filter
 * conditions on attributes, and transaction conditions. The store behind Forge custom
 * entities follows DynamoDB's rules, which the sandbox mirrors where they are observable:
 * an attribute that is absent satisfies nothing but NOT_EXISTS, and values of different
 * types never compare.
 */
import { badRequest } from './kvs-errors';
import type { ConditionClause, FilterClause, FilterGroup } from './kvs-wire.schema';

/** Conditions `.where()` accepts on an index's range attribute (`WhereConditions`). */
const RANGE_CONDITIONS = new Set([
  'BEGINS_WITH',
  'BETWEEN',
  'EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_EQUAL_TO',
]);
/** Conditions `.filters()` and transaction conditions accept (`FilterConditions`). */
const FILTER_CONDITIONS = new Set([
  ...RANGE_CONDITIONS,
  'CONTAINS',
  'NOT_CONTAINS',
  'NOT_EQUAL_TO',
  'EXISTS',
  'NOT_EXISTS',
]);

type Primitive = string | number | boolean;
const isPrimitive = (value: unknown): value is Primitive =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Orders two values of the same primitive type; undefined when they cannot be compared. */
export const compareValues = (a: unknown, b: unknown): number | undefined => {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
};

const TYPE_RANK: Record<string, number> = { boolean: 0, number: 1, string: 2 };

/** A total order over index values, so an index with mixed types still sorts deterministically. */
export const compareIndexValues = (a: Primitive, b: Primitive): number => {
  const byType = (TYPE_RANK[typeof a] ?? 3) - (TYPE_RANK[typeof b] ?? 3);
  return byType !== 0 ? byType : (compareValues(a, b) ?? 0);
};

const checkArity = (clause: ConditionClause): void => {
  const expected = clause.condition === 'BETWEEN' ? 2 : 1;
  if (clause.values.length < expected) {
    throw badRequest(
      expected === 2 ? 'INSUFFICIENT_FILTER_VALUES' : 'INVALID_FILTER_VALUES',
      `Condition ${clause.condition} needs ${expected} value(s), got ${clause.values.length}`,
    );
  }
  if (clause.values.length > expected) {
    throw badRequest(
      'INVALID_FILTER_VALUES',
      `Condition ${clause.condition} takes ${expected} value(s), got ${clause.values.length}`,
    );
  }
  if (!clause.values.every(isPrimitive)) {
    throw badRequest(
      'INVALID_FILTER_VALUES',
      `Condition ${clause.condition} compares against strings, numbers or booleans only`,
    );
  }
};

export const assertValidRangeCondition = (clause: ConditionClause): void => {
  if (!RANGE_CONDITIONS.has(clause.condition)) {
    throw badRequest('INVALID_FILTER_CONDITION', `Condition ${clause.condition} is not supported on an index range`);
  }
  checkArity(clause);
};

const assertValidFilterClause = (clause: FilterClause): void => {
  if (!FILTER_CONDITIONS.has(clause.condition)) {
    throw badRequest('INVALID_FILTER_CONDITION', `Condition ${clause.condition} is not supported for filters`);
  }
  checkArity(clause);
};

/** Returns the clauses and how they combine; rejects empty groups and mixed and/or, as Forge does. */
export const assertValidFilterGroup = (group: FilterGroup): { operator: 'and' | 'or'; clauses: FilterClause[] } => {
  if (group.and !== undefined && group.or !== undefined) {
    throw badRequest(
      'INVALID_FILTER_OPERATORS_COMBINATION',
      'Filter operators "and" and "or" cannot be present at the same level',
    );
  }
  const operator = group.and !== undefined ? 'and' : 'or';
  const clauses = group.and ?? group.or ?? [];
  if (clauses.length === 0)
    throw badRequest('EMPTY_FILTER_OPERATOR', 'Filter operators "and" and "or" cannot be empty');
  clauses.forEach(assertValidFilterClause);
  return { operator, clauses };
};

/** Evaluates one already-validated condition against an attribute value (undefined = absent). */
export const satisfiesCondition = (actual: unknown, clause: ConditionClause): boolean => {
  const [first, second] = clause.values;
  switch (clause.condition) {
    case 'EXISTS':
      return actual !== undefined;
    case 'NOT_EXISTS':
      return actual === undefined;
  }
  if (actual === undefined) return false;
  const compared = compareValues(actual, first);
  switch (clause.condition) {
    case 'EQUAL_TO':
      return compared === 0;
    case 'NOT_EQUAL_TO':
      return compared !== 0;
    case 'GREATER_THAN':
      return compared !== undefined && compared > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return compared !== undefined && compared >= 0;
    case 'LESS_THAN':
      return compared !== undefined && compared < 0;
    case 'LESS_THAN_EQUAL_TO':
      return compared !== undefined && compared <= 0;
    case 'BETWEEN': {
      const upper = compareValues(actual, second);
      return compared !== undefined && upper !== undefined && compared >= 0 && upper <= 0;
    }
    case 'BEGINS_WITH':
      return typeof actual === 'string' && typeof first === 'string' && actual.startsWith(first);
    case 'CONTAINS':
      return contains(actual, first);
    case 'NOT_CONTAINS':
      return !contains(actual, first);
    default:
      return false;
  }
};

const contains = (actual: unknown, needle: unknown): boolean => {
  if (typeof actual === 'string') return typeof needle === 'string' && actual.includes(needle);
  if (Array.isArray(actual)) return actual.some((item) => item === needle);
  return false;
};

/** Evaluates a validated filter group against an entity value (undefined = entity absent). */
export const satisfiesFilterGroup = (
  attributes: Readonly<Record<string, unknown>> | undefined,
  group: FilterGroup,
): boolean => {
  const { operator, clauses } = assertValidFilterGroup(group);
  const results = clauses.map((clause) => satisfiesCondition(attributes?.[clause.property], clause));
  return operator === 'and' ? results.every(Boolean) : results.some(Boolean);
};
