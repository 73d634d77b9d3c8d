/**
 * One step from a decision to the RIM issues it leads to: the Submission(s) of a submission
 * plan, and a Commitment. Each issue is created in the RIM project as the person, pre-filled
 * (summary, an ADF description, and the app's entity property in the same create call, so no
 * issue ever exists without its property), linked to the quality record, and, for a plan, its
 * key recorded on the decision.
 *
 * All or nothing. The person's permissions are checked first (one `mypermissions` call per
 * project), so someone who may not create in RIM gets FORBIDDEN before anything exists. If a
 * later step fails, every issue this invocation created is deleted again, its links with it.
 * That undo runs as the app: a person allowed to create Submissions is often not allowed to
 * delete them, and a half-made plan must not stay behind. The app deletes only the keys it
 * created moments before in the same invocation.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { IgnoredBody, NoContent } from '../adapters/jira/jira-http';
import { CommitmentPropertySchema, SubmissionPropertySchema } from '../adapters/jira/issue-mapping';
import { JiraCreatedIssueSchema } from '../adapters/jira/jira-schemas';
import { isFieldOutOfStep } from '../adapters/jira/impact-value';
import { appendAuditEntry } from '../adapters/kvs/audit-repository';
import { recordSubmissions } from '../domain/impact-decisions';
import { COMMITMENT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../config/jira-conventions';
import type { AddCommitmentInput, WrittenImpact } from '../contract/resolvers';
import { IN_HOUSE_CATEGORIES } from '../domain/categories';
import type { ApplicationDecision, QmsRecord, ReviewerDecision } from '../domain/model';
import { AppError } from '../ports/app-error';
import type { ImpactWriteDeps } from './impact-write';
import { asWritten, checkVersion, commitImpact, loadRecord, requireRegistry, signerOf } from './impact-write';
import { commitmentDescription, submissionDescription } from './linked-issue-adf';
import type { AdfDoc } from './linked-issue-adf';

export interface LinkedFilingDeps extends ImpactWriteDeps {
  /** Acts as the app: only to delete again what this invocation created when a later step failed. */
  appJira: JiraHttp;
}

const MyPermissionsSchema = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })),
});

type Permission = 'CREATE_ISSUES' | 'EDIT_ISSUES' | 'LINK_ISSUES';
const PERMISSION_NAMES: Record<Permission, string> = {
  CREATE_ISSUES: 'Create issues',
  EDIT_ISSUES: 'Edit issues',
  LINK_ISSUES: 'Link issues',
};

/** FORBIDDEN, naming what is missing, unless the person holds every permission the steps need. */
const requirePermissions = async (
  deps: LinkedFilingDeps,
  recordKey: string,
  onRecord: readonly Permission[],
  what: string,
): Promise<void> => {
  const project = deps.conventions.rimProjectKey;
  const inRim = await deps.jira.requestJira(
    route`/rest/api/3/mypermissions?projectKey=${project}&permissions=CREATE_ISSUES`,
    { method: 'GET', schema: MyPermissionsSchema, absentOn404: true },
  );
  const onIssue = await deps.jira.requestJira(
    route`/rest/api/3/mypermissions?issueKey=${recordKey}&permissions=${onRecord.join(',')}`,
    { method: 'GET', schema: MyPermissionsSchema },
  );
  const missing = [
    ...(inRim?.permissions['CREATE_ISSUES']?.havePermission === true
      ? []
      : [`${PERMISSION_NAMES.CREATE_ISSUES} in the ${project} project`]),
    ...onRecord
      .filter((p) => onIssue.permissions[p]?.havePermission !== true)
      .map((p) => `${PERMISSION_NAMES[p]} on ${recordKey}`),
  ];
  if (missing.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `You cannot ${what}: it needs the Jira permission${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}. Nothing was created; ask a regulatory colleague, or your Jira admin for the permission.`,
    );
  }
};

const createIssue = async (
  deps: LinkedFilingDeps,
  fields: { issueType: string; summary: string; description: AdfDoc },
  property: { key: string; value: unknown },
): Promise<string> => {
  const created = await deps.jira.requestJira(route`/rest/api/3/issue`, {
    method: 'POST',
    schema: JiraCreatedIssueSchema,
    body: {
      fields: {
        project: { key: deps.conventions.rimProjectKey },
        issuetype: { name: fields.issueType },
        summary: fields.summary.slice(0, 255),
        description: fields.description,
      },
      properties: [property],
    },
  });
  return created.key;
};

