/**
 * Which fields a QMS record must have before its regulatory impact counts as assessed,
 * configured per record kind (issue type) as data. A rule may depend on earlier answers:
 * the impact status, the change codes, a change's answers or another field of the record.
 */
import { z } from 'zod';
import { AnswerSchema, ImpactStatusSchema, QmsRecordKindSchema } from './model';
import type { ImpactStatus, QmsRecord, QmsRecordKind } from './model';

/** Paths into the impact value, with the label a message shows for each. */
const FIXED_FIELD_LABELS: ReadonlyMap<string, string> = new Map([
  ['affected.productIds', 'Affected products'],
  ['affected.siteIds', 'Affected sites'],
  ['affected.supplierIds', 'Affected suppliers'],
  ['affected.markets', 'Affected markets'],
  ['affected.applicationIds', 'Affected applications'],
  ['changes', 'Changes'],
]);
const FIXED_FIELD_PATHS = [...FIXED_FIELD_LABELS.keys()];
const RECORD_FIELD_PATTERN = /^fields\.[A-Za-z_][A-Za-z0-9_]*$/;

export const RequiredFieldPathSchema = z
  .string()
  .refine((path) => FIXED_FIELD_PATHS.includes(path) || RECORD_FIELD_PATTERN.test(path), {
    error: (issue) =>
      `unknown field ${JSON.stringify(issue.input)}: use one of ${FIXED_FIELD_PATHS.join(', ')}, or fields.<name> for a field of the issue`,
  });
export type RequiredFieldPath = z.infer<typeof RequiredFieldPathSchema>;

const RecordFieldNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field name such as rootCause');

/** All given parts must hold. */
export const RuleConditionSchema = z
  .strictObject({
    /** The impact status is one of these. */
    status: z.array(ImpactStatusSchema).min(1, 'list at least one status').optional(),
    /** At least one change has one of these codes. */
    changeCodes: z.array(z.string().min(1)).min(1, 'list at least one change code').optional(),
    /** For each question, some change answered it with this value. */
    answers: z.record(z.string().min(1), AnswerSchema).optional(),
    /** For each field of the issue, it has exactly this value. */
    fields: z.record(RecordFieldNameSchema, z.union([z.string(), z.boolean(), z.number()])).optional(),
  })
  .refine((when) => Object.values(when).some((part) => part !== undefined), {
    error:
      'a condition must name at least one of status, changeCodes, answers or fields (leave out "when" to require the field always)',
  });
export type RuleCondition = z.infer<typeof RuleConditionSchema>;

export const RequiredFieldRuleSchema = z.strictObject({
  field: RequiredFieldPathSchema,
  /** What the user sees in a message, e.g. "Root cause". */
  label: z.string().trim().min(1).max(200).optional(),
  when: RuleConditionSchema.optional(),
});
export type RequiredFieldRule = z.infer<typeof RequiredFieldRuleSchema>;

const RulesSchema = z
  .array(RequiredFieldRuleSchema)
  .max(100)
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((rule, index) => {
      const identity = JSON.stringify([rule.field, rule.when ?? null]);
      const first = seen.get(identity);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `duplicates rule ${first} (same field ${rule.field} and condition)`,
        });
      } else {
        seen.set(identity, index);
      }
    });
  });

/** One list of rules for every QMS record kind; a missing or unknown kind is an error. */
export const RequiredFieldConfigSchema = z.strictObject({
  rules: z.record(QmsRecordKindSchema, RulesSchema),
});
export type RequiredFieldConfig = z.infer<typeof RequiredFieldConfigSchema>;

export type RequiredFieldConfigParse = { ok: true; config: RequiredFieldConfig } | { ok: false; errors: string[] };

/** Parses an admin-supplied configuration; each error names where it is (`rules.capa.0.field: ...`). */
export const parseRequiredFieldConfig = (input: unknown): RequiredFieldConfigParse => {
  const parsed = RequiredFieldConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(config)'}: ${issue.message}`,
    ),
  };
};

const ASSESSED: ImpactStatus[] = ['filing-required', 'no-filing'];

/**
 * Rules that hold whatever the configuration says: the architecture requires them, and an
 * admin must not be able to switch them off.
 */
export const BASELINE_RULES: Readonly<Record<QmsRecordKind, readonly RequiredFieldRule[]>> = {
  'change-control': [],
  capa: [],
  deviation: [],
  complaint: [],
  'supplier-change': [{ field: 'affected.supplierIds', when: { status: ASSESSED } }],
  'audit-finding': [],
};

