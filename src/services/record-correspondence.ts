/**
 * The health-authority correspondence a QMS record answers, for the record's impact panel,
 * read as the viewer: the record with its links in one GET, the letters in one `bulkfetch`
 * per 100. Jira leaves out of `issuelinks` and `bulkfetch` every issue the viewer may not
 * browse, so someone without access to the RIM project gets an empty list: no key, no count.
 */
import type { JiraHttp } from '../adapters/jira/jira-http';
import { isQmsIssue, linkedKeys } from '../adapters/jira/issue-mapping';
import type { JiraConventions } from '../config/jira-conventions';
import type { PanelCorrespondence } from '../contract/correspondence';
import { correspondenceItem, isCorrespondenceIssue } from './correspondence-view';
import { fetchIssue, fetchIssues } from './load-gate-subject';

export interface RecordCorrespondenceOptions {
  conventions: JiraConventions;
  /** Today (YYYY-MM-DD): whether a response is overdue. */
  today: string;
}

/** `jira` must act as the viewer (asUser). An issue that is not a QMS record answers no letter. */
export const loadRecordCorrespondence = async (
  jira: JiraHttp,
  recordKey: string,
  options: RecordCorrespondenceOptions,
): Promise<PanelCorrespondence[]> => {
  const { conventions } = options;
  const issue = await fetchIssue(jira, recordKey, conventions);
  if (!isQmsIssue(issue, conventions)) return [];
  const keys = linkedKeys(issue, conventions.correspondenceLinkType, 'outward');
  const letters = await fetchIssues(jira, keys, conventions);
  return letters
    .filter((i) => isCorrespondenceIssue(i, conventions))
    .map((i) => correspondenceItem(i, conventions, options.today));
};
