import { aChangeControl, aCommitment, aRegistry, aSubmission } from '../builders';
import { buildTraceability } from '../../src/domain/traceability';
import { indexEntryOf, visibleTraceabilitySources } from '../../src/domain/traceability-index';
import type { TraceIndexEntry } from '../../src/domain/traceability-index';
import { indexDifferences } from '../../src/domain/traceability-index-check';
import { narrowTraceability, summarizeTraceability } from '../../src/domain/traceability-summary';

const record = aChangeControl('QMS-1')
  .created('2026-03-01T09:00:00.000Z')
  .affecting({ productIds: ['PRD-1'], applicationIds: ['APP-1'] })
  .filingRequired({ applicationId: 'APP-1', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' })
  .build();
const submission = aSubmission('RIM-1')
  .forApplication('APP-1', { productId: 'PRD-1', market: 'US' })
  .category('PAS')
  .status('in-preparation')
  .filingFor('QMS-1')
  .build();
const commitment = aCommitment('RIM-2')
  .forApplication('APP-1')
  .forSubmission('RIM-1')
  .implementedBy('QMS-1')
  .dueOn('2026-01-31')
  .build();

const entries: TraceIndexEntry[] = [
  indexEntryOf('10001', { role: 'record', record }, record.createdAt),
  indexEntryOf('10002', { role: 'submission', submission }, '2026-03-02T09:00:00.000Z'),
  indexEntryOf('10003', { role: 'commitment', commitment }, '2026-03-03T09:00:00.000Z'),
];
const registry = aRegistry()
  .withProduct('PRD-1')
  .withApplication('APP-1', { productId: 'PRD-1', market: 'US', type: 'NDA' })
  .build();
const graphOf = (visible: string[]) =>
  buildTraceability({
    registry,
    ...visibleTraceabilitySources(entries, new Set(visible)),
    today: '2026-06-01',
    options: { letterToFileThreshold: 3 },
  });

describe('visibleTraceabilitySources', () => {
  it('keeps every entry and reference the viewer may see', () => {
    const sources = visibleTraceabilitySources(entries, new Set(['10001', '10002', '10003']));
    expect(sources.records[0]?.impact.decisions[0]?.submissionKey).toBe('RIM-1');
    expect(sources.submissions[0]?.recordKeys).toEqual(['QMS-1']);
    expect(sources.commitments[0]).toMatchObject({ submissionKey: 'RIM-1', implementedBy: ['QMS-1'] });
  });

  it('drops hidden issues and every reference to them, so the graph is the one of a site without them', () => {
    const onlyRecord = visibleTraceabilitySources(entries, new Set(['10001']));
    expect(onlyRecord.submissions).toEqual([]);
    expect(onlyRecord.commitments).toEqual([]);
    expect(onlyRecord.records[0]?.impact.decisions[0]).not.toHaveProperty('submissionKey');
    const hiddenRecord = visibleTraceabilitySources(entries, new Set(['10002', '10003']));
    expect(hiddenRecord.submissions[0]?.recordKeys).toEqual([]);
    expect(hiddenRecord.commitments[0]?.implementedBy).toEqual([]);
    expect(JSON.stringify(graphOf(['10001']))).not.toMatch(/RIM-/);
    // The same graph as if RIM-1 and RIM-2 were never indexed.
    expect(graphOf(['10001'])).toEqual(
      buildTraceability({
        registry,
        ...visibleTraceabilitySources(entries.slice(0, 1), new Set(['10001'])),
        today: '2026-06-01',
        options: { letterToFileThreshold: 3 },
      }),
    );
  });
});

describe('indexDifferences', () => {
  it('names missing, stale and extra entries by key, and nothing when the two agree', () => {
    const [a, b, c] = entries;
    if (!a || !b || !c) throw new Error('fixture');
    expect(indexDifferences(entries, entries)).toEqual({ missing: [], stale: [], extra: [] });
    const staleB = indexEntryOf(
      '10002',
      { role: 'submission', submission: { ...submission, status: 'submitted' } },
      b.createdAt,
    );
    const extra = indexEntryOf('10009', { role: 'record', record: { ...record, key: 'QMS-9' } }, record.createdAt);
    expect(
      indexDifferences(
        [a, b, c],
        [b, extra].map((e, i) => (i === 0 ? staleB : e)),
      ),
    ).toEqual({ missing: ['QMS-1', 'RIM-2'], stale: ['RIM-1'], extra: ['QMS-9'] });
  });
});

describe('narrowTraceability and summarizeTraceability', () => {
  it('counts records by state and gaps by kind, and the filters narrow both', () => {
    const graph = graphOf(['10001', '10002', '10003']);
    const summary = summarizeTraceability(graph);
    expect(summary.records).toBe(1);
    expect(summary.byState.find((s) => s.state === 'filing-required')).toEqual({
      state: 'filing-required',
      records: 1,
      withGaps: 1,
    });
    expect(summary.byGap.find((g) => g.code === 'COMMITMENT_OVERDUE')?.gaps).toBe(1);
    expect(summary.byGap.find((g) => g.code === 'EVIDENCE_OPEN')?.gaps).toBe(1);
    const onlyOverdue = narrowTraceability(graph, { gapCodes: ['COMMITMENT_OVERDUE'] });
    expect(onlyOverdue.gaps.map((g) => g.code)).toEqual(['COMMITMENT_OVERDUE']);
    expect(summarizeTraceability(narrowTraceability(graph, { productIds: ['PRD-OTHER'] }))).toMatchObject({
      records: 0,
      byGap: expect.arrayContaining([{ code: 'COMMITMENT_OVERDUE', gaps: 0 }]),
    });
  });
});
