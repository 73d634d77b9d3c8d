/**
 * The health-authority correspondence panel, read and written as the viewer: the letter
 * with its links and properties in one GET, the quality records that answer it in one
 * `bulkfetch` per 100, and the Submissions it concerns straight from the embedded links.
 *
 * Linking a record is one `POST /issueLink` sent as the viewer, so Jira's own permissions
 * decide (browse both issues, link issues in the record's project). Everything is checked
 * before that one write. The link is then recorded in the audit trail (subject: the letter);
 * if that entry cannot be written, the link is removed again as the app, so no link made
 * through the app exists without its entry.
 */
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecords } from './verified-records';
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { NoContent } from '../adapters/jira/jira-http';
import { JiraIssueLinkSchema } from '../adapters/jira/jira-schemas';
import { appendAuditEntry } from '../adapters/kvs/audit-repository';
import type { Signer } from '../domain/model';
import { isQmsIssue, linkedKeys } from '../adapters/jira/issue-mapping';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import type { JiraConventions } from '../config/jira-conventions';
import type { CorrespondencePanel, LinkRecordInput } from '../contract/correspondence';
import { answeringRecord } from '../domain/correspondence';
import { AppError, isAppError } from '../ports/app-error';
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
const panelOf = async (
  issue: JiraIssue,
  answering: readonly JiraIssue[],
  options: CorrespondencePanelOptions,
): Promise<CorrespondencePanel> => {
  const { conventions } = options;
  const correspondence = correspondenceItem(issue, conventions, options.today);
  const records = (await verifiedRecords(options.signedRecords, answering, conventions)).map((record) =>
    answeringRecord(record, correspondence.details),
  );
  return {
    applies: true,
    correspondence,
    records,
    submissions: linkedSummariesOfType(issue, conventions.submissionIssueType),
  };
};

const answeringKeys = (issue: JiraIssue, conventions: JiraConventions): string[] =>
  linkedKeys(issue, conventions.correspondenceLinkType, 'inward');

/** `jira` must act as the viewer (asUser). */
export const loadCorrespondencePanel = async (
  jira: JiraHttp,
  key: string,
  options: CorrespondencePanelOptions,
): Promise<CorrespondencePanel> => {
  const issue = await fetchIssue(jira, key, options.conventions);
  if (!isCorrespondenceIssue(issue, options.conventions)) return notCorrespondence(issue, options.conventions);
  return panelOf(
    issue,
    await fetchIssues(jira, answeringKeys(issue, options.conventions), options.conventions),
    options,
  );
};

export interface LinkRecordDeps {
  /** Who is linking (as Jira names them), asked only when a link is about to be made. */
  actor: () => Promise<Signer>;
  /** Acts as the app: only to remove again the link this invocation made when its audit entry could not be written. */
  appJira: JiraHttp;
  now: () => Date;
}

const LetterLinksSchema = z.looseObject({
  fields: z.looseObject({ issuelinks: z.array(JiraIssueLinkSchema).optional() }),
});

/**
 * Removes the link "<record> answers <letter>" again (as the app); answers whether it is gone.
 * Only called right after this invocation made that link, having seen the letter without it.
 * (Were the same link made by someone else in between, Jira keeps one link for both, and this
 * removes it; their own entry then records a link that is gone, never a link without an entry.)
 */
const unlink = async (appJira: JiraHttp, letterKey: string, recordKey: string, linkType: string): Promise<boolean> => {
  try {
    const letter = await appJira.requestJira(route`/rest/api/3/issue/${letterKey}?fields=issuelinks`, {
      method: 'GET',
      schema: LetterLinksSchema,
    });
    const links = (letter.fields.issuelinks ?? []).filter(
      (link) => link.type.name === linkType && link.inwardIssue?.key === recordKey,
    );
    for (const link of links)
      await appJira.requestJira(route`/rest/api/3/issueLink/${link.id}`, { method: 'DELETE', schema: NoContent });
    return true;
  } catch {
    return false;
  }
};

/**
 * Links `recordKey` as answering the letter `key` ("<record> answers <letter>"), as the viewer,
 * and records it in the audit trail. Four calls: the letter, the record with the letter's
 * current answering records, who is linking, the link.
 */
export const linkRecordToCorrespondence = async (
  jira: JiraHttp,
  key: string,
  input: LinkRecordInput,
  options: CorrespondencePanelOptions & LinkRecordDeps,
): Promise<CorrespondencePanel> => {
  const { conventions } = options;
  const issue = await fetchIssue(jira, key, conventions);
  if (!isCorrespondenceIssue(issue, conventions))
    throw new AppError(
      'INVALID_INPUT',
      `${issue.key} is not a ${conventions.correspondenceIssueType}; nothing was linked.`,
    );
  const already = answeringKeys(issue, conventions);
  const fetched = await fetchIssues(jira, [...already, input.recordKey], conventions);
  const record = fetched.find((i) => i.key === input.recordKey);
  if (!record)
    throw new AppError('NOT_FOUND', `${input.recordKey} does not exist, or you may not see it; nothing was linked.`);
  if (!isQmsIssue(record, conventions)) {
    throw new AppError(
      'INVALID_INPUT',
      `${record.key} is a ${record.fields.issuetype?.name ?? 'issue of unknown type'}, not a quality record (${Object.keys(conventions.qmsIssueTypes).join(', ')}); only quality records answer a letter. Nothing was linked.`,
    );
  }
  if (already.includes(record.key)) return panelOf(issue, fetched, options);
  const actor = await options.actor();

  // POST /issueLink's `inwardIssue` is the link's source: "<record> answers <letter>".
  await jira.requestJira(route`/rest/api/3/issueLink`, {
    method: 'POST',
    schema: z.unknown(),
    body: {
      type: { name: conventions.correspondenceLinkType },
      inwardIssue: { key: record.key },
      outwardIssue: { key: issue.key },
    },
  });
  try {
    // The subject is the letter (a RIM issue): its history may name the record that answers it.
    await appendAuditEntry({
      at: options.now().toISOString(),
      actor,
      action: 'correspondence/link-record',
      subject: issue.key,
      payload: {
        summary: `Linked ${record.key} as answering the letter ${issue.key}`,
        before: null,
        after: { recordKey: record.key, letterKey: issue.key },
      },
    });
  } catch (error) {
    const cause = isAppError(error) ? error : new AppError('INTERNAL', 'Something went wrong in the app.');
    if (await unlink(options.appJira, issue.key, record.key, conventions.correspondenceLinkType)) {
      throw new AppError(
        cause.code,
        `The link could not be recorded in the audit trail (${cause.message}), so it was removed again: nothing was changed. Try again.`,
      );
    }
    throw new AppError(
      cause.code,
      `The link could not be recorded in the audit trail (${cause.message}), and it could not be removed again: remove the link between ${record.key} and ${issue.key} by hand, then link it again.`,
    );
  }
  return panelOf(issue, fetched, options);
};
