/**
 * The traceability index: one entry per Jira issue the traceability view needs (QMS records,
 * Submissions, Commitments), holding the domain value the app derived from that issue, so
 * the macro can answer without reading every issue from Jira.
 *
 * Pure: what the entry of an issue is comes from src/adapters/jira/issue-mapping.ts; this
 * module says what the index holds, what a viewer may be shown from it, and how two indexes
 * differ. Browser-safe (zod only), so the contract can name these shapes.
 */
import { z } from 'zod';
import { CommitmentSchema, IssueKeySchema, QmsRecordKindSchema, QmsRecordSchema, SubmissionSchema } from './model';
import type { Commitment, QmsRecord, Submission } from './model';

export const TraceIndexKindSchema = z.enum([...QmsRecordKindSchema.options, 'submission', 'commitment']);
export type TraceIndexKind = z.infer<typeof TraceIndexKindSchema>;

export const IndexedItemSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('record'), record: QmsRecordSchema }),
  z.strictObject({ role: z.literal('submission'), submission: SubmissionSchema }),
  z.strictObject({ role: z.literal('commitment'), commitment: CommitmentSchema }),
]);
export type IndexedItem = z.infer<typeof IndexedItemSchema>;

/** Jira issue ids are decimal strings; the index is keyed by them because keys change when an issue moves. */
export const IssueIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a Jira issue id');

export const TraceIndexEntrySchema = z.strictObject({
  issueId: IssueIdSchema,
  issueKey: IssueKeySchema,
  kind: TraceIndexKindSchema,
  /** When the issue was created (ISO 8601, UTC): the date range of the view queries on it. */
  createdAt: z.string(),
  item: IndexedItemSchema,
});
export type TraceIndexEntry = z.infer<typeof TraceIndexEntrySchema>;

export const kindOfItem = (item: IndexedItem): TraceIndexKind =>
  item.role === 'record' ? item.record.kind : item.role;

const keyOfItem = (item: IndexedItem): string =>
  item.role === 'record' ? item.record.key : item.role === 'submission' ? item.submission.key : item.commitment.key;

/** The entry for one issue's domain value. */
export const indexEntryOf = (issueId: string, item: IndexedItem, createdAt: string | undefined): TraceIndexEntry =>
  TraceIndexEntrySchema.parse({
    issueId,
    issueKey: keyOfItem(item),
    kind: kindOfItem(item),
    createdAt: createdAt ?? '',
    item,
  });

export interface TraceabilitySources {
  records: QmsRecord[];
  submissions: Submission[];
  commitments: Commitment[];
}

/**
 * What a viewer may be shown: only the entries of issues they may browse, and in those, no
 * reference to an issue they may not (a decision's Submission, a Submission's records, a
 * Commitment's Submission and records). An issue Jira hides from the viewer then leaves no
 * trace, not even a count: the result is exactly what the index would give if the hidden
 * issues did not exist. `visibleIssueIds` is what Jira's search, run as the viewer, answered.
 */
export const visibleTraceabilitySources = (
  entries: readonly TraceIndexEntry[],
  visibleIssueIds: ReadonlySet<string>,
): TraceabilitySources => {
  const visible = entries.filter((entry) => visibleIssueIds.has(entry.issueId));
  const shown = new Set(visible.map((entry) => entry.issueKey));
  const hidden = (key: string | undefined): boolean => key !== undefined && !shown.has(key);
  const sources: TraceabilitySources = { records: [], submissions: [], commitments: [] };
  // Each value is copied only where it names an issue the viewer may not see (usually none), so
  // a view of thousands of records does not copy them all.
  for (const { item } of visible) {
    if (item.role === 'record') {
      const { record } = item;
      if (!record.impact.decisions.some((d) => hidden(d.submissionKey))) {
        sources.records.push(record);
        continue;
      }
      sources.records.push({
        ...record,
        impact: {
          ...record.impact,
          decisions: record.impact.decisions.map(({ submissionKey, ...decision }) =>
            submissionKey !== undefined && shown.has(submissionKey) ? { ...decision, submissionKey } : decision,
          ),
        },
      });
    } else if (item.role === 'submission') {
      const { submission } = item;
      sources.submissions.push(
        submission.recordKeys.some(hidden)
          ? { ...submission, recordKeys: submission.recordKeys.filter((key) => shown.has(key)) }
          : submission,
      );
    } else {
      const { commitment } = item;
      if (!hidden(commitment.submissionKey) && !commitment.implementedBy.some(hidden)) {
        sources.commitments.push(commitment);
        continue;
      }
      const { submissionKey, ...rest } = commitment;
      sources.commitments.push({
        ...rest,
        ...(submissionKey !== undefined && shown.has(submissionKey) ? { submissionKey } : {}),
        implementedBy: rest.implementedBy.filter((key) => shown.has(key)),
      });
    }
  }
  return sources;
};

export const IndexDifferencesSchema = z.strictObject({
  /** Issues Jira has that the index lacks. */
  missing: z.array(IssueKeySchema),
  /** Issues whose entry differs from what Jira says now. */
  stale: z.array(IssueKeySchema),
  /** Entries of issues Jira no longer has (or that are no longer traceability data). */
  extra: z.array(IssueKeySchema),
});
export type IndexDifferences = z.infer<typeof IndexDifferencesSchema>;
