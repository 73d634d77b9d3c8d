/**
 * Impact propagation through the registry: a changed supplier, site or product reaches every
 * application that names it, and so every product and market affected.
 */
import { z } from 'zod';
import { ApplicationStatusSchema, ApplicationTypeSchema, MarketSchema, RegistryIdSchema } from './model';
import type { Affected, Application, Registry } from './model';

export const ImpactSourceSchema = z.strictObject({
  supplierIds: z.array(RegistryIdSchema).max(500).default([]),
  siteIds: z.array(RegistryIdSchema).max(500).default([]),
  productIds: z.array(RegistryIdSchema).max(500).default([]),
  /** Only applications in these markets; all markets when absent. */
  markets: z.array(MarketSchema).max(100).optional(),
});
export type ImpactSource = z.infer<typeof ImpactSourceSchema>;
export type ImpactSourceInput = z.input<typeof ImpactSourceSchema>;

const RegistryEntityKindSchema = z.enum(['supplier', 'site', 'product']);

export const PropagationReasonSchema = z.strictObject({
  via: RegistryEntityKindSchema,
  id: RegistryIdSchema,
  /** e.g. "names supplier SUP-ACME" or "is an application of product PRD-X". */
  text: z.string().min(1),
});
export type PropagationReason = z.infer<typeof PropagationReasonSchema>;

export const AffectedApplicationSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  productId: RegistryIdSchema,
  market: MarketSchema,
  type: ApplicationTypeSchema,
  number: z.string(),
  status: ApplicationStatusSchema,
  reasons: z.array(PropagationReasonSchema).min(1),
});
export type AffectedApplication = z.infer<typeof AffectedApplicationSchema>;

export const SkippedApplicationSchema = AffectedApplicationSchema.extend({
  skippedBecause: z.enum(['withdrawn', 'market-not-selected']),
});
export type SkippedApplication = z.infer<typeof SkippedApplicationSchema>;

export const UnknownRegistryIdSchema = z.strictObject({ kind: RegistryEntityKindSchema, id: RegistryIdSchema });
export type UnknownRegistryId = z.infer<typeof UnknownRegistryIdSchema>;

export const PropagationSchema = z.strictObject({
  applications: z.array(AffectedApplicationSchema),
  productIds: z.array(RegistryIdSchema),
  markets: z.array(MarketSchema),
  /** Ids the registry does not know: a typo or a stale id, never silently dropped. */
  unknown: z.array(UnknownRegistryIdSchema),
  skipped: z.array(SkippedApplicationSchema),
});
export type Propagation = z.infer<typeof PropagationSchema>;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (items: readonly string[]): string[] => [...new Set(items)].sort(byText);

const reasonsFor = (application: Application, source: ImpactSource): PropagationReason[] => [
  ...sortedUnique(source.supplierIds)
    .filter((id) => application.supplierIds.includes(id))
    .map((id): PropagationReason => ({ via: 'supplier', id, text: `names supplier ${id}` })),
  ...sortedUnique(source.siteIds)
    .filter((id) => application.siteIds.includes(id))
    .map((id): PropagationReason => ({ via: 'site', id, text: `names site ${id}` })),
  ...(source.productIds.includes(application.productId)
    ? [
        {
          via: 'product',
          id: application.productId,
          text: `is an application of product ${application.productId}`,
        } satisfies PropagationReason,
      ]
    : []),
];

const unknownIds = (registry: Registry, source: ImpactSource): UnknownRegistryId[] => {
  const known = (entities: readonly { id: string }[]) => new Set(entities.map((e) => e.id));
  const check = (kind: UnknownRegistryId['kind'], ids: readonly string[], knownIds: ReadonlySet<string>) =>
    sortedUnique(ids)
      .filter((id) => !knownIds.has(id))
      .map((id) => ({ kind, id }));
  return [
    ...check('supplier', source.supplierIds, known(registry.suppliers)),
    ...check('site', source.siteIds, known(registry.sites)),
    ...check('product', source.productIds, known(registry.products)),
  ];
};

const byProductMarketId = (a: AffectedApplication, b: AffectedApplication): number =>
  byText(a.productId, b.productId) || byText(a.market, b.market) || byText(a.applicationId, b.applicationId);

/** Every application the changed suppliers, sites and products reach, ordered by product, market and id. */
export const propagateImpact = (registry: Registry, sourceInput: ImpactSourceInput): Propagation => {
  const source = ImpactSourceSchema.parse(sourceInput);
  const applications: AffectedApplication[] = [];
  const skipped: SkippedApplication[] = [];
  for (const application of registry.applications) {
    const reasons = reasonsFor(application, source);
    if (reasons.length === 0) continue;
    const affected: AffectedApplication = {
      applicationId: application.id,
      productId: application.productId,
      market: application.market,
      type: application.type,
      number: application.number,
      status: application.status,
      reasons,
    };
    if (application.status === 'withdrawn') skipped.push({ ...affected, skippedBecause: 'withdrawn' });
    else if (source.markets !== undefined && !source.markets.includes(application.market))
      skipped.push({ ...affected, skippedBecause: 'market-not-selected' });
    else applications.push(affected);
  }
  applications.sort(byProductMarketId);
  skipped.sort(byProductMarketId);
  return {
    applications,
    productIds: sortedUnique(applications.map((a) => a.productId)),
    markets: sortedUnique(applications.map((a) => a.market)),
    unknown: unknownIds(registry, source),
    skipped,
  };
};

/** The `affected` part of a regulatory impact, from what was changed and where it propagated. */
export const affectedFrom = (sourceInput: ImpactSourceInput, propagation: Propagation): Affected => {
  const source = ImpactSourceSchema.parse(sourceInput);
  const unknown = new Set(propagation.unknown.map((u) => `${u.kind}:${u.id}`));
  const knownOf = (kind: UnknownRegistryId['kind'], ids: readonly string[]) =>
    sortedUnique(ids).filter((id) => !unknown.has(`${kind}:${id}`));
  return {
    productIds: propagation.productIds,
    siteIds: knownOf('site', source.siteIds),
    supplierIds: knownOf('supplier', source.supplierIds),
    markets: propagation.markets,
    applicationIds: propagation.applications.map((a) => a.applicationId),
  };
};
