/**
 * GET /rest/api/3/mypermissions: which of the named permissions the caller holds: the global
 * ADMINISTER, and project permissions in a project or on an issue (or, with neither, in any
 * project), as Jira answers it. A project or issue the caller cannot browse answers 404, like
 * a missing one.
 *
 * GET /rest/api/3/user/permission/search ("Find users with permissions"): the users who hold
 * every named project permission on an issue (its issue security included) or in a project,
 * narrowed by `accountId` and `query`. Jira requires the caller to administer Jira or the
 * project; the stand-in lets the app (which holds every project permission, Administer Projects
 * included, as a Forge app's `atlassian-addons-project-access` role does in Jira's default
 * permission scheme) and Jira admins call it, and answers anyone else 403.
 */
import { badRequest, forbidden, notFound } from '../errors';
import { userDetailsBean } from '../render/beans';
import type { ProjectPermission } from '../model/state-schema';
import { ProjectPermissionSchema } from '../model/state-schema';
import { canBrowseIssue, canBrowseProject, hasProjectPermission, requireVisibleIssue } from '../permissions';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, queryInt, queryString } from './route-kit';

/** Jira's ids and names of the permissions the stand-in models. */
const PERMISSION_INFO: Readonly<
  Record<'ADMINISTER' | ProjectPermission, { id: string; name: string; description: string }>
> = {
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
  BROWSE_PROJECTS: {
    id: '10',
    name: 'Browse Projects',
    description: 'Ability to browse projects and the issues within them.',
  },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', description: 'Ability to edit issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', description: 'Ability to delete issues.' },
  LINK_ISSUES: {
    id: '21',
    name: 'Link Issues',
    description: 'Ability to link issues together and create linked issues.',
  },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', description: 'Ability to transition issues.' },
};

type Permission = keyof typeof PERMISSION_INFO;

const requestedPermissions = (ctx: RouteContext): Permission[] => {
  const raw = (queryString(ctx, 'permissions') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (raw.length === 0)
    throw badRequest(
      'The permissions query parameter is required: name the permissions to check, e.g. permissions=BROWSE_PROJECTS,EDIT_ISSUES.',
    );
  return raw.map((key) => {
    if (key === 'ADMINISTER') return key;
    const parsed = ProjectPermissionSchema.safeParse(key);
    if (!parsed.success)
      throw badRequest(
        `The permission key '${key}' is not a permission the Jira stand-in knows (ADMINISTER, ${ProjectPermissionSchema.options.join(', ')}).`,
      );
    return parsed.data;
  });
};

/** The projects the question is about: the one named (by key, id or an issue in it), or every project. */
const projectIdsInContext = (ctx: RouteContext): string[] => {
  const issueKey = queryString(ctx, 'issueKey') ?? queryString(ctx, 'issueId');
  if (issueKey !== undefined) return [requireVisibleIssue(ctx.store, ctx.viewer, issueKey).projectId];
  const projectRef = queryString(ctx, 'projectKey') ?? queryString(ctx, 'projectId');
  if (projectRef !== undefined) {
    const project = ctx.store.projectByIdOrKey(projectRef);
    if (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id))
      throw notFound(`No project could be found with key '${projectRef}'.`);
    return [project.id];
  }
  return ctx.store.projects().map((p) => p.id);
};

const getMyPermissions = (ctx: RouteContext) => {
  const permissions = requestedPermissions(ctx);
  const projectIds = projectIdsInContext(ctx);
  return json(200, {
    permissions: Object.fromEntries(
      permissions.map((key) => [
        key,
        key === 'ADMINISTER'
          ? {
              ...PERMISSION_INFO[key],
              key,
              type: 'GLOBAL',
              havePermission: ctx.viewer.kind === 'user' && ctx.viewer.user.globalPermissions.includes('ADMINISTER'),
            }
          : {
              ...PERMISSION_INFO[key],
              key,
              type: 'PROJECT',
              havePermission: projectIds.some((id) => hasProjectPermission(ctx.store, ctx.viewer, id, key)),
            },
      ]),
    ),
  });
};

const findUsersWithPermissions = (ctx: RouteContext) => {
  if (ctx.viewer.kind !== 'app' && !ctx.viewer.user.globalPermissions.includes('ADMINISTER')) {
    throw forbidden(
      'You do not have the permission to see the specified users: it needs Administer Jira, or Administer Projects for the project.',
    );
  }
  const permissions = requestedPermissions(ctx);
  if (permissions.includes('ADMINISTER'))
    throw badRequest('Only project permissions can be searched for: ADMINISTER is a global permission.');
  const issueKey = queryString(ctx, 'issueKey');
  const projectKey = queryString(ctx, 'projectKey');
  if ((issueKey === undefined) === (projectKey === undefined))
    throw badRequest('Name exactly one of issueKey or projectKey.');
  const issue = issueKey === undefined ? undefined : requireVisibleIssue(ctx.store, ctx.viewer, issueKey);
  const project = issue
    ? ctx.store.project(issue.projectId)
    : projectKey === undefined
      ? undefined
      : ctx.store.projectByIdOrKey(projectKey);
  if (!project) throw notFound(`No project could be found with key '${projectKey ?? ''}'.`);
  const accountId = queryString(ctx, 'accountId');
  const query = queryString(ctx, 'query')?.toLowerCase();
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = queryInt(ctx, 'maxResults', 50, 1);
  const holders = ctx.store
    .users()
    .filter((user) => user.accountType === 'atlassian' && user.active)
    .filter((user) => accountId === undefined || user.accountId === accountId)
    .filter(
      (user) =>
        query === undefined ||
        user.displayName.toLowerCase().includes(query) ||
        (user.email ?? '').toLowerCase().includes(query),
    )
    .filter((user) => {
      const viewer = { kind: 'user' as const, user };
      return (
        (issue === undefined || canBrowseIssue(ctx.store, viewer, issue)) &&
        permissions.every((p) => p !== 'ADMINISTER' && hasProjectPermission(ctx.store, viewer, project.id, p))
      );
    });
  return json(
    200,
    holders.slice(startAt, startAt + maxResults).map((user) => userDetailsBean(ctx.config.baseUrl, user)),
  );
};

export const myPermissionsRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/mypermissions', handler: getMyPermissions },
  { method: 'GET', template: '/rest/api/3/user/permission/search', handler: findUsersWithPermissions },
];
