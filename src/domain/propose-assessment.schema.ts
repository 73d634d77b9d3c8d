/**
 * The shapes of an assessment draft and of what it proposes (src/domain/propose-assessment.ts),
 * apart from the engine so the Custom UI contract can import them without the rules table.
 */
import { z } from 'zod';
import { ApplicationTypeSchema, ChangeSchema, MarketSchema, RecommendationSchema, RegistryIdSchema } from './model';
import { UnknownRegistryIdSchema } from './propagation';

export const AssessmentDraftSchema = z.strictObject({
  changes: z.array(ChangeSchema).min(1, 'name at least one change code from the catalog').max(50),
  affected: z.strictObject({
    productIds: z.array(RegistryIdSchema).max(500),
    siteIds: z.array(RegistryIdSchema).max(500),
    supplierIds: z.array(RegistryIdSchema).max(500),
    /** Only applications in these markets; every market when empty. */
    markets: z.array(MarketSchema).max(100),
  }),
});
export type AssessmentDraft = z.infer<typeof AssessmentDraftSchema>;

export const ProposedApplicationSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  productId: RegistryIdSchema,
  market: MarketSchema,
  type: ApplicationTypeSchema,
  number: z.string(),
  /** Why propagation reached it, e.g. "names supplier SUP-POLYMERA". */
  reasons: z.array(z.string().min(1)).min(1),
  recommended: RecommendationSchema,
});
export type ProposedApplication = z.infer<typeof ProposedApplicationSchema>;

export const ProposalSchema = z.strictObject({
  applications: z.array(ProposedApplicationSchema),
  /** Reached, but left out: withdrawn, or in a market not selected. */
  skipped: z.array(z.strictObject({ applicationId: RegistryIdSchema, market: MarketSchema, skippedBecause: z.enum(['withdrawn', 'market-not-selected']) })),
  /** Ids the registry does not know; a draft naming any cannot be saved. */
  unknown: z.array(UnknownRegistryIdSchema),
});
export type Proposal = z.infer<typeof ProposalSchema>;
