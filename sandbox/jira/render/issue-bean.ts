/**
 * IssueBean: what GET issue, search/jql, bulkfetch and event payloads carry. The viewer
 * matters: links to issues the viewer cannot see are left out, as Jira leaves them out.
 */
import { formatStoredInstant } from '../model/jira-time';
import type { StoredIssue } from '../model/state-schema';
import { hasProjectPermission } from '../permissions';
import { transitionsFrom } from '../workflow';
import { issueTypeBean, projectFieldBean, statusBean } from './beans';
import { historyBean } from './changelog';
import { issueLinksField } from './links';
import type { RenderContext } from './render-context';
import { issueSelf, userDetailsFor } from './render-context';
import type { FieldSelection, PropertySelection } from './selection';
import { isEmptyPropertySelection, selectsField, selectsProperty } from './selection';
import { transitionBean } from './transitions';

/** The system fields the stand-in keeps, with the names Jira shows for them. */
export const SYSTEM_FIELD_NAMES: Readonly<Record<string, string>> = {
  summary: 'Summary',
  description: 'Description',
  status: 'Status',
  issuetype: 'Issue Type',
  project: 'Project',
  reporter: 'Reporter',
  creator: 'Creator',
  assignee: 'Assignee',
  created: 'Created',
  updated: 'Updated',
  resolutiondate: 'Resolved',
  resolution: 'Resolution',
  labels: 'Labels',
  issuelinks: 'Linked Issues',
};

export const DONE_RESOLUTION = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' };

const ISSUE_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';
/** GET issue's `expand=changelog` carries at most this many histories, newest first. */
const EXPANDED_CHANGELOG_LIMIT = 100;

const systemFieldValue = (ctx: RenderContext, issue: StoredIssue, fieldId: string): unknown => {
  switch (fieldId) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description;
    case 'status': {
      const status = ctx.store.status(issue.statusId);
      return status ? statusBean(ctx.baseUrl, status) : null;
    }
    case 'issuetype': {
      const issueType = ctx.store.issueType(issue.issueTypeId);
      return issueType ? issueTypeBean(ctx.baseUrl, issueType) : null;
    }
    case 'project': {
      const project = ctx.store.project(issue.projectId);
      return project ? projectFieldBean(ctx.baseUrl, project) : null;
    }
    case 'reporter':
      return issue.reporterAccountId === null ? null : userDetailsFor(ctx, issue.reporterAccountId);
    case 'creator':
      return userDetailsFor(ctx, issue.creatorAccountId);
    case 'assignee':
      return issue.assigneeAccountId === null ? null : userDetailsFor(ctx, issue.assigneeAccountId);
    case 'created':
      return formatStoredInstant(issue.created);
    case 'updated':
      return formatStoredInstant(issue.updated);
    case 'resolutiondate':
      return issue.resolutionDate === null ? null : formatStoredInstant(issue.resolutionDate);
    case 'resolution':
      return issue.resolved
        ? { self: `${ctx.baseUrl}/rest/api/3/resolution/${DONE_RESOLUTION.id}`, ...DONE_RESOLUTION }
        : null;
    case 'labels':
      return [...issue.labels];
    case 'issuelinks':
      return issueLinksField(ctx, issue);
    default:
      return undefined;
  }
};

export interface IssueBeanOptions {
  fields: FieldSelection;
  properties?: PropertySelection;
  expand?: ReadonlySet<string>;
}

export const renderIssueFields = (
  ctx: RenderContext,
  issue: StoredIssue,
  selection: FieldSelection,
): Record<string, unknown> => {
  const fields: Record<string, unknown> = {};
  for (const fieldId of Object.keys(SYSTEM_FIELD_NAMES)) {
    if (selectsField(selection, fieldId)) fields[fieldId] = systemFieldValue(ctx, issue, fieldId);
  }
  for (const field of ctx.store.customFields()) {
    if (!selectsField(selection, field.id)) continue;
    const value = issue.customFields[field.id] ?? null;
    // User fields are stored as { accountId } and shown as the full user, as Jira shows them.
    const accountId =
      field.type === 'user' &&
      typeof value === 'object' &&
      value !== null &&
      'accountId' in value &&
      typeof value.accountId === 'string'
        ? value.accountId
        : undefined;
    fields[field.id] = accountId === undefined ? structuredClone(value) : userDetailsFor(ctx, accountId);
  }
  return fields;
};

export const fieldNames = (ctx: RenderContext, fieldIds: Iterable<string>): Record<string, string> => {
  const names: Record<string, string> = {};
  for (const id of fieldIds) {
    const name = SYSTEM_FIELD_NAMES[id] ?? ctx.store.customField(id)?.name;
    if (name !== undefined) names[id] = name;
  }
  return names;
};

export const renderIssueBean = (
  ctx: RenderContext,
  issue: StoredIssue,
  options: IssueBeanOptions,
): Record<string, unknown> => {
  const fields = renderIssueFields(ctx, issue, options.fields);
  const bean: Record<string, unknown> = {
    expand: ISSUE_EXPAND,
    id: issue.id,
    self: issueSelf(ctx, issue.id),
    key: issue.key,
    fields,
  };

  if (options.properties && !isEmptyPropertySelection(options.properties)) {
    const selection = options.properties;
    bean.properties = Object.fromEntries(
      Object.entries(issue.properties).filter(([key]) => selectsProperty(selection, key)),
    );
  }
  const expand = options.expand ?? new Set<string>();
  if (expand.has('names')) bean.names = fieldNames(ctx, Object.keys(fields));
  if (expand.has('transitions')) {
    bean.transitions = hasProjectPermission(ctx.store, ctx.viewer, issue.projectId, 'TRANSITION_ISSUES')
      ? transitionsFrom(ctx.store, issue).map((t) => transitionBean(ctx, t))
      : [];
  }
  if (expand.has('changelog')) {
    const histories = issue.histories.slice(-EXPANDED_CHANGELOG_LIMIT).reverse();
    bean.changelog = {
      startAt: 0,
      maxResults: histories.length,
      total: issue.histories.length,
      histories: histories.map((h) => historyBean(ctx, h)),
    };
  }
  return bean;
};
