/**
 * What a Jira admin's configuration screens read: every status, the projects the caller may
 * browse (with their issue types), and "my permissions" (global ADMINISTER and the project
 * permissions), in the shapes of Jira's REST v3.
 */
import { badRequest, notFound } from '../errors';
import { ProjectPermissionSchema } from '../model/state-schema';
import type { ProjectPermission, StoredIssueType, StoredProject } from '../model/state-schema';
import { canBrowseProject, hasProjectPermission } from '../permissions';
import { issueTypeBean, projectFieldBean, statusBean } from '../render/beans';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, queryInt, queryString } from './route-kit';

const getStatuses = (ctx: RouteContext) => json(200, ctx.store.statuses().map((status) => statusBean(ctx.config.baseUrl, status)));

const issueTypesOf = (ctx: RouteContext, project: StoredProject): StoredIssueType[] =>
  project.issueTypeIds.flatMap((id) => {
    const issueType = ctx.store.issueType(id);
    return issueType ? [issueType] : [];
  });

/** Paged by startAt/maxResults (Jira's default 50, at most 100); `keys` filters; `expand=issueTypes` adds each project's issue types. */
const searchProjects = (ctx: RouteContext) => {
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = Math.min(queryInt(ctx, 'maxResults', 50, 1), 100);
  const keys = ctx.query.getAll('keys').flatMap((value) => value.split(',')).map((key) => key.trim().toUpperCase()).filter((key) => key !== '');
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
    ...(isLast ? {} : { nextPage: `${ctx.config.baseUrl}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}` }),
    maxResults,
    startAt,
    total: visible.length,
    isLast,
    values: page.map((project) => ({
      ...projectFieldBean(ctx.config.baseUrl, project),
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      ...(expand.includes('issueTypes') ? { issueTypes: issueTypesOf(ctx, project).map((t) => issueTypeBean(ctx.config.baseUrl, t)) } : {}),
    })),
  });
};

/** Jira's ids and names of the permissions the stand-in models. */
const PERMISSIONS: Readonly<Record<'ADMINISTER' | ProjectPermission, { id: string; name: string; description: string }>> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.' },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', description: 'Ability to edit issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', description: 'Ability to delete issues.' },
  LINK_ISSUES: { id: '21', name: 'Link Issues', description: 'Ability to link issues together.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', description: 'Ability to transition issues.' },
};

const isKnownPermission = (key: string): key is keyof typeof PERMISSIONS => Object.hasOwn(PERMISSIONS, key);

/**
 * `permissions` is required, as in Jira. A project permission without a project is answered
 * for the global context (held in any project); with `projectKey`/`projectId` for that project.
 */
const myPermissions = (ctx: RouteContext) => {
  const requested = (queryString(ctx, 'permissions') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (requested.length === 0) throw badRequest('The permissions parameter is required.');
  const unknown = requested.filter((p) => !isKnownPermission(p));
  if (unknown.length > 0) throw badRequest(`Permission ${unknown[0] ?? ''} not found.`);
  const projectRef = queryString(ctx, 'projectKey') ?? queryString(ctx, 'projectId');
  const project = projectRef === undefined ? undefined : ctx.store.projectByIdOrKey(projectRef);
  if (projectRef !== undefined && (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id))) throw notFound(`No project could be found with key '${projectRef}'.`);
  const holds = (key: keyof typeof PERMISSIONS): boolean => {
    if (key === 'ADMINISTER') return ctx.viewer.kind === 'user' && ctx.viewer.user.globalPermissions.includes('ADMINISTER');
    const permission = ProjectPermissionSchema.parse(key);
    const projects = project ? [project] : ctx.store.projects();
    return projects.some((p) => hasProjectPermission(ctx.store, ctx.viewer, p.id, permission));
  };
  const permissions = Object.fromEntries(
    requested.filter(isKnownPermission).map((key) => {
      const known = PERMISSIONS[key];
      return [key, { id: known.id, key, name: known.name, type: key === 'ADMINISTER' ? 'GLOBAL' : 'PROJECT', description: known.description, havePermission: holds(key) }];
    }),
  );
  return json(200, { permissions });
};

export const siteConfigurationRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/status', handler: getStatuses },
  { method: 'GET', template: '/rest/api/3/project/search', handler: searchProjects },
  { method: 'GET', template: '/rest/api/3/mypermissions', handler: myPermissions },
];
