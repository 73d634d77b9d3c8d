/**
 * What a Jira admin's configuration screens read: every status and the projects the caller may
 * browse (with their issue types), in the shapes of Jira's REST v3. "My permissions" is in
 * my-permissions.ts.
 */
import type { StoredIssueType, StoredProject } from '../model/state-schema';
import { canBrowseProject } from '../permissions';
import { issueTypeBean, projectFieldBean, statusBean } from '../render/beans';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, queryInt, queryString } from './route-kit';

const getStatuses = (ctx: RouteContext) =>
  json(
    200,
    ctx.store.statuses().map((status) => statusBean(ctx.config.baseUrl, status)),
  );

const issueTypesOf = (ctx: RouteContext, project: StoredProject): StoredIssueType[] =>
  project.issueTypeIds.flatMap((id) => {
    const issueType = ctx.store.issueType(id);
    return issueType ? [issueType] : [];
  });

/** Paged by startAt/maxResults (Jira's default 50, at most 100); `keys` filters; `expand=issueTypes` adds each project's issue types. */
const searchProjects = (ctx: RouteContext) => {
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = Math.min(queryInt(ctx, 'maxResults', 50, 1), 100);
  const keys = ctx.query
    .getAll('keys')
    .flatMap((value) => value.split(','))
    .map((key) => key.trim().toUpperCase())
    .filter((key) => key !== '');
  const expand = (queryString(ctx, 'expand') ?? '').split(',').map((part) => part.trim());
  const visible = ctx.store
    .projects()
    .filter((project) => canBrowseProject(ctx.store, ctx.viewer, project.id))
    .filter((project) => keys.length === 0 || keys.includes(project.key))
    .sort((a, b) => a.key.localeCompare(b.key));
  const page = visible.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= visible.length;
  const self = `${ctx.config.baseUrl}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
  return json(200, {
    self,
    ...(isLast
      ? {}
      : {
          nextPage: `${ctx.config.baseUrl}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}`,
        }),
    maxResults,
    startAt,
    total: visible.length,
    isLast,
    values: page.map((project) => ({
      ...projectFieldBean(ctx.config.baseUrl, project),
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      ...(expand.includes('issueTypes')
        ? { issueTypes: issueTypesOf(ctx, project).map((t) => issueTypeBean(ctx.config.baseUrl, t)) }
        : {}),
    })),
  });
};

/** Jira's ids and names of the permissions the stand-in models. */
export const siteConfigurationRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/status', handler: getStatuses },
  { method: 'GET', template: '/rest/api/3/project/search', handler: searchProjects },
];
