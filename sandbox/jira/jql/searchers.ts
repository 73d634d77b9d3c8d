/**
 * What each JQL field means: which operators it takes, what values an issue has for it,
 * and how a literal in the query becomes a comparable value. A literal Jira would reject
 * (a project the viewer cannot see, an issue key that does not exist, a bad date) is
 * rejected here with Jira's message.
 */
import { badRequest } from '../errors';
import type { IndexedValueType, StoredCustomField, StoredIssue } from '../model/state-schema';
import type { Viewer } from '../permissions';
import { canBrowseProject, findVisibleIssue } from '../permissions';
import { STATUS_CATEGORIES } from '../render/beans';
import type { JiraStore } from '../state/store';
import { parseIssueKey } from '../state/store';
import type { Operator } from './ast';
import { INVALID_DATE_HINT, parseJqlDate } from './values';

export type Scalar = string | number | boolean;

export interface JqlContext {
  store: JiraStore;
  viewer: Viewer;
  /** "Now" for relative dates such as `-7d`. */
  nowMs: number;
}

export interface Searcher {
  /** The field as Jira names it in messages. */
  label: string;
  operators: ReadonlySet<Operator>;
  /** The issue's values for the field; none means EMPTY. */
  values(issue: StoredIssue): Scalar[];
  /** A literal from the query as a comparable value (throws Jira's 400 when it cannot be one). */
  literal(text: string): Scalar;
  equals(value: Scalar, literal: Scalar): boolean;
  /** Ordering for `<`, `>`...; undefined when the two cannot be compared. */
  compare?(value: Scalar, literal: Scalar): number | undefined;
  /** Whether functions such as linkedIssues() may stand for the values (the issue key field). */
  acceptsIssueFunctions?: boolean;
}

const EQUALITY: ReadonlySet<Operator> = new Set<Operator>(['=', '!=', 'in', 'not in', 'is', 'is not']);
const ORDERED: ReadonlySet<Operator> = new Set<Operator>([...EQUALITY, '>', '>=', '<', '<=']);
const TEXT: ReadonlySet<Operator> = new Set<Operator>(['~', '!~', 'is', 'is not']);
const EQUALITY_AND_TEXT: ReadonlySet<Operator> = new Set<Operator>([...EQUALITY, '~', '!~']);
const ALL: ReadonlySet<Operator> = new Set<Operator>([...ORDERED, '~', '!~']);

const strictEquals = (a: Scalar, b: Scalar): boolean => a === b;
const numericCompare = (a: Scalar, b: Scalar): number | undefined =>
  typeof a === 'number' && typeof b === 'number' ? a - b : undefined;
const valueDoesNotExist = (text: string, label: string) =>
  badRequest(`The value '${text}' does not exist for the field '${label}'.`);

export const projectSearcher = (ctx: JqlContext, label: string): Searcher => ({
  label,
  operators: EQUALITY,
  values: (issue) => [issue.projectId],
  literal: (text) => {
    const wanted = text.toLowerCase();
    const project = ctx.store
      .projects()
      .find((p) => p.id === text || p.key.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
    // A project the viewer cannot browse "does not exist", exactly as Jira says.
    if (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id)) throw valueDoesNotExist(text, label);
    return project.id;
  },
  equals: strictEquals,
});

export const issueTypeSearcher = (ctx: JqlContext, label: string): Searcher => ({
  label,
  operators: EQUALITY,
  values: (issue) => [issue.issueTypeId],
  literal: (text) => {
    const issueType = ctx.store.issueType(text) ?? ctx.store.issueTypeByName(text);
    if (!issueType) throw valueDoesNotExist(text, label);
    return issueType.id;
  },
  equals: strictEquals,
});

export const statusSearcher = (ctx: JqlContext, label: string): Searcher => ({
  label,
  operators: EQUALITY,
  values: (issue) => [issue.statusId],
  literal: (text) => {
    const status = ctx.store.status(text) ?? ctx.store.statusByName(text);
    if (!status) throw valueDoesNotExist(text, label);
    return status.id;
  },
  equals: strictEquals,
});

export const statusCategorySearcher = (ctx: JqlContext, label: string): Searcher => ({
  label,
  operators: EQUALITY,
  values: (issue) => {
    const status = ctx.store.status(issue.statusId);
    return status ? [status.category] : [];
  },
  literal: (text) => {
    const wanted = text.toLowerCase();
    const match = Object.entries(STATUS_CATEGORIES).find(
      ([key, c]) => key === wanted || c.name.toLowerCase() === wanted || String(c.id) === text,
    );
    if (!match) throw valueDoesNotExist(text, label);
    return match[0];
  },
  equals: strictEquals,
});

/** `key`, `issue`, `issuekey` and `id`: values are issue ids; keys compare within one project. */
export const issueSearcher = (ctx: JqlContext, label: string): Searcher => {
  const byId = label.toLowerCase() === 'id';
  return {
    label,
    operators: ORDERED,
    acceptsIssueFunctions: true,
    values: (issue) => [Number(issue.id)],
    literal: (text) => {
      const issue = findVisibleIssue(ctx.store, ctx.viewer, text);
      if (!issue) throw badRequest(`An issue with key '${text}' does not exist for field '${label}'.`);
      return Number(issue.id);
    },
    equals: strictEquals,
    compare: (value, literal) => {
      if (byId) return numericCompare(value, literal);
      const a = ctx.store.issue(String(value));
      const b = ctx.store.issue(String(literal));
      if (!a || !b || a.projectId !== b.projectId) return undefined;
      return (parseIssueKey(a.key)?.number ?? 0) - (parseIssueKey(b.key)?.number ?? 0);
    },
  };
};

