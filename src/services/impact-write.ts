/**
 * The writes behind the "Regulatory impact" panel: save the assessment, record a reviewer's
 * signed decision (with its audit entry), read the decision history, and create the
 * submission plan. Jira is read and written as the person (`jira` must be asUser), so Jira's
 * own permissions decide what they may change; the audit chain is written as the app.
 *
 * Optimistic concurrency: every write names the `version` it was based on; a stale version
 * answers CONFLICT naming the current one, and nothing is written. (Jira entity properties
 * have no compare-and-set, so the check is read-then-write: it closes the ordinary
 * stale-form case, not two writes landing in the same few milliseconds.)
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { NoContent } from '../adapters/jira/jira-http';
import { JiraCreatedIssueSchema } from '../adapters/jira/jira-schemas';
import { writeImpactValue } from '../adapters/jira/impact-value';
import { isQmsIssue, toQmsRecord } from '../adapters/jira/issue-mapping';
import { appendAuditEntry, listAuditEntries } from '../adapters/kvs/audit-repository';
import { loadRegistry } from '../adapters/kvs/registry-repository';
import type { JiraConventions } from '../config/jira-conventions';
import { DEFAULT_JIRA_CONVENTIONS, SUBMISSION_PROPERTY_KEY } from '../config/jira-conventions';
import type { DecideInput, HistoryEntry, SaveAssessmentInput, WrittenImpact } from '../contract/resolvers';
import { IN_HOUSE_CATEGORIES, isCategoryValidFor } from '../domain/categories';
import type { ApplicationDecision, FilingCategory, ImpactStatus, QmsRecord, Recommendation, Registry, ReviewerDecision, Signer } from '../domain/model';
import { FilingCategorySchema, SignatureMeaningSchema } from '../domain/model';
import type { RegulatoryImpact } from '../domain/model';
import { affectedFrom, propagateImpact } from '../domain/propagation';
import { recommendForApplication } from '../domain/recommend';
import { AppError } from '../ports/app-error';
import { fetchIssue } from './load-gate-subject';

/** The RIM project Submissions are created in when the caller names none; the resolver passes the site's mapping. */
export const DEFAULT_RIM_PROJECT_KEY = DEFAULT_JIRA_CONVENTIONS.rimProjectKey;

export interface ImpactWriteDeps {
  /** Acts as the person using the panel (asUser). */
  jira: JiraHttp;
  conventions: JiraConventions;
  /** The clock, read here in the service and passed into the domain. */
  now: () => Date;
  rimProjectKey?: string;
}

const AnyBody = z.unknown();
const MyselfSchema = z.looseObject({ accountId: z.string().min(1), displayName: z.string().min(1) });

export const asWritten = (impact: RegulatoryImpact): WrittenImpact => ({
  ...impact,
  decisions: impact.decisions.map(({ submissionKey, ...decision }) => ({ ...decision, hasSubmission: submissionKey !== undefined })),
});

const loadRecord = async (deps: ImpactWriteDeps, key: string): Promise<QmsRecord> => {
  const issue = await fetchIssue(deps.jira, key, deps.conventions);
  if (!isQmsIssue(issue, deps.conventions)) throw new AppError('INVALID_INPUT', `${key} is not a quality record, so it has no regulatory impact assessment to change.`);
  return toQmsRecord(issue, deps.conventions);
};

const checkVersion = (record: QmsRecord, expected: number): void => {
  const current = record.impact.version;
  if (current !== expected) {
    throw new AppError('CONFLICT', `${record.key}'s assessment was changed by someone else: it is now at version ${current}, and your change was based on version ${expected}. Nothing was saved; reload the panel to see the current version ${current} and apply your change again.`, { currentVersion: current, current: record.impact });
  }
};

const requireRegistry = async (): Promise<Registry> => {
  const registry = await loadRegistry();
  if (!registry) throw new AppError('NOT_FOUND', 'No registry of products, sites, suppliers and applications has been set up yet; a Jira admin must import it on the app\'s admin page first.');
  return registry;
};

