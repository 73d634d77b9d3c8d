/**
 * The shape of the change catalog and the consistency rules a reviewer relies on when
 * auditing it: every category on its regime's ladder, every question a rule reads declared
 * and listed in `requires`, every outcome cited, and every combination of answers decided.
 */
import { z } from 'zod';
import { CATEGORY_LADDERS, isCategoryValidFor, regimeOf, type Regime } from '../categories';
import { ApplicationTypeSchema, DeviceClassSchema, FilingCategorySchema } from '../model';
import { evaluateOutcomes, questionIdsOf, type Facts } from './evaluate';

export const RegimeSchema = z.enum([
  'US-DRUG',
  'US-BIOLOGIC',
  'US-510K',
  'US-PMA',
  'EU-MEDICINE',
  'EU-MDR',
  'EU-LEGACY-DEVICE',
]) satisfies z.ZodType<Regime>;

/** `V`: checked against the primary text; `U`: confirm against the cited text before release. */
export const ConfidenceSchema = z.enum(['V', 'U']);
export type Confidence = z.infer<typeof ConfidenceSchema>;

const KebabIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"');
/** Options may echo an official identifier, such as the EU variation types IA, IA-IN, IB, II. */
const OptionSchema = z.string().regex(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, 'must be words joined by "-"');

export const ChangeCodeSchema = z
  .string()
  .regex(/^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$/, 'must be dotted lower-case words such as process.other');

export const AnswerKindSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('boolean') }),
  z.strictObject({ kind: z.literal('choice'), options: z.array(OptionSchema).min(2) }),
]);
export type AnswerKind = z.infer<typeof AnswerKindSchema>;

export const QuestionSchema = z.strictObject({
  id: KebabIdSchema,
  text: z.string().min(1),
  answer: AnswerKindSchema,
});
export type Question = z.infer<typeof QuestionSchema>;