const dateLiteral =
  (ctx: JqlContext, label: string) =>
  (text: string): number => {
    const ms = parseJqlDate(text, ctx.nowMs);
    if (ms === undefined)
      throw badRequest(`Date value '${text}' for field '${label}' is invalid. ${INVALID_DATE_HINT}`);
    return ms;
  };

export const dateSearcher = (
  ctx: JqlContext,
  label: string,
  read: (issue: StoredIssue) => string | null,
): Searcher => ({
  label,
  operators: ORDERED,
  values: (issue) => {
    const iso = read(issue);
    return iso === null ? [] : [Date.parse(iso)];
  },
  literal: dateLiteral(ctx, label),
  equals: strictEquals,
  compare: numericCompare,
});

export const textSearcher = (label: string, read: (issue: StoredIssue) => string): Searcher => ({
  label,
  operators: TEXT,
  values: (issue) => {
    const text = read(issue);
    return text === '' ? [] : [text];
  },
  literal: (text) => text,
  equals: strictEquals,
});

/** Scalars at a dot path; arrays are searched element by element, as Jira indexes them. */
export const valuesAtPath = (root: unknown, path: string | undefined): Scalar[] => {
  let level: unknown[] = [root];
  for (const step of path === undefined ? [] : path.split('.')) {
    level = level
      .flatMap((node) => (Array.isArray(node) ? node : [node]))
      .flatMap((node) =>
        typeof node === 'object' && node !== null && !Array.isArray(node) && step in node
          ? [Reflect.get(node, step)]
          : [],
      );
  }
  return level
    .flatMap((node) => (Array.isArray(node) ? node : [node]))
    .filter(
      (node): node is Scalar => typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean',
    );
};

/** A value indexed with a declared type: a `searchAlias` of a custom field, or a declared entity property path. */
export const indexedSearcher = (
  ctx: JqlContext,
  label: string,
  type: IndexedValueType,
  read: (issue: StoredIssue) => unknown[],
): Searcher => {
  const base = { label, equals: strictEquals };
  switch (type) {
    case 'string':
      return {
        ...base,
        operators: EQUALITY,
        values: (i) => read(i).filter((v): v is string => typeof v === 'string'),
        literal: (t) => t,
      };
    case 'text':
      return {
        ...base,
        operators: TEXT,
        values: (i) => read(i).filter((v): v is string => typeof v === 'string'),
        literal: (t) => t,
      };
    case 'user':
      return {
        ...base,
        operators: EQUALITY,
        values: (i) =>
          read(i).flatMap((v) =>
            typeof v === 'string'
              ? [v]
              : typeof v === 'object' && v !== null && 'accountId' in v && typeof v.accountId === 'string'
                ? [v.accountId]
                : [],
          ),
        literal: (t) => t,
      };
    case 'number':
      return {
        ...base,
        operators: ORDERED,
        values: (i) => read(i).filter((v): v is number => typeof v === 'number'),
        literal: (t) => {
          const n = Number(t);
          if (t.trim() === '' || !Number.isFinite(n))
            throw badRequest(`The value '${t}' for field '${label}' is not a valid number.`);
          return n;
        },
        compare: numericCompare,
      };
    case 'date':
      return {
        ...base,
        operators: ORDERED,
        values: (i) =>
          read(i).flatMap((v) => {
            const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
            return Number.isNaN(ms) ? [] : [ms];
          }),
        literal: dateLiteral(ctx, label),
        compare: numericCompare,
      };
    case 'boolean':
      return {
        ...base,
        operators: new Set<Operator>(['=', '!=', 'is', 'is not']),
        values: (i) => read(i).filter((v): v is boolean => typeof v === 'boolean'),
        literal: (t) => {
          if (!/^(true|false)$/i.test(t))
            throw badRequest(`The value '${t}' for field '${label}' must be true or false.`);
          return t.toLowerCase() === 'true';
        },
      };
  }
};

/** An entity property path no module declares: searched by what is stored there. */
export const untypedPropertySearcher = (label: string, read: (issue: StoredIssue) => Scalar[]): Searcher => ({
  label,
  operators: ALL,
  values: read,
  literal: (text) => text,
  equals: (value, literal) => {
    if (typeof value === 'number') return String(literal).trim() !== '' && Number(literal) === value;
    if (typeof value === 'boolean') return String(literal).toLowerCase() === String(value);
    return value === literal;
  },
  compare: (value, literal) => {
    const n = Number(literal);
    if (typeof value === 'number') return String(literal).trim() !== '' && Number.isFinite(n) ? value - n : undefined;
    return typeof value === 'string' ? value.localeCompare(String(literal)) : undefined;
  },
});

export const customFieldSearcher = (ctx: JqlContext, field: StoredCustomField, label: string): Searcher => {
  const read = (issue: StoredIssue): unknown[] => {
    const value = issue.customFields[field.id];
    return value === undefined || value === null ? [] : [value];
  };
  switch (field.type) {
    case 'string': {
      const searcher = indexedSearcher(ctx, label, 'string', read);
      return { ...searcher, operators: EQUALITY_AND_TEXT };
    }
    case 'number':
      return indexedSearcher(ctx, label, 'number', read);
    case 'datetime':
      return indexedSearcher(ctx, label, 'date', read);
    case 'user':
      return {
        ...indexedSearcher(ctx, label, 'user', read),
        literal: (text) => {
          if (!ctx.store.user(text)) throw valueDoesNotExist(text, label);
          return text;
        },
      };
    case 'object': {
      const aliases = field.searchAliases.map((a) => `"${field.name}".${a.alias}`);
      throw badRequest(
        `The field '${label}' holds an object and can only be searched through its search aliases${aliases.length > 0 ? ` (${aliases.join(', ')})` : '; it declares none'}.`,
      );
    }
  }
};
