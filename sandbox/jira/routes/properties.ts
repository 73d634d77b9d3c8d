/** Issue entity properties: list, get, set, delete. */
import { forbidden, notFound } from '../errors';
import { issuePropertyEvent } from '../events';
import { hasProjectPermission, requireVisibleIssue } from '../permissions';
import { setIssueProperty } from '../writes/properties';
import type { RouteContext, RouteDefinition } from './route-kit';
import { eventContext, json, noContent, param } from './route-kit';

const propertySelf = (ctx: RouteContext, issueKey: string, propertyKey: string) =>
  `${ctx.config.baseUrl}/rest/api/3/issue/${issueKey}/properties/${encodeURIComponent(propertyKey)}`;

const listProperties = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  return json(200, {
    keys: Object.keys(issue.properties).map((key) => ({ key, self: propertySelf(ctx, issue.key, key) })),
  });
};

const getProperty = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const key = param(ctx, 'propertyKey');
  if (!(key in issue.properties)) throw notFound(`The property with key '${key}' does not exist.`);
  return json(200, { key, value: structuredClone(issue.properties[key]) });
};

const setProperty = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  if (!hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'EDIT_ISSUES'))
    throw forbidden('You do not have permission to edit this issue.');
  const key = param(ctx, 'propertyKey');
  const { created } = setIssueProperty(issue, key, ctx.body);
  ctx.events.dispatch('avi:jira:set:issue-property', issuePropertyEvent(eventContext(ctx), issue, key, ctx.body));
  return noContent(created ? 201 : 200);
};

const deleteProperty = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const key = param(ctx, 'propertyKey');
  // Jira answers 404 alike for a missing property and for a user who may not edit the issue.
  if (!(key in issue.properties) || !hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'EDIT_ISSUES')) {
    throw notFound(`The property with key '${key}' does not exist.`);
  }
  delete issue.properties[key];
  ctx.events.dispatch('avi:jira:deleted:issue-property', issuePropertyEvent(eventContext(ctx), issue, key));
  return noContent();
};

export const propertyRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}/properties', handler: listProperties },
  { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', handler: getProperty },
  { method: 'PUT', template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', handler: setProperty },
  { method: 'DELETE', template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', handler: deleteProperty },
];