const writeImpact = async (jira: JiraHttp, key: string, impact: RegulatoryImpact): Promise<void> => {
  await writeImpactValue(jira, key, impact);
};

const sameRecommendation = (a: Recommendation, b: Recommendation): boolean =>
  a.category === b.category && a.rationale === b.rationale && a.citations.length === b.citations.length && a.citations.every((c, i) => c === b.citations[i]);

/** in-assessment while any application is undecided; then filing-required or no-filing. */
export const statusOf = (decisions: readonly ApplicationDecision[]): ImpactStatus => {
  if (decisions.length === 0 || decisions.some((d) => d.decided === undefined)) return 'in-assessment';
  return decisions.every((d) => d.decided !== undefined && IN_HOUSE_CATEGORIES.has(d.decided.category)) ? 'no-filing' : 'filing-required';
};

// ------------------------------------------------------------------ save

export const saveAssessment = async (deps: ImpactWriteDeps, key: string, input: SaveAssessmentInput): Promise<WrittenImpact> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const registry = await requireRegistry();

  const source = {
    supplierIds: input.affected.supplierIds,
    siteIds: input.affected.siteIds,
    productIds: input.affected.productIds,
    ...(input.affected.markets.length > 0 ? { markets: input.affected.markets } : {}),
  };
  const propagation = propagateImpact(registry, source);
  if (propagation.unknown.length > 0) {
    throw new AppError('INVALID_INPUT', `The registry does not know ${propagation.unknown.map((u) => `${u.kind} ${u.id}`).join(', ')}. Nothing was saved; pick them from the registry.`);
  }

  const previous = new Map(record.impact.decisions.map((d) => [d.applicationId, d]));
  const decisions = propagation.applications.map((affected): ApplicationDecision => {
    const application = registry.applications.find((a) => a.id === affected.applicationId);
    if (!application) throw new AppError('INTERNAL', `Application ${affected.applicationId} vanished from the registry.`);
    const result = recommendForApplication(input.changes, {
      id: application.id,
      market: application.market,
      type: application.type,
      ...(application.deviceClass ? { deviceClass: application.deviceClass } : {}),
    });
    const recommended: Recommendation = { category: result.category, citations: result.citations, rationale: result.rationale };
    const before = previous.get(application.id);
    // A decision stands only on the basis it was made on: a changed recommendation drops it.
    const keep = before?.decided !== undefined && sameRecommendation(before.recommended, recommended) ? before.decided : undefined;
    return {
      applicationId: application.id,
      market: application.market,
      recommended,
      ...(keep ? { decided: keep } : {}),
      ...(before?.submissionKey ? { submissionKey: before.submissionKey } : {}),
    };
  });

  const impact: RegulatoryImpact = {
    status: statusOf(decisions),
    changes: input.changes,
    affected: affectedFrom(source, propagation),
    decisions,
    version: record.impact.version + 1,
  };
  await writeImpact(deps.jira, key, impact);
  return asWritten(impact);
};

// ------------------------------------------------------------------ decide

const signerOf = async (jira: JiraHttp): Promise<Signer> => {
  const me = await jira.requestJira(route`/rest/api/3/myself`, { method: 'GET', schema: MyselfSchema });
  return { accountId: me.accountId, displayName: me.displayName };
};

