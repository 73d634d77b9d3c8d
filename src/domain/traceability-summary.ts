/**
 * What the traceability page does with a graph it already has: narrow it with the page's
 * filters, and count its records by state and by gap for the summary chart (and its table).
 * Pure and browser-safe: the macro's bundle runs the same functions on the data it was sent,
 * and the CSV export runs them on the server, so the chart, the table and the file agree.
 */
import { z } from 'zod';
import { ImpactStatusSchema, RegistryIdSchema } from './model';
import type {
  TraceAnalysis,
  TraceabilityGraph,
  TraceEntryFacts,
  TraceGapCode,
  TraceProduct,
  TraceRecord,
} from './traceability';
import { TraceGapCodeSchema, graphOf } from './traceability';

export const TraceViewFilterSchema = z.strictObject({
  productIds: z.array(RegistryIdSchema).max(500).optional(),
  /** Only records flagged with one of these gaps (on the record or one of its decisions). */
  gapCodes: z.array(TraceGapCodeSchema).max(TraceGapCodeSchema.options.length).optional(),
  onlyWithGaps: z.boolean().optional(),
});
export type TraceViewFilter = z.infer<typeof TraceViewFilterSchema>;

/** Every gap code a record shows, on itself or on one of its decisions. */
export const gapCodesOfRecord = (record: TraceRecord): TraceGapCode[] => [
  ...new Set([...record.gapCodes, ...record.decisions.flatMap((d) => d.gapCodes)]),
];

const issueKeysOf = (records: readonly TraceRecord[]): Set<string> =>
  new Set(
    records.flatMap((r) => [
      r.key,
      ...r.implements.map((c) => c.key),
      ...r.decisions.flatMap((d) => d.submissions.flatMap((s) => [s.key, ...s.commitments.map((c) => c.key)])),
    ]),
  );

/**
 * The graph as the page's filters narrow it. A gap stays when its code is asked for and,
 * once any filter is set, when it concerns an issue still in view (a commitment overdue on a
 * product filtered away goes with the product).
 */
export const narrowTraceability = (graph: TraceabilityGraph, filter: TraceViewFilter): TraceabilityGraph => {
  const keepRecord = (record: TraceRecord): boolean => {
    const codes = gapCodesOfRecord(record);
    if (filter.onlyWithGaps === true && codes.length === 0) return false;
    return filter.gapCodes === undefined || codes.some((code) => filter.gapCodes?.includes(code));
  };
  const products = graph.products
    .filter((p) => filter.productIds === undefined || filter.productIds.includes(p.productId))
    .map((p): TraceProduct => ({ ...p, records: p.records.filter(keepRecord) }));
  const unassignedRecords = filter.productIds === undefined ? graph.unassignedRecords.filter(keepRecord) : [];
  const narrowed = filter.productIds !== undefined || filter.gapCodes !== undefined || filter.onlyWithGaps === true;
  const inView = issueKeysOf([...products.flatMap((p) => p.records), ...unassignedRecords]);
  const gaps = graph.gaps.filter(
    (gap) =>
      (filter.gapCodes === undefined || filter.gapCodes.includes(gap.code)) &&
      (!narrowed || gap.issueKeys.some((key) => inView.has(key))),
  );
  return { ...graph, products, unassignedRecords, gaps };
};

