/**
 * The app's bookkeeping on Jira events, run as the app by the triggers: keep linked issues
 * consistent with each other. Each function reads what it needs, asks a pure function in
 * src/domain/consistency.ts what must change, and writes only that, so a repeated event
 * writes nothing.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { JiraBulkFetchSchema, JiraSearchPageSchema } from '../adapters/jira/jira-schemas';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import {
  CommitmentPropertySchema,
  SubmissionPropertySchema,
  isQmsIssue,
  linkedKeys,
  toSubmission,
} from '../adapters/jira/issue-mapping';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecord } from './verified-records';
import type { JiraConventions } from '../config/jira-conventions';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  OVERDUE_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../config/jira-conventions';
import {
  OverdueSchema,
  decideOverdue,
  submissionCategoryUpdates,
  withApproval,
  withoutSubmission,
} from '../domain/consistency';
import { loadApprovals, saveApprovals } from '../adapters/kvs/approvals-repository';
import type { Overdue } from '../domain/consistency';
import { CorrespondencePropertySchema } from '../domain/correspondence';
import { AppError } from '../ports/app-error';
import { fetchIssue, fetchIssues } from './load-gate-subject';
import { writePropertiesAllOrNothing } from './property-writes';
import type { PropertyWrite } from './property-writes';

const BULK_FETCH_LIMIT = 100;
const SEARCH_PAGE = 100;

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
export const syncSubmissionCategories = async (
  jira: JiraHttp,
  signedRecords: SignedRecordStore,
  recordKey: string,
  conventions: JiraConventions,
): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, recordKey, conventions);
  if (!isQmsIssue(issue, conventions)) return { updated: [] };
  const record = await verifiedRecord(signedRecords, issue, conventions);
  // Jira's copy was changed outside the app: nothing is propagated from it (the gates refuse the record).
  if (record.integrity?.state === 'altered') return { updated: [] };
  const linked = await fetchIssues(jira, linkedKeys(issue, conventions.filingLinkType, 'outward'), conventions);
  const submissions = linked.flatMap((candidate) => {
    if (candidate.fields.issuetype?.name !== conventions.submissionIssueType) return [];
    const property = parsedProperty(candidate, SUBMISSION_PROPERTY_KEY, SubmissionPropertySchema);
    return property ? [{ key: candidate.key, property, raw: candidate.properties?.[SUBMISSION_PROPERTY_KEY] }] : [];
  });
  const updates = submissionCategoryUpdates(
    record.impact,
    submissions.map((s) => ({
      key: s.key,
      applicationId: s.property.applicationId,
      market: s.property.market,
      category: s.property.category,
    })),
  );
  const writes = updates.flatMap((update) => {
    const current = submissions.find((s) => s.key === update.key);
    return current
      ? [
          {
            issueKey: update.key,
            propertyKey: SUBMISSION_PROPERTY_KEY,
            value: SubmissionPropertySchema.parse({ ...current.property, category: update.category }),
            previous: current.raw,
          },
        ]
      : [];
  });
  await writePropertiesAllOrNothing(jira, writes);
  return { updated: writes.map((w) => w.issueKey) };
};

/** A Submission was approved: each linked QMS record shows the approval for its market. */
export const recordSubmissionApproval = async (
  jira: JiraHttp,
  submissionKey: string,
  conventions: JiraConventions,
  fallbackApprovedAt: string,
): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, submissionKey, conventions);
  const submission = toSubmission(issue, conventions);
  if (!submission || submission.status !== 'approved') return { updated: [] };
  const approvedAt = submission.approvedAt ?? fallbackApprovedAt;
  const recordKeys: string[] = [];
  const keys = [...new Set(submission.recordKeys)];
  for (let i = 0; i < keys.length; i += BULK_FETCH_LIMIT) {
    const page = await jira.requestJira(route`/rest/api/3/issue/bulkfetch`, {
      method: 'POST',
      read: true,
      schema: JiraBulkFetchSchema,
      body: { issueIdsOrKeys: keys.slice(i, i + BULK_FETCH_LIMIT), fields: ['issuetype', 'project'] },
    });
    for (const record of page.issues) if (isQmsIssue(record, conventions)) recordKeys.push(record.key);
  }
  // Recorded in app storage, not on the records: they name a RIM issue (approvals-repository.ts).
  const stored = await loadApprovals(recordKeys);
  const writes = recordKeys.flatMap((key) => {
    const next = withApproval(stored.get(key) ?? {}, submission.market, submission.key, approvedAt);
    return next ? [{ issueKey: key, approvals: next }] : [];
  });
  await saveApprovals(writes);
  return { updated: writes.map((w) => w.issueKey) };
};