export const decide = async (deps: ImpactWriteDeps, key: string, input: DecideInput): Promise<WrittenImpact> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const index = record.impact.decisions.findIndex((d) => d.applicationId === input.applicationId);
  const current = record.impact.decisions[index];
  if (!current) throw new AppError('INVALID_INPUT', `Application ${input.applicationId} is not among the applications ${key}'s assessment affects; save the assessment first.`);
  const registry = await requireRegistry();
  const application = registry.applications.find((a) => a.id === input.applicationId);
  if (!application) throw new AppError('INVALID_INPUT', `Application ${input.applicationId} is no longer in the registry; save the assessment again.`);

  const rationale = input.rationale.trim();
  let category: FilingCategory;
  if (input.decision === 'accept') {
    if (current.recommended.category === 'REVIEW-REQUIRED') {
      throw new AppError('INVALID_INPUT', `The rules could not decide ${input.applicationId} (REVIEW-REQUIRED), so there is nothing to accept: override with a category and your rationale.`);
    }
    if (input.category !== undefined && input.category !== current.recommended.category) {
      throw new AppError('INVALID_INPUT', `Accepting takes the recommended ${current.recommended.category}; to choose ${input.category}, override with a rationale.`);
    }
    category = current.recommended.category;
  } else {
    if (input.category === undefined || input.category === 'REVIEW-REQUIRED' || !isCategoryValidFor(input.category, application.type)) {
      throw new AppError('INVALID_INPUT', `An override needs a filing category valid for a ${application.type} application${input.category ? `; ${input.category} is not one` : ''}. Nothing was recorded.`);
    }
    if (rationale === '') throw new AppError('INVALID_INPUT', 'An override needs a rationale: say why the recommendation does not apply. Nothing was recorded.');
    category = input.category;
  }

  const signer = await signerOf(deps.jira);
  const at = deps.now().toISOString();
  const decided: ReviewerDecision = {
    category: FilingCategorySchema.exclude(['REVIEW-REQUIRED']).parse(category),
    rationale: rationale === '' ? `Accepted the recommendation: ${current.recommended.rationale}`.slice(0, 4000) : rationale,
    by: signer,
    at,
    meaning: input.meaning,
  };
  const decisions = record.impact.decisions.map((d, i) => (i === index ? { ...d, decided } : d));
  const impact: RegulatoryImpact = { ...record.impact, decisions, status: statusOf(decisions), version: record.impact.version + 1 };

  await writeImpact(deps.jira, key, impact);
  try {
    await appendAuditEntry({
      at,
      actor: signer,
      action: 'impact/decide',
      subject: key,
      payload: {
        applicationId: current.applicationId,
        market: current.market,
        decision: input.decision,
        recommended: current.recommended.category,
        category: decided.category,
        rationale: decided.rationale,
        meaning: decided.meaning,
        version: impact.version,
      },
    });
  } catch (error) {
    // No decision without its audit entry: put the previous value back.
    let restored = true;
    try {
      await writeImpact(deps.jira, key, record.impact);
    } catch {
      restored = false;
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'STORAGE_FAILED',
      restored
        ? `The decision could not be added to the audit trail (${why}), so it was not recorded. Try again.`
        : `The decision could not be added to the audit trail (${why}), and undoing it in Jira failed too: the record's assessment shows a decision without an audit entry. Tell your Jira admin.`,
    );
  }
  return asWritten(impact);
};

// ------------------------------------------------------------------ history

const AuditDecisionPayloadSchema = z.looseObject({
  applicationId: z.string().optional(),
  category: FilingCategorySchema.optional(),
  rationale: z.string().optional(),
  meaning: SignatureMeaningSchema.optional(),
});

export const decisionHistory = async (deps: ImpactWriteDeps, key: string): Promise<HistoryEntry[]> => {
  // Only for an issue the person can see: Jira answers NOT_FOUND otherwise.
  await loadRecord(deps, key);
  const entries = await listAuditEntries();
  return entries
    .filter((entry) => entry.subject === key)
    .sort((a, b) => b.seq - a.seq)
    .map((entry) => {
      const payload = AuditDecisionPayloadSchema.safeParse(entry.payload);
      const p = payload.success ? payload.data : {};
      return {
        seq: entry.seq,
        at: entry.at,
        who: entry.actor.displayName,
        action: entry.action,
        ...(p.applicationId ? { applicationId: p.applicationId } : {}),
        ...(p.category ? { category: p.category } : {}),
        ...(p.rationale ? { rationale: p.rationale } : {}),
        ...(p.meaning ? { meaning: p.meaning } : {}),
      };
    });
};

// ------------------------------------------------------------------ submission plan

