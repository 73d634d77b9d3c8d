/**
 * Jira issues → the domain's QmsRecord, Submission and Commitment. The app's own values
 * live in issue entity properties and are parsed with zod here; an issue the app has not
 * touched yet maps to "not assessed", never to an error, so a gate can say what is missing.
 */
import { z } from 'zod';
import type { Commitment, QmsRecord, Submission } from '../../domain/model';
import {
  CommitmentSchema,
  DateSchema,
  FilingCategorySchema,
  IssueKeySchema,
  MarketSchema,
  QmsRecordSchema,
  RegistryIdSchema,
  SubmissionSchema,
} from '../../domain/model';
import { checkMirror } from '../../domain/signed-record';
import type { FieldChange, SignedRecord } from '../../domain/signed-record';
import { IMPACT_FIELD_NAME } from '../../config/impact-field';
import { AppError } from '../../ports/app-error';
import type { JiraConventions } from '../../config/jira-conventions';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../config/jira-conventions';
import { CorrespondencePropertySchema, CorrespondenceSchema } from '../../domain/correspondence';
import type { Correspondence } from '../../domain/correspondence';
import type { JiraIssue } from './jira-schemas';
import type { JiraStatusSchema } from './jira-schemas';

export const SubmissionPropertySchema = z.strictObject({
  applicationId: RegistryIdSchema,
  productId: RegistryIdSchema,
  market: MarketSchema,
  category: FilingCategorySchema,
});

export const CommitmentPropertySchema = z.strictObject({
  market: MarketSchema,
  applicationId: RegistryIdSchema.optional(),
  submissionKey: z.string().optional(),
  dueDate: DateSchema,
  /** The QMS record the Commitment was raised from; a trigger links it back. */
  recordKey: IssueKeySchema.optional(),
});

/** Jira writes instants as `2026-01-05T10:00:00.000+0000`; the domain wants ISO 8601 with a colon offset. */
export const toIsoInstant = (jiraInstant: string): string => {
  const parsed = new Date(jiraInstant);
  if (Number.isNaN(parsed.getTime()))
    throw new AppError('INVALID_RESPONSE', `Jira sent an unreadable date: ${jiraInstant}`);
  return parsed.toISOString();
};

const property = <S extends z.ZodType>(issue: JiraIssue, key: string, schema: S): z.infer<S> | undefined => {
  const raw = issue.properties?.[key];
  if (raw === undefined || raw === null) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError(
      'INVALID_RESPONSE',
      `The app's data on ${issue.key} (${key}) is not valid: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown'}. Nothing was changed.`,
    );
  }
  return parsed.data;
};

/** A Jira status as the domain sees it: its name and status category. */
export const toIssueStatus = (status: z.infer<typeof JiraStatusSchema>) => {
  const key = status.statusCategory.key;
  return { name: status.name, category: key === 'undefined' ? ('new' as const) : key };
};

export const statusOf = (issue: JiraIssue) => {
  const status = issue.fields.status;
  if (!status) throw new AppError('INVALID_RESPONSE', `Jira sent ${issue.key} without its status.`);
  return toIssueStatus(status);
};

/** Linked issues of one link type in one direction, by key. */
export const linkedKeys = (issue: JiraIssue, linkType: string, direction: 'outward' | 'inward'): string[] =>
  (issue.fields.issuelinks ?? [])
    .filter((link) => link.type.name === linkType)
    .map((link) => (direction === 'outward' ? link.outwardIssue?.key : link.inwardIssue?.key))
    .filter((key): key is string => key !== undefined);

/** A read that did not ask for `project` cannot tell the project, and is judged by the issue type alone. */
const inProjects = (issue: JiraIssue, projectKeys: readonly string[]): boolean =>
  issue.fields.project === undefined || projectKeys.includes(issue.fields.project.key);

/** A mapped QMS issue type in a mapped QMS project (a "CAPA" type elsewhere on the site is not a quality record). */
export const isQmsIssue = (issue: JiraIssue, conventions: JiraConventions): boolean =>
  issue.fields.issuetype !== undefined &&
  Object.hasOwn(conventions.qmsIssueTypes, issue.fields.issuetype.name) &&
  inProjects(issue, conventions.qmsProjectKeys);

