/**
 * A health-authority correspondence issue as the panels list it, from an issue already read.
 * Lenient on purpose: a letter whose `qmsrim.correspondence` is missing or not valid, or whose
 * status is not mapped, is still listed by key, summary and status, so one bad value never
 * hides the letter or breaks the panel that lists it.
 */
import { statusOf, toIssueStatus } from '../adapters/jira/issue-mapping';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import type { JiraConventions } from '../config/jira-conventions';
import { CORRESPONDENCE_PROPERTY_KEY } from '../config/jira-conventions';
import type { LinkedIssueSummary, PanelCorrespondence } from '../contract/correspondence';
import { CorrespondencePropertySchema, responseTimeliness } from '../domain/correspondence';

export const isCorrespondenceIssue = (issue: Pick<JiraIssue, 'fields'>, conventions: JiraConventions): boolean =>
  issue.fields.issuetype?.name === conventions.correspondenceIssueType;

export const correspondenceItem = (
  issue: JiraIssue,
  conventions: JiraConventions,
  today: string,
): PanelCorrespondence => {
  const status = statusOf(issue);
  const base = { key: issue.key, summary: issue.fields.summary ?? '', status };
  const details = CorrespondencePropertySchema.safeParse(issue.properties?.[CORRESPONDENCE_PROPERTY_KEY]);
  const state = conventions.correspondenceStatuses[status.name];
  if (!details.success || state === undefined) return base;
  return {
    ...base,
    details: details.data,
    state,
    timeliness: responseTimeliness({ state, property: details.data }, today),
  };
};

/** Issues linked to `issue` (any link type, either direction) whose type is `issueType`, by key, in link order. */
export const linkedKeysOfType = (issue: JiraIssue, issueType: string): string[] => [
  ...new Set(
    (issue.fields.issuelinks ?? []).flatMap((link) => {
      const other = link.outwardIssue ?? link.inwardIssue;
      return other !== undefined && other.fields?.issuetype?.name === issueType ? [other.key] : [];
    }),
  ),
];

/** The other end of each link to an issue of `issueType`, as Jira embeds it in `issuelinks` (no extra call). */
export const linkedSummariesOfType = (issue: JiraIssue, issueType: string): LinkedIssueSummary[] => {
  const byKey = new Map<string, LinkedIssueSummary>();
  for (const link of issue.fields.issuelinks ?? []) {
    const other = link.outwardIssue ?? link.inwardIssue;
    const status = other?.fields?.status;
    if (
      other === undefined ||
      other.fields?.issuetype?.name !== issueType ||
      status === undefined ||
      byKey.has(other.key)
    )
      continue;
    byKey.set(other.key, { key: other.key, summary: other.fields.summary ?? '', status: toIssueStatus(status) });
  }
  return [...byKey.values()];
};