export const DEFAULT_REQUIRED_FIELDS: RequiredFieldConfig = {
  rules: {
    'change-control': [
      { field: 'changes', when: { status: ASSESSED } },
      { field: 'affected.productIds', when: { status: ASSESSED } },
    ],
    capa: [
      { field: 'fields.rootCause', label: 'Root cause', when: { status: ASSESSED } },
      { field: 'changes', when: { status: ['filing-required'] } },
    ],
    deviation: [
      { field: 'fields.rootCause', label: 'Root cause', when: { status: ASSESSED } },
      { field: 'affected.productIds', when: { status: ASSESSED } },
      { field: 'changes', when: { status: ['filing-required'] } },
    ],
    complaint: [
      { field: 'affected.productIds', when: { status: ASSESSED } },
      { field: 'changes', when: { status: ['filing-required'] } },
    ],
    'supplier-change': [
      { field: 'affected.supplierIds', when: { status: ASSESSED } },
      { field: 'changes', when: { status: ASSESSED } },
    ],
    'audit-finding': [{ field: 'changes', when: { status: ['filing-required'] } }],
  },
};

/** Baseline and configured rules for a kind, the baseline first. */
export const rulesFor = (kind: QmsRecordKind, config: RequiredFieldConfig): RequiredFieldRule[] => [
  ...BASELINE_RULES[kind],
  ...config.rules[kind],
];

const conditionHolds = (when: RuleCondition | undefined, record: QmsRecord): boolean => {
  if (when === undefined) return true;
  const { impact } = record;
  if (when.status && !when.status.includes(impact.status)) return false;
  if (when.changeCodes && !impact.changes.some((change) => when.changeCodes?.includes(change.code))) return false;
  if (when.answers) {
    for (const [question, expected] of Object.entries(when.answers)) {
      if (!impact.changes.some((change) => change.answers?.[question] === expected)) return false;
    }
  }
  if (when.fields) {
    for (const [name, expected] of Object.entries(when.fields)) {
      if (record.fields[name] !== expected) return false;
    }
  }
  return true;
};

/** `false` is an answer; an empty string, empty list, null or absent value is not. */
const hasValue = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
};

const valueAt = (record: QmsRecord, path: RequiredFieldPath): unknown => {
  const { affected, changes } = record.impact;
  switch (path) {
    case 'affected.productIds':
      return affected.productIds;
    case 'affected.siteIds':
      return affected.siteIds;
    case 'affected.supplierIds':
      return affected.supplierIds;
    case 'affected.markets':
      return affected.markets;
    case 'affected.applicationIds':
      return affected.applicationIds;
    case 'changes':
      return changes;
    default:
      return record.fields[path.slice('fields.'.length)];
  }
};

export const labelOf = (rule: RequiredFieldRule): string =>
  rule.label ?? FIXED_FIELD_LABELS.get(rule.field) ?? rule.field.slice('fields.'.length);

const joinOr = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;

export const describeCondition = (when: RuleCondition | undefined): string => {
  if (when === undefined) return 'always';
  const parts: string[] = [];
  if (when.status) parts.push(`the impact status is ${joinOr(when.status)}`);
  if (when.changeCodes) parts.push(`a change is ${joinOr(when.changeCodes)}`);
  for (const [question, answer] of Object.entries(when.answers ?? {}))
    parts.push(`a change answers ${question} = ${JSON.stringify(answer)}`);
  for (const [name, value] of Object.entries(when.fields ?? {})) parts.push(`${name} is ${JSON.stringify(value)}`);
  return `when ${parts.join(' and ')}`;
};

export type MissingField = { rule: RequiredFieldRule; label: string; condition: string };

/** The required fields the record lacks, each field once (the first rule that requires it). */
export const missingRequiredFields = (record: QmsRecord, config: RequiredFieldConfig): MissingField[] => {
  const missing = new Map<string, MissingField>();
  for (const rule of rulesFor(record.kind, config)) {
    if (missing.has(rule.field) || !conditionHolds(rule.when, record) || hasValue(valueAt(record, rule.field)))
      continue;
    missing.set(rule.field, { rule, label: labelOf(rule), condition: describeCondition(rule.when) });
  }
  return [...missing.values()];
};
