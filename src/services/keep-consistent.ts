/**
 * The app's bookkeeping on Jira events, run as the app by the triggers: keep linked issues
 * consistent with each other. Each function reads what it needs, asks a pure function in
 * src/domain/consistency.ts what must change, and writes only that, so a repeated event
 * writes nothing.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { NoContent } from '../adapters/jira/jira-http';
import { JiraBulkFetchSchema, JiraSearchPageSchema } from '../adapters/jira/jira-schemas';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import { CommitmentPropertySchema, SubmissionPropertySchema, isQmsIssue, linkedKeys, toQmsRecord, toSubmission } from '../adapters/jira/issue-mapping';
import type { JiraConventions } from '../config/jira-conventions';
import { APPROVALS_PROPERTY_KEY, COMMITMENT_PROPERTY_KEY, OVERDUE_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../config/jira-conventions';
import { ApprovalsSchema, OverdueSchema, decideOverdue, submissionCategoryUpdates, withApproval } from '../domain/consistency';
import type { Approvals, Overdue } from '../domain/consistency';
import { fetchIssue, fetchIssues } from './load-gate-subject';

const BULK_FETCH_LIMIT = 100;
const SEARCH_PAGE = 100;

/** Jira answers a property write with 200 (replaced) or 201 (created) and an empty or JSON body. */
const PropertyWriteSchema = z.unknown();

const setProperty = (jira: JiraHttp, key: string, propertyKey: string, value: unknown) =>
  jira.requestJira(route`/rest/api/3/issue/${key}/properties/${propertyKey}`, { method: 'PUT', schema: PropertyWriteSchema, body: value });

const deleteProperty = (jira: JiraHttp, key: string, propertyKey: string) =>
  jira.requestJira(route`/rest/api/3/issue/${key}/properties/${propertyKey}`, { method: 'DELETE', schema: NoContent, absentOn404: true });

/** A stored value the app does not recognise is treated as absent (and overwritten), never trusted. */
const parsedProperty = <S extends z.ZodType>(issue: JiraIssue, key: string, schema: S): z.infer<S> | undefined => {
  const parsed = schema.safeParse(issue.properties?.[key]);
  return parsed.success ? parsed.data : undefined;
};

export interface SyncResult {
  /** Issue keys the app wrote to. */
  updated: string[];
}

/** A QMS record's decisions changed: each linked Submission shows its decided category. */
export const syncSubmissionCategories = async (jira: JiraHttp, recordKey: string, conventions: JiraConventions): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, recordKey, conventions);
  if (!isQmsIssue(issue, conventions)) return { updated: [] };
  const record = toQmsRecord(issue, conventions);
  const linked = await fetchIssues(jira, linkedKeys(issue, conventions.filingLinkType, 'outward'), conventions);
  const submissions = linked.flatMap((candidate) => {
    if (candidate.fields.issuetype?.name !== conventions.submissionIssueType) return [];
    const property = parsedProperty(candidate, SUBMISSION_PROPERTY_KEY, SubmissionPropertySchema);
    return property ? [{ key: candidate.key, property }] : [];
  });
  const updates = submissionCategoryUpdates(
    record.impact,
    submissions.map((s) => ({ key: s.key, applicationId: s.property.applicationId, market: s.property.market, category: s.property.category })),
  );
  for (const update of updates) {
    const current = submissions.find((s) => s.key === update.key);
    if (!current) continue;
    await setProperty(jira, update.key, SUBMISSION_PROPERTY_KEY, SubmissionPropertySchema.parse({ ...current.property, category: update.category }));
  }
  return { updated: updates.map((u) => u.key) };
};