export const ConditionSchema = z.strictObject({
  /** Every listed question must have exactly this answer. */
  answers: z.record(KebabIdSchema, z.union([z.boolean(), z.string().min(1)])).optional(),
  /** The application's device class must be one of these. */
  deviceClass: z.array(DeviceClassSchema).min(1).optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const OutcomeSchema = z.strictObject({
  when: ConditionSchema,
  category: FilingCategorySchema,
  citations: z.array(z.string().min(1)).min(1),
  confidence: ConfidenceSchema,
  /** Why this category, in words a reviewer reads in the rationale. */
  note: z.string().min(1),
});
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Outcomes are tried in order; the first whose condition holds decides. */
export const RegimeRuleSchema = z.strictObject({
  requires: z.array(KebabIdSchema),
  outcomes: z.array(OutcomeSchema).min(1),
});
export type RegimeRule = z.infer<typeof RegimeRuleSchema>;

export const CatalogEntrySchema = z.strictObject({
  code: ChangeCodeSchema,
  title: z.string().min(1),
  questions: z.array(QuestionSchema),
  /** A regime without a rule means the filing rules say nothing: the engine answers REVIEW-REQUIRED. */
  rules: z.partialRecord(RegimeSchema, RegimeRuleSchema),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export type CatalogEntryInput = z.input<typeof CatalogEntrySchema>;

export const applicationTypesOf = (regime: Regime) =>
  ApplicationTypeSchema.options.filter((type) => regimeOf(type) === regime);

/** Every way the facts a rule reads can be given, so the check can prove no combination falls through. */
const factCombinations = (rule: RegimeRule, questions: readonly Question[]): Facts[] => {
  const valuesOf = (id: string): (boolean | string)[] => {
    const question = questions.find((q) => q.id === id);
    if (!question) return [];
    return question.answer.kind === 'boolean' ? [true, false] : question.answer.options;
  };
  let combinations: Facts[] = [{ answers: {}, deviceClass: undefined }];
  for (const id of questionIdsOf(rule.outcomes)) {
    combinations = combinations.flatMap((facts) =>
      valuesOf(id).map((value) => ({ ...facts, answers: { ...facts.answers, [id]: value } })),
    );
  }
  if (rule.outcomes.some((o) => o.when.deviceClass !== undefined)) {
    combinations = combinations.flatMap((facts) =>
      DeviceClassSchema.options.map((deviceClass) => ({ ...facts, deviceClass })),
    );
  }
  return combinations;
};

const sameMembers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

const checkRule = (
  entry: CatalogEntry,
  regime: Regime,
  rule: RegimeRule,
  ctx: z.RefinementCtx,
  at: (string | number)[],
) => {
  const questionById = new Map(entry.questions.map((q) => [q.id, q]));
  rule.outcomes.forEach((outcome, i) => {
    for (const type of applicationTypesOf(regime)) {
      if (!isCategoryValidFor(outcome.category, type)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'outcomes', i, 'category'],
          message: `${outcome.category} is not on the ${regime} ladder (${CATEGORY_LADDERS[regime].join(', ')})`,
        });
      }
    }
    for (const [id, expected] of Object.entries(outcome.when.answers ?? {})) {
      const question = questionById.get(id);
      if (!question) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'outcomes', i, 'when', 'answers', id],
          message: `question ${id} is not declared for ${entry.code}`,
        });
      } else if (
        question.answer.kind === 'boolean'
          ? typeof expected !== 'boolean'
          : typeof expected !== 'string' || !question.answer.options.includes(expected)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'outcomes', i, 'when', 'answers', id],
          message: `${String(expected)} is not a possible answer to ${id}`,
        });
      }
    }
  });
  const read = questionIdsOf(rule.outcomes);
  if (!sameMembers(read, rule.requires)) {
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'requires'],
      message: `requires [${rule.requires.join(', ')}] but the outcomes read [${read.join(', ')}]`,
    });
    return;
  }
  if (read.some((id) => !questionById.has(id))) return;
  const undecided = factCombinations(rule, entry.questions).find(
    (facts) => evaluateOutcomes(rule.outcomes, facts).kind !== 'matched',
  );
  if (undecided) {
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'outcomes'],
      message: `no outcome decides answers ${JSON.stringify(undecided.answers)} with device class ${undecided.deviceClass ?? 'none'}`,
    });
  }
};

export const CatalogSchema = z.array(CatalogEntrySchema).superRefine((catalog, ctx) => {
  const codes = new Set<string>();
  catalog.forEach((entry, i) => {
    if (codes.has(entry.code))
      ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate code ${entry.code}` });
    codes.add(entry.code);
    const questionIds = new Set<string>();
    entry.questions.forEach((q, j) => {
      if (questionIds.has(q.id))
        ctx.addIssue({ code: 'custom', path: [i, 'questions', j, 'id'], message: `duplicate question ${q.id}` });
      questionIds.add(q.id);
      if (q.answer.kind === 'choice' && new Set(q.answer.options).size !== q.answer.options.length) {
        ctx.addIssue({ code: 'custom', path: [i, 'questions', j, 'answer', 'options'], message: 'duplicate option' });
      }
    });
    const regimes = RegimeSchema.options.filter((regime) => entry.rules[regime] !== undefined);
    if (regimes.length === 0)
      ctx.addIssue({ code: 'custom', path: [i, 'rules'], message: `${entry.code} has no rule for any regime` });
    for (const regime of regimes) {
      const rule = entry.rules[regime];
      if (rule) checkRule(entry, regime, rule, ctx, [i, 'rules', regime]);
    }
    const unused = entry.questions.filter(
      (q) => !regimes.some((regime) => entry.rules[regime]?.requires.includes(q.id)),
    );
    unused.forEach((q) =>
      ctx.addIssue({ code: 'custom', path: [i, 'questions'], message: `question ${q.id} is read by no rule` }),
    );
  });
});
export type Catalog = z.infer<typeof CatalogSchema>;
