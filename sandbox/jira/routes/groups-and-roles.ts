/**
 * Groups, project roles and Jira expressions: what the app's signing rules read.
 *
 * - GET /group/bulk: every group, paged. Needs "Browse users and groups", which Jira Cloud
 *   grants product users by default; the stand-in grants it to everyone.
 * - GET /project/{key}/roledetails: the project roles (one list site-wide), for a Jira admin (or
 *   the app); `currentMember=true` keeps the caller's own roles. Anyone else gets Jira's 404.
 * - POST /expression/evaluate: a Jira expression with `user` (accountId, displayName, groups,
 *   getProjectRoles(project)) and, when the context names them, `issue` (id, key, summary,
 *   project) and `project` (id, key, name). Only these properties exist here, and only the
 *   portable subset of the language (model/expressions.ts) is evaluated.
 */
import { z } from 'zod';
import { JiraError, badRequest, issueNotFound, notFound, parseBody } from '../errors';
import { evaluateExpression } from '../model/expressions';
import type { StoredProject } from '../model/state-schema';
import { canBrowseProject, requireVisibleIssue } from '../permissions';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, param, queryBool, queryInt } from './route-kit';

const groupsOf = (ctx: RouteContext, accountId: string): string[] =>
  Object.values(ctx.store.data.groups)
    .filter((g) => g.memberAccountIds.includes(accountId))
    .map((g) => g.name)
    .sort((a, b) => a.localeCompare(b));

const rolesOf = (ctx: RouteContext, project: StoredProject, accountId: string) =>
  Object.values(ctx.store.data.projectRoles).filter((role) => (project.roleActors[role.id] ?? []).includes(accountId));

const getGroups = (ctx: RouteContext) => {
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = Math.min(queryInt(ctx, 'maxResults', 50, 1), 100);
  const all = Object.values(ctx.store.data.groups).sort((a, b) => a.name.localeCompare(b.name));
  const page = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= all.length;
  return json(200, {
    self: `${ctx.config.baseUrl}/rest/api/3/group/bulk?startAt=${startAt}&maxResults=${maxResults}`,
    ...(isLast
      ? {}
      : {
          nextPage: `${ctx.config.baseUrl}/rest/api/3/group/bulk?startAt=${startAt + maxResults}&maxResults=${maxResults}`,
        }),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values: page.map((g) => ({ groupId: g.groupId, name: g.name })),
  });
};

const getRoleDetails = (ctx: RouteContext) => {
  const idOrKey = param(ctx, 'projectIdOrKey');
  const project = ctx.store.projectByIdOrKey(idOrKey);
  const isAdmin = ctx.viewer.kind === 'app' || ctx.viewer.user.globalPermissions.includes('ADMINISTER');
  if (!project || !isAdmin || !canBrowseProject(ctx.store, ctx.viewer, project.id))
    throw notFound(`No project could be found with key '${idOrKey}'.`);
  const onlyMine = queryBool(ctx, 'currentMember', false);
  const roles = onlyMine
    ? rolesOf(ctx, project, ctx.viewer.user.accountId)
    : Object.values(ctx.store.data.projectRoles);
  return json(
    200,
    roles
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((role) => ({
        self: `${ctx.config.baseUrl}/rest/api/3/project/${project.id}/role/${role.id}`,
        name: role.name,
        id: Number(role.id),
        description: role.description,
        admin: false,
        default: false,
        roleConfigurable: true,
        translatedName: role.name,
      })),
  );
};

const RefSchema = z.looseObject({ id: z.union([z.number(), z.string()]).optional(), key: z.string().optional() });
const EvaluateBodySchema = z.looseObject({
  expression: z.string().min(1),
  context: z.looseObject({ issue: RefSchema.optional(), project: RefSchema.optional() }).optional(),
});

const evaluationFailed = (message: string): JiraError => new JiraError(400, [`Evaluation failed: ${message}`]);

const postEvaluate = (ctx: RouteContext) => {
  const body = parseBody(EvaluateBodySchema, ctx.body);
  const viewer = ctx.viewer.user;
  const projectObject = (project: StoredProject) => ({ id: Number(project.id), key: project.key, name: project.name });
  const variables: Record<string, unknown> = {
    user: {
      accountId: viewer.accountId,
      displayName: viewer.displayName,
      groups: groupsOf(ctx, viewer.accountId),
      getProjectRoles: (project: unknown) => {
        const key = z.looseObject({ key: z.string() }).safeParse(project);
        if (!key.success) throw evaluationFailed('getProjectRoles needs a project.');
        const stored = ctx.store.projectByIdOrKey(key.data.key);
        return stored
          ? rolesOf(ctx, stored, viewer.accountId).map((role) => ({ id: Number(role.id), name: role.name }))
          : [];
      },
    },
  };
  const issueRef = body.context?.issue;
  if (issueRef) {
    const idOrKey = issueRef.key ?? (issueRef.id === undefined ? undefined : String(issueRef.id));
    if (idOrKey === undefined) throw badRequest('The issue in the context needs an id or a key.');
    let issue;
    try {
      issue = requireVisibleIssue(ctx.store, ctx.viewer, idOrKey);
    } catch {
      throw issueNotFound();
    }
    const project = ctx.store.project(issue.projectId);
    variables['issue'] = {
      id: Number(issue.id),
      key: issue.key,
      summary: issue.summary,
      project: project ? projectObject(project) : null,
    };
  }
  const projectRef = body.context?.project;
  if (projectRef) {
    const idOrKey = projectRef.key ?? (projectRef.id === undefined ? undefined : String(projectRef.id));
    const project = idOrKey === undefined ? undefined : ctx.store.projectByIdOrKey(idOrKey);
    if (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id))
      throw notFound(`No project could be found with key '${idOrKey ?? ''}'.`);
    variables['project'] = projectObject(project);
  }
  let value: unknown;
  try {
    value = evaluateExpression(body.expression, variables);
  } catch (error) {
    if (error instanceof JiraError) throw error;
    throw evaluationFailed(error instanceof Error ? error.message : String(error));
  }
  // What Jira sends back is JSON: functions and undefined are dropped, as serialising drops them.
  return json(200, { value: value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown) });
};

export const groupsAndRolesRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/group/bulk', handler: getGroups },
  { method: 'GET', template: '/rest/api/3/project/{projectIdOrKey}/roledetails', handler: getRoleDetails },
  { method: 'POST', template: '/rest/api/3/expression/evaluate', handler: postEvaluate },
];
