/**
 * Values of the app's own custom fields, set by the app (`asApp()`) through
 * /app/field/value and /app/field/{fieldIdOrKey}/value. Only the app that declares a field
 * may use these; each change writes the changelog (unless `generateChangelog=false`) and
 * emits `avi:jira:updated:issue` as the app, so triggers with `ignoreSelf` skip it.
 * All updates are checked before any is applied: one bad value refuses the whole request.
 */
import { JiraError, badRequest, forbidden, notFound, parseBody } from '../errors';
import { issueUpdatedEvent } from '../events';
import type { StoredCustomField, StoredIssue } from '../model/state-schema';
import { actorAccountId } from '../permissions';
import { applyFieldEdits, normalizeCustomFieldValue } from '../writes/field-edits';
import { recordHistory } from '../writes/history';
import { CustomFieldValueUpdateSchema, MultipleCustomFieldValuesUpdateSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { eventContext, noContent, param, queryBool } from './route-kit';

interface PlannedUpdate {
  field: StoredCustomField;
  issue: StoredIssue;
  value: unknown;
}

const requireAppField = (ctx: RouteContext, fieldIdOrKey: string): StoredCustomField => {
  const field = ctx.store.customFieldByIdOrKey(fieldIdOrKey);
  if (!field) throw notFound(`The custom field '${fieldIdOrKey}' was not found.`);
  if (!field.ownedByApp)
    throw forbidden(
      `The custom field '${fieldIdOrKey}' is not provided by this app, so the app cannot update its values.`,
    );
  return field;
};

const planUpdates = (
  ctx: RouteContext,
  updates: Array<{ field: StoredCustomField; issueIds: number[]; value: unknown }>,
): PlannedUpdate[] => {
  const seen = new Set<string>();
  return updates.flatMap(({ field, issueIds, value }) => {
    const normalized = normalizeCustomFieldValue(ctx.store, field, value);
    if (!normalized.ok) throw new JiraError(400, [], { [field.id]: normalized.error });
    return issueIds.map((issueId) => {
      const pair = `${field.id}/${issueId}`;
      if (seen.has(pair))
        throw badRequest(
          `Field ${field.id} is updated more than once on issue ${issueId}; each combination of field and issue must be unique.`,
        );
      seen.add(pair);
      const issue = ctx.store.issue(String(issueId));
      if (!issue) throw badRequest(`Issue ${issueId} does not exist.`);
      return { field, issue, value: normalized.value };
    });
  });
};

const applyUpdates = (ctx: RouteContext, planned: PlannedUpdate[]) => {
  const generateChangelog = queryBool(ctx, 'generateChangelog', true);
  const byIssue = new Map<StoredIssue, Map<string, unknown>>();
  for (const { field, issue, value } of planned) {
    const edits = byIssue.get(issue) ?? new Map<string, unknown>();
    edits.set(field.id, value);
    byIssue.set(issue, edits);
  }
  const events = eventContext(ctx);
  for (const [issue, edits] of byIssue) {
    const items = applyFieldEdits(ctx.store, issue, edits);
    if (items.length === 0) continue;
    const instantMs = ctx.store.nextInstant(ctx.config.now);
    if (generateChangelog) {
      const history = recordHistory(ctx.store, issue, actorAccountId(ctx.viewer), items, instantMs);
      ctx.events.dispatch('avi:jira:updated:issue', issueUpdatedEvent(events, issue, history));
    } else {
      issue.updated = new Date(instantMs).toISOString();
      // Jira still tells triggers about the change; the history id is simply not kept.
      ctx.events.dispatch(
        'avi:jira:updated:issue',
        issueUpdatedEvent(events, issue, {
          id: ctx.store.nextId('history'),
          authorAccountId: actorAccountId(ctx.viewer),
          created: issue.updated,
          items,
        }),
      );
    }
  }
  return noContent();
};

const requireApp = (ctx: RouteContext): void => {
  if (ctx.viewer.kind !== 'app')
    throw forbidden(
      'Only the app that provides a custom field can update its values with this operation; call it with asApp().',
    );
};

const updateManyFields = (ctx: RouteContext) => {
  requireApp(ctx);
  const body = parseBody(MultipleCustomFieldValuesUpdateSchema, ctx.body);
  const updates = body.updates.map((u) => ({
    field: requireAppField(ctx, u.customField),
    issueIds: u.issueIds,
    value: u.value,
  }));
  return applyUpdates(ctx, planUpdates(ctx, updates));
};

const updateOneField = (ctx: RouteContext) => {
  requireApp(ctx);
  const field = requireAppField(ctx, param(ctx, 'fieldIdOrKey'));
  const body = parseBody(CustomFieldValueUpdateSchema, ctx.body);
  return applyUpdates(
    ctx,
    planUpdates(
      ctx,
      body.updates.map((u) => ({ field, issueIds: u.issueIds, value: u.value })),
    ),
  );
};

export const appFieldValueRoutes: RouteDefinition[] = [
  // The spec documents the bulk form as POST (not PUT).
  { method: 'POST', template: '/rest/api/3/app/field/value', handler: updateManyFields },
  { method: 'PUT', template: '/rest/api/3/app/field/{fieldIdOrKey}/value', handler: updateOneField },
];
