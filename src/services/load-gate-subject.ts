/**
 * Reads what a gate needs from Jira in the fewest calls: the issue with its links, its
 * app properties and changelog in one GET, then the linked issues in one `bulkfetch` per
 * 100 (Jira's limit). A naive loader would make one call per linked issue.
 */
import { route } from '@forge/api';
import type { GateSubject } from '../domain/gates';
import type { Submission } from '../domain/model';
import { DEFAULT_REQUIRED_FIELDS } from '../domain/required-fields';
import type { RequiredFieldConfig } from '../domain/required-fields';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { JiraBulkChangelogSchema, JiraBulkFetchSchema, JiraIssueSchema } from '../adapters/jira/jira-schemas';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import { isQmsIssue, linkedKeys, toCommitment, toSubmission } from '../adapters/jira/issue-mapping';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecord, verifiedRecords } from './verified-records';
import type { JiraConventions } from '../config/jira-conventions';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../config/jira-conventions';
import { AppError } from '../ports/app-error';

const BULK_FETCH_LIMIT = 100;
const CHANGELOG_BULK_LIMIT = 1000;
const BASE_FIELDS = [
  'summary',
  'status',
  'issuetype',
  'project',
  'issuelinks',
  'created',
  'resolutiondate',
  'reporter',
  'creator',
];

/** The fields every read of a QMS record, Submission or Commitment asks for. */
export const fieldsFor = (conventions: JiraConventions): string[] => [
  ...BASE_FIELDS,
  ...Object.values(conventions.recordFields),
];

/** The app's entity properties every such read asks for. */
export const APP_PROPERTY_KEYS = [IMPACT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY, COMMITMENT_PROPERTY_KEY];

/** The app's own issue entity properties, read with every issue. */
const APP_PROPERTIES = [
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
];

/**
 * Jira embeds at most the newest 100 histories in `expand=changelog` (`total` says how many
 * there are). For an issue with more, who approved it and when may lie further back, so its
 * status changes are read in full from the changelog bulk fetch (1,000 issues per call,
 * status items only). Issues whose changelog is complete cost nothing extra.
 */
const withCompleteStatusHistory = async (jira: JiraHttp, issues: JiraIssue[]): Promise<JiraIssue[]> => {
  const truncated = issues.filter(
    (issue) => issue.changelog?.total !== undefined && issue.changelog.total > issue.changelog.histories.length,
  );
  if (truncated.length === 0) return issues;
  const histories = new Map<string, NonNullable<JiraIssue['changelog']>['histories']>();
  for (let i = 0; i < truncated.length; i += CHANGELOG_BULK_LIMIT) {
    const ids = truncated.slice(i, i + CHANGELOG_BULK_LIMIT).map((issue) => issue.id);
    let nextPageToken: string | undefined;
    do {
      const page = await jira.requestJira(route`/rest/api/3/changelog/bulkfetch`, {
        method: 'POST',
        read: true,
        schema: JiraBulkChangelogSchema,
        body: { issueIdsOrKeys: ids, fieldIds: ['status'], ...(nextPageToken ? { nextPageToken } : {}) },
      });
      for (const log of page.issueChangeLogs ?? [])
        histories.set(log.issueId, [...(histories.get(log.issueId) ?? []), ...log.changeHistories]);
      nextPageToken = page.nextPageToken ?? undefined;
    } while (nextPageToken);
  }
  return issues.map((issue) => {
    const full = histories.get(issue.id);
    return full && issue.changelog ? { ...issue, changelog: { ...issue.changelog, histories: full } } : issue;
  });
};

/** `extraProperties`: more of the app's properties this caller needs, read in the same GET. */
export const fetchIssue = async (
  jira: JiraHttp,
  key: string,
  conventions: JiraConventions,
  extraProperties: readonly string[] = [],
): Promise<JiraIssue> => {
  const fields = fieldsFor(conventions).join(',');
  const properties = [...APP_PROPERTIES, ...extraProperties].join(',');
  const issue = await jira.requestJira(
    route`/rest/api/3/issue/${key}?fields=${fields}&properties=${properties}&expand=changelog`,
    { method: 'GET', schema: JiraIssueSchema },
  );
  const [complete] = await withCompleteStatusHistory(jira, [issue]);
  return complete ?? issue;
};

/** Linked issues, 100 per call. Keys the caller may not see are simply absent from the answer. */
export const fetchIssues = async (
  jira: JiraHttp,
  keys: readonly string[],
  conventions: JiraConventions,
): Promise<JiraIssue[]> => {
  const unique = [...new Set(keys)];
  const issues: JiraIssue[] = [];
  for (let i = 0; i < unique.length; i += BULK_FETCH_LIMIT) {
    const page = await jira.requestJira(route`/rest/api/3/issue/bulkfetch`, {
      method: 'POST',
      read: true,
      schema: JiraBulkFetchSchema,
      body: {
        issueIdsOrKeys: unique.slice(i, i + BULK_FETCH_LIMIT),
        fields: fieldsFor(conventions),
        properties: APP_PROPERTIES,
        expand: ['changelog'],
      },
    });
    issues.push(...page.issues);
  }
  return withCompleteStatusHistory(jira, issues);
};

const submissionsOf = (issues: readonly JiraIssue[], conventions: JiraConventions): Submission[] =>
  issues.map((issue) => toSubmission(issue, conventions)).filter((s): s is Submission => s !== undefined);

export interface LoadOptions {
  conventions: JiraConventions;
  /** The signed records every QMS record is checked against. */
  signedRecords: SignedRecordStore;
  requiredFields?: RequiredFieldConfig;
  /** Only these markets hold the gate (a validator's configuration); all when absent or empty. */
  markets?: readonly string[];
}

/** The gate subject for whatever the issue is: a QMS record, a Submission or a Commitment. */
export const loadGateSubject = async (jira: JiraHttp, key: string, options: LoadOptions): Promise<GateSubject> => {
  const { conventions } = options;
  const scope = options.markets && options.markets.length > 0 ? { scope: { markets: [...options.markets] } } : {};
  const issue = await fetchIssue(jira, key, conventions);

  if (isQmsIssue(issue, conventions)) {
    const record = await verifiedRecord(options.signedRecords, issue, conventions);
    const linked = await fetchIssues(jira, linkedKeys(issue, conventions.filingLinkType, 'outward'), conventions);
    return {
      kind: 'qms-record',
      record,
      linkedSubmissions: submissionsOf(linked, conventions),
      requiredFields: options.requiredFields ?? DEFAULT_REQUIRED_FIELDS,
      ...scope,
    };
  }

  const submission = toSubmission(issue, conventions);
  if (submission) {
    const linked = await fetchIssues(jira, submission.recordKeys, conventions);
    return {
      kind: 'submission',
      submission,
      linkedRecords: await verifiedRecords(options.signedRecords, linked, conventions),
      ...scope,
    };
  }

  const commitment = toCommitment(issue, conventions);
  if (commitment) {
    const linked = await fetchIssues(jira, commitment.implementedBy, conventions);
    return {
      kind: 'commitment',
      commitment,
      implementingRecords: await verifiedRecords(options.signedRecords, linked, conventions),
      ...scope,
    };
  }

  throw new AppError(
    'INVALID_INPUT',
    `${key} is neither a QMS record nor a Submission or Commitment created by this app, so no regulatory gate applies to it.`,
  );
};