export const createSubmissionPlan = async (
  deps: ImpactWriteDeps,
  key: string,
  input: { version: number; applicationIds: string[] },
): Promise<{ impact: WrittenImpact; created: { applicationId: string; key: string }[] }> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const registry = await requireRegistry();

  const targets: { decision: ApplicationDecision; category: FilingCategory; productId: string }[] = [];
  for (const applicationId of new Set(input.applicationIds)) {
    const decision = record.impact.decisions.find((d) => d.applicationId === applicationId);
    if (!decision) throw new AppError('INVALID_INPUT', `Application ${applicationId} is not among the applications ${key}'s assessment affects. Nothing was created.`);
    if (!decision.decided) throw new AppError('INVALID_INPUT', `Application ${applicationId} has no reviewer's decision yet; decide it before planning its submission. Nothing was created.`);
    if (IN_HOUSE_CATEGORIES.has(decision.decided.category) || decision.submissionKey !== undefined) continue;
    const application = registry.applications.find((a) => a.id === applicationId);
    if (!application) throw new AppError('INVALID_INPUT', `Application ${applicationId} is no longer in the registry. Nothing was created.`);
    targets.push({ decision, category: decision.decided.category, productId: application.productId });
  }
  if (targets.length === 0) return { impact: asWritten(record.impact), created: [] };

  const project = deps.rimProjectKey ?? DEFAULT_RIM_PROJECT_KEY;
  const created: { applicationId: string; key: string }[] = [];
  try {
    for (const target of targets) {
      const issue = await deps.jira.requestJira(route`/rest/api/3/issue`, {
        method: 'POST',
        schema: JiraCreatedIssueSchema,
        body: {
          fields: {
            project: { key: project },
            issuetype: { name: deps.conventions.submissionIssueType },
            summary: `${target.category}: ${record.summary}`.slice(0, 255),
          },
        },
      });
      created.push({ applicationId: target.decision.applicationId, key: issue.key });
      await deps.jira.requestJira(route`/rest/api/3/issue/${issue.key}/properties/${SUBMISSION_PROPERTY_KEY}`, {
        method: 'PUT',
        schema: AnyBody,
        body: { applicationId: target.decision.applicationId, productId: target.productId, market: target.decision.market, category: target.category },
      });
      await deps.jira.requestJira(route`/rest/api/3/issueLink`, {
        method: 'POST',
        schema: AnyBody,
        body: { type: { name: deps.conventions.filingLinkType }, inwardIssue: { key }, outwardIssue: { key: issue.key } },
      });
    }
    // Narrow the window for a concurrent save before recording the keys.
    const latest = await loadRecord(deps, key);
    checkVersion(latest, input.version);
    const keyOf = new Map(created.map((c) => [c.applicationId, c.key]));
    const decisions = record.impact.decisions.map((d) => {
      const submissionKey = keyOf.get(d.applicationId);
      return submissionKey ? { ...d, submissionKey } : d;
    });
    const impact: RegulatoryImpact = { ...record.impact, decisions, version: record.impact.version + 1 };
    await writeImpact(deps.jira, key, impact);
    return { impact: asWritten(impact), created };
  } catch (error) {
    // All or nothing: delete every Submission created (its links go with it).
    const leftBehind: string[] = [];
    for (const { key: createdKey } of created.reverse()) {
      try {
        await deps.jira.requestJira(route`/rest/api/3/issue/${createdKey}`, { method: 'DELETE', schema: NoContent });
      } catch {
        leftBehind.push(createdKey);
      }
    }
    const cause = error instanceof AppError ? error : new AppError('INTERNAL', 'Something went wrong while creating the submission plan.');
    if (leftBehind.length > 0) {
      throw new AppError('JIRA_UNAVAILABLE', `Creating the submission plan failed (${cause.message}), and ${leftBehind.join(', ')} could not be deleted again; delete ${leftBehind.length > 1 ? 'them' : 'it'} by hand. The assessment was not changed.`);
    }
    if (cause.code === 'FORBIDDEN' || (created.length === 0 && (cause.code === 'JIRA_REJECTED' || cause.code === 'NOT_FOUND'))) {
      throw new AppError('FORBIDDEN', `You cannot create Submissions in the ${project} project, so no submission plan was created. Ask a regulatory colleague, or your Jira admin for the permission.`);
    }
    throw new AppError(cause.code, `The submission plan was not created: ${cause.message} Everything created on the way was removed; nothing was changed.`);
  }
};
