/**
 * The admin page's Jira mapping: read it with what Jira has (as the admin sees it), and save
 * it only when every project, issue type, status and link type it names exists in Jira.
 * A mapping that names something Jira does not have would make every gate refuse or, worse,
 * pass on the wrong issues; so a bad mapping is refused whole, with each problem named.
 */
import { whoAmI } from '../adapters/jira/myself';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { fetchSiteConfiguration } from '../adapters/jira/site-configuration';
import type { SiteConfiguration } from '../adapters/jira/site-configuration';
import { loadStoredSiteConfig, saveSiteConfigAudited } from '../adapters/kvs/conventions-repository';
import { DEFAULT_JIRA_CONVENTIONS } from '../config/jira-conventions';
import type { JiraConventions } from '../config/jira-conventions';
import type { MappingProblem, MappingSaveResult, SiteMapping } from '../contract/admin-page';

const RECORD_FIELD_ID = /^(customfield_[1-9][0-9]*|[a-z][A-Za-z]*)$/;

/** Every name in the mapping that Jira (as this admin sees it) does not have, and every mapping that cannot work. */
export const mappingProblems = (conventions: JiraConventions, site: SiteConfiguration): MappingProblem[] => {
  const problems: MappingProblem[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const projectByKey = new Map(site.projects.map((p) => [p.key, p]));
  const statusNames = new Set(site.statuses.map((s) => s.name));
  const linkTypeNames = new Set(site.linkTypes.map((t) => t.name));

  conventions.qmsProjectKeys.forEach((key, i) => {
    if (!projectByKey.has(key)) problem(`qmsProjectKeys.${i}`, `Jira has no project ${key}, or you cannot browse it`);
    if (key === conventions.rimProjectKey)
      problem(`qmsProjectKeys.${i}`, `${key} is the RIM project; a project cannot be both`);
  });
  const qmsTypes = new Set(conventions.qmsProjectKeys.flatMap((key) => projectByKey.get(key)?.issueTypes ?? []));
  for (const typeName of Object.keys(conventions.qmsIssueTypes)) {
    if (!qmsTypes.has(typeName))
      problem(
        `qmsIssueTypes.${typeName}`,
        `no QMS project (${conventions.qmsProjectKeys.join(', ')}) has the issue type "${typeName}"`,
      );
  }
  if (Object.keys(conventions.qmsIssueTypes).length === 0)
    problem('qmsIssueTypes', 'map at least one issue type to a kind of quality record');

  const rim = projectByKey.get(conventions.rimProjectKey);
  if (!rim) problem('rimProjectKey', `Jira has no project ${conventions.rimProjectKey}, or you cannot browse it`);
  for (const [path, typeName] of [
    ['submissionIssueType', conventions.submissionIssueType],
    ['commitmentIssueType', conventions.commitmentIssueType],
    ['correspondenceIssueType', conventions.correspondenceIssueType],
  ] as const) {
    if (rim && !rim.issueTypes.includes(typeName))
      problem(path, `the RIM project ${rim.key} has no issue type "${typeName}"`);
  }
  if (conventions.submissionIssueType === conventions.commitmentIssueType)
    problem('commitmentIssueType', 'Submissions and Commitments need different issue types');

  const linkTypes = [
    ['filingLinkType', conventions.filingLinkType],
    ['commitmentLinkType', conventions.commitmentLinkType],
    ['correspondenceLinkType', conventions.correspondenceLinkType],
  ] as const;
  for (const [path, name] of linkTypes) {
    if (!linkTypeNames.has(name)) problem(path, `Jira has no issue link type "${name}"`);
  }
  linkTypes.forEach(([path, name], i) => {
    if (linkTypes.slice(0, i).some(([, earlier]) => earlier === name))
      problem(
        path,
        `"${name}" is already used for another kind of link; filings, commitments and correspondence need different link types`,
      );
  });

  conventions.approvalStatusNames.forEach((name, i) => {
    if (!statusNames.has(name)) problem(`approvalStatusNames.${i}`, `Jira has no status "${name}"`);
  });
  for (const [group, mapping] of [
    ['submissionStatuses', conventions.submissionStatuses],
    ['commitmentStatuses', conventions.commitmentStatuses],
    ['correspondenceStatuses', conventions.correspondenceStatuses],
  ] as const) {
    for (const name of Object.keys(mapping)) {
      if (!statusNames.has(name)) problem(`${group}.${name}`, `Jira has no status "${name}"`);
    }
  }
  // Without these the prior-approval and commitment gates could never open.
  if (!Object.values(conventions.submissionStatuses).includes('approved'))
    problem(
      'submissionStatuses',
      'no status means "approved by the health authority"; the prior-approval gate could never pass',
    );
  if (!Object.values(conventions.commitmentStatuses).includes('fulfilled'))
    problem('commitmentStatuses', 'no status means "fulfilled"');

  for (const [name, fieldId] of Object.entries(conventions.recordFields)) {
    if (!RECORD_FIELD_ID.test(fieldId))
      problem(`recordFields.${name}`, `"${fieldId}" is not a Jira field id such as customfield_10060`);
  }
  return problems;
};

/** The mapping in force and what Jira has, read as the admin. */
export const loadSiteMapping = async (jira: JiraHttp): Promise<SiteMapping> => {
  const [stored, site] = await Promise.all([loadStoredSiteConfig(), fetchSiteConfiguration(jira)]);
  return stored
    ? { stored: true, conventions: stored.conventions, savedAt: stored.savedAt, savedBy: stored.savedBy, site }
    : { stored: false, conventions: DEFAULT_JIRA_CONVENTIONS, site };
};

/** Checks the mapping against Jira as the admin, then stores it with its audit entry in one transaction; on any problem nothing is written. */
export const saveSiteMapping = async (
  jira: JiraHttp,
  conventions: JiraConventions,
  now: Date,
): Promise<MappingSaveResult> => {
  const [site, me] = await Promise.all([fetchSiteConfiguration(jira), whoAmI(jira)]);
  const problems = mappingProblems(conventions, site);
  if (problems.length > 0) {
    const count = problems.length;
    return {
      saved: false,
      message: `The mapping was not saved: ${count} ${count === 1 ? 'problem' : 'problems'}. Nothing was changed; the app still runs on the mapping in force.`,
      problems,
    };
  }
  const saved = await saveSiteConfigAudited({
    conventions,
    savedAt: now.toISOString(),
    savedBy: { accountId: me.accountId, displayName: me.displayName.slice(0, 200) },
  });
  return { saved: true, savedAt: saved.savedAt, savedBy: saved.savedBy };
};