const parseJsonText = (text: string | null | undefined): unknown => {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The "Regulatory impact" field's changes in the issue's changelog: who set it to what, when. */
export const impactFieldChanges = (issue: JiraIssue): FieldChange[] =>
  (issue.changelog?.histories ?? []).flatMap((history) =>
    history.items
      .filter((item) => item.field === IMPACT_FIELD_NAME)
      .map((item) => ({
        at: toIsoInstant(history.created),
        by: history.author?.displayName ?? history.author?.accountId ?? 'someone Jira does not name',
        value: parseJsonText(item.toString),
      })),
  );

/**
 * A QMS issue as the domain sees it. `signed` is the record's signed assessment from app storage
 * (undefined when the app never recorded one): the record's `impact` is always that, and
 * `integrity` says whether Jira's copy (the `qmsrim.impact` property) still matches it.
 */
export const toQmsRecord = (
  issue: JiraIssue,
  conventions: JiraConventions,
  signed: SignedRecord | undefined,
): QmsRecord => {
  const typeName = issue.fields.issuetype?.name ?? '';
  const kind = conventions.qmsIssueTypes[typeName];
  if (!kind)
    throw new AppError(
      'INVALID_INPUT',
      `${issue.key} is a ${typeName || 'issue of unknown type'}, not a QMS record type this app knows (${Object.keys(conventions.qmsIssueTypes).join(', ')}).`,
    );

  // The record's quality approval is the latest entry into an approval status, by whom and when.
  const approvals = (issue.changelog?.histories ?? []).flatMap((history) =>
    history.items
      .filter(
        (item) =>
          item.field === 'status' &&
          item.toString !== undefined &&
          item.toString !== null &&
          conventions.approvalStatusNames.includes(item.toString),
      )
      .map(() => ({
        by: history.author?.displayName ?? history.author?.accountId ?? 'unknown',
        at: toIsoInstant(history.created),
      })),
  );
  const approval = approvals.sort((a, b) => (a.at < b.at ? -1 : 1)).at(-1);

  const fields: Record<string, unknown> = {};
  for (const [name, fieldId] of Object.entries(conventions.recordFields)) {
    const value = issue.fields[fieldId];
    if (value !== undefined && value !== null && value !== '') fields[name] = value;
  }

  const resolution = issue.fields.resolutiondate;
  return QmsRecordSchema.parse({
    key: issue.key,
    kind,
    summary: issue.fields.summary ?? '',
    status: statusOf(issue),
    ...(approval ? { approval } : {}),
    fields,
    ...checkMirror({
      issueKey: issue.key,
      mirror: issue.properties?.[IMPACT_PROPERTY_KEY],
      signed,
      fieldChanges: impactFieldChanges(issue),
    }),
    ...(issue.fields.created ? { createdAt: toIsoInstant(issue.fields.created) } : {}),
    ...(resolution ? { closedAt: toIsoInstant(resolution) } : {}),
    ...(issue.fields.reporter?.accountId ? { reporterAccountId: issue.fields.reporter.accountId } : {}),
    ...(issue.fields.creator?.accountId ? { creatorAccountId: issue.fields.creator.accountId } : {}),
  });
};

export const toSubmission = (issue: JiraIssue, conventions: JiraConventions): Submission | undefined => {
  if (
    issue.fields.issuetype?.name !== conventions.submissionIssueType ||
    !inProjects(issue, [conventions.rimProjectKey])
  )
    return undefined;
  const data = property(issue, SUBMISSION_PROPERTY_KEY, SubmissionPropertySchema);
  if (!data) return undefined;
  const status = conventions.submissionStatuses[statusOf(issue).name];
  if (!status)
    throw new AppError(
      'INVALID_RESPONSE',
      `${issue.key} is in status "${statusOf(issue).name}", which is not mapped to a submission status.`,
    );
  const approvedAt = status === 'approved' ? latestEntryInto(issue, statusOf(issue).name) : undefined;
  return SubmissionSchema.parse({
    key: issue.key,
    ...data,
    status,
    recordKeys: linkedKeys(issue, conventions.filingLinkType, 'inward'),
    ...(approvedAt ? { approvedAt } : {}),
  });
};

export const toCommitment = (issue: JiraIssue, conventions: JiraConventions): Commitment | undefined => {
  if (
    issue.fields.issuetype?.name !== conventions.commitmentIssueType ||
    !inProjects(issue, [conventions.rimProjectKey])
  )
    return undefined;
  const stored = property(issue, COMMITMENT_PROPERTY_KEY, CommitmentPropertySchema);
  if (!stored) return undefined;
  const { recordKey: _recordKey, ...data } = stored;
  const status = conventions.commitmentStatuses[statusOf(issue).name];
  if (!status)
    throw new AppError(
      'INVALID_RESPONSE',
      `${issue.key} is in status "${statusOf(issue).name}", which is not mapped to a commitment status.`,
    );
  return CommitmentSchema.parse({
    key: issue.key,
    title: issue.fields.summary ?? issue.key,
    ...data,
    status,
    implementedBy: linkedKeys(issue, conventions.commitmentLinkType, 'inward'),
  });
};

/** A health-authority correspondence issue with the app's data; undefined for any other issue or one without `qmsrim.correspondence`. */
export const toCorrespondence = (issue: JiraIssue, conventions: JiraConventions): Correspondence | undefined => {
  if (issue.fields.issuetype?.name !== conventions.correspondenceIssueType) return undefined;
  const data = property(issue, CORRESPONDENCE_PROPERTY_KEY, CorrespondencePropertySchema);
  if (!data) return undefined;
  const state = conventions.correspondenceStatuses[statusOf(issue).name];
  if (!state)
    throw new AppError(
      'INVALID_RESPONSE',
      `${issue.key} is in status "${statusOf(issue).name}", which is not mapped to a correspondence state.`,
    );
  return CorrespondenceSchema.parse({ key: issue.key, summary: issue.fields.summary ?? '', state, property: data });
};

const latestEntryInto = (issue: JiraIssue, statusName: string): string | undefined =>
  (issue.changelog?.histories ?? [])
    .filter((h) => h.items.some((i) => i.field === 'status' && i.toString === statusName))
    .map((h) => toIsoInstant(h.created))
    .sort()
    .at(-1);
