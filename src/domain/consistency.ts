/**
 * What the app's triggers decide, as pure functions: which Submission categories follow a
 * changed impact decision, how a QMS record's approvals map changes when a Submission is
 * approved, and whether a Commitment is overdue on a given day. The entries read Jira and
 * the clock and pass the values in; nothing here does I/O.
 */
import { z } from 'zod';
import type { FilingCategory, RegulatoryImpact } from './model';
import { DateSchema, InstantSchema, IssueKeySchema, MarketSchema } from './model';

/** Entity property on a QMS record: the health-authority approval per market. */
export const ApprovalsSchema = z.record(
  MarketSchema,
  z.strictObject({ submissionKey: IssueKeySchema, approvedAt: InstantSchema }),
);
export type Approvals = z.infer<typeof ApprovalsSchema>;

/** Entity property on a Commitment past its due date. */
export const OverdueSchema = z.strictObject({ overdue: z.literal(true), since: DateSchema });
export type Overdue = z.infer<typeof OverdueSchema>;

export interface LinkedSubmissionCategory {
  key: string;
  applicationId: string;
  market: string;
  category: FilingCategory;
}

/**
 * The category each linked Submission should show: the reviewer's decided category for its
 * application (a decision naming the Submission by key wins over one that only matches the
 * application and market). Only Submissions whose category differs are returned; a missing
 * decision, or one still REVIEW-REQUIRED, changes nothing.
 */
export const submissionCategoryUpdates = (
  impact: RegulatoryImpact,
  submissions: readonly LinkedSubmissionCategory[],
): Array<{ key: string; category: FilingCategory }> =>
  submissions.flatMap((submission) => {
    const decision =
      impact.decisions.find((d) => d.submissionKey === submission.key) ??
      impact.decisions.find(
        (d) =>
          d.submissionKey === undefined &&
          d.applicationId === submission.applicationId &&
          d.market === submission.market,
      );
    // A reviewer's decision cannot be REVIEW-REQUIRED (ReviewerDecisionSchema excludes it), so
    // an undecided or still-open application has no `decided` and changes nothing.
    const decided: FilingCategory | undefined = decision?.decided?.category;
    if (decided === undefined || decided === submission.category) return [];
    return [{ key: submission.key, category: decided }];
  });

/** The approvals map with this market's approval; undefined when it already shows exactly that. */
export const withApproval = (
  current: Approvals,
  market: string,
  submissionKey: string,
  approvedAt: string,
): Approvals | undefined => {
  const existing = current[market];
  if (existing && existing.submissionKey === submissionKey && existing.approvedAt === approvedAt) return undefined;
  return ApprovalsSchema.parse({ ...current, [market]: { submissionKey, approvedAt } });
};

/** Open and due before `today` (YYYY-MM-DD); due today is not yet overdue. */
export const isPastDue = (item: { open: boolean; dueDate: string | undefined }, today: string): boolean =>
  item.open && item.dueDate !== undefined && item.dueDate < today;

/** The approvals map without any approval from `submissionKey`; undefined when it shows none. */
export const withoutSubmission = (current: Approvals, submissionKey: string): Approvals | undefined => {
  const kept = Object.entries(current).filter(([, approval]) => approval.submissionKey !== submissionKey);
  return kept.length === Object.keys(current).length ? undefined : ApprovalsSchema.parse(Object.fromEntries(kept));
};

export type OverdueDecision = { action: 'set'; value: Overdue } | { action: 'clear' } | { action: 'none' };

/**
 * A Commitment is overdue when it is open and its due date is before `today` (YYYY-MM-DD).
 * `current` is what the issue shows now; the answer is only what must change.
 */
export const decideOverdue = (
  commitment: { open: boolean; dueDate: string | undefined; current: Overdue | undefined },
  today: string,
): OverdueDecision => {
  const overdue = isPastDue(commitment, today);
  if (overdue && commitment.dueDate !== undefined) {
    if (commitment.current?.since === commitment.dueDate) return { action: 'none' };
    return { action: 'set', value: { overdue: true, since: commitment.dueDate } };
  }
  return commitment.current ? { action: 'clear' } : { action: 'none' };
};
