/**
 * GET and POST /rest/api/3/search/jql, Jira's enhanced search.
 *
 * Paging is by `nextPageToken` only: no `total`, no `startAt`; the last page has
 * `isLast: true` and no token. `maxResults` defaults to 50. Asking only for `id`/`key`
 * (the default is `id`) allows up to 5,000 issues a page; asking for any other field caps a
 * page at 100, as Jira answers fewer items when more fields are requested.
 * Only issues the caller may browse are searched.
 */
import { parseBody } from '../errors';
import { searchIssues } from '../jql';
import { decodePageToken, encodePageToken, queryFingerprint } from '../paging';
import { fieldNames, renderIssueBean } from '../render/issue-bean';
import { isIdsOnlySelection, parseExpand, parseFieldSelection, parsePropertySelection } from '../render/selection';
import { SearchRequestSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json, queryInt, queryList, queryString } from './route-kit';

export const SEARCH_DEFAULT_PAGE = 50;
export const SEARCH_IDS_ONLY_PAGE_LIMIT = 5000;
export const SEARCH_WITH_FIELDS_PAGE_LIMIT = 100;

interface SearchRequest {
  jql: string;
  nextPageToken: string | undefined;
  maxResults: number;
  fields: string[] | undefined;
  expand: string | undefined;
  properties: string[] | undefined;
}

const runSearch = (ctx: RouteContext, request: SearchRequest) => {
  const fields = parseFieldSelection(request.fields, 'id');
  const idsOnly = isIdsOnlySelection(fields);
  const pageLimit = Math.min(request.maxResults, idsOnly ? SEARCH_IDS_ONLY_PAGE_LIMIT : SEARCH_WITH_FIELDS_PAGE_LIMIT);
  const fingerprint = queryFingerprint('search', ctx.viewer.user.accountId, request.jql);
  const offset = decodePageToken(request.nextPageToken, fingerprint);

  const matches = searchIssues(
    { store: ctx.store, viewer: ctx.viewer, nowMs: ctx.config.now().getTime() },
    request.jql,
  );
  const page = matches.slice(offset, offset + pageLimit);
  const isLast = offset + page.length >= matches.length;
  const expand = parseExpand(request.expand === undefined ? undefined : [request.expand]);
  const properties = parsePropertySelection(request.properties);
  const issues = page.map((issue) =>
    idsOnly && expand.size === 0 && properties.include.size === 0
      ? { id: issue.id, ...(fields.include.has('key') ? { key: issue.key } : {}) }
      : renderIssueBean(ctx.render, issue, { fields, properties, expand }),
  );
  return json(200, {
    issues,
    ...(expand.has('names') ? { names: fieldNames(ctx.render, [...fields.include]) } : {}),
    isLast,
    ...(isLast ? {} : { nextPageToken: encodePageToken(offset + page.length, fingerprint) }),
  });
};

const searchByGet = (ctx: RouteContext) =>
  runSearch(ctx, {
    jql: queryString(ctx, 'jql') ?? '',
    nextPageToken: queryString(ctx, 'nextPageToken'),
    maxResults: queryInt(ctx, 'maxResults', SEARCH_DEFAULT_PAGE),
    fields: queryList(ctx, 'fields'),
    expand: queryString(ctx, 'expand'),
    properties: queryList(ctx, 'properties'),
  });

const searchByPost = (ctx: RouteContext) => {
  const body = parseBody(SearchRequestSchema, ctx.body);
  return runSearch(ctx, {
    jql: body.jql ?? '',
    nextPageToken: body.nextPageToken,
    maxResults: body.maxResults ?? SEARCH_DEFAULT_PAGE,
    fields: body.fields,
    expand: body.expand,
    properties: body.properties,
  });
};

export const searchRoutes: RouteDefinition[] = [
  { method: 'GET', template: '/rest/api/3/search/jql', handler: searchByGet },
  { method: 'POST', template: '/rest/api/3/search/jql', handler: searchByPost },
];
