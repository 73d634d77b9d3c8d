/**
 * Quality records as every reader must see them: Jira's issue for what Jira owns (status,
 * links, fields), the signed record in app storage for the regulatory impact, and whether
 * Jira's copy of that impact still matches it (src/domain/signed-record.ts). One storage read
 * per 25 records, no Jira call.
 */
import { isQmsIssue, toQmsRecord } from '../adapters/jira/issue-mapping';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import type { JiraConventions } from '../config/jira-conventions';
import type { QmsRecord } from '../domain/model';
import type { SignedRecord } from '../domain/signed-record';
import type { SignedRecordStore } from '../ports/signed-records.port';

/** The QMS issues among `issues`, checked against their signed records; other issues are left out. */
export const verifiedRecords = async (
  store: SignedRecordStore,
  issues: readonly JiraIssue[],
  conventions: JiraConventions,
): Promise<QmsRecord[]> => {
  const qms = issues.filter((issue) => isQmsIssue(issue, conventions));
  if (qms.length === 0) return [];
  const signed = await store.getMany(qms.map((issue) => issue.key));
  return qms.map((issue) => toQmsRecord(issue, conventions, signed.get(issue.key)));
};

/** One QMS issue (the caller has checked it is one), checked against its signed record. */
export const verifiedRecord = async (
  store: SignedRecordStore,
  issue: JiraIssue,
  conventions: JiraConventions,
): Promise<QmsRecord> => {
  const signed = await store.getMany([issue.key]);
  return toQmsRecord(issue, conventions, signed.get(issue.key));
};

/** The signed records of the QMS issues among `issues`, for callers that map issues one by one. */
export const signedRecordsOf = async (
  store: SignedRecordStore,
  issues: readonly JiraIssue[],
  conventions: JiraConventions,
): Promise<ReadonlyMap<string, SignedRecord>> => {
  const keys = issues.filter((issue) => isQmsIssue(issue, conventions)).map((issue) => issue.key);
  return keys.length === 0 ? new Map() : store.getMany(keys);
};