/** POST /issueLink names the link's source `inwardIssue`: "<record> requires filing <Submission>", "<record> implements <Commitment>". */
const linkFromRecord = async (
  deps: LinkedFilingDeps,
  linkType: string,
  recordKey: string,
  createdKey: string,
): Promise<void> => {
  await deps.jira.requestJira(route`/rest/api/3/issueLink`, {
    method: 'POST',
    schema: IgnoredBody,
    body: { type: { name: linkType }, inwardIssue: { key: recordKey }, outwardIssue: { key: createdKey } },
  });
};

const NOTHING_CHANGED = /nothing was (changed|saved|created)/i;

/** Runs the steps; on failure deletes what `created` holds (newest first) and says what happened. */
const allOrNothing = async <T>(
  deps: LinkedFilingDeps,
  what: string,
  steps: (created: string[]) => Promise<T>,
): Promise<T> => {
  const created: string[] = [];
  try {
    return await steps(created);
  } catch (error) {
    if (isFieldOutOfStep(error)) {
      // The record's stored assessment already names what was created: deleting it now would
      // leave decisions naming Submissions that do not exist. Only the field is behind.
      throw new AppError(
        error.code,
        `${what} got as far as recording ${created.join(', ')} on the record, so ${created.length > 1 ? 'they are' : 'it is'} kept. ${error.message}`,
        error.details,
      );
    }
    const leftBehind: string[] = [];
    for (const key of [...created].reverse()) {
      try {
        await deps.appJira.requestJira(route`/rest/api/3/issue/${key}`, { method: 'DELETE', schema: NoContent });
      } catch {
        leftBehind.push(key);
      }
    }
    const cause = error instanceof AppError ? error : new AppError('INTERNAL', 'Something went wrong in the app.');
    if (leftBehind.length > 0) {
      throw new AppError(
        'JIRA_UNAVAILABLE',
        `${what} failed (${cause.message}), and ${leftBehind.join(', ')} could not be deleted again: delete ${leftBehind.length > 1 ? 'them' : 'it'} by hand. The assessment was not changed.`,
      );
    }
    const undone =
      created.length > 0
        ? ` ${created.join(', ')} ${created.length > 1 ? 'were' : 'was'} created on the way and deleted again, so nothing was changed.`
        : NOTHING_CHANGED.test(cause.message)
          ? ''
          : ' Nothing was changed.';
    throw new AppError(cause.code, `${what} failed: ${cause.message}${undone}`);
  }
};

// ------------------------------------------------------------------ submission plan

interface PlanTarget {
  decision: ApplicationDecision & { decided: ReviewerDecision };
  product: { id: string; name: string };
  application: { id: string; number: string; type: string };
}