export const TraceSummarySchema = z.strictObject({
  /** Distinct records in view (a record affecting two products counts once). */
  records: z.number().int().nonnegative(),
  byState: z.array(
    z.strictObject({
      state: ImpactStatusSchema,
      records: z.number().int().nonnegative(),
      withGaps: z.number().int().nonnegative(),
    }),
  ),
  byGap: z.array(z.strictObject({ code: TraceGapCodeSchema, gaps: z.number().int().nonnegative() })),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

/** Records by regulatory-impact state (how many of them flagged) and gaps by kind, every state and kind listed. */
export const summarizeTraceability = (graph: TraceabilityGraph): TraceSummary => {
  const records = new Map<string, TraceRecord>();
  for (const record of [...graph.products.flatMap((p) => p.records), ...graph.unassignedRecords]) {
    const seen = records.get(record.key);
    // The same record under two products flags the gaps of each product's decisions.
    records.set(
      record.key,
      seen === undefined ? record : { ...seen, decisions: [...seen.decisions, ...record.decisions] },
    );
  }
  const all = [...records.values()];
  return {
    records: all.length,
    byState: ImpactStatusSchema.options.map((state) => {
      const inState = all.filter((r) => r.impactStatus === state);
      return { state, records: inState.length, withGaps: inState.filter((r) => gapCodesOfRecord(r).length > 0).length };
    }),
    byGap: TraceGapCodeSchema.options.map((code) => ({ code, gaps: graph.gaps.filter((g) => g.code === code).length })),
  };
};

export const GAP_LABELS: Readonly<Record<TraceGapCode, string>> = {
  RECORD_ALTERED: 'Changed outside the app',
  ASSESSMENT_MISSING: 'Missing assessment',
  DECISION_MISSING: 'Decision missing',
  APPLICATION_UNKNOWN: 'Application not in registry',
  SUBMISSION_MISSING: 'Filing required, no Submission',
  EVIDENCE_OPEN: 'Submission waiting on open evidence',
  PRIOR_APPROVAL_PENDING: 'Prior approval pending while implementing',
  COMMITMENT_OVERDUE: 'Commitment overdue',
  LETTER_TO_FILE_ACCUMULATION: 'Letter-to-file decisions accumulating',
};

/** How many product × record entries one page of the macro holds by default, and at most. */
export const TRACE_PAGE_DEFAULT_LIMIT = 200;
export const TRACE_PAGE_MAX_LIMIT = 500;

/** What the page asks for: its filters, and which slice of the matrix. */
export const TracePageRequestSchema = TraceViewFilterSchema.extend({
  offset: z.number().int().min(0).max(1_000_000).optional(),
  limit: z.number().int().min(1).max(TRACE_PAGE_MAX_LIMIT).optional(),
});
export type TracePageRequest = z.infer<typeof TracePageRequestSchema>;

export const TracePageInfoSchema = z.strictObject({
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  /** Product × record entries in the narrowed view (a record under two products is two entries). */
  entries: z.number().int().nonnegative(),
  /** Entries on this page. */
  shown: z.number().int().nonnegative(),
  /** Gaps in the narrowed view; the page carries those about its own issues. */
  gaps: z.number().int().nonnegative(),
});
export type TracePageInfo = z.infer<typeof TracePageInfoSchema>;

/** The summary from entry facts: what summarizeTraceability counts on the traced graph. */
const summaryOfFacts = (facts: readonly TraceEntryFacts[], gaps: TraceabilityGraph['gaps']): TraceSummary => {
  const records = new Map<string, { impactStatus: TraceEntryFacts['impactStatus']; flagged: boolean }>();
  for (const f of facts) {
    const seen = records.get(f.key);
    records.set(f.key, { impactStatus: f.impactStatus, flagged: (seen?.flagged ?? false) || f.gapCodes.length > 0 });
  }
  const all = [...records.values()];
  return {
    records: all.length,
    byState: ImpactStatusSchema.options.map((state) => {
      const inState = all.filter((r) => r.impactStatus === state);
      return { state, records: inState.length, withGaps: inState.filter((r) => r.flagged).length };
    }),
    byGap: TraceGapCodeSchema.options.map((code) => ({ code, gaps: gaps.filter((g) => g.code === code).length })),
  };
};

/**
 * One page of the view straight from the analysis: entries `offset` to `offset + limit` of the
 * view as the page's filters narrow it (the same entries, in the same order, as
 * narrowTraceability of the whole graph), the gaps that go with them, and the summary of the
 * whole narrowed view (as summarizeTraceability counts it). Only the page's entries are traced
 * into TraceRecords; the rest of the view is worked out from each entry's facts, which is
 * what keeps a page of a 10,000-record view cheap and its answer small (Forge's 5 MB).
 */
export const traceabilityPage = (
  analysis: TraceAnalysis,
  filter: TraceViewFilter,
  offset: number,
  limit: number,
): { graph: TraceabilityGraph; page: TracePageInfo; summary: TraceSummary } => {
  const productPasses = (productId: string | undefined): boolean =>
    filter.productIds === undefined ? true : productId !== undefined && filter.productIds.includes(productId);
  const kept = analysis.entries
    .filter((entry) => productPasses(entry.product?.id))
    .map((entry) => ({ entry, facts: analysis.facts(entry) }))
    .filter(({ facts }) => {
      if (filter.onlyWithGaps === true && facts.gapCodes.length === 0) return false;
      return filter.gapCodes === undefined || facts.gapCodes.some((code) => filter.gapCodes?.includes(code));
    });
  const narrowed = filter.productIds !== undefined || filter.gapCodes !== undefined || filter.onlyWithGaps === true;
  const inView = new Set(kept.flatMap(({ facts }) => facts.issueKeys));
  const gaps = analysis.gaps.filter(
    (gap) =>
      (filter.gapCodes === undefined || filter.gapCodes.includes(gap.code)) &&
      (!narrowed || gap.issueKeys.some((key) => inView.has(key))),
  );
  const onPage = kept.slice(offset, offset + limit);
  const pageKeys = new Set(onPage.flatMap(({ facts }) => facts.issueKeys));
  const traced = onPage.map(({ entry }) => ({ entry, record: analysis.trace(entry) }));
  // A gap goes with the page of the issues it is about; one about no issue in the matrix (an
  // overdue Commitment no record in view implements) goes on the first page, so each is shown once.
  const onThisPage = (gap: TraceabilityGraph['gaps'][number]): boolean =>
    gap.issueKeys.some((key) => pageKeys.has(key)) || (offset === 0 && !gap.issueKeys.some((key) => inView.has(key)));
  const graph = graphOf(analysis, traced, gaps.filter(onThisPage), { dropEmptyProducts: true });
  return {
    graph,
    page: { offset, limit, entries: kept.length, shown: onPage.length, gaps: gaps.length },
    summary: summaryOfFacts(
      kept.map(({ facts }) => facts),
      gaps,
    ),
  };
};
