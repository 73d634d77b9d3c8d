/**
 * What the traceability page does with a graph it already has: narrow it with the page's
 * filters, and count its records by state and by gap for the summary chart (and its table).
 * Pure and browser-safe: the macro's bundle runs the same functions on the data it was sent,
 * and the CSV export runs them on the server, so the chart, the table and the file agree.
 */
import { z } from 'zod';
import { ImpactStatusSchema, RegistryIdSchema } from './model';
import type { TraceabilityGraph, TraceGapCode, TraceProduct, TraceRecord } from './traceability';
import { TraceGapCodeSchema } from './traceability';

export const TraceViewFilterSchema = z.strictObject({
  productIds: z.array(RegistryIdSchema).max(500).optional(),
  /** Only records flagged with one of these gaps (on the record or one of its decisions). */
  gapCodes: z.array(TraceGapCodeSchema).max(TraceGapCodeSchema.options.length).optional(),
  onlyWithGaps: z.boolean().optional(),
});
export type TraceViewFilter = z.infer<typeof TraceViewFilterSchema>;

/** Every gap code a record shows, on itself or on one of its decisions. */
export const gapCodesOfRecord = (record: TraceRecord): TraceGapCode[] => [...new Set([...record.gapCodes, ...record.decisions.flatMap((d) => d.gapCodes)])];

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
    (gap) => (filter.gapCodes === undefined || filter.gapCodes.includes(gap.code)) && (!narrowed || gap.issueKeys.some((key) => inView.has(key))),
  );
  return { ...graph, products, unassignedRecords, gaps };
};

export const TraceSummarySchema = z.strictObject({
  /** Distinct records in view (a record affecting two products counts once). */
  records: z.number().int().nonnegative(),
  byState: z.array(z.strictObject({ state: ImpactStatusSchema, records: z.number().int().nonnegative(), withGaps: z.number().int().nonnegative() })),
  byGap: z.array(z.strictObject({ code: TraceGapCodeSchema, gaps: z.number().int().nonnegative() })),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

/** Records by regulatory-impact state (how many of them flagged) and gaps by kind, every state and kind listed. */
export const summarizeTraceability = (graph: TraceabilityGraph): TraceSummary => {
  const records = new Map<string, TraceRecord>();
  for (const record of [...graph.products.flatMap((p) => p.records), ...graph.unassignedRecords]) {
    const seen = records.get(record.key);
    // The same record under two products flags the gaps of each product's decisions.
    records.set(record.key, seen === undefined ? record : { ...seen, decisions: [...seen.decisions, ...record.decisions] });
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
  ASSESSMENT_MISSING: 'Missing assessment',
  DECISION_MISSING: 'Decision missing',
  APPLICATION_UNKNOWN: 'Application not in registry',
  SUBMISSION_MISSING: 'Filing required, no Submission',
  EVIDENCE_OPEN: 'Submission waiting on open evidence',
  PRIOR_APPROVAL_PENDING: 'Prior approval pending while implementing',
  COMMITMENT_OVERDUE: 'Commitment overdue',
  LETTER_TO_FILE_ACCUMULATION: 'Letter-to-file decisions accumulating',
};
