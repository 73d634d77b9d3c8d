/**
 * Issue links as Jira shows them.
 *
 * Jira quirk, kept faithfully: a link "A blocks B" is stored with A as source and B as
 * destination. GET /issueLink/{id} and POST /issueLink call the source `inwardIssue` and
 * the destination `outwardIssue` (so `{ inwardIssue: A, outwardIssue: B, type: Blocks }`
 * means "A blocks B"), while on issue A's `issuelinks` the same link appears with
 * `outwardIssue: B` and on B's with `inwardIssue: A`.
 */
import { canBrowseIssue } from '../permissions';
import type { StoredIssue, StoredLink } from '../model/state-schema';
import { issueTypeBean, linkTypeBean, statusBean } from './beans';
import type { RenderContext } from './render-context';
import { issueSelf } from './render-context';

/** The short issue form inside a link: Jira's `LinkedIssue` with `Fields`. */
export const linkedIssueBean = (ctx: RenderContext, issue: StoredIssue) => {
  const status = ctx.store.status(issue.statusId);
  const issueType = ctx.store.issueType(issue.issueTypeId);
  return {
    id: issue.id,
    key: issue.key,
    self: issueSelf(ctx, issue.id),
    fields: {
      summary: issue.summary,
      ...(status ? { status: statusBean(ctx.baseUrl, status) } : {}),
      ...(issueType ? { issuetype: issueTypeBean(ctx.baseUrl, issueType) } : {}),
    },
  };
};

const linkSelf = (ctx: RenderContext, link: StoredLink): string => `${ctx.baseUrl}/rest/api/3/issueLink/${link.id}`;

/** Both ends exist and the viewer may see both: otherwise Jira does not show the link at all. */
export const isLinkVisible = (ctx: RenderContext, link: StoredLink): boolean => {
  const source = ctx.store.issue(link.sourceIssueId);
  const destination = ctx.store.issue(link.destinationIssueId);
  return (
    source !== undefined &&
    destination !== undefined &&
    canBrowseIssue(ctx.store, ctx.viewer, source) &&
    canBrowseIssue(ctx.store, ctx.viewer, destination)
  );
};

/** The `issuelinks` field of `issue`: one entry per visible link, from `issue`'s side. */
export const issueLinksField = (ctx: RenderContext, issue: StoredIssue) =>
  ctx.store
    .linksOf(issue.id)
    .filter((link) => isLinkVisible(ctx, link))
    .sort((a, b) => Number(a.id) - Number(b.id))
    .flatMap((link) => {
      const linkType = ctx.store.linkType(link.typeId);
      const isSource = link.sourceIssueId === issue.id;
      const other = ctx.store.issue(isSource ? link.destinationIssueId : link.sourceIssueId);
      if (!linkType || !other) return [];
      const base = { id: link.id, self: linkSelf(ctx, link), type: linkTypeBean(ctx.baseUrl, linkType) };
      return [
        isSource
          ? { ...base, outwardIssue: linkedIssueBean(ctx, other) }
          : { ...base, inwardIssue: linkedIssueBean(ctx, other) },
      ];
    });

/** GET /issueLink/{linkId}: `inwardIssue` is the source, `outwardIssue` the destination. */
export const issueLinkBean = (ctx: RenderContext, link: StoredLink, source: StoredIssue, destination: StoredIssue) => {
  const linkType = ctx.store.linkType(link.typeId);
  return {
    id: link.id,
    self: linkSelf(ctx, link),
    ...(linkType ? { type: linkTypeBean(ctx.baseUrl, linkType) } : {}),
    inwardIssue: linkedIssueBean(ctx, source),
    outwardIssue: linkedIssueBean(ctx, destination),
  };
};
