/** The site-level reads: who am I, a project, the link types, the fields. */
import { notFound } from '../errors';
import { canBrowseProject } from '../permissions';
import { linkTypeBean, projectBean, userBean } from '../render/beans';
import { SYSTEM_FIELD_NAMES } from '../render/issue-bean';
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
  return json(
    200,
    projectBean(ctx.config.baseUrl, project, lead ? userBean(ctx.config.baseUrl, lead) : undefined, issueTypes),
  );
};

const getIssueLinkTypes = (ctx: RouteContext) =>
  json(200, { issueLinkTypes: ctx.store.linkTypes().map((linkType) => linkTypeBean(ctx.config.baseUrl, linkType)) });

/**
 * Every field, as Jira lists them to anyone: system fields, then custom fields with their
 * key. A Forge field's key is `<app id>__<environment>__<module key>`, which is how the app
 * finds its own field's id on a site.
 */
const getFields = (ctx: RouteContext) =>
  json(200, [
    ...Object.entries(SYSTEM_FIELD_NAMES).map(([id, name]) => ({
      id,
      key: id,
      name,
      custom: false,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [id],
      schema: { type: 'string', system: id },
    })),
    ...ctx.store.customFields().map((field) => {
      const customId = Number(field.id.slice('customfield_'.length));
      return {
        id: field.id,
        key: field.key,
        name: field.name,
        custom: true,
        orderable: true,
        navigable: true,
        searchable: true,
        clauseNames: [`cf[${customId}]`, field.name],
        schema: {
          type: field.type === 'object' ? 'any' : field.type,
          custom: `ari:cloud:ecosystem::extension/sandbox/static/${field.key.split('__').at(-1) ?? field.key}`,
          customId,
        },
      };
    }),
  ]);

export const systemRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/field', handler: getFields },
  { method: 'GET', template: '/rest/api/3/myself', handler: getMyself },
  { method: 'GET', template: '/rest/api/3/project/{projectIdOrKey}', handler: getProject },
  { method: 'GET', template: '/rest/api/3/issueLinkType', handler: getIssueLinkTypes },
];
