/**
 * The `trigger` entry for Jira product events: parse the event with zod, ignore what the app
 * itself caused, and hand the work to src/services/keep-consistent.ts, reading and writing as
 * the app (this is the app's bookkeeping, never shown to a person as-is). A malformed event,
 * or one that fails, is logged and ignored: a trigger must never crash the delivery.
 */
import { asApp } from '@forge/api';
import { z } from 'zod';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import type { JiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { COMMITMENT_PROPERTY_KEY, IMPACT_PROPERTY_KEY } from '../../config/jira-conventions';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import type { JiraConventions } from '../../config/jira-conventions';
import { IssueKeySchema } from '../../domain/model';
import { isAppError } from '../../ports/app-error';
import {
  checkLinkedSubmission,
  forgetUnlinkedSubmission,
  linkCommitmentToRecord,
  recordSubmissionApproval,
  syncSubmissionCategories,
} from '../../services/keep-consistent';

const ActorSchema = {
  atlassianId: z.string().optional(),
  selfGenerated: z.boolean().optional(),
};

const EventIssueSchema = z.looseObject({
  key: IssueKeySchema,
  fields: z.looseObject({ issuetype: z.looseObject({ name: z.string() }).optional() }).optional(),
});

export const IssueEventSchema = z.looseObject({
  ...ActorSchema,
  eventType: z.enum(['avi:jira:created:issue', 'avi:jira:updated:issue']),
  issue: EventIssueSchema,
  changelog: z
    .looseObject({ items: z.array(z.looseObject({ field: z.string(), toString: z.string().nullable().optional() })) })
    .optional(),
});

export const PropertyEventSchema = z.looseObject({
  ...ActorSchema,
  eventType: z.literal('avi:jira:set:issue-property'),
  issue: z.looseObject({ key: IssueKeySchema }),
  propertyKey: z.string(),
});

/**
 * Forge's issue-link events name both ends by id (no issue beans) and carry the link type;
 * they document no actor, so `atlassianId`/`selfGenerated` are read only when present.
 */
export const LinkEventSchema = z.looseObject({
  ...ActorSchema,
  eventType: z.enum(['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']),
  id: z.string().optional(),
  sourceIssueId: z.string().regex(/^\d+$/),
  destinationIssueId: z.string().regex(/^\d+$/),
  issueLinkType: z.looseObject({ name: z.string() }),
});

export const TriggerEventSchema = z.discriminatedUnion('eventType', [
  IssueEventSchema,
  PropertyEventSchema,
  LinkEventSchema,
]);
export type TriggerEvent = z.infer<typeof TriggerEventSchema>;

export type TriggerOutcome =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'done'; action: string; updated: string[] }
  | { outcome: 'failed'; reason: string };

export interface TriggerDeps {
  jira: JiraHttp;
  conventions: JiraConventions;
  now: () => Date;
  /** The app's own account id, when known: events it caused are ignored even without `selfGenerated`. */
  appAccountId?: string;
  log: (message: string) => void;
}

type Action = { name: string; run: () => Promise<{ updated: string[] }> };

/** What one event asks the app to do, if anything. */
type LinkEvent = z.infer<typeof LinkEventSchema>;
const isLinkEvent = (event: TriggerEvent): event is LinkEvent =>
  event.eventType === 'avi:jira:created:issuelink' || event.eventType === 'avi:jira:deleted:issuelink';

/** Only the filing link between a record and its Submission carries app state; other link types need nothing. */
const linkActionFor = (event: LinkEvent, deps: TriggerDeps): Action | undefined => {
  const { jira, conventions } = deps;
  if (event.issueLinkType.name !== conventions.filingLinkType) return undefined;
  return event.eventType === 'avi:jira:created:issuelink'
    ? {
        name: 'check-linked-submission',
        run: () => checkLinkedSubmission(jira, kvsSignedRecordStore, event, conventions, deps.now().toISOString()),
      }
    : { name: 'forget-unlinked-submission', run: () => forgetUnlinkedSubmission(jira, event, conventions) };
};

const actionFor = (event: TriggerEvent, deps: TriggerDeps): Action | undefined => {
  const { jira, conventions } = deps;
  if (isLinkEvent(event)) return linkActionFor(event, deps);
  const key = event.issue.key;
  if (event.eventType === 'avi:jira:set:issue-property') {
    if (event.propertyKey === IMPACT_PROPERTY_KEY)
      return {
        name: 'sync-submission-categories',
        run: () => syncSubmissionCategories(jira, kvsSignedRecordStore, key, conventions),
      };
    if (event.propertyKey === COMMITMENT_PROPERTY_KEY)
      return { name: 'link-commitment', run: () => linkCommitmentToRecord(jira, key, conventions, event.atlassianId) };
    return undefined;
  }
  const typeName = event.issue.fields?.issuetype?.name;
  if (event.eventType === 'avi:jira:created:issue') {
    return typeName === conventions.commitmentIssueType
      ? { name: 'link-commitment', run: () => linkCommitmentToRecord(jira, key, conventions, event.atlassianId) }
      : undefined;
  }
  if (typeName !== undefined && typeName in conventions.qmsIssueTypes) {
    return {
      name: 'sync-submission-categories',
      run: () => syncSubmissionCategories(jira, kvsSignedRecordStore, key, conventions),
    };
  }
  if (typeName === conventions.submissionIssueType) {
    const approved = (event.changelog?.items ?? []).some(
      (item) =>
        item.field === 'status' &&
        typeof item.toString === 'string' &&
        conventions.submissionStatuses[item.toString] === 'approved',
    );
    if (!approved) return undefined;
    return {
      name: 'record-approval',
      run: () => recordSubmissionApproval(jira, key, conventions, deps.now().toISOString()),
    };
  }
  return undefined;
};

export const handleTriggerEvent = async (raw: unknown, deps: TriggerDeps): Promise<TriggerOutcome> => {
  const parsed = TriggerEventSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const reason = `malformed event (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown'})`;
    deps.log(`qms-rim trigger: ignored a ${reason}`);
    return { outcome: 'ignored', reason };
  }
  const event = parsed.data;
  // Loop guard, also when the manifest's `ignoreSelf` filter is not applied.
  if (event.selfGenerated === true || (deps.appAccountId !== undefined && event.atlassianId === deps.appAccountId)) {
    return { outcome: 'ignored', reason: 'caused by the app itself' };
  }
  const action = actionFor(event, deps);
  if (!action) return { outcome: 'ignored', reason: 'nothing to keep consistent' };
  try {
    const { updated } = await action.run();
    return { outcome: 'done', action: action.name, updated };
  } catch (error) {
    const reason = isAppError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    const subject = isLinkEvent(event)
      ? `the link between issues ${event.sourceIssueId} and ${event.destinationIssueId}`
      : event.issue.key;
    deps.log(`qms-rim trigger: ${action.name} on ${subject} failed: ${reason}`);
    return { outcome: 'failed', reason };
  }
};

/** Forge handler of the `keep-linked-issues-consistent` trigger. */
export const consistencyTrigger = async (event: unknown): Promise<TriggerOutcome> => {
  const log = (message: string): void => console.warn(message);
  let conventions: JiraConventions;
  try {
    conventions = await loadConventions();
  } catch (error) {
    const reason = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
    log(`qms-rim trigger: the Jira mapping could not be read: ${reason}`);
    return { outcome: 'failed', reason };
  }
  return handleTriggerEvent(event, {
    jira: createJiraHttp(asApp().requestJira),
    conventions,
    now: () => new Date(),
    log,
  });
};
