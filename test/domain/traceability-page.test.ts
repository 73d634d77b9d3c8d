/**
 * One page of the traceability view, built from the analysis without tracing the whole view,
 * must be exactly what narrowing and slicing the whole graph gives: the same entries in the same
 * order, the summary of the whole narrowed view, and every gap of the narrowed view on a page:
 * each page with the issues it is about (a record under two products may show on two pages, and
 * its gaps with it), or the first page when it is about none of them.
 */
import { analyzeTraceability, buildTraceability } from '../../src/domain/traceability';
import type { TraceabilityGraph, TraceabilityInput, TraceGap } from '../../src/domain/traceability';
import { narrowTraceability, summarizeTraceability, traceabilityPage } from '../../src/domain/traceability-summary';
import type { TraceViewFilter } from '../../src/domain/traceability-summary';
import { aCapa, aChangeControl, aCommitment, aComplaint, aRegistry, aSubmission } from '../builders';

const registry = aRegistry()
  .withProduct('PRD-TAB', { name: 'Tablet', productClass: 'drug' })
  .withProduct('PRD-PUMP', { name: 'Pump', productClass: 'device' })
  .withApplication('APP-TAB-US', { productId: 'PRD-TAB', market: 'US', type: 'NDA' })
  .withApplication('APP-TAB-EU', { productId: 'PRD-TAB', market: 'EU', type: 'MAA' })
  .withApplication('APP-PUMP-US', { productId: 'PRD-PUMP', market: 'US', type: '510K' })
  .build();

/** 40 records of mixed states: filed or not, some under both products, some not assessed; Submissions waiting; an orphan overdue Commitment. */
const input = (): TraceabilityInput => {
  const records = Array.from({ length: 40 }, (_, i) => {
    const key = `QMS-${i + 1}`;
    if (i % 5 === 0) return aComplaint(key).build();
    const both = i % 3 === 0;
    const record = (i % 2 === 0 ? aChangeControl(key) : aCapa(key))
      .withChange('process.other')
      .affecting({ productIds: both ? ['PRD-TAB', 'PRD-PUMP'] : [i % 4 === 0 ? 'PRD-PUMP' : 'PRD-TAB'] })
      .filingRequired(
        ...(i % 4 === 0
          ? [
              {
                applicationId: 'APP-PUMP-US',
                market: 'US',
                decided: 'NEW-510K' as const,
                ...(i % 8 === 0 ? { submissionKey: `RIM-${i}` } : {}),
              },
            ]
          : []),
        ...(i % 4 !== 0 || both
          ? [
              {
                applicationId: 'APP-TAB-US',
                market: 'US',
                decided: 'CBE-30' as const,
                ...(i % 3 === 1 ? { submissionKey: `RIM-${i}` } : {}),
              },
            ]
          : []),
      );
    return (i % 7 === 0 ? record.closedAndApproved() : record).build();
  });
  const submissions = records
    .flatMap((r) => r.impact.decisions.filter((d) => d.submissionKey !== undefined).map((d) => ({ r, d })))
    .map(({ r, d }) =>
      aSubmission(d.submissionKey ?? 'RIM-0')
        .forApplication(d.applicationId, {
          productId: d.applicationId === 'APP-PUMP-US' ? 'PRD-PUMP' : 'PRD-TAB',
          market: d.market,
        })
        .category(d.decided?.category ?? 'CBE-30')
        .filingFor(r.key)
        .build(),
    );
  const commitments = [
    aCommitment('RIM-900').forApplication('APP-TAB-US', 'US').dueOn('2026-01-31').implementedBy('QMS-2').build(),
    // Implemented by no record in view: its overdue gap is about no entry of the matrix.
    aCommitment('RIM-901').forApplication('APP-TAB-EU', 'EU').dueOn('2026-02-01').build(),
  ];
  return { registry, records, submissions, commitments, today: '2026-03-01', options: { letterToFileThreshold: 2 } };
};

const entriesOf = (graph: TraceabilityGraph): string[] => [
  ...graph.products.flatMap((p) => p.records.map((r) => `${p.productId}/${r.key}`)),
  ...graph.unassignedRecords.map((r) => `-/${r.key}`),
];
/** Every issue a page shows: its records, their Submissions and Commitments. */
const issueKeysShown = (graph: TraceabilityGraph): Set<string> =>
  new Set(
    [...graph.products.flatMap((p) => p.records), ...graph.unassignedRecords].flatMap((r) => [
      r.key,
      ...r.implements.map((c) => c.key),
      ...r.decisions.flatMap((d) => d.submissions.flatMap((s) => [s.key, ...s.commitments.map((c) => c.key)])),
    ]),
  );
const gapId = (gap: TraceGap): string => `${gap.code}:${gap.issueKeys.join(',')}:${gap.applicationId ?? ''}`;

const FILTERS: TraceViewFilter[] = [
  {},
  { productIds: ['PRD-PUMP'] },
  { onlyWithGaps: true },
  { gapCodes: ['SUBMISSION_MISSING', 'COMMITMENT_OVERDUE'] },
  { productIds: ['PRD-TAB'], gapCodes: ['EVIDENCE_OPEN'] },
];

describe.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))(
  'traceabilityPage with filter %s',
  (_name, filter) => {
    const whole = narrowTraceability(buildTraceability(input()), filter);
    const analysis = analyzeTraceability(input());

    it.each([3, 7, 100])(
      'walks the view %i entries at a time: the same entries, the whole summary, every gap shown',
      (limit) => {
        const entries: string[] = [];
        const gaps: string[] = [];
        const total = entriesOf(whole).length;
        for (let offset = 0; offset < Math.max(total, 1); offset += limit) {
          const { graph, page, summary } = traceabilityPage(analysis, filter, offset, limit);
          expect(page).toEqual({
            offset,
            limit,
            entries: total,
            shown: Math.min(limit, total - offset),
            gaps: whole.gaps.length,
          });
          expect(summary).toEqual(summarizeTraceability(whole));
          entries.push(...entriesOf(graph));
          gaps.push(...graph.gaps.map(gapId));
          // Only gaps about the page's issues, or (first page) about no issue in the matrix.
          const pageKeys = issueKeysShown(graph);
          for (const gap of graph.gaps)
            expect({ gap: gapId(gap), shown: offset === 0 || gap.issueKeys.some((k) => pageKeys.has(k)) }).toEqual({
              gap: gapId(gap),
              shown: true,
            });
          // Each traced record is the one the whole graph holds.
          for (const product of graph.products) {
            const same = whole.products.find((p) => p.productId === product.productId);
            for (const record of product.records)
              expect(record).toEqual(same?.records.find((r) => r.key === record.key));
          }
        }
        expect(entries).toEqual(entriesOf(whole));
        expect([...new Set(gaps)].sort()).toEqual([...new Set(whole.gaps.map(gapId))].sort());
      },
    );
  },
);

it('puts a gap about no issue in the matrix (an orphan overdue Commitment) on the first page', () => {
  const analysis = analyzeTraceability(input());
  const first = traceabilityPage(analysis, {}, 0, 3).graph.gaps.map(gapId);
  const second = traceabilityPage(analysis, {}, 3, 3).graph.gaps.map(gapId);
  expect(first).toContain('COMMITMENT_OVERDUE:RIM-901:APP-TAB-EU');
  expect(second).not.toContain('COMMITMENT_OVERDUE:RIM-901:APP-TAB-EU');
});