const UsersWithPermissionsSchema = z.array(z.looseObject({ accountId: z.string() }));

/**
 * Whether Jira says `accountId` may browse `issueKey` and link it. Asked as the app: a trigger
 * has no user to ask as (Forge passes the actor's account id, not a session), and Jira's
 * `mypermissions` only answers for the caller, so this is Jira's "Find users with permissions"
 * narrowed to the one account. Jira lets a caller who administers the project ask; a Forge
 * app's `atlassian-addons-project-access` role holds Administer Projects in Jira's default
 * permission scheme. Where a site took that away, Jira refuses the question, the trigger fails
 * with the refusal in its log, and no link is made (fail closed).
 */
const mayBrowseAndLink = async (jira: JiraHttp, accountId: string, issueKey: string): Promise<boolean> => {
  const users = await jira.requestJira(
    route`/rest/api/3/user/permission/search?accountId=${accountId}&issueKey=${issueKey}&permissions=BROWSE_PROJECTS,LINK_ISSUES`,
    {
      method: 'GET',
      schema: UsersWithPermissionsSchema,
    },
  );
  return users.some((user) => user.accountId === accountId);
};

/**
 * A Commitment names the QMS record it came from: link it back (record implements Commitment)
 * once. The link is made as the app, so only for a record that is a quality record (a mapped
 * QMS issue type in a QMS project), and only when the person who named it (`actorAccountId`,
 * the event's `atlassianId`) may browse and link both issues: otherwise anyone who may write
 * a Commitment's property could have the app link it to a record they cannot see or is no
 * quality record at all (test/security/commitment-trigger.test.ts).
 */
export const linkCommitmentToRecord = async (
  jira: JiraHttp,
  commitmentKey: string,
  conventions: JiraConventions,
  actorAccountId: string | undefined,
): Promise<SyncResult> => {
  const issue = await fetchIssue(jira, commitmentKey, conventions);
  if (issue.fields.issuetype?.name !== conventions.commitmentIssueType) return { updated: [] };
  const recordKey = parsedProperty(issue, COMMITMENT_PROPERTY_KEY, CommitmentPropertySchema)?.recordKey;
  if (recordKey === undefined) return { updated: [] };
  if (linkedKeys(issue, conventions.commitmentLinkType, 'inward').length > 0) return { updated: [] };
  if (actorAccountId === undefined)
    throw new AppError(
      'FORBIDDEN',
      `The event that named ${recordKey} on ${commitmentKey} says nobody set it, so the app cannot check who may link them; they were not linked.`,
    );
  // Three independent reads, made together.
  const [record, ...mayLink] = await Promise.all([
    fetchIssue(jira, recordKey, conventions),
    mayBrowseAndLink(jira, actorAccountId, recordKey),
    mayBrowseAndLink(jira, actorAccountId, commitmentKey),
  ]);
  if (!isQmsIssue(record, conventions)) {
    throw new AppError(
      'INVALID_INPUT',
      `${commitmentKey} names ${recordKey} as its quality record, but ${recordKey} is no quality record (a ${Object.keys(conventions.qmsIssueTypes).join(', ')} in ${conventions.qmsProjectKeys.join(', ')}); it was not linked.`,
    );
  }
  const refused = [recordKey, commitmentKey].filter((_key, i) => mayLink[i] !== true);
  if (refused.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `Account ${actorAccountId}, who named ${recordKey} on ${commitmentKey}, may not browse and link ${refused.join(' and ')}, so the app did not link them.`,
    );
  }
  // POST /issueLink's `inwardIssue` is the link's source: "<record> implements <commitment>".
  await jira.requestJira(route`/rest/api/3/issueLink`, {
    method: 'POST',
    schema: z.unknown(),
    body: {
      type: { name: conventions.commitmentLinkType },
      inwardIssue: { key: recordKey },
      outwardIssue: { key: commitmentKey },
    },
  });
  return { updated: [commitmentKey, recordKey] };
};

