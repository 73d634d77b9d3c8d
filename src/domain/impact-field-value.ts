/**
 * The value the app stores for a record's regulatory impact, in the "Regulatory impact"
 * custom field and in its mirror, the issue entity property `qmsrim.impact`: the
 * assessment itself plus a few values derived from it for search and display.
 *
 * The derived values sit at the top level of the object, because Jira documents search
 * aliases of an object field (and we index entity property paths) on top-level properties;
 * they are recomputed from the assessment on every write and ignored on read, so they can
 * never be the source of a decision.
 */
import { z } from 'zod';
import { IN_HOUSE_CATEGORIES } from './categories';
import { FilingCategorySchema, MarketSchema, RegistryIdSchema, RegulatoryImpactSchema } from './model';
import type { RegulatoryImpact } from './model';

/**
 * `yes` when the assessment says filing required, or as soon as any reviewer's decision
 * needs a filing while others are still open; a recommendation alone never counts.
 */
export const FilingRequiredSchema = z.enum(['yes', 'no']);
export type FilingRequired = z.infer<typeof FilingRequiredSchema>;

export const ImpactSearchValuesSchema = z.strictObject({
  filingRequired: FilingRequiredSchema,
  /** Markets in which a decided category needs a filing. */
  filingMarkets: z.array(MarketSchema).max(100),
  /** The affected markets, products and applications, flat for search. */
  markets: z.array(MarketSchema).max(100),
  productIds: z.array(RegistryIdSchema).max(500),
  applicationIds: z.array(RegistryIdSchema).max(1000),
  /** Every category a reviewer decided, once each. */
  categories: z.array(FilingCategorySchema).max(100),
  /** One line per market with decisions, e.g. `EU: EU-IB, EU-IA`; what the field's formatter shows. */
  decidedByMarket: z.array(z.string().min(1).max(2000)).max(100),
});
export type ImpactSearchValues = z.infer<typeof ImpactSearchValuesSchema>;

export const ImpactFieldValueSchema = RegulatoryImpactSchema.extend(ImpactSearchValuesSchema.shape);
export type ImpactFieldValue = z.infer<typeof ImpactFieldValueSchema>;

const sortedUnique = <T extends string>(items: readonly T[]): T[] => [...new Set(items)].sort();

export const deriveSearchValues = (impact: RegulatoryImpact): ImpactSearchValues => {
  const decided = impact.decisions.flatMap((d) =>
    d.decided ? [{ market: d.market, category: d.decided.category }] : [],
  );
  const needingFiling = decided.filter((d) => !IN_HOUSE_CATEGORIES.has(d.category));
  const byMarket = new Map<string, string[]>();
  for (const { market, category } of decided) {
    const categories = byMarket.get(market) ?? [];
    if (!categories.includes(category)) categories.push(category);
    byMarket.set(market, categories);
  }
  return {
    filingRequired: impact.status === 'filing-required' || needingFiling.length > 0 ? 'yes' : 'no',
    filingMarkets: sortedUnique(needingFiling.map((d) => d.market)),
    markets: sortedUnique(impact.affected.markets),
    productIds: sortedUnique(impact.affected.productIds),
    applicationIds: sortedUnique(impact.affected.applicationIds),
    categories: sortedUnique(decided.map((d) => d.category)),
    decidedByMarket: [...byMarket.keys()]
      .sort()
      .map((market) => `${market}: ${(byMarket.get(market) ?? []).join(', ')}`),
  };
};

/**
 * The assessment as Jira may hold it: without the Submission keys of its decisions. Anyone who
 * may browse the QMS record can read its property and field, including people who may not
 * browse RIM; which Submission files a decision stays in app storage (the signed record).
 */
export const withoutSubmissionKeys = (impact: RegulatoryImpact): RegulatoryImpact => ({
  ...impact,
  decisions: impact.decisions.map(({ submissionKey: _key, ...decision }) => decision),
});

/** The stored value for an assessment in Jira: the assessment, validated, without Submission keys, with its derived values. */
export const toImpactFieldValue = (impact: RegulatoryImpact): ImpactFieldValue => {
  const assessment = withoutSubmissionKeys(RegulatoryImpactSchema.parse(impact));
  return ImpactFieldValueSchema.parse({ ...assessment, ...deriveSearchValues(assessment) });
};

/**
 * What the app reads back: a stored value, or a bare assessment written before the derived
 * values existed. Either way the derived values are dropped; the assessment is the record.
 */
export const StoredImpactSchema = z
  .union([ImpactFieldValueSchema, RegulatoryImpactSchema])
  .transform(({ status, changes, affected, decisions, version, assessedBy }): RegulatoryImpact => ({
    status,
    changes,
    affected,
    decisions,
    version,
    ...(assessedBy ? { assessedBy } : {}),
  }));
