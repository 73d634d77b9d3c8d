/**
 * The glance on RIM issues, read as the viewer, from the same pure functions as the panels:
 * a Submission's readiness (`submissionReadiness`, through the readiness panel's loader), a
 * Commitment's state and whether it is past due, a letter's state and response timeliness.
 * One GET for a Commitment or a letter; one more `bulkfetch` per 100 linked records for a
 * Submission.
 */
import type { SignedRecordStore } from '../ports/signed-records.port';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { toCommitment, toCorrespondence } from '../adapters/jira/issue-mapping';
import type { JiraConventions } from '../config/jira-conventions';
import type { RimGlance } from '../contract/correspondence';
import { isPastDue } from '../domain/consistency';
import { responseTimeliness } from '../domain/correspondence';
import { fetchIssue } from './load-gate-subject';
import { readinessPanelFor } from './load-readiness-panel';

export interface RimGlanceOptions {
  conventions: JiraConventions;
  signedRecords: SignedRecordStore;
  /** Today (YYYY-MM-DD). */
  today: string;
}

/** `jira` must act as the viewer (asUser). */
export const loadRimGlance = async (jira: JiraHttp, key: string, options: RimGlanceOptions): Promise<RimGlance> => {
  const { conventions, today } = options;
  const issue = await fetchIssue(jira, key, conventions);
  const typeName = issue.fields.issuetype?.name;

  if (typeName === conventions.submissionIssueType) {
    const panel = await readinessPanelFor(jira, issue, options);
    if (!panel.applies) return { kind: 'none', key: issue.key, message: panel.message };
    return {
      kind: 'submission',
      key: issue.key,
      figure: panel.figure,
      isReady: panel.isReady,
      blockerCount: panel.blockers.length,
    };
  }
  const commitment = toCommitment(issue, conventions);
  if (commitment) {
    return {
      kind: 'commitment',
      key: issue.key,
      state: commitment.status,
      dueDate: commitment.dueDate,
      overdue: isPastDue({ open: commitment.status === 'open', dueDate: commitment.dueDate }, today),
    };
  }
  const correspondence = toCorrespondence(issue, conventions);
  if (correspondence)
    return {
      kind: 'correspondence',
      key: issue.key,
      state: correspondence.state,
      timeliness: responseTimeliness(correspondence, today),
    };
  return {
    kind: 'none',
    key: issue.key,
    message: `${issue.key} is not a Submission, Commitment or health-authority letter with the app's data.`,
  };
};
