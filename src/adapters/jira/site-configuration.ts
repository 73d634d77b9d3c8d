/**
 * The site's configuration as a person sees it: statuses, the projects they may browse with
 * their issue types, the issue link types, and whether they are a Jira admin. Read as the
 * admin (asUser) by the admin page and the validator configuration views.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from './jira-http';
import { JiraIssueTypeSchema, JiraStatusSchema } from './jira-schemas';

export const JiraProjectPageSchema = z.looseObject({
  values: z.array(
    z.looseObject({
      id: z.string(),
      key: z.string(),
      name: z.string(),
      issueTypes: z.array(JiraIssueTypeSchema).optional(),
    }),
  ),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});

export const JiraLinkTypesSchema = z.looseObject({
  issueLinkTypes: z.array(z.looseObject({ id: z.string(), name: z.string(), inward: z.string(), outward: z.string() })),
});

const MyPermissionsSchema = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean().optional() })),
});

export interface SiteStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done' | 'undefined';
}

export interface SiteProject {
  id: string;
  key: string;
  name: string;
  issueTypes: string[];
}

export interface SiteConfiguration {
  projects: SiteProject[];
  statuses: SiteStatus[];
  linkTypes: { name: string; inward: string; outward: string }[];
}

export const fetchStatuses = async (jira: JiraHttp): Promise<SiteStatus[]> => {
  const statuses = await jira.requestJira(route`/rest/api/3/status`, {
    method: 'GET',
    schema: z.array(JiraStatusSchema),
  });
  return statuses.map((s) => ({ id: s.id, name: s.name, category: s.statusCategory.key }));
};

const PROJECT_PAGE = 50;
/** Far beyond any QMS/RIM site; stops a Jira that never says "last page". */
const MAX_PROJECT_PAGES = 40;

export const fetchProjects = async (jira: JiraHttp): Promise<SiteProject[]> => {
  const projects: SiteProject[] = [];
  for (let page = 0; page < MAX_PROJECT_PAGES; page++) {
    const startAt = page * PROJECT_PAGE;
    const answer = await jira.requestJira(
      route`/rest/api/3/project/search?expand=issueTypes&startAt=${startAt}&maxResults=${PROJECT_PAGE}`,
      { method: 'GET', schema: JiraProjectPageSchema },
    );
    projects.push(
      ...answer.values.map((p) => ({
        id: p.id,
        key: p.key,
        name: p.name,
        issueTypes: (p.issueTypes ?? []).map((t) => t.name),
      })),
    );
    if (answer.isLast !== false || answer.values.length === 0) break;
  }
  return projects;
};

export const fetchLinkTypes = async (jira: JiraHttp): Promise<SiteConfiguration['linkTypes']> => {
  const answer = await jira.requestJira(route`/rest/api/3/issueLinkType`, {
    method: 'GET',
    schema: JiraLinkTypesSchema,
  });
  return answer.issueLinkTypes.map(({ name, inward, outward }) => ({ name, inward, outward }));
};

export const fetchSiteConfiguration = async (jira: JiraHttp): Promise<SiteConfiguration> => {
  const [projects, statuses, linkTypes] = await Promise.all([
    fetchProjects(jira),
    fetchStatuses(jira),
    fetchLinkTypes(jira),
  ]);
  return { projects, statuses, linkTypes };
};

/** Whether the person holds Jira's global "Administer Jira" permission. */
export const isJiraAdmin = async (jira: JiraHttp): Promise<boolean> => {
  const answer = await jira.requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, {
    method: 'GET',
    schema: MyPermissionsSchema,
  });
  return answer.permissions['ADMINISTER']?.havePermission === true;
};