const planTargets = async (record: QmsRecord, applicationIds: readonly string[]): Promise<PlanTarget[]> => {
  const registry = await requireRegistry();
  const targets: PlanTarget[] = [];
  for (const applicationId of new Set(applicationIds)) {
    const decision = record.impact.decisions.find((d) => d.applicationId === applicationId);
    if (!decision)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${applicationId} is not among the applications ${record.key}'s assessment affects. Nothing was created.`,
      );
    const decided = decision.decided;
    if (!decided)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${applicationId} has no reviewer's decision yet; decide it before planning its submission. Nothing was created.`,
      );
    if (IN_HOUSE_CATEGORIES.has(decided.category))
      throw new AppError(
        'INVALID_INPUT',
        `Application ${applicationId} was decided ${decided.category}: it is documented in-house and needs no Submission. Nothing was created.`,
      );
    // Already planned: a repeated request creates nothing twice.
    if (decision.submissionKey !== undefined) continue;
    const application = registry.applications.find((a) => a.id === applicationId);
    const product = application && registry.products.find((p) => p.id === application.productId);
    if (!application || !product)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${applicationId} is no longer in the registry. Nothing was created.`,
      );
    targets.push({
      decision: { ...decision, decided },
      product: { id: product.id, name: product.name },
      application: { id: application.id, number: application.number, type: application.type },
    });
  }
  return targets;
};

export const createSubmissionPlan = async (
  deps: LinkedFilingDeps,
  key: string,
  input: { version: number; applicationIds: string[] },
): Promise<{ impact: WrittenImpact; created: { applicationId: string; key: string }[] }> => {
  const record = await loadRecord(deps, key);
  const targets = await planTargets(record, input.applicationIds);
  if (targets.length === 0) return { impact: asWritten(record.impact), created: [] };
  checkVersion(record, input.version);
  await requirePermissions(deps, key, ['EDIT_ISSUES', 'LINK_ISSUES'], 'create the submission plan');
  const actor = await signerOf(deps.jira);

  return allOrNothing(deps, 'Creating the submission plan', async (created) => {
    const keyOf = new Map<string, string>();
    for (const { decision, product, application } of targets) {
      const { decided } = decision;
      const submissionKey = await createIssue(
        deps,
        {
          issueType: deps.conventions.submissionIssueType,
          summary: `${decided.category}: ${product.name}, ${application.number} (${decision.market}), for ${key}`,
          description: submissionDescription({
            recordKey: key,
            recordSummary: record.summary,
            product,
            application,
            market: decision.market,
            category: decided.category,
            citations: decision.recommended.citations,
            decidedBy: decided.by.displayName,
            decidedAt: decided.at,
            rationale: decided.rationale,
          }),
        },
        {
          key: SUBMISSION_PROPERTY_KEY,
          value: SubmissionPropertySchema.parse({
            applicationId: application.id,
            productId: product.id,
            market: decision.market,
            category: decided.category,
          }),
        },
      );
      created.push(submissionKey);
      await linkFromRecord(deps, deps.conventions.filingLinkType, key, submissionKey);
      keyOf.set(application.id, submissionKey);
    }
    const plan = [...keyOf].map(([applicationId, submissionKey]) => ({ applicationId, key: submissionKey }));
    // The Submissions are recorded on the signed record, with the audit entry, or undone.
    const change = recordSubmissions(record, plan, actor, deps.now().toISOString());
    await commitImpact(deps, record, change);
    return { impact: asWritten(change.impact), created: plan };
  });
};

// ------------------------------------------------------------------ commitment

export const addCommitment = async (
  deps: LinkedFilingDeps,
  key: string,
  input: AddCommitmentInput,
): Promise<{ key: string }> => {
  const record = await loadRecord(deps, key);
  let application: { id: string; number: string } | undefined;
  let submissionKey: string | undefined;
  if (input.applicationId !== undefined) {
    const decision = record.impact.decisions.find((d) => d.applicationId === input.applicationId);
    if (!decision)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${input.applicationId} is not among the applications ${key}'s assessment affects. Nothing was created.`,
      );
    if (decision.market !== input.market)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${input.applicationId} is in ${decision.market}, not ${input.market}. Nothing was created.`,
      );
    const registered = (await requireRegistry()).applications.find((a) => a.id === input.applicationId);
    if (!registered)
      throw new AppError(
        'INVALID_INPUT',
        `Application ${input.applicationId} is no longer in the registry. Nothing was created.`,
      );
    application = { id: registered.id, number: registered.number };
    submissionKey = decision.submissionKey;
  }
  await requirePermissions(deps, key, ['LINK_ISSUES'], 'add a commitment');
  const actor = await signerOf(deps.jira);

  return allOrNothing(deps, 'Adding the commitment', async (created) => {
    const commitmentKey = await createIssue(
      deps,
      {
        issueType: deps.conventions.commitmentIssueType,
        summary: input.title.trim(),
        description: commitmentDescription({
          recordKey: key,
          recordSummary: record.summary,
          market: input.market,
          application,
          dueDate: input.dueDate,
          description: input.description,
        }),
      },
      {
        key: COMMITMENT_PROPERTY_KEY,
        value: CommitmentPropertySchema.parse({
          market: input.market,
          ...(application ? { applicationId: application.id } : {}),
          ...(submissionKey ? { submissionKey } : {}),
          dueDate: input.dueDate,
          recordKey: key,
        }),
      },
    );
    created.push(commitmentKey);
    await linkFromRecord(deps, deps.conventions.commitmentLinkType, key, commitmentKey);
    // No Commitment key in the summary: the record's history is shown to people who may not browse RIM.
    await appendAuditEntry({
      at: deps.now().toISOString(),
      actor,
      action: 'impact/add-commitment',
      subject: key,
      payload: {
        summary: `Added a commitment for ${input.market}${application ? ` (${application.id})` : ''}, due ${input.dueDate}: ${input.title.trim()}`,
        before: null,
        after: {
          commitmentKey,
          title: input.title.trim(),
          market: input.market,
          dueDate: input.dueDate,
          ...(application ? { applicationId: application.id } : {}),
        },
      },
    });
    return { key: commitmentKey };
  });
};
