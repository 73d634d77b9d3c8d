/** An issue's changelog, paged by startAt, and the bulk changelog fetch, paged by token. */
import { badRequest, parseBody } from '../errors';
import type { StoredHistory, StoredIssue } from '../model/state-schema';
import { findVisibleIssue, requireVisibleIssue } from '../permissions';
import { decodePageToken, encodePageToken, queryFingerprint } from '../paging';
import { historyBean } from '../render/changelog';
import { BulkChangelogRequestSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, param, queryInt } from './route-kit';

const CHANGELOG_PAGE_LIMIT = 100;

const getChangelog = (ctx: RouteContext) => {
  const issue = requireVisibleIssue(ctx.store, ctx.viewer, param(ctx, 'issueIdOrKey'));
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = Math.min(queryInt(ctx, 'maxResults', CHANGELOG_PAGE_LIMIT), CHANGELOG_PAGE_LIMIT);
  const page = issue.histories.slice(startAt, startAt + maxResults);
  const total = issue.histories.length;
  const isLast = startAt + page.length >= total;
  const base = `${ctx.config.baseUrl}/rest/api/3/issue/${issue.key}/changelog`;
  return json(200, {
    self: `${base}?startAt=${startAt}&maxResults=${maxResults}`,
    ...(isLast ? {} : { nextPage: `${base}?startAt=${startAt + page.length}&maxResults=${maxResults}` }),
    maxResults,
    startAt,
    total,
    isLast,
    values: page.map((h) => historyBean(ctx.render, h)),
  });
};

/**
 * Histories of all the requested issues, oldest first (ties by issue id), optionally only
 * the items on some fields. Issues the viewer cannot see are silently left out.
 */
const bulkFetchChangelogs = (ctx: RouteContext) => {
  const body = parseBody(BulkChangelogRequestSchema, ctx.body);
  if (body.issueIdsOrKeys.length === 0 || body.issueIdsOrKeys.length > 1000)
    throw badRequest('Provide between 1 and 1000 issue IDs or keys.');
  const fieldIds = body.fieldIds && body.fieldIds.length > 0 ? new Set(body.fieldIds) : undefined;
  const issues = new Map<string, StoredIssue>();
  for (const idOrKey of body.issueIdsOrKeys) {
    const issue = findVisibleIssue(ctx.store, ctx.viewer, idOrKey);
    if (issue) issues.set(issue.id, issue);
  }

  const entries: Array<{ issueId: string; history: StoredHistory }> = [...issues.values()].flatMap((issue) =>
    issue.histories.flatMap((history) => {
      const items = fieldIds
        ? history.items.filter((item) => item.fieldId !== undefined && fieldIds.has(item.fieldId))
        : history.items;
      return items.length > 0 ? [{ issueId: issue.id, history: { ...history, items } }] : [];
    }),
  );
  entries.sort(
    (a, b) =>
      a.history.created.localeCompare(b.history.created) ||
      Number(a.issueId) - Number(b.issueId) ||
      Number(a.history.id) - Number(b.history.id),
  );

  const fingerprint = queryFingerprint(
    'changelog',
    ctx.viewer.user.accountId,
    JSON.stringify(body.issueIdsOrKeys),
    JSON.stringify(body.fieldIds ?? []),
  );
  const offset = decodePageToken(body.nextPageToken, fingerprint);
  const maxResults = body.maxResults ?? 1000;
  const page = entries.slice(offset, offset + maxResults);
  const grouped = new Map<string, unknown[]>();
  for (const entry of page) {
    const list = grouped.get(entry.issueId) ?? [];
    list.push(historyBean(ctx.render, entry.history));
    grouped.set(entry.issueId, list);
  }
  const hasMore = offset + page.length < entries.length;
  return json(200, {
    issueChangeLogs: [...grouped].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
    ...(hasMore ? { nextPageToken: encodePageToken(offset + page.length, fingerprint) } : {}),
  });
};

export const changelogRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}/changelog', handler: getChangelog },
  { method: 'POST', template: '/rest/api/3/changelog/bulkfetch', handler: bulkFetchChangelogs },
];
