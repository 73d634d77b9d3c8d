/**
 * The `maintain-traceability-index` trigger: every issue, issue-link and issue-property event
 * that can change what the traceability view shows refreshes the index entries of the issues
 * it touched, read from Jira as the app (src/services/traceability-index.ts).
 *
 * Unlike `keep-linked-issues-consistent`, this trigger does not ignore the app's own events:
 * when the app itself changes a Submission's category or links a Commitment, the index must
 * follow. It writes only to app storage, never to Jira, so it cannot cause an event loop.
 * A malformed event, or one whose refresh fails, is logged and ignored: a trigger must never
 * crash the delivery, and the admin page's check finds what a failed refresh left behind.
 */
import { asApp } from '@forge/api';
import { z } from 'zod';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import type { JiraHttp } from '../../adapters/jira/jira-http';
import { deleteTraceEntries } from '../../adapters/kvs/traceability-index-repository';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import type { JiraConventions } from '../../config/jira-conventions';
import { IssueIdSchema } from '../../domain/traceability-index';
import { isAppError } from '../../ports/app-error';
import { INDEXED_PROPERTY_KEYS, refreshTraceEntries } from '../../services/traceability-index';

const LinkedIssueSchema = z.looseObject({ id: IssueIdSchema });
const IssueLinksSchema = z.array(
  z.looseObject({ inwardIssue: LinkedIssueSchema.optional(), outwardIssue: LinkedIssueSchema.optional() }),
);

export const IndexEventSchema = z.discriminatedUnion('eventType', [
  z.looseObject({
    eventType: z.enum(['avi:jira:created:issue', 'avi:jira:updated:issue']),
    issue: z.looseObject({ id: IssueIdSchema }),
  }),
  z.looseObject({
    eventType: z.literal('avi:jira:deleted:issue'),
    issue: z.looseObject({
      id: IssueIdSchema,
      fields: z.looseObject({ issuelinks: IssueLinksSchema.optional() }).optional(),
    }),
  }),
  z.looseObject({
    eventType: z.enum(['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']),
    sourceIssueId: IssueIdSchema,
    destinationIssueId: IssueIdSchema,
  }),
  z.looseObject({
    eventType: z.enum(['avi:jira:set:issue-property', 'avi:jira:deleted:issue-property']),
    issue: z.looseObject({ id: IssueIdSchema }),
    propertyKey: z.string(),
  }),
]);
export type IndexEvent = z.infer<typeof IndexEventSchema>;

export type IndexTriggerOutcome =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'done'; written: string[]; removed: string[] }
  | { outcome: 'failed'; reason: string };

export interface IndexTriggerDeps {
  jira: JiraHttp;
  conventions: JiraConventions;
  now: () => string;
  log: (message: string) => void;
}

/** The issues whose entries the event may have changed, and the issue it says is gone. */
const touchedBy = (event: IndexEvent): { refresh: string[]; deleted?: string } | undefined => {
  switch (event.eventType) {
    case 'avi:jira:created:issue':
    case 'avi:jira:updated:issue':
      return { refresh: [event.issue.id] };
    case 'avi:jira:deleted:issue': {
      // Its Submissions and Commitments listed it through links Jira removed with it.
      const linked = (event.issue.fields?.issuelinks ?? [])
        .flatMap((link) => [link.inwardIssue?.id, link.outwardIssue?.id])
        .filter((id): id is string => id !== undefined);
      return { refresh: linked, deleted: event.issue.id };
    }
    case 'avi:jira:created:issuelink':
    case 'avi:jira:deleted:issuelink':
      return { refresh: [event.sourceIssueId, event.destinationIssueId] };
    case 'avi:jira:set:issue-property':
    case 'avi:jira:deleted:issue-property':
      return INDEXED_PROPERTY_KEYS.includes(event.propertyKey) ? { refresh: [event.issue.id] } : undefined;
  }
};

export const handleIndexEvent = async (raw: unknown, deps: IndexTriggerDeps): Promise<IndexTriggerOutcome> => {
  const parsed = IndexEventSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const reason = `not an event the index follows (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown'})`;
    deps.log(`qms-rim traceability index: ignored ${reason}`);
    return { outcome: 'ignored', reason };
  }
  const touched = touchedBy(parsed.data);
  if (!touched) return { outcome: 'ignored', reason: 'the property is not part of the index' };
  try {
    const indexedAt = deps.now();
    if (touched.deleted !== undefined) await deleteTraceEntries([touched.deleted]);
    const result = await refreshTraceEntries(
      deps.jira,
      kvsSignedRecordStore,
      touched.refresh,
      deps.conventions,
      indexedAt,
    );
    return {
      outcome: 'done',
      written: result.written,
      removed: [...(touched.deleted ? [touched.deleted] : []), ...result.removed],
    };
  } catch (error) {
    const reason = isAppError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    deps.log(`qms-rim traceability index: ${parsed.data.eventType} not applied: ${reason}`);
    return { outcome: 'failed', reason };
  }
};

/** Forge handler of the `maintain-traceability-index` trigger. */
export const traceabilityIndexTrigger = async (event: unknown): Promise<IndexTriggerOutcome> =>
  handleIndexEvent(event, {
    jira: createJiraHttp(asApp().requestJira),
    conventions: await loadConventions(),
    now: () => new Date().toISOString(),
    log: (message) => console.warn(message),
  });
