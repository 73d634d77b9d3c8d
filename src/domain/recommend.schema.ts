/**
 * The contract of the `recommend` CLI (and of anything else that asks for filing
 * recommendations): a JSON array of cases in, one decision per application out.
 */
import { z } from 'zod';
import {
  ApplicationTypeSchema,
  ChangeSchema,
  DeviceClassSchema,
  FilingCategorySchema,
  RecommendationSchema,
} from './model';

const DEVICE_TYPES: ReadonlySet<string> = new Set(['510K', 'PMA', 'DE-NOVO', 'CE-MDR', 'CE-MDD']);

export const RecommendApplicationSchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    market: z.string().min(1).max(32),
    type: ApplicationTypeSchema,
    deviceClass: DeviceClassSchema.optional(),
  })
  .superRefine((application, ctx) => {
    if (application.deviceClass !== undefined && !DEVICE_TYPES.has(application.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['deviceClass'],
        message: `a ${application.type} application has no device class`,
      });
    }
  });
export type RecommendApplication = z.infer<typeof RecommendApplicationSchema>;

export const RecommendCaseSchema = z
  .strictObject({
    id: z.string().min(1).max(200),
    changes: z.array(ChangeSchema).max(50),
    applications: z.array(RecommendApplicationSchema).min(1).max(1000),
  })
  .superRefine((recommendCase, ctx) => {
    const seen = new Set<string>();
    recommendCase.applications.forEach((application, i) => {
      if (seen.has(application.id))
        ctx.addIssue({
          code: 'custom',
          path: ['applications', i, 'id'],
          message: `duplicate application id ${application.id}`,
        });
      seen.add(application.id);
    });
  });
export type RecommendCase = z.infer<typeof RecommendCaseSchema>;

export const RecommendInputSchema = z.array(RecommendCaseSchema);

export const DecisionSchema = z.strictObject({
  applicationId: z.string().min(1),
  ...RecommendationSchema.shape,
});
export type Decision = z.infer<typeof DecisionSchema>;

/** What one change leads to for one application; `position` is 1-based in the case's change list. */
export const ChangeAssessmentSchema = z.strictObject({
  position: z.number().int().positive(),
  code: z.string(),
  category: FilingCategorySchema,
  citations: z.array(z.string().min(1)),
  reason: z.string().min(1),
});
export type ChangeAssessment = z.infer<typeof ChangeAssessmentSchema>;

export const CaseDecisionsSchema = z.strictObject({
  id: z.string(),
  decisions: z.array(DecisionSchema),
});
export type CaseDecisions = z.infer<typeof CaseDecisionsSchema>;

export const RecommendOutputSchema = z.array(CaseDecisionsSchema);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON path such as `$[0].applications[1].type`, the way a user finds the value in the file. */
export const jsonPathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = String(key);
    return IDENTIFIER.test(name) ? `${acc}.${name}` : `${acc}[${JSON.stringify(name)}]`;
  }, '$');

/** The first problem zod found, as `<json path>: <message>`. */
export const describeFirstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return '$: invalid input';
  const unrecognized = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = unrecognized === undefined ? issue.path : [...issue.path, unrecognized];
  const alternatives =
    issue.code === 'invalid_union' ? issue.errors.flatMap((branch) => (branch[0] ? [branch[0].message] : [])) : [];
  return `${jsonPathOf(path)}: ${issue.message}${alternatives.length > 0 ? ` (${alternatives.join('; or ')})` : ''}`;
};
