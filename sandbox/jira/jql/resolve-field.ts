/**
 * From a field reference in JQL to its searcher. Names are case-insensitive, as in Jira.
 * A real Jira field the stand-in does not search (assignee, priority, ...) is refused
 * with a message saying so, not treated as unknown and not silently ignored.
 */
import { badRequest } from '../errors';
import type { StoredCustomField, StoredIssue } from '../model/state-schema';
import type { FieldRef } from './ast';
import type { JqlContext, Searcher } from './searchers';
import {
  customFieldSearcher,
  dateSearcher,
  indexedSearcher,
  issueSearcher,
  issueTypeSearcher,
  projectSearcher,
  statusCategorySearcher,
  statusSearcher,
  textSearcher,
  untypedPropertySearcher,
  valuesAtPath,
} from './searchers';

type SystemSearcherFactory = (ctx: JqlContext, label: string) => Searcher;

const SYSTEM_FIELDS: Readonly<Record<string, SystemSearcherFactory>> = {
  project: projectSearcher,
  issuetype: issueTypeSearcher,
  type: issueTypeSearcher,
  status: statusSearcher,
  statuscategory: statusCategorySearcher,
  key: issueSearcher,
  issue: issueSearcher,
  issuekey: issueSearcher,
  id: issueSearcher,
  created: (ctx, label) => dateSearcher(ctx, label, (i) => i.created),
  createddate: (ctx, label) => dateSearcher(ctx, label, (i) => i.created),
  updated: (ctx, label) => dateSearcher(ctx, label, (i) => i.updated),
  updateddate: (ctx, label) => dateSearcher(ctx, label, (i) => i.updated),
  summary: (_ctx, label) => textSearcher(label, (i) => i.summary),
};

/** Jira fields that exist but that this stand-in does not search. */
const KNOWN_UNSUPPORTED_FIELDS = new Set([
  'assignee',
  'reporter',
  'creator',
  'priority',
  'labels',
  'description',
  'text',
  'comment',
  'resolution',
  'resolved',
  'resolutiondate',
  'due',
  'duedate',
  'component',
  'fixversion',
  'affectedversion',
  'parent',
  'sprint',
  'epic link',
  'environment',
  'watcher',
  'watchers',
  'voter',
  'votes',
  'lastviewed',
  'level',
  'originalestimate',
  'remainingestimate',
  'timespent',
  'workratio',
  'attachments',
  'category',
  'filter',
  'request',
  'issuefunction',
  'hierarchylevel',
  'statuscategorychangeddate',
  'worklogauthor',
  'worklogdate',
  'worklogcomment',
]);

const supportedList = () =>
  `${Object.keys(SYSTEM_FIELDS).join(', ')}, cf[id], custom field names with their search aliases, issue.property[key].path`;

const unknownField = (text: string) =>
  badRequest(`Field '${text}' does not exist or you do not have permission to view it.`);

const customFieldByName = (ctx: JqlContext, name: string): StoredCustomField | undefined => {
  const wanted = name.toLowerCase();
  return ctx.store.customFields().find((f) => f.name.toLowerCase() === wanted);
};

const aliasSearcher = (ctx: JqlContext, field: StoredCustomField, alias: string, text: string): Searcher => {
  const declared = field.searchAliases.find((a) => a.alias.toLowerCase() === alias.toLowerCase());
  if (!declared) throw unknownField(text);
  return indexedSearcher(ctx, text, declared.type, (issue) =>
    valuesAtPath(issue.customFields[field.id], declared.path),
  );
};

const propertySearcher = (ctx: JqlContext, key: string, path: string | undefined, text: string): Searcher => {
  const indexes = ctx.store.data.propertyIndexes.filter((index) => index.propertyKey === key);
  const read = (issue: { properties: Record<string, unknown> }) => valuesAtPath(issue.properties[key], path);
  if (indexes.length === 0) return untypedPropertySearcher(text, read);
  const declared = indexes.flatMap((index) => index.values).find((v) => v.path === path);
  if (!declared) {
    throw badRequest(
      `The property path '${text}' is not indexed: no jira:entityProperty module declares path '${path ?? ''}' of property '${key}'.`,
    );
  }
  return indexedSearcher(ctx, text, declared.type, read);
};

export const resolveSearcher = (ctx: JqlContext, ref: FieldRef): Searcher => {
  switch (ref.kind) {
    case 'property':
      return propertySearcher(ctx, ref.key, ref.path, ref.text);
    case 'custom-id': {
      const field = ctx.store.customField(`customfield_${ref.id}`);
      if (!field) throw unknownField(ref.text);
      return ref.alias === undefined
        ? customFieldSearcher(ctx, field, ref.text)
        : aliasSearcher(ctx, field, ref.alias, ref.text);
    }
    case 'named': {
      const lower = ref.name.toLowerCase();
      if (ref.alias !== undefined) {
        const field = customFieldByName(ctx, ref.name);
        if (!field) throw unknownField(ref.text);
        return aliasSearcher(ctx, field, ref.alias, ref.text);
      }
      const system = SYSTEM_FIELDS[lower];
      if (system) return system(ctx, ref.name);
      const custom = customFieldByName(ctx, ref.name);
      if (custom) return customFieldSearcher(ctx, custom, ref.name);
      for (const index of ctx.store.data.propertyIndexes) {
        const aliased = index.values.find((v) => v.searchAlias?.toLowerCase() === lower);
        if (aliased)
          return indexedSearcher(ctx, ref.name, aliased.type, (issue) =>
            valuesAtPath(issue.properties[index.propertyKey], aliased.path),
          );
      }
      if (KNOWN_UNSUPPORTED_FIELDS.has(lower))
        throw badRequest(
          `The Jira stand-in does not support the field '${ref.name}' in JQL. Supported: ${supportedList()}.`,
        );
      throw unknownField(ref.text);
    }
  }
};

/** Sort keys: the fields ORDER BY accepts here, each as a value to compare issues by. */
export const sortValue = (ctx: JqlContext, ref: FieldRef): ((issue: StoredIssue) => string | number) => {
  const lower = ref.kind === 'named' && ref.alias === undefined ? ref.name.toLowerCase() : undefined;
  switch (lower) {
    case 'key':
    case 'issuekey':
    case 'issue':
      return (issue) => {
        const project = ctx.store.project(issue.projectId)?.key ?? '';
        const number = issue.key.slice(issue.key.lastIndexOf('-') + 1);
        return `${project}-${number.padStart(12, '0')}`;
      };
    case 'id':
      return (issue) => Number(issue.id);
    case 'created':
    case 'createddate':
      return (issue) => Date.parse(issue.created);
    case 'updated':
    case 'updateddate':
      return (issue) => Date.parse(issue.updated);
    case 'summary':
      return (issue) => issue.summary.toLowerCase();
    case 'status':
      return (issue) => ctx.store.status(issue.statusId)?.name.toLowerCase() ?? '';
    case 'project':
      return (issue) => ctx.store.project(issue.projectId)?.key ?? '';
    case 'issuetype':
    case 'type':
      return (issue) => ctx.store.issueType(issue.issueTypeId)?.name.toLowerCase() ?? '';
    default:
      // A field that exists but cannot be a sort key here, or one that does not exist at all.
      if (
        lower !== undefined &&
        !KNOWN_UNSUPPORTED_FIELDS.has(lower) &&
        SYSTEM_FIELDS[lower] === undefined &&
        customFieldByName(ctx, ref.kind === 'named' ? ref.name : '') === undefined
      ) {
        throw unknownField(ref.text);
      }
      throw badRequest(`Not able to sort using field '${ref.text}'.`);
  }
};
