/** GET, POST, PUT and DELETE of one issue. */
import { JiraError, badRequest, fieldErrors, forbidden, parseBody } from '../errors';
import { issueCreatedEvent, issueDeletedEvent, issuePropertyEvent, issueUpdatedEvent } from '../events';
import type { StoredIssueType, StoredProject } from '../model/state-schema';
import { actorAccountId, canBrowseProject, hasProjectPermission, requireVisibleIssue } from '../permissions';
import { renderIssueBean } from '../render/issue-bean';
import { parseExpand, parseFieldSelection, parsePropertySelection } from '../render/selection';
import { insertNewIssue } from '../writes/create-issue';
import { applyFieldEdits, isSettableOnEditScreen, resolveFieldEdits } from '../writes/field-edits';
import { checkFieldValidations } from '../writes/field-validation';
import { recordHistory } from '../writes/history';
import { checkPropertyWrite, setIssueProperty } from '../writes/properties';
import { IssueTypeRefSchema, IssueUpdateDetailsSchema, ProjectRefSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { eventContext, json, noContent, param, queryBool, queryList, queryString } from './route-kit';

const getIssue = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const expand = parseExpand(queryList(ctx, 'expand'));
  return json(
    200,
    renderIssueBean(ctx.render, issue, {
      fields: parseFieldSelection(queryList(ctx, 'fields'), '*all'),
      properties: parsePropertySelection(queryList(ctx, 'properties')),
      expand,
    }),
  );
};

const resolveProject = (ctx: RouteContext, raw: unknown): StoredProject | string => {
  const ref = ProjectRefSchema.safeParse(raw);
  if (!ref.success) return 'Specify a valid project ID or key';
  const project = ctx.store.projectByIdOrKey(ref.data);
  // A project the user cannot browse does not exist as far as they can tell.
  if (!project || !canBrowseProject(ctx.store, ctx.viewer, project.id)) return 'Specify a valid project ID or key';
  if (!hasProjectPermission(ctx.store, ctx.viewer, project.id, 'CREATE_ISSUES'))
    return 'You do not have permission to create issues in this project.';
  return project;
};

const resolveIssueType = (
  ctx: RouteContext,
  project: StoredProject | undefined,
  raw: unknown,
): StoredIssueType | string => {
  if (raw === undefined) return 'Specify an issue type';
  const ref = IssueTypeRefSchema.safeParse(raw);
  if (!ref.success) return 'Specify an issue type';
  const issueType =
    ref.data.id !== undefined ? ctx.store.issueType(ref.data.id) : ctx.store.issueTypeByName(ref.data.name ?? '');
  if (!issueType || (project && !project.issueTypeIds.includes(issueType.id)))
    return 'The issue type selected is invalid.';
  return issueType;
};

const createIssue = (ctx: RouteContext) => {
  const body = parseBody(IssueUpdateDetailsSchema, ctx.body);
  if (body.transition !== undefined)
    throw badRequest(
      'The Jira stand-in does not apply a transition on create; create the issue, then POST its transition.',
    );
  const { project: rawProject, issuetype: rawIssueType, ...otherFields } = body.fields ?? {};

  const errors: Record<string, string> = {};
  const project = resolveProject(ctx, rawProject);
  if (typeof project === 'string') errors.project = project;
  const issueType = resolveIssueType(ctx, typeof project === 'string' ? undefined : project, rawIssueType);
  if (typeof issueType === 'string') errors.issuetype = issueType;
  if (otherFields.summary === undefined && body.update?.summary === undefined)
    errors.summary = 'You must specify a summary of the issue.';
  let edits = new Map<string, unknown>();
  try {
    edits = resolveFieldEdits(
      ctx.store,
      undefined,
      { fields: otherFields, update: body.update },
      isSettableOnEditScreen(ctx.store),
    );
    checkFieldValidations(ctx.store, undefined, edits);
  } catch (error) {
    if (!(error instanceof JiraError)) throw error;
    Object.assign(errors, error.errors);
  }
  for (const property of body.properties ?? []) checkPropertyWrite(property.key, property.value);
  if (typeof project === 'string' || typeof issueType === 'string' || Object.keys(errors).length > 0)
    throw fieldErrors(errors);
  if (!ctx.store.workflowFor({ projectId: project.id, issueTypeId: issueType.id })) {
    throw new JiraError(422, [
      `No workflow is configured for issue type '${issueType.name}' in project ${project.key}.`,
    ]);
  }

  const issue = insertNewIssue(ctx.store, {
    project,
    issueType,
    edits,
    creatorAccountId: actorAccountId(ctx.viewer),
    createdMs: ctx.store.nextInstant(ctx.config.now),
    properties: Object.fromEntries((body.properties ?? []).map((p) => [p.key, p.value])),
  });
  ctx.events.dispatch('avi:jira:created:issue', issueCreatedEvent(eventContext(ctx), issue));
  return json(201, { id: issue.id, key: issue.key, self: `${ctx.config.baseUrl}/rest/api/3/issue/${issue.id}` });
};

const editIssue = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const body = parseBody(IssueUpdateDetailsSchema, ctx.body);
  const mayEdit = hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'EDIT_ISSUES');
  // Without Edit issues the edit screen has no fields, so every field "cannot be set", as in Jira.
  const edits = resolveFieldEdits(
    ctx.store,
    issue,
    { fields: body.fields, update: body.update },
    mayEdit ? isSettableOnEditScreen(ctx.store) : () => false,
  );
  checkFieldValidations(ctx.store, issue, edits);
  if (!mayEdit && (body.properties?.length ?? 0) > 0)
    throw badRequest('You do not have permission to edit issues in this project.');
  for (const property of body.properties ?? []) checkPropertyWrite(property.key, property.value);

  const items = applyFieldEdits(ctx.store, issue, edits);
  const events = eventContext(ctx);
  if (items.length > 0) {
    const history = recordHistory(
      ctx.store,
      issue,
      actorAccountId(ctx.viewer),
      items,
      ctx.store.nextInstant(ctx.config.now),
    );
    ctx.events.dispatch('avi:jira:updated:issue', issueUpdatedEvent(events, issue, history));
  }
  for (const property of body.properties ?? []) {
    setIssueProperty(issue, property.key, property.value);
    ctx.events.dispatch('avi:jira:set:issue-property', issuePropertyEvent(events, issue, property.key, property.value));
  }
  if (queryBool(ctx, 'returnIssue', false)) {
    return json(
      200,
      renderIssueBean(ctx.render, issue, {
        fields: parseFieldSelection(undefined, '*all'),
        expand: parseExpand([queryString(ctx, 'expand') ?? '']),
      }),
    );
  }
  return noContent();
};

const deleteIssue = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  if (!hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'DELETE_ISSUES'))
    throw forbidden('You do not have permission to delete issues in this project.');
  // The issue's links go with it; Jira sends no link events for that cascade.
  for (const link of ctx.store.linksOf(issue.id)) ctx.store.removeLink(link.id);
  ctx.events.dispatch('avi:jira:deleted:issue', issueDeletedEvent(eventContext(ctx), issue));
  ctx.store.deleteIssue(issue.id);
  return noContent();
};

export const issueRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}', handler: getIssue },
  { method: 'POST', template: '/rest/api/3/issue', handler: createIssue },
  { method: 'PUT', template: '/rest/api/3/issue/{issueIdOrKey}', handler: editIssue },
  { method: 'DELETE', template: '/rest/api/3/issue/{issueIdOrKey}', handler: deleteIssue },
];
