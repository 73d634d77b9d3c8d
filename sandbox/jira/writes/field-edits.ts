/**
 * Field values from create, edit and transition requests (`fields` and `update`), checked
 * the way Jira checks them and turned into changelog items. Every error is collected and
 * reported at once in Jira's `errors` map, keyed by field id, before anything changes.
 */
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { JiraError } from '../errors';
import { adfToPlainText } from '../model/adf';
import { formatJiraDateTime } from '../model/jira-time';
import { AdfDocumentSchema } from '../model/state-schema';
import type { AdfDocument, ChangeItem, StoredCustomField, StoredIssue } from '../model/state-schema';
import { SYSTEM_FIELD_NAMES } from '../render/issue-bean';
import type { JiraStore } from '../state/store';

/** The system fields a request may set; status, project, issue type and dates are Jira's to manage. */
export const SETTABLE_SYSTEM_FIELDS: readonly string[] = ['summary', 'description', 'labels', 'assignee', 'reporter'];

export const cannotBeSet = (fieldId: string): string =>
  `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;

export const FieldUpdateOperationSchema = z.looseObject({
  set: z.unknown().optional(),
  add: z.unknown().optional(),
  remove: z.unknown().optional(),
  edit: z.unknown().optional(),
});

export interface EditRequest {
  fields?: Record<string, unknown> | undefined;
  update?: Record<string, Array<z.infer<typeof FieldUpdateOperationSchema>>> | undefined;
}

type Normalized = { ok: true; value: unknown } | { ok: false; error: string };
const ok = (value: unknown): Normalized => ({ ok: true, value });
const fail = (error: string): Normalized => ({ ok: false, error });

const AccountRefSchema = z.looseObject({ accountId: z.string().min(1) });

const userReference = (store: JiraStore, raw: unknown, nullable: boolean): Normalized => {
  if (raw === null) return nullable ? ok(null) : fail('This field is required.');
  const parsed = AccountRefSchema.safeParse(raw);
  if (!parsed.success) return fail("Specify a user as { accountId: '...' }.");
  return store.user(parsed.data.accountId)
    ? ok(parsed.data.accountId)
    : fail(`User '${parsed.data.accountId}' does not exist.`);
};

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const schemaValidators = new Map<string, ValidateFunction>();

const validatorFor = (field: StoredCustomField): ValidateFunction | undefined => {
  if (!field.jsonSchema) return undefined;
  const cacheKey = `${field.id}:${JSON.stringify(field.jsonSchema)}`;
  let validate = schemaValidators.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(field.jsonSchema);
    schemaValidators.set(cacheKey, validate);
  }
  return validate;
};

/** Checks a custom field value against the field's Forge data type (and JSON Schema, for objects). */
export const normalizeCustomFieldValue = (store: JiraStore, field: StoredCustomField, raw: unknown): Normalized => {
  if (raw === null) return ok(null);
  switch (field.type) {
    case 'string':
      if (typeof raw !== 'string') return fail(`The value of '${field.name}' must be a string.`);
      return raw.length > 255 ? fail(`The value of '${field.name}' must be at most 255 characters.`) : ok(raw);
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw)
        ? ok(raw)
        : fail(`The value of '${field.name}' must be a number.`);
    case 'datetime': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      return Number.isNaN(ms)
        ? fail(`The value of '${field.name}' must be an ISO date-time.`)
        : ok(formatJiraDateTime(ms));
    }
    case 'user': {
      const user = userReference(store, raw, true);
      return user.ok && typeof user.value === 'string' ? ok({ accountId: user.value }) : user;
    }
    case 'object': {
      if (typeof raw !== 'object' || Array.isArray(raw))
        return fail(`The value of '${field.name}' must be a JSON object.`);
      const validate = validatorFor(field);
      if (validate && !validate(raw)) {
        const first = validate.errors?.[0];
        return fail(
          `The value of '${field.name}' does not match the field's schema: ${first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'invalid'}.`,
        );
      }
      return ok(structuredClone(raw));
    }
  }
};

