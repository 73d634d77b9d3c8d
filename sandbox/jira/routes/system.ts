/** The site-level reads: who am I, a project, the link types. */
import { notFound } from '../errors';
import { canBrowseProject } from '../permissions';
import { linkTypeBean, projectBean, userBean } from '../render/beans';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, param } from './route-kit';

const getMyself = (ctx: RouteContext) => json(200, userBean(ctx.config.baseUrl, ctx.viewer.user));

const getProject = (ctx: RouteContext) => {
  const idOrKey = param(ctx, 'projectIdOrKey');
  const project = ctx.store.projectByIdOrKey(idOrKey);
  if (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id)) {
    throw notFound(`No project could be found with key '${idOrKey}'.`);
  }
  const lead = ctx.store.user(project.leadAccountId);
  const issueTypes = project.issueTypeIds.flatMap((id) => {
    const issueType = ctx.store.issueType(id);
    return issueType ? [issueType] : [];
  });
  return json(200, projectBean(ctx.config.baseUrl, project, lead ? userBean(ctx.config.baseUrl, lead) : undefined, issueTypes));
};

const getIssueLinkTypes = (ctx: RouteContext) =>
  json(200, { issueLinkTypes: ctx.store.linkTypes().map((linkType) => linkTypeBean(ctx.config.baseUrl, linkType)) });

export const systemRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/myself', handler: getMyself },
  { method: 'GET', template: '/rest/api/3/project/{projectIdOrKey}', handler: getProject },
  { method: 'GET', template: '/rest/api/3/issueLinkType', handler: getIssueLinkTypes },
];
