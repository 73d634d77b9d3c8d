/**
 * The shapes of an assessment draft and of what it proposes (src/domain/propose-assessment.ts),
 * apart from the engine so the Custom UI contract can import them without the rules table.
 */
import { z } from 'zod';
import { AffectedSchema, ChangeSchema, MarketSchema, RecommendationSchema, RegistryIdSchema } from './model';
import { AffectedApplicationSchema, UnknownRegistryIdSchema } from './propagation';

export const AssessmentDraftSchema = z.strictObject({
  changes: z.array(ChangeSchema).min(1, 'name at least one change code from the catalog').max(50),
  /** What changed where; `markets` limits the applications to those markets (every market when empty). */
  affected: AffectedSchema.omit({ applicationIds: true }),
});
export type AssessmentDraft = z.infer<typeof AssessmentDraftSchema>;

export const ProposedApplicationSchema = AffectedApplicationSchema.omit({ status: true, reasons: true }).extend({
  /** Why propagation reached it, e.g. "names supplier SUP-POLYMERA". */
  reasons: z.array(z.string().min(1)).min(1),
  recommended: RecommendationSchema,
});
export type ProposedApplication = z.infer<typeof ProposedApplicationSchema>;

export const ProposalSchema = z.strictObject({
  applications: z.array(ProposedApplicationSchema),
  /** Reached, but left out: withdrawn, or in a market not selected. */
  skipped: z.array(
    z.strictObject({
      applicationId: RegistryIdSchema,
      market: MarketSchema,
      skippedBecause: z.enum(['withdrawn', 'market-not-selected']),
    }),
  ),
  /** Ids the registry does not know; a draft naming any cannot be saved. */
  unknown: z.array(UnknownRegistryIdSchema),
});
export type Proposal = z.infer<typeof ProposalSchema>;
