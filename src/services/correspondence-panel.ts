/**
 * The health-authority correspondence panel, read and written as the viewer: the letter
 * with its links and properties in one GET, the quality records that answer it in one
 * `bulkfetch` per 100, and the Submissions it concerns straight from the embedded links.
 *
 * Linking a record is one `POST /issueLink` sent as the viewer, so Jira's own permissions
 * decide (browse both issues, link issues in the record's project). Everything is checked
 * before that one write, and the write either happens or not: nothing is half-written.
 */
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecords } from './verified-records';
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { isQmsIssue, linkedKeys, toQmsRecord } from '../adapters/jira/issue-mapping';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import type { JiraConventions } from '../config/jira-conventions';
import type { CorrespondencePanel, LinkRecordInput } from '../contract/correspondence';
import { answeringRecord } from '../domain/correspondence';
import { AppError } from '../ports/app-error';
import { correspondenceItem, isCorrespondenceIssue, linkedSummariesOfType } from './correspondence-view';
import { fetchIssue, fetchIssues } from './load-gate-subject';

export interface CorrespondencePanelOptions {
  conventions: JiraConventions;
  signedRecords: SignedRecordStore;
  /** Today (YYYY-MM-DD): whether the response is overdue. */
  today: string;
}

const notCorrespondence = (issue: JiraIssue, conventions: JiraConventions): CorrespondencePanel => ({
  applies: false,
  issueKey: issue.key,
  message: `${issue.key} is not a ${conventions.correspondenceIssueType}, so no quality records answer it here.`,
});

/** The panel from the letter and its answering records, both already read. */
const panelOf = async (issue: JiraIssue, answering: readonly JiraIssue[], options: CorrespondencePanelOptions): Promise<CorrespondencePanel> => {
  const { conventions } = options;
  const correspondence = correspondenceItem(issue, conventions, options.today);
  const records = (await verifiedRecords(options.signedRecords, answering, conventions)).map((record) => answeringRecord(record, correspondence.details));
  return { applies: true, correspondence, records, submissions: linkedSummariesOfType(issue, conventions.submissionIssueType) };
};

const answeringKeys = (issue: JiraIssue, conventions: JiraConventions): string[] => linkedKeys(issue, conventions.correspondenceLinkType, 'inward');

/** `jira` must act as the viewer (asUser). */
export const loadCorrespondencePanel = async (jira: JiraHttp, key: string, options: CorrespondencePanelOptions): Promise<CorrespondencePanel> => {
  const issue = await fetchIssue(jira, key, options.conventions);
  if (!isCorrespondenceIssue(issue, options.conventions)) return notCorrespondence(issue, options.conventions);
  return panelOf(issue, await fetchIssues(jira, answeringKeys(issue, options.conventions), options.conventions), options);
};

/**
 * Links `recordKey` as answering the letter `key` ("<record> answers <letter>"), as the viewer.
 * Three calls: the letter, the record with the letter's current answering records, the link.
 */
export const linkRecordToCorrespondence = async (jira: JiraHttp, key: string, input: LinkRecordInput, options: CorrespondencePanelOptions): Promise<CorrespondencePanel> => {
  const { conventions } = options;
  const issue = await fetchIssue(jira, key, conventions);
  if (!isCorrespondenceIssue(issue, conventions)) throw new AppError('INVALID_INPUT', `${issue.key} is not a ${conventions.correspondenceIssueType}; nothing was linked.`);
  const already = answeringKeys(issue, conventions);
  const fetched = await fetchIssues(jira, [...already, input.recordKey], conventions);
  const record = fetched.find((i) => i.key === input.recordKey);
  if (!record) throw new AppError('NOT_FOUND', `${input.recordKey} does not exist, or you may not see it; nothing was linked.`);
  if (!isQmsIssue(record, conventions)) {
    throw new AppError('INVALID_INPUT', `${record.key} is a ${record.fields.issuetype?.name ?? 'issue of unknown type'}, not a quality record (${Object.keys(conventions.qmsIssueTypes).join(', ')}); only quality records answer a letter. Nothing was linked.`);
  }
  if (already.includes(record.key)) return panelOf(issue, fetched, options);

  // POST /issueLink's `inwardIssue` is the link's source: "<record> answers <letter>".
  await jira.requestJira(route`/rest/api/3/issueLink`, {
    method: 'POST',
    schema: z.unknown(),
    body: { type: { name: conventions.correspondenceLinkType }, inwardIssue: { key: record.key }, outwardIssue: { key: issue.key } },
  });
  return panelOf(issue, fetched, options);
};