const normalizeSystemField = (store: JiraStore, fieldId: string, raw: unknown): Normalized => {
  switch (fieldId) {
    case 'summary':
      if (typeof raw !== 'string' || raw.trim() === '') return fail('You must specify a summary of the issue.');
      if (raw.includes('\n')) return fail('The summary is invalid because it contains newline characters.');
      return raw.length > 255 ? fail('Summary must be less than 255 characters.') : ok(raw);
    case 'description': {
      if (raw === null) return ok(null);
      // Jira v3 takes descriptions only as Atlassian Document Format.
      const doc = AdfDocumentSchema.safeParse(raw);
      return doc.success
        ? ok(doc.data)
        : fail('Operation value must be an Atlassian Document (see the Atlassian Document Format)');
    }
    case 'labels': {
      if (!Array.isArray(raw) || !raw.every((l): l is string => typeof l === 'string'))
        return fail('Labels must be a list of strings.');
      const spaced = raw.find((l) => /\s/.test(l));
      return spaced === undefined
        ? ok([...new Set(raw)])
        : fail(`The label '${spaced}' contains spaces which is invalid.`);
    }
    case 'assignee':
      return userReference(store, raw, true);
    case 'reporter':
      return userReference(store, raw, false);
    default:
      return fail(cannotBeSet(fieldId));
  }
};

const normalize = (store: JiraStore, fieldId: string, raw: unknown): Normalized => {
  const custom = store.customField(fieldId);
  return custom ? normalizeCustomFieldValue(store, custom, raw) : normalizeSystemField(store, fieldId, raw);
};

const currentValue = (issue: StoredIssue | undefined, fieldId: string): unknown => {
  if (!issue) return fieldId === 'labels' ? [] : null;
  switch (fieldId) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description;
    case 'labels':
      return issue.labels;
    case 'assignee':
      return issue.assigneeAccountId;
    case 'reporter':
      return issue.reporterAccountId;
    default:
      return issue.customFields[fieldId] ?? null;
  }
};

/** The `update` verbs: `set` everywhere, `add`/`remove` on labels. */
const applyUpdateOperations = (
  fieldId: string,
  start: unknown,
  operations: Array<Record<string, unknown>>,
): Normalized => {
  let value = start;
  for (const operation of operations) {
    const verbs = Object.keys(operation).filter((k) => operation[k] !== undefined);
    const verb = verbs[0];
    if (verbs.length !== 1 || verb === undefined)
      return fail(`Each operation on '${fieldId}' must have exactly one of set, add, remove.`);
    const argument = operation[verb];
    if (verb === 'set') value = argument;
    else if (
      fieldId === 'labels' &&
      Array.isArray(value) &&
      typeof argument === 'string' &&
      (verb === 'add' || verb === 'remove')
    ) {
      value = verb === 'add' ? [...value, argument] : value.filter((l) => l !== argument);
    } else return fail(`The operation '${verb}' is not supported by the field '${fieldId}'.`);
  }
  return ok(value);
};

/**
 * The new value of each field the request sets, normalised. `isSettable` says which
 * fields this request may touch (the edit screen, the transition screen, the create screen).
 */
