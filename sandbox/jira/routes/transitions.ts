/**
 * Listing and performing transitions. Performing one runs the app's workflow validators
 * configured on it, as Jira does, before anything changes: a validator that says no,
 * answers something that is not a verdict, or throws refuses the transition (fail closed).
 */
import { z } from 'zod';
import type { ValidatorInvocation } from '../config';
import { JiraError, badRequest, parseBody } from '../errors';
import { issueUpdatedEvent } from '../events';
import type { ChangeItem, StoredIssue, StoredTransition, ValidatorConfig } from '../model/state-schema';
import { actorAccountId, hasProjectPermission, requireVisibleIssue } from '../permissions';
import { DONE_RESOLUTION } from '../render/issue-bean';
import { transitionBean } from '../render/transitions';
import { applyFieldEdits, isSettableOnEditScreen, resolveFieldEdits } from '../writes/field-edits';
import { recordHistory } from '../writes/history';
import { transitionsFrom } from '../workflow';
import { IssueUpdateDetailsSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { eventContext, json, noContent, param, queryString } from './route-kit';

const getTransitions = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  // Without Transition issues Jira lists nothing rather than refusing.
  const mayTransition = hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'TRANSITION_ISSUES');
  const wanted = queryString(ctx, 'transitionId');
  const transitions = mayTransition
    ? transitionsFrom(ctx.store, issue).filter((t) => wanted === undefined || t.id === wanted)
    : [];
  return json(200, { expand: 'transitions', transitions: transitions.map((t) => transitionBean(ctx.render, t)) });
};

const ValidatorVerdictSchema = z.object({ result: z.boolean(), errorMessage: z.string().optional() });

/** Runs one validator; answers the message to refuse with, or undefined to let it pass. */
const runValidator = async (
  ctx: RouteContext,
  validator: ValidatorConfig,
  invocation: Omit<ValidatorInvocation, 'moduleKey' | 'configuration'>,
): Promise<string | undefined> => {
  const runner = ctx.config.runValidator;
  if (!runner)
    return `The workflow validator '${validator.moduleKey}' could not run (no validator runner is configured), so the transition was refused.`;
  let answer: unknown;
  try {
    answer = await runner({
      moduleKey: validator.moduleKey,
      configuration: structuredClone(validator.configuration),
      ...invocation,
    });
  } catch (error) {
    return `The workflow validator '${validator.moduleKey}' failed (${error instanceof Error ? error.message : String(error)}), so the transition was refused.`;
  }
  const verdict = ValidatorVerdictSchema.safeParse(answer);
  if (!verdict.success)
    return `The workflow validator '${validator.moduleKey}' did not answer { result: boolean }, so the transition was refused.`;
  if (verdict.data.result) return undefined;
  return verdict.data.errorMessage ?? `The workflow validator '${validator.moduleKey}' refused the transition.`;
};

const statusChangeItems = (
  ctx: RouteContext,
  issue: StoredIssue,
  transition: StoredTransition,
  instantMs: number,
): ChangeItem[] => {
  const from = ctx.store.status(issue.statusId);
  const to = ctx.store.status(transition.toStatusId);
  if (!to)
    throw new JiraError(422, [
      `Transition ${transition.id} leads to status ${transition.toStatusId}, which does not exist.`,
    ]);
  const items: ChangeItem[] = [];
  if (issue.statusId !== to.id) {
    items.push({
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from: issue.statusId,
      fromString: from?.name ?? null,
      to: to.id,
      toString: to.name,
    });
    issue.statusId = to.id;
  }
  // Jira's simplified workflows resolve an issue on entering a done status and unresolve it on leaving.
  const resolve = to.category === 'done';
  if (resolve !== issue.resolved) {
    items.push(
      resolve
        ? {
            field: 'resolution',
            fieldtype: 'jira',
            fieldId: 'resolution',
            from: null,
            fromString: null,
            to: DONE_RESOLUTION.id,
            toString: DONE_RESOLUTION.name,
          }
        : {
            field: 'resolution',
            fieldtype: 'jira',
            fieldId: 'resolution',
            from: DONE_RESOLUTION.id,
            fromString: DONE_RESOLUTION.name,
            to: null,
            toString: null,
          },
    );
    issue.resolved = resolve;
    issue.resolutionDate = resolve ? new Date(instantMs).toISOString() : null;
  }
  return items;
};

const performTransition = async (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const body = parseBody(IssueUpdateDetailsSchema, ctx.body);
  const transitionId = body.transition?.id;
  if (transitionId === undefined) throw badRequest("Missing 'transition' identifier");
  if (!hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'TRANSITION_ISSUES'))
    throw badRequest('You do not have permission to transition this issue.');
  const transition = transitionsFrom(ctx.store, issue).find((t) => t.id === transitionId);
  if (!transition) throw badRequest(`Transition id '${transitionId}' is not valid for this issue.`);

  const onScreen = isSettableOnEditScreen(ctx.store);
  const edits = resolveFieldEdits(
    ctx.store,
    issue,
    { fields: body.fields, update: body.update },
    (fieldId) => transition.screenFieldIds.includes(fieldId) && onScreen(fieldId),
  );
  const statusBefore = issue.statusId;
  const invocation = {
    issue: { id: issue.id, key: issue.key },
    transition: {
      id: transition.id,
      name: transition.name,
      from: { id: statusBefore },
      to: { id: transition.toStatusId },
    },
    modifiedFields: Object.fromEntries(structuredClone([...edits])),
  };
  for (const validator of transition.validators) {
    const refusal = await runValidator(ctx, validator, invocation);
    if (refusal !== undefined) throw badRequest(refusal);
  }
  // Validators are asynchronous: someone may have moved the issue meanwhile.
  if (ctx.store.issue(issue.id) !== issue || issue.statusId !== statusBefore) {
    throw new JiraError(409, [
      'The issue was changed by someone else while the transition was being validated. Reload it and try again.',
    ]);
  }

  const instantMs = ctx.store.nextInstant(ctx.config.now);
  const items = [...statusChangeItems(ctx, issue, transition, instantMs), ...applyFieldEdits(ctx.store, issue, edits)];
  if (items.length > 0) {
    const history = recordHistory(ctx.store, issue, actorAccountId(ctx.viewer), items, instantMs);
    ctx.events.dispatch('avi:jira:updated:issue', issueUpdatedEvent(eventContext(ctx), issue, history));
  }
  return noContent();
};

export const transitionRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}/transitions', handler: getTransitions },
  { method: 'POST', template: '/rest/api/3/issue/{issueIdOrKey}/transitions', handler: performTransition },
];
