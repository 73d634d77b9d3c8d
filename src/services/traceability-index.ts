/**
 * Keeping the traceability index (src/adapters/kvs/traceability-index-repository.ts) equal to
 * Jira, as the app: what an issue's entry is, refreshing the entries of issues an event
 * touched, and the one JQL the index covers. Every refresh reads the issues' current state
 * from Jira (one `bulkfetch` per 100), so events arriving late or twice still leave the entry
 * right, and nothing depends on what an event says about the issue.
 */
import type { AlteredCopy } from '../contract/admin-page';
import { route } from '@forge/api';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { JiraIdsPageSchema } from '../adapters/jira/jira-schemas';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import { isQmsIssue, toCommitment, toIsoInstant, toQmsRecord, toSubmission } from '../adapters/jira/issue-mapping';
import { listTraceEntries, deleteTraceEntries, putTraceEntries } from '../adapters/kvs/traceability-index-repository';
import type { JiraConventions } from '../config/jira-conventions';
import type { QmsRecordKind } from '../domain/model';
import { indexEntryOf } from '../domain/traceability-index';
import type { TraceIndexEntry } from '../domain/traceability-index';
import { isAppError } from '../ports/app-error';
import { APP_PROPERTY_KEYS, fetchIssues } from './load-gate-subject';
import type { SignedRecord } from '../domain/signed-record';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { signedRecordsOf } from './verified-records';

/** The entity properties whose value is part of an entry; a change to any other one leaves the index as it is. */
export const INDEXED_PROPERTY_KEYS: readonly string[] = APP_PROPERTY_KEYS;

export type EntryOutcome = { entry: TraceIndexEntry } | { entry: undefined; unreadable?: string };

/** The index entry of an issue, none for an issue that is not traceability data, or why its app data cannot be read. */
export const traceEntryOf = (
  issue: JiraIssue,
  conventions: JiraConventions,
  signed: ReadonlyMap<string, SignedRecord>,
): EntryOutcome => {
  try {
    if (isQmsIssue(issue, conventions)) {
      // Who raised the record matters only to signing, never to traceability: kept out of the index.
      const {
        reporterAccountId: _reporter,
        creatorAccountId: _creator,
        ...record
      } = toQmsRecord(issue, conventions, signed.get(issue.key));
      return { entry: indexEntryOf(issue.id, { role: 'record', record }, record.createdAt) };
    }
    const created = issue.fields.created === undefined ? undefined : toIsoInstant(issue.fields.created);
    const submission = toSubmission(issue, conventions);
    if (submission) return { entry: indexEntryOf(issue.id, { role: 'submission', submission }, created) };
    const commitment = toCommitment(issue, conventions);
    if (commitment) return { entry: indexEntryOf(issue.id, { role: 'commitment', commitment }, created) };
    return { entry: undefined };
  } catch (error) {
    return { entry: undefined, unreadable: isAppError(error) ? error.message : String(error) };
  }
};

export interface RefreshResult {
  written: string[];
  removed: string[];
  unreadable: string[];
}

/**
 * Re-reads the issues `issueIds` (as the app) and writes their entries; an issue Jira no
 * longer has, or that is no longer traceability data, loses its entry.
 */
export const refreshTraceEntries = async (
  jira: JiraHttp,
  signedRecords: SignedRecordStore,
  issueIds: readonly string[],
  conventions: JiraConventions,
  indexedAt: string,
): Promise<RefreshResult> => {
  const ids = [...new Set(issueIds)];
  if (ids.length === 0) return { written: [], removed: [], unreadable: [] };
  const issues = await fetchIssues(jira, ids, conventions);
  const fetched = new Map(issues.map((issue) => [issue.id, issue]));
  const signed = await signedRecordsOf(signedRecords, issues, conventions);
  const entries: TraceIndexEntry[] = [];
  const removed: string[] = [];
  const unreadable: string[] = [];
  for (const id of ids) {
    const issue = fetched.get(id);
    const outcome = issue === undefined ? { entry: undefined } : traceEntryOf(issue, conventions, signed);
    if (outcome.entry !== undefined) entries.push(outcome.entry);
    else {
      removed.push(id);
      if ('unreadable' in outcome && outcome.unreadable !== undefined && issue !== undefined)
        unreadable.push(issue.key);
    }
  }
  if (entries.length > 0) await putTraceEntries(entries, indexedAt);
  if (removed.length > 0) await deleteTraceEntries(removed);
  return { written: entries.map((e) => e.issueKey), removed, unreadable };
};

const quoted = (name: string): string => `"${name.replace(/["\\]/g, '\\$&')}"`;

/**
 * Every issue the index covers (QMS record types, Submissions, Commitments), oldest first.
 * With `kinds`, only those QMS record kinds (and still every Submission and Commitment).
 */
export const traceabilityJql = (conventions: JiraConventions, kinds?: readonly QmsRecordKind[]): string => {
  const recordTypes = Object.entries(conventions.qmsIssueTypes)
    .filter(([, kind]) => kinds === undefined || kinds.includes(kind))
    .map(([name]) => name);
  const types = [...recordTypes, conventions.submissionIssueType, conventions.commitmentIssueType];
  return `issuetype in (${types.map(quoted).join(', ')}) ORDER BY id ASC`;
};

/** Jira's page says whether another follows: `isLast: false`, or (older answers) a token without `isLast`. */
export const nextPageTokenOf = (page: {
  nextPageToken?: string | undefined;
  isLast?: boolean | undefined;
}): string | undefined =>
  page.isLast === false || (page.isLast === undefined && page.nextPageToken !== undefined)
    ? page.nextPageToken
    : undefined;

/** search/jql answers up to 5,000 issues a page when only ids are asked for. */
export const IDS_ONLY_PAGE = 5000;

/**
 * The ids of the issues `jql` finds, one ids-only `search/jql` per 5,000. As the viewer
 * (asUser), that is exactly the set of those issues they may browse.
 */
export const searchIssueIds = async (jira: JiraHttp, jql: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  let nextPageToken: string | undefined;
  do {
    const page = await jira.requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      read: true,
      schema: JiraIdsPageSchema,
      body: { jql, fields: ['id'], maxResults: IDS_ONLY_PAGE, ...(nextPageToken ? { nextPageToken } : {}) },
    });
    for (const issue of page.issues) ids.add(issue.id);
    nextPageToken = nextPageTokenOf(page);
  } while (nextPageToken);
  return ids;
};

/**
 * The quality records whose Jira copy of the assessment no longer matches their signed record,
 * as the index last saw them (the index trigger re-reads a record on every change of its
 * property): what the audit verification reports beside the chain.
 */
export const listAlteredCopies = async (): Promise<AlteredCopy[]> =>
  (await listTraceEntries()).flatMap(({ entry }) => {
    if (entry.item.role !== 'record') return [];
    const integrity = entry.item.record.integrity;
    if (integrity?.state !== 'altered') return [];
    return [
      {
        issueKey: entry.issueKey,
        how: integrity.how,
        ...(integrity.changedAt ? { changedAt: integrity.changedAt } : {}),
        ...(integrity.changedBy ? { changedBy: integrity.changedBy } : {}),
      },
    ];
  });
