/**
 * Resolver keys → zod input and output schemas: the one contract between the Custom UI
 * bundles (static/) and their resolvers (src/entry/resolvers/). Both sides import this
 * module, so a change to a shape breaks the type check on both sides at once.
 * Keep it free of Node and @forge imports: Vite bundles it into the browser.
 */
import { z } from 'zod';
import { GateIdSchema, GateReasonCodeSchema } from '../domain/gates';
import { ApplicationDecisionSchema, IssueKeySchema, IssueStatusSchema, MarketSchema, QmsRecordKindSchema, RegistryIdSchema, RegulatoryImpactSchema, SubmissionStatusSchema, FilingCategorySchema } from '../domain/model';

/** A decision as the viewer may see it: the Submission key only when the viewer can see that Submission. */
export const PanelDecisionSchema = ApplicationDecisionSchema.extend({
  /** A Submission is recorded for this decision, but it is in a project the viewer cannot browse. */
  submissionHidden: z.boolean(),
});
export type PanelDecision = z.infer<typeof PanelDecisionSchema>;

export const PanelImpactSchema = RegulatoryImpactSchema.extend({ decisions: z.array(PanelDecisionSchema).max(1000) });
export type PanelImpact = z.infer<typeof PanelImpactSchema>;

export const PanelSubmissionSchema = z.strictObject({
  key: IssueKeySchema,
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  category: FilingCategorySchema,
  status: SubmissionStatusSchema,
});
export type PanelSubmission = z.infer<typeof PanelSubmissionSchema>;

export const PanelGateSchema = z.strictObject({
  gate: GateIdSchema,
  title: z.string().min(1),
  ok: z.boolean(),
  reasons: z.array(z.strictObject({ code: GateReasonCodeSchema, message: z.string().min(1) })),
});
export type PanelGate = z.infer<typeof PanelGateSchema>;

export const ImpactPanelSchema = z.discriminatedUnion('applies', [
  z.strictObject({
    applies: z.literal(true),
    issue: z.strictObject({ key: IssueKeySchema, kind: QmsRecordKindSchema, summary: z.string(), status: IssueStatusSchema }),
    /** The stored assessment, or the empty not-assessed value when nobody has assessed the record yet. */
    impact: PanelImpactSchema,
    /** Linked Submissions the viewer can see; those in projects they cannot browse are absent. */
    linkedSubmissions: z.array(PanelSubmissionSchema),
    /** What blocks the next transition, computed from what the viewer can see. */
    gates: z.array(PanelGateSchema),
  }),
  /** The panel is on an issue that is not a QMS record (e.g. a Submission): nothing to assess. */
  z.strictObject({ applies: z.literal(false), issueKey: IssueKeySchema, message: z.string().min(1) }),
]);
export type ImpactPanel = z.infer<typeof ImpactPanelSchema>;

export const RESOLVER_CONTRACT = {
  'impact/get': {
    /** Nothing: the issue comes from the server-side Forge context, never from the client. */
    input: z.strictObject({}),
    output: ImpactPanelSchema,
  },
} as const;

export type ResolverKey = keyof typeof RESOLVER_CONTRACT;
export type ResolverInput<K extends ResolverKey> = z.infer<(typeof RESOLVER_CONTRACT)[K]['input']>;
export type ResolverOutput<K extends ResolverKey> = z.infer<(typeof RESOLVER_CONTRACT)[K]['output']>;