/** The two ends of a link, with what the link events need of them, in one `bulkfetch`. */
const fetchLinkEnds = async (
  jira: JiraHttp,
  sourceIssueId: string,
  destinationIssueId: string,
  conventions: JiraConventions,
  withChangelog: boolean,
) => {
  const page = await jira.requestJira(route`/rest/api/3/issue/bulkfetch`, {
    method: 'POST',
    read: true,
    schema: JiraBulkFetchSchema,
    body: {
      issueIdsOrKeys: [sourceIssueId, destinationIssueId],
      fields: ['summary', 'status', 'issuetype', 'issuelinks'],
      properties: [IMPACT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY],
      ...(withChangelog ? { expand: ['changelog'] } : {}),
    },
  });
  const source = page.issues.find((i) => i.id === sourceIssueId);
  const destination = page.issues.find((i) => i.id === destinationIssueId);
  const isRecordToSubmission =
    source !== undefined &&
    destination !== undefined &&
    isQmsIssue(source, conventions) &&
    destination.fields.issuetype?.name === conventions.submissionIssueType;
  return isRecordToSubmission ? { record: source, submission: destination } : undefined;
};

/**
 * Someone linked a quality record to a Submission by hand ("Regulatory filing"): the
 * Submission shows the record's decided category for its application, and if it is already
 * approved, the record shows that approval for its market. At most three calls: both ends
 * in one `bulkfetch`, then only the writes that change something.
 */
export const checkLinkedSubmission = async (
  jira: JiraHttp,
  signedRecords: SignedRecordStore,
  link: { sourceIssueId: string; destinationIssueId: string },
  conventions: JiraConventions,
  fallbackApprovedAt: string,
): Promise<SyncResult> => {
  const ends = await fetchLinkEnds(jira, link.sourceIssueId, link.destinationIssueId, conventions, true);
  if (!ends) return { updated: [] };
  const property = parsedProperty(ends.submission, SUBMISSION_PROPERTY_KEY, SubmissionPropertySchema);
  if (!property) return { updated: [] };
  const writes: PropertyWrite[] = [];
  const record = await verifiedRecord(signedRecords, ends.record, conventions);
  if (record.integrity?.state === 'altered') return { updated: [] };
  const [update] = submissionCategoryUpdates(record.impact, [
    {
      key: ends.submission.key,
      applicationId: property.applicationId,
      market: property.market,
      category: property.category,
    },
  ]);
  if (update) {
    writes.push({
      issueKey: ends.submission.key,
      propertyKey: SUBMISSION_PROPERTY_KEY,
      value: SubmissionPropertySchema.parse({ ...property, category: update.category }),
      previous: ends.submission.properties?.[SUBMISSION_PROPERTY_KEY],
    });
  }
  const submission = toSubmission(ends.submission, conventions);
  const approval =
    submission?.status === 'approved'
      ? withApproval(
          (await loadApprovals([ends.record.key])).get(ends.record.key) ?? {},
          submission.market,
          submission.key,
          submission.approvedAt ?? fallbackApprovedAt,
        )
      : undefined;
  await writePropertiesAllOrNothing(jira, writes);
  if (approval) {
    try {
      await saveApprovals([{ issueKey: ends.record.key, approvals: approval }]);
    } catch (error) {
      // All or nothing: the Submission's category goes back as it was.
      await writePropertiesAllOrNothing(
        jira,
        writes.map((w) => ({ ...w, value: w.previous, previous: w.value })),
      );
      throw error;
    }
  }
  return { updated: [...writes.map((w) => w.issueKey), ...(approval ? [ends.record.key] : [])] };
};

/**
 * A "Regulatory filing" link was removed: the Submission no longer counts for the record, so
 * an approval the record shows from it is dropped. Two calls at most: both ends, one write.
 */