export const resolveFieldEdits = (
  store: JiraStore,
  current: StoredIssue | undefined,
  request: EditRequest,
  isSettable: (fieldId: string) => boolean,
): Map<string, unknown> => {
  const errors: Record<string, string> = {};
  const edits = new Map<string, unknown>();
  const fields = request.fields ?? {};
  const update = request.update ?? {};
  for (const [fieldId, raw] of Object.entries(fields)) {
    if (!isSettable(fieldId)) {
      errors[fieldId] = cannotBeSet(fieldId);
      continue;
    }
    if (fieldId in update) {
      errors[fieldId] = `Field '${fieldId}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    const normalized = normalize(store, fieldId, raw);
    if (normalized.ok) edits.set(fieldId, normalized.value);
    else errors[fieldId] = normalized.error;
  }
  for (const [fieldId, operations] of Object.entries(update)) {
    if (fieldId in fields) continue;
    if (!isSettable(fieldId)) {
      errors[fieldId] = cannotBeSet(fieldId);
      continue;
    }
    const raw = applyUpdateOperations(fieldId, currentValue(current, fieldId), operations);
    const normalized = raw.ok ? normalize(store, fieldId, raw.value) : raw;
    if (normalized.ok) edits.set(fieldId, normalized.value);
    else errors[fieldId] = normalized.error;
  }
  if (Object.keys(errors).length > 0) throw new JiraError(400, [], errors);
  return edits;
};

const displayNameOf = (store: JiraStore, accountId: unknown): string | null =>
  typeof accountId === 'string' ? (store.user(accountId)?.displayName ?? accountId) : null;

const customValueString = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

const changeItem = (store: JiraStore, fieldId: string, before: unknown, after: unknown): ChangeItem => {
  const custom = store.customField(fieldId);
  if (custom) {
    const accountOf = (v: unknown): string | null =>
      custom.type === 'user' &&
      typeof v === 'object' &&
      v !== null &&
      'accountId' in v &&
      typeof v.accountId === 'string'
        ? v.accountId
        : null;
    return {
      field: custom.name,
      fieldtype: 'custom',
      fieldId,
      from: accountOf(before),
      fromString: custom.type === 'user' ? displayNameOf(store, accountOf(before)) : customValueString(before),
      to: accountOf(after),
      toString: custom.type === 'user' ? displayNameOf(store, accountOf(after)) : customValueString(after),
    };
  }
  const field = SYSTEM_FIELD_NAMES[fieldId] ?? fieldId;
  switch (fieldId) {
    case 'assignee':
    case 'reporter':
      return {
        field: fieldId,
        fieldtype: 'jira',
        fieldId,
        from: typeof before === 'string' ? before : null,
        fromString: displayNameOf(store, before),
        to: typeof after === 'string' ? after : null,
        toString: displayNameOf(store, after),
      };
    case 'labels': {
      const text = (v: unknown): string | null => (Array.isArray(v) && v.length > 0 ? v.join(' ') : null);
      return {
        field: 'labels',
        fieldtype: 'jira',
        fieldId,
        from: null,
        fromString: text(before),
        to: null,
        toString: text(after),
      };
    }
    case 'description': {
      const text = (v: unknown): string | null => {
        const doc = AdfDocumentSchema.safeParse(v);
        return doc.success ? adfToPlainText(doc.data) : null;
      };
      return {
        field: 'description',
        fieldtype: 'jira',
        fieldId,
        from: null,
        fromString: text(before),
        to: null,
        toString: text(after),
      };
    }
    default:
      return {
        field: field.toLowerCase(),
        fieldtype: 'jira',
        fieldId,
        from: null,
        fromString: customValueString(before),
        to: null,
        toString: customValueString(after),
      };
  }
};

const setValue = (issue: StoredIssue, fieldId: string, value: unknown): void => {
  switch (fieldId) {
    case 'summary':
      if (typeof value === 'string') issue.summary = value;
      return;
    case 'description': {
      const doc: AdfDocument | null = value === null ? null : AdfDocumentSchema.parse(value);
      issue.description = doc;
      return;
    }
    case 'labels':
      issue.labels = Array.isArray(value) ? value.filter((l): l is string => typeof l === 'string') : [];
      return;
    case 'assignee':
      issue.assigneeAccountId = typeof value === 'string' ? value : null;
      return;
    case 'reporter':
      issue.reporterAccountId = typeof value === 'string' ? value : null;
      return;
    default:
      if (value === null) delete issue.customFields[fieldId];
      else issue.customFields[fieldId] = value;
  }
};

/** Applies resolved edits to `issue`, returning a changelog item for each field that really changed. */
export const applyFieldEdits = (
  store: JiraStore,
  issue: StoredIssue,
  edits: ReadonlyMap<string, unknown>,
): ChangeItem[] => {
  const items: ChangeItem[] = [];
  for (const [fieldId, after] of edits) {
    const before = currentValue(issue, fieldId);
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    items.push(changeItem(store, fieldId, before, after));
    setValue(issue, fieldId, after);
  }
  return items;
};

/** The create/edit screen: the settable system fields and every custom field that is not read-only. */
export const isSettableOnEditScreen =
  (store: JiraStore) =>
  (fieldId: string): boolean => {
    if (SETTABLE_SYSTEM_FIELDS.includes(fieldId)) return true;
    const custom = store.customField(fieldId);
    return custom !== undefined && !custom.readOnly;
  };
