/**
 * What an assessment draft proposes before anyone saves it: every application the changed
 * suppliers, sites and products reach through the registry (propagation), each with the
 * filing category the rules recommend for the changes and the citations behind it. The panel
 * shows this as the "propose" step; saving stores exactly this proposal.
 */
import type { Affected, Registry } from './model';
import { affectedFrom, propagateImpact } from './propagation';
import type { AssessmentDraft, Proposal, ProposedApplication } from './propose-assessment.schema';
import { recommendForApplication } from './recommend';

export const proposeAssessment = (
  registry: Registry,
  draft: AssessmentDraft,
): { proposal: Proposal; affected: Affected } => {
  const source = {
    supplierIds: draft.affected.supplierIds,
    siteIds: draft.affected.siteIds,
    productIds: draft.affected.productIds,
    ...(draft.affected.markets.length > 0 ? { markets: draft.affected.markets } : {}),
  };
  const propagation = propagateImpact(registry, source);
  const applications = propagation.applications.flatMap((affected): ProposedApplication[] => {
    const application = registry.applications.find((a) => a.id === affected.applicationId);
    if (!application) return [];
    const result = recommendForApplication(draft.changes, {
      id: application.id,
      market: application.market,
      type: application.type,
      ...(application.deviceClass ? { deviceClass: application.deviceClass } : {}),
    });
    return [
      {
        applicationId: application.id,
        productId: application.productId,
        market: application.market,
        type: application.type,
        number: application.number,
        reasons: affected.reasons.map((r) => r.text),
        recommended: { category: result.category, citations: result.citations, rationale: result.rationale },
      },
    ];
  });
  return {
    proposal: {
      applications,
      skipped: propagation.skipped.map((s) => ({
        applicationId: s.applicationId,
        market: s.market,
        skippedBecause: s.skippedBecause,
      })),
      unknown: propagation.unknown,
    },
    affected: affectedFrom(source, propagation),
  };
};