export const forgetUnlinkedSubmission = async (
  jira: JiraHttp,
  link: { sourceIssueId: string; destinationIssueId: string },
  conventions: JiraConventions,
): Promise<SyncResult> => {
  const ends = await fetchLinkEnds(jira, link.sourceIssueId, link.destinationIssueId, conventions, false);
  if (!ends) return { updated: [] };
  const current = (await loadApprovals([ends.record.key])).get(ends.record.key);
  if (!current) return { updated: [] };
  const next = withoutSubmission(current, ends.submission.key);
  if (!next) return { updated: [] };
  await saveApprovals([{ issueKey: ends.record.key, approvals: next }]);
  return { updated: [ends.record.key] };
};

export interface OverdueResult {
  flagged: string[];
  cleared: string[];
}

const jqlString = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** Whether an issue of the search is open and when it is due: a Commitment's due date, or a letter's response due date. */
const dueOf = (issue: JiraIssue, conventions: JiraConventions): { open: boolean; dueDate: string | undefined } => {
  const statusName = issue.fields.status?.name;
  if (issue.fields.issuetype?.name === conventions.correspondenceIssueType) {
    const letter = parsedProperty(issue, CORRESPONDENCE_PROPERTY_KEY, CorrespondencePropertySchema);
    return {
      open: statusName !== undefined && conventions.correspondenceStatuses[statusName] === 'awaiting-response',
      dueDate: letter?.responseDueDate,
    };
  }
  const commitment = parsedProperty(issue, COMMITMENT_PROPERTY_KEY, CommitmentPropertySchema);
  return {
    open: statusName !== undefined && conventions.commitmentStatuses[statusName] === 'open',
    dueDate: commitment?.dueDate,
  };
};

/**
 * One search over every Commitment and every health-authority letter (paged by
 * nextPageToken): flags (`qmsrim.overdue`) the open Commitments past their due date and the
 * letters still awaiting a response past its due date, and clears the flag on the rest.
 */
export const flagOverdue = async (
  jira: JiraHttp,
  today: string,
  conventions: JiraConventions,
): Promise<OverdueResult> => {
  const result: OverdueResult = { flagged: [], cleared: [] };
  const writes: PropertyWrite[] = [];
  const jql = `issuetype in (${jqlString(conventions.commitmentIssueType)}, ${jqlString(conventions.correspondenceIssueType)}) ORDER BY key ASC`;
  let nextPageToken: string | undefined;
  do {
    const page = await jira.requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      read: true,
      schema: JiraSearchPageSchema,
      body: {
        jql,
        fields: ['status', 'issuetype'],
        properties: [COMMITMENT_PROPERTY_KEY, CORRESPONDENCE_PROPERTY_KEY, OVERDUE_PROPERTY_KEY],
        maxResults: SEARCH_PAGE,
        ...(nextPageToken ? { nextPageToken } : {}),
      },
    });
    for (const issue of page.issues) {
      const current: Overdue | undefined = parsedProperty(issue, OVERDUE_PROPERTY_KEY, OverdueSchema);
      const hasAnyOverdue =
        issue.properties?.[OVERDUE_PROPERTY_KEY] !== undefined && issue.properties[OVERDUE_PROPERTY_KEY] !== null;
      const decision = decideOverdue(
        {
          ...dueOf(issue, conventions),
          current: current ?? (hasAnyOverdue ? { overdue: true, since: '' } : undefined),
        },
        today,
      );
      const previous = issue.properties?.[OVERDUE_PROPERTY_KEY] ?? undefined;
      if (decision.action === 'set') {
        writes.push({ issueKey: issue.key, propertyKey: OVERDUE_PROPERTY_KEY, value: decision.value, previous });
        result.flagged.push(issue.key);
      } else if (decision.action === 'clear') {
        writes.push({ issueKey: issue.key, propertyKey: OVERDUE_PROPERTY_KEY, value: undefined, previous });
        result.cleared.push(issue.key);
      }
    }
    nextPageToken =
      page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
  } while (nextPageToken);
  // Every page first, then the writes: a search that fails half-way flags nothing.
  await writePropertiesAllOrNothing(jira, writes);
  return result;
};
