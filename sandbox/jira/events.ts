/**
 * `avi:jira:*` product events, shaped as Forge delivers them to triggers.
 *
 * Delivery is asynchronous, as on Forge: a REST call answers before its events reach the
 * app, and a trigger that throws cannot fail the call that caused it. Events are
 * delivered one at a time in the order they happened; `idle()` resolves once every event
 * so far has been handed over, which is what tests wait on.
 *
 * Issue and issue-property payloads name the actor in `atlassianId`; events the app itself
 * caused (requests made `as: app`) carry the app's account id and `selfGenerated: true`.
 * Issue-link payloads are what Forge documents for them: the link id, both issue and
 * project ids and the link type, with no actor. Whether the app caused an event travels
 * beside the payload (`EventOrigin`), as Forge knows it when it applies a trigger's
 * `filter: { ignoreSelf: true }`, so the filter works for link events too.
 */
import { createSerialQueue } from '../serial-queue';
import type { EventEmitter } from './config';
import type { StoredHistory, StoredIssue, StoredLink } from './model/state-schema';
import { linkTypeBean } from './render/beans';
import { renderIssueFields } from './render/issue-bean';
import type { RenderContext } from './render/render-context';
import { parseFieldSelection } from './render/selection';
import type { JiraStore } from './state/store';

export type JiraEventType =
  | 'avi:jira:created:issue'
  | 'avi:jira:updated:issue'
  | 'avi:jira:deleted:issue'
  | 'avi:jira:created:issuelink'
  | 'avi:jira:deleted:issuelink'
  | 'avi:jira:set:issue-property'
  | 'avi:jira:deleted:issue-property';

export interface DeliveryFailure {
  eventType: string;
  error: unknown;
}

/** What Forge knows about an event beside its payload. */
export interface EventOrigin {
  /** The app itself caused it (a request made as the app). */
  selfGenerated: boolean;
}

export interface EventDispatcher {
  /** `origin` defaults to the payload's own `selfGenerated` (issue and property events carry it). */
  dispatch(eventType: JiraEventType, payload: Record<string, unknown>, origin?: EventOrigin): void;
  /** Resolves when every event dispatched so far has been delivered (or failed). */
  idle(): Promise<void>;
  failures(): readonly DeliveryFailure[];
}

export const createEventDispatcher = (emit: EventEmitter): EventDispatcher => {
  const queue = createSerialQueue();
  const failed: DeliveryFailure[] = [];
  return {
    dispatch(eventType, payload, origin = { selfGenerated: payload['selfGenerated'] === true }) {
      queue.enqueue(async () => {
        try {
          await emit(eventType, { eventType, ...payload }, origin);
        } catch (error) {
          failed.push({ eventType, error });
        }
      });
    },
    idle: () => queue.idle(),
    failures: () => [...failed],
  };
};

export interface EventContext {
  store: JiraStore;
  baseUrl: string;
  /** The account that caused the event. */
  actorAccountId: string;
}

const actorFields = (ctx: EventContext) => ({
  atlassianId: ctx.actorAccountId,
  selfGenerated: ctx.actorAccountId === ctx.store.appAccountId,
});

/** Events carry the issue as the app sees it (everything), not as the actor sees it. */
const appRenderContext = (ctx: EventContext): RenderContext => {
  const appUser = ctx.store.user(ctx.store.appAccountId);
  if (!appUser) throw new Error('the app user is missing from the stand-in state');
  return { store: ctx.store, baseUrl: ctx.baseUrl, viewer: { kind: 'app', user: appUser } };
};

const eventIssue = (ctx: EventContext, issue: StoredIssue) => ({
  id: issue.id,
  key: issue.key,
  self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}`,
  fields: renderIssueFields(appRenderContext(ctx), issue, parseFieldSelection(undefined, '*all')),
});

export const issueCreatedEvent = (ctx: EventContext, issue: StoredIssue): Record<string, unknown> => ({
  ...actorFields(ctx),
  issue: eventIssue(ctx, issue),
  associatedUsers: [{ accountId: ctx.actorAccountId }],
});

export const issueUpdatedEvent = (
  ctx: EventContext,
  issue: StoredIssue,
  history: StoredHistory,
): Record<string, unknown> => ({
  ...actorFields(ctx),
  issue: eventIssue(ctx, issue),
  associatedUsers: [{ accountId: ctx.actorAccountId }],
  changelog: { id: history.id, items: history.items.map((item) => ({ ...item })) },
});

export const issueDeletedEvent = (ctx: EventContext, issue: StoredIssue): Record<string, unknown> => ({
  ...actorFields(ctx),
  issue: eventIssue(ctx, issue),
  associatedUsers: [{ accountId: ctx.actorAccountId }],
});

/** Who caused an event, as Forge's `ignoreSelf` filter sees it. */
export const eventOrigin = (ctx: EventContext): EventOrigin => ({
  selfGenerated: ctx.actorAccountId === ctx.store.appAccountId,
});

/**
 * Link events name both ends by id and project id and carry the link type, as Forge
 * documents `avi:jira:created:issuelink` / `avi:jira:deleted:issuelink`: no issue beans, no
 * actor. Send them with `eventOrigin(ctx)`.
 */
export const issueLinkEvent = (ctx: EventContext, link: StoredLink): Record<string, unknown> => {
  const linkType = ctx.store.linkType(link.typeId);
  return {
    id: link.id,
    sourceIssueId: link.sourceIssueId,
    destinationIssueId: link.destinationIssueId,
    sourceProjectId: ctx.store.issue(link.sourceIssueId)?.projectId,
    destinationProjectId: ctx.store.issue(link.destinationIssueId)?.projectId,
    ...(linkType ? { issueLinkType: linkTypeBean(ctx.baseUrl, linkType) } : {}),
  };
};

/**
 * Forge lists `avi:jira:set:issue-property` / `avi:jira:deleted:issue-property` but does not
 * document their payload; this follows the issue events (`issue` with id and key) plus
 * the property key and, when set, its value.
 */
export const issuePropertyEvent = (
  ctx: EventContext,
  issue: StoredIssue,
  propertyKey: string,
  value?: unknown,
): Record<string, unknown> => ({
  ...actorFields(ctx),
  issue: { id: issue.id, key: issue.key },
  entityType: 'issue',
  entityId: issue.id,
  propertyKey,
  ...(value === undefined ? {} : { property: { key: propertyKey, value } }),
});