/** A Submission was approved: each linked QMS record shows the approval for its market. */
export const recordSubmissionApproval = async (jira: JiraHttp, submissionKey: string, conventions: JiraConventions, fallbackApprovedAt: string): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, submissionKey, conventions);
  const submission = toSubmission(issue, conventions);
  if (!submission || submission.status !== 'approved') return { updated: [] };
  const approvedAt = submission.approvedAt ?? fallbackApprovedAt;
  const updated: string[] = [];
  const keys = [...new Set(submission.recordKeys)];
  for (let i = 0; i < keys.length; i += BULK_FETCH_LIMIT) {
    const page = await jira.requestJira(route`/rest/api/3/issue/bulkfetch`, {
      method: 'POST',
      read: true,
      schema: JiraBulkFetchSchema,
      body: { issueIdsOrKeys: keys.slice(i, i + BULK_FETCH_LIMIT), fields: ['issuetype'], properties: [APPROVALS_PROPERTY_KEY] },
    });
    for (const record of page.issues) {
      if (!isQmsIssue(record, conventions)) continue;
      const current: Approvals = parsedProperty(record, APPROVALS_PROPERTY_KEY, ApprovalsSchema) ?? {};
      const next = withApproval(current, submission.market, submission.key, approvedAt);
      if (!next) continue;
      await setProperty(jira, record.key, APPROVALS_PROPERTY_KEY, next);
      updated.push(record.key);
    }
  }
  return { updated };
};

/** A Commitment names the QMS record it came from: link it back (record implements Commitment) once. */
export const linkCommitmentToRecord = async (jira: JiraHttp, commitmentKey: string, conventions: JiraConventions): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, commitmentKey, conventions);
  if (issue.fields.issuetype?.name !== conventions.commitmentIssueType) return { updated: [] };
  const recordKey = parsedProperty(issue, COMMITMENT_PROPERTY_KEY, CommitmentPropertySchema)?.recordKey;
  if (recordKey === undefined) return { updated: [] };
  if (linkedKeys(issue, conventions.commitmentLinkType, 'inward').length > 0) return { updated: [] };
  // POST /issueLink's `inwardIssue` is the link's source: "<record> implements <commitment>".
  await jira.requestJira(route`/rest/api/3/issueLink`, {
    method: 'POST',
    schema: z.unknown(),
    body: { type: { name: conventions.commitmentLinkType }, inwardIssue: { key: recordKey }, outwardIssue: { key: commitmentKey } },
  });
  return { updated: [commitmentKey, recordKey] };
};

export interface OverdueResult {
  flagged: string[];
  cleared: string[];
}

/** One search over every Commitment (paged by nextPageToken); flags the overdue open ones and clears the rest. */
export const flagOverdueCommitments = async (jira: JiraHttp, today: string, conventions: JiraConventions): Promise<OverdueResult> => {
  const result: OverdueResult = { flagged: [], cleared: [] };
  const jql = `issuetype = "${conventions.commitmentIssueType.replace(/["\\]/g, '\\$&')}" ORDER BY key ASC`;
  let nextPageToken: string | undefined;
  do {
    const page = await jira.requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      read: true,
      schema: JiraSearchPageSchema,
      body: { jql, fields: ['status'], properties: [COMMITMENT_PROPERTY_KEY, OVERDUE_PROPERTY_KEY], maxResults: SEARCH_PAGE, ...(nextPageToken ? { nextPageToken } : {}) },
    });
    for (const issue of page.issues) {
      const statusName = issue.fields.status?.name;
      const open = statusName !== undefined && conventions.commitmentStatuses[statusName] === 'open';
      const commitment = parsedProperty(issue, COMMITMENT_PROPERTY_KEY, CommitmentPropertySchema);
      const current: Overdue | undefined = parsedProperty(issue, OVERDUE_PROPERTY_KEY, OverdueSchema);
      const hasAnyOverdue = issue.properties?.[OVERDUE_PROPERTY_KEY] !== undefined && issue.properties[OVERDUE_PROPERTY_KEY] !== null;
      const decision = decideOverdue({ open, dueDate: commitment?.dueDate, current: current ?? (hasAnyOverdue ? { overdue: true, since: '' } : undefined) }, today);
      if (decision.action === 'set') {
        await setProperty(jira, issue.key, OVERDUE_PROPERTY_KEY, decision.value);
        result.flagged.push(issue.key);
      } else if (decision.action === 'clear') {
        await deleteProperty(jira, issue.key, OVERDUE_PROPERTY_KEY);
        result.cleared.push(issue.key);
      }
    }
    nextPageToken = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return result;
};
