/**
 * Issue links. Remember the naming quirk (render/links.ts): in POST /issueLink,
 * `inwardIssue` is the source and `outwardIssue` the destination, so
 * `{ type: { name: 'Blocks' }, inwardIssue: A, outwardIssue: B }` means "A blocks B".
 */
import { badRequest, notFound, parseBody } from '../errors';
import { eventOrigin, issueLinkEvent } from '../events';
import type { StoredIssue, StoredLink, StoredLinkType } from '../model/state-schema';
import { actorAccountId, findVisibleIssue, hasProjectPermission } from '../permissions';
import { issueLinkBean } from '../render/links';
import type { JiraStore } from '../state/store';
import { recordHistory } from '../writes/history';
import { LinkIssueRequestSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { eventContext, json, noContent, param } from './route-kit';

const findLinkType = (
  store: JiraStore,
  ref: {
    id?: string | undefined;
    name?: string | undefined;
    inward?: string | undefined;
    outward?: string | undefined;
  },
): StoredLinkType | undefined => {
  if (ref.id !== undefined) return store.linkType(ref.id);
  const matches = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
  return store
    .linkTypes()
    .find(
      (t) =>
        matches(t.name, ref.name) ||
        (ref.name === undefined && (matches(t.inward, ref.inward) || matches(t.outward, ref.outward))),
    );
};

/** Jira writes a "Link" entry into both issues' history when a link is made or unmade. */
export const recordLinkHistory = (
  store: JiraStore,
  link: StoredLink,
  linkType: StoredLinkType,
  change: 'created' | 'deleted',
  authorAccountId: string,
  instantMs: number,
): void => {
  const source = store.issue(link.sourceIssueId);
  const destination = store.issue(link.destinationIssueId);
  if (!source || !destination) return;
  const sides: Array<[StoredIssue, StoredIssue, string]> = [
    [source, destination, linkType.outward],
    [destination, source, linkType.inward],
  ];
  for (const [issue, other, description] of sides) {
    const text = `This issue ${description} ${other.key}`;
    recordHistory(
      store,
      issue,
      authorAccountId,
      [
        change === 'created'
          ? { field: 'Link', fieldtype: 'jira', from: null, fromString: null, to: other.key, toString: text }
          : { field: 'Link', fieldtype: 'jira', from: other.key, fromString: text, to: null, toString: null },
      ],
      instantMs,
    );
  }
};

const createLink = (ctx: RouteContext) => {
  const body = parseBody(LinkIssueRequestSchema, ctx.body);
  const linkType = findLinkType(ctx.store, body.type);
  if (!linkType)
    throw notFound(
      `No issue link type with name '${body.type.name ?? body.type.id ?? body.type.outward ?? body.type.inward ?? ''}' found.`,
    );
  const source = findVisibleIssue(ctx.store, ctx.viewer, body.inwardIssue);
  const destination = findVisibleIssue(ctx.store, ctx.viewer, body.outwardIssue);
  if (!source || !destination) throw notFound(`Issue does not exist or you do not have permission to see it.`);
  if (source.id === destination.id) throw badRequest('You cannot link an issue to itself.');
  if (!hasProjectPermission(ctx.store, ctx.viewer, source.projectId, 'LINK_ISSUES'))
    throw notFound('You do not have the permission to link issues.');

  // Jira answers 201 for a link that already exists and creates nothing.
  const exists = ctx.store
    .linksOf(source.id)
    .some((l) => l.typeId === linkType.id && l.sourceIssueId === source.id && l.destinationIssueId === destination.id);
  if (!exists) {
    const link: StoredLink = {
      id: ctx.store.nextId('link'),
      typeId: linkType.id,
      sourceIssueId: source.id,
      destinationIssueId: destination.id,
    };
    ctx.store.insertLink(link);
    recordLinkHistory(
      ctx.store,
      link,
      linkType,
      'created',
      actorAccountId(ctx.viewer),
      ctx.store.nextInstant(ctx.config.now),
    );
    ctx.events.dispatch(
      'avi:jira:created:issuelink',
      issueLinkEvent(eventContext(ctx), link),
      eventOrigin(eventContext(ctx)),
    );
  }
  return noContent(201);
};

/** The link if the viewer may see both ends; hidden and missing links both answer 404. */
const requireVisibleLink = (ctx: RouteContext): { link: StoredLink; source: StoredIssue; destination: StoredIssue } => {
  const linkId = param(ctx, 'linkId');
  if (!/^\d+$/.test(linkId)) throw badRequest(`The issue link ID '${linkId}' is invalid.`);
  const link = ctx.store.link(linkId);
  const source = link && findVisibleIssue(ctx.store, ctx.viewer, link.sourceIssueId);
  const destination = link && findVisibleIssue(ctx.store, ctx.viewer, link.destinationIssueId);
  if (!link || !source || !destination) throw notFound(`No issue link with id '${linkId}' exists.`);
  return { link, source, destination };
};

const getLink = (ctx: RouteContext) => {
  const { link, source, destination } = requireVisibleLink(ctx);
  return json(200, issueLinkBean(ctx.render, link, source, destination));
};

const deleteLink = (ctx: RouteContext) => {
  const { link, source, destination } = requireVisibleLink(ctx);
  const mayLink =
    hasProjectPermission(ctx.store, ctx.viewer, source.projectId, 'LINK_ISSUES') ||
    hasProjectPermission(ctx.store, ctx.viewer, destination.projectId, 'LINK_ISSUES');
  if (!mayLink) throw notFound('You do not have the permission to delete this issue link.');
  const linkType = ctx.store.linkType(link.typeId);
  const event = issueLinkEvent(eventContext(ctx), link);
  if (linkType)
    recordLinkHistory(
      ctx.store,
      link,
      linkType,
      'deleted',
      actorAccountId(ctx.viewer),
      ctx.store.nextInstant(ctx.config.now),
    );
  ctx.store.removeLink(link.id);
  ctx.events.dispatch('avi:jira:deleted:issuelink', event, eventOrigin(eventContext(ctx)));
  return noContent();
};

export const issueLinkRoutes: RouteDefinition[] = [
  { method: 'POST', template: '/rest/api/3/issueLink', handler: createLink },
  { method: 'GET', template: '/rest/api/3/issueLink/{linkId}', handler: getLink },
  { method: 'DELETE', template: '/rest/api/3/issueLink/{linkId}', handler: deleteLink },
];
