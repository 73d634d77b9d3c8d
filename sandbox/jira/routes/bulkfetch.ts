/** POST /issue/bulkfetch: up to 100 issues in one call; the ones the viewer cannot see become issueErrors. */
import { ISSUE_NOT_VISIBLE, badRequest, parseBody } from '../errors';
import type { StoredIssue } from '../model/state-schema';
import { findVisibleIssue } from '../permissions';
import { renderIssueBean } from '../render/issue-bean';
import { parseExpand, parseFieldSelection, parsePropertySelection } from '../render/selection';
import { BulkFetchIssuesRequestSchema } from './request-schemas';
import type { RouteContext, RouteDefinition } from './route-kit';
import { json } from './route-kit';

export const BULK_FETCH_LIMIT = 100;

const bulkFetchIssues = (ctx: RouteContext) => {
  const body = parseBody(BulkFetchIssuesRequestSchema, ctx.body);
  if (body.issueIdsOrKeys.length === 0) throw badRequest('Provide at least one issue ID or key.');
  if (body.issueIdsOrKeys.length > BULK_FETCH_LIMIT)
    throw badRequest(
      `You can request at most ${BULK_FETCH_LIMIT} issues; ${body.issueIdsOrKeys.length} were requested.`,
    );

  const found = new Map<string, StoredIssue>();
  const issueErrors: Array<{ id: string; errorMessage: string }> = [];
  for (const idOrKey of body.issueIdsOrKeys) {
    const issue = findVisibleIssue(ctx.store, ctx.viewer, idOrKey);
    if (issue) found.set(issue.id, issue);
    else issueErrors.push({ id: idOrKey, errorMessage: ISSUE_NOT_VISIBLE });
  }
  const options = {
    fields: parseFieldSelection(body.fields, '*navigable'),
    properties: parsePropertySelection(body.properties),
    expand: parseExpand(body.expand),
  };
  // Jira returns the issues in ascending id order, whatever order they were asked for in.
  const issues = [...found.values()]
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((issue) => renderIssueBean(ctx.render, issue, options));
  return json(200, { expand: (body.expand ?? []).join(','), issues, issueErrors });
};

export const bulkFetchRoutes: RouteDefinition[] = [
  { method: 'POST', template: '/rest/api/3/issue/bulkfetch', handler: bulkFetchIssues },
];
