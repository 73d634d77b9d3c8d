/**
 * The writes behind the "Regulatory impact" panel: save the assessment, record a reviewer's
 * signed decision (with its audit entry), and read the decision history. Jira is read and
 * written as the person (`jira` must be asUser), so Jira's own permissions decide what they
 * may change; the audit chain and the version claims are app storage.
 *
 * Optimistic concurrency: every write names the `version` it was based on. A stale version
 * answers CONFLICT naming the current one; two writes on the same version are told apart by
 * a compare-and-set claim in app storage (adapters/kvs/impact-claims.ts), so exactly one
 * wins and the other writes nothing.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { isFieldOutOfStep, writeImpactValue } from '../adapters/jira/impact-value';
import { isQmsIssue, toQmsRecord } from '../adapters/jira/issue-mapping';
import { appendAuditEntry, listAuditEntriesFor } from '../adapters/kvs/audit-repository';
import { claimImpactVersion, releaseImpactClaim } from '../adapters/kvs/impact-claims';
import { loadRegistry } from '../adapters/kvs/registry-repository';
import type { JiraConventions } from '../config/jira-conventions';
import type { DecideInput, HistoryEntry, ImpactFormData, SaveAssessmentInput, WrittenImpact } from '../contract/resolvers';
import { CATALOG, RULES_VERSION } from '../domain/catalog';
import { IN_HOUSE_CATEGORIES, categoriesFor, isCategoryValidFor } from '../domain/categories';
import { digestOf } from '../domain/canonical';
import type { ApplicationDecision, FilingCategory, ImpactStatus, QmsRecord, Recommendation, Registry, ReviewerDecision, Signer } from '../domain/model';
import { ApplicationTypeSchema, FilingCategorySchema, MarketSchema, SignatureMeaningSchema } from '../domain/model';
import type { RegulatoryImpact } from '../domain/model';
import type { AssessmentDraft, Proposal } from '../domain/propose-assessment.schema';
import { proposeAssessment } from '../domain/propose-assessment';
import { unknownInDraft } from '../domain/assessment-draft-check';
import { AppError } from '../ports/app-error';
import { fetchIssue } from './load-gate-subject';

export interface ImpactWriteDeps {
  /** Acts as the person using the panel (asUser). */
  jira: JiraHttp;
  conventions: JiraConventions;
  /** The clock, read here in the service and passed into the domain. */
  now: () => Date;
}

const MyselfSchema = z.looseObject({ accountId: z.string().min(1), displayName: z.string().min(1) });

export const asWritten = (impact: RegulatoryImpact): WrittenImpact => ({
  ...impact,
  decisions: impact.decisions.map(({ submissionKey, ...decision }) => ({ ...decision, hasSubmission: submissionKey !== undefined })),
});

export const loadRecord = async (deps: Pick<ImpactWriteDeps, 'jira' | 'conventions'>, key: string): Promise<QmsRecord> => {
  const issue = await fetchIssue(deps.jira, key, deps.conventions);
  if (!isQmsIssue(issue, deps.conventions)) throw new AppError('INVALID_INPUT', `${key} is not a quality record, so it has no regulatory impact assessment to change.`);
  return toQmsRecord(issue, deps.conventions);
};

const checkVersion = (record: QmsRecord, expected: number): void => {
  const current = record.impact.version;
  if (current !== expected) {
    throw new AppError(
      'CONFLICT',
      `${record.key}'s assessment was changed by someone else: it is now at version ${current}, and your change was based on version ${expected}. Nothing was saved; reload the panel to see version ${current} and apply your change again.`,
      { currentVersion: current },
    );
  }
};

const MyPermissionsSchema = z.looseObject({ permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })) });

/**
 * Jira's word, asked as the person, that they may edit the record. Asked before the version
 * claim, the first write to app storage: nothing is written for a person Jira would refuse
 * (a person who may only browse the record would otherwise make the app claim and release).
 */
export const requireEditPermission = async (jira: JiraHttp, key: string, what: string): Promise<void> => {
  const answer = await jira.requestJira(route`/rest/api/3/mypermissions?issueKey=${key}&permissions=EDIT_ISSUES`, { method: 'GET', schema: MyPermissionsSchema });
  if (answer.permissions['EDIT_ISSUES']?.havePermission !== true) {
    throw new AppError('FORBIDDEN', `You cannot ${what}: it needs the Jira permission Edit issues on ${key}. Nothing was saved; ask your Jira admin for the permission.`);
  }
};

/**
 * Checks `basedOn` against the record, claims the next version, and runs `write` (which must
 * end with writeImpactValue at that version); a failed write gives the claim back. The caller
 * has already had Jira confirm the person may make the write (requireEditPermission, or
 * requirePermissions in create-linked-filing.ts).
 */
export const writeUnderClaim = async <T>(deps: Pick<ImpactWriteDeps, 'now'>, record: QmsRecord, basedOn: number, write: (nextVersion: number) => Promise<T>): Promise<T> => {
  checkVersion(record, basedOn);
  const claim = await claimImpactVersion(record.key, basedOn, deps.now().getTime());
  try {
    return await write(claim.version);
  } catch (error) {
    await releaseImpactClaim(claim);
    throw error;
  }
};

export const requireRegistry = async (): Promise<Registry> => {
  const registry = await loadRegistry();
  if (!registry) throw new AppError('NOT_FOUND', "No registry of products, sites, suppliers and applications has been set up yet; a Jira admin must import it on the app's admin page first.");
  return registry;
};

const signerOf = async (jira: JiraHttp): Promise<Signer> => {
  const me = await jira.requestJira(route`/rest/api/3/myself`, { method: 'GET', schema: MyselfSchema });
  return { accountId: me.accountId, displayName: me.displayName };
};

const sameRecommendation = (a: Recommendation, b: Recommendation): boolean =>
  a.category === b.category && a.rationale === b.rationale && a.citations.length === b.citations.length && a.citations.every((c, i) => c === b.citations[i]);

/** in-assessment while any application is undecided; then filing-required or no-filing. */
export const statusOf = (decisions: readonly ApplicationDecision[]): ImpactStatus => {
  if (decisions.length === 0 || decisions.some((d) => d.decided === undefined)) return 'in-assessment';
  return decisions.every((d) => d.decided !== undefined && IN_HOUSE_CATEGORIES.has(d.decided.category)) ? 'no-filing' : 'filing-required';
};

// ------------------------------------------------------------------ form data and proposal

export const loadFormData = async (deps: Pick<ImpactWriteDeps, 'jira'>): Promise<ImpactFormData> => {
  const [registry, signer] = await Promise.all([requireRegistry(), signerOf(deps.jira)]);
  const named = (entities: readonly { id: string; name: string }[]) => entities.map(({ id, name }) => ({ id, name }));
  return {
    rulesVersion: RULES_VERSION,
    changeCodes: CATALOG.map((entry) => ({ code: entry.code, title: entry.title, questions: entry.questions })),
    products: named(registry.products),
    sites: named(registry.sites),
    suppliers: named(registry.suppliers),
    markets: [...new Set(registry.applications.map((a) => a.market))].sort(),
    applications: registry.applications.map((a) => ({ id: a.id, productId: a.productId, market: a.market, type: a.type, number: a.number })),
    categoriesByType: Object.fromEntries(ApplicationTypeSchema.options.map((type) => [type, [...categoriesFor(type)]])) as ImpactFormData['categoriesByType'],
    signer,
  };
};

/** The proposal for a draft; nothing is read from Jira or written. */
/** The registry, after refusing a draft that names a question or market nobody knows (assessment-draft-check.ts). */
const registryFor = async (draft: AssessmentDraft): Promise<Registry> => {
  const registry = await requireRegistry();
  const unknown = unknownInDraft(registry, draft);
  if (unknown.length > 0) throw new AppError('INVALID_INPUT', `The assessment names what the catalog or the registry does not know: ${unknown.join('; ')}. Nothing was saved; answer only the questions shown and pick markets from the registry.`);
  return registry;
};

export const propose = async (draft: AssessmentDraft): Promise<Proposal> => proposeAssessment(await registryFor(draft), draft).proposal;

// ------------------------------------------------------------------ save

export const saveAssessment = async (deps: ImpactWriteDeps, key: string, input: SaveAssessmentInput): Promise<WrittenImpact> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const { proposal, affected } = proposeAssessment(await registryFor(input), input);
  await requireEditPermission(deps.jira, key, 'save the assessment');
  if (proposal.unknown.length > 0) {
    throw new AppError('INVALID_INPUT', `The registry does not know ${proposal.unknown.map((u) => `${u.kind} ${u.id}`).join(', ')}. Nothing was saved; pick them from the registry.`);
  }
  const previous = new Map(record.impact.decisions.map((d) => [d.applicationId, d]));
  const decisions = proposal.applications.map((proposed): ApplicationDecision => {
    const before = previous.get(proposed.applicationId);
    // A decision stands only on the basis it was made on: a changed recommendation drops it.
    const keep = before?.decided !== undefined && sameRecommendation(before.recommended, proposed.recommended) ? before.decided : undefined;
    return {
      applicationId: proposed.applicationId,
      market: proposed.market,
      recommended: proposed.recommended,
      ...(keep ? { decided: keep } : {}),
      ...(before?.submissionKey ? { submissionKey: before.submissionKey } : {}),
    };
  });
  return writeUnderClaim(deps, record, input.version, async (version) => {
    const impact: RegulatoryImpact = { status: statusOf(decisions), changes: input.changes, affected, decisions, version };
    await writeImpactValue(deps.jira, key, impact);
    return asWritten(impact);
  });
};

// ------------------------------------------------------------------ decide

const decidedCategory = (input: DecideInput, current: ApplicationDecision, applicationType: z.infer<typeof ApplicationTypeSchema>): FilingCategory => {
  if (input.decision === 'accept') {
    if (current.recommended.category === 'REVIEW-REQUIRED') {
      throw new AppError('INVALID_INPUT', `The rules could not decide ${input.applicationId} (REVIEW-REQUIRED), so there is nothing to accept: override with a category and your rationale. Nothing was recorded.`);
    }
    if (input.category !== undefined && input.category !== current.recommended.category) {
      throw new AppError('INVALID_INPUT', `Accepting takes the recommended ${current.recommended.category}; to choose ${input.category}, override with a rationale. Nothing was recorded.`);
    }
    return current.recommended.category;
  }
  if (input.category === undefined || input.category === 'REVIEW-REQUIRED' || !isCategoryValidFor(input.category, applicationType)) {
    throw new AppError('INVALID_INPUT', `An override needs a filing category valid for a ${applicationType} application (${categoriesFor(applicationType).join(', ')})${input.category ? `; ${input.category} is not one` : ''}. Nothing was recorded.`);
  }
  if (input.rationale.trim() === '') throw new AppError('INVALID_INPUT', 'An override needs a rationale: say why the recommendation does not apply. Nothing was recorded.');
  return input.category;
};

export const decide = async (deps: ImpactWriteDeps, key: string, input: DecideInput): Promise<WrittenImpact> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const index = record.impact.decisions.findIndex((d) => d.applicationId === input.applicationId);
  const current = record.impact.decisions[index];
  if (!current) throw new AppError('INVALID_INPUT', `Application ${input.applicationId} is not among the applications ${key}'s assessment affects; save the assessment first. Nothing was recorded.`);
  const registry = await requireRegistry();
  const application = registry.applications.find((a) => a.id === input.applicationId);
  if (!application) throw new AppError('INVALID_INPUT', `Application ${input.applicationId} is no longer in the registry; save the assessment again. Nothing was recorded.`);
  const category = FilingCategorySchema.exclude(['REVIEW-REQUIRED']).parse(decidedCategory(input, current, application.type));
  const rationale = input.rationale.trim();
  const signer = await signerOf(deps.jira);
  await requireEditPermission(deps.jira, key, 'record a decision');

  return writeUnderClaim(deps, record, input.version, async (version) => {
    // 21 CFR 11.50: the signed record carries the signer's printed name, the date and time, and the meaning.
    const decided: ReviewerDecision = {
      category,
      rationale: rationale === '' ? `Accepted the recommendation: ${current.recommended.rationale}`.slice(0, 4000) : rationale,
      by: signer,
      at: deps.now().toISOString(),
      meaning: input.meaning,
    };
    const decisions = record.impact.decisions.map((d, i) => (i === index ? { ...d, decided } : d));
    const impact: RegulatoryImpact = { ...record.impact, decisions, status: statusOf(decisions), version };
    // When only the field is behind, the record's stored assessment holds the decision: it
    // stands, so it must get its audit entry like any other.
    const fieldBehind = await writeImpactValue(deps.jira, key, impact).then(
      () => undefined,
      (error: unknown) => {
        if (isFieldOutOfStep(error)) return error;
        throw error;
      },
    );
    try {
      await appendAuditEntry({
        at: decided.at,
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
          version,
          // 21 CFR 11.70: the signature is bound to exactly the decision it signs.
          decisionSha256: digestOf({ applicationId: current.applicationId, recommended: current.recommended, decided }),
        },
      });
    } catch (error) {
      // No decision without its audit entry: put the previous value back.
      let restored = true;
      try {
        await writeImpactValue(deps.jira, key, record.impact);
      } catch {
        restored = false;
      }
      const why = error instanceof AppError ? ` (${error.message})` : '';
      throw new AppError(
        'STORAGE_FAILED',
        restored
          ? `The decision could not be added to the audit trail${why}, so it was not recorded. Try again.`
          : `The decision could not be added to the audit trail${why}, and undoing it in Jira failed too: ${key}'s assessment shows a decision without an audit entry. Tell your Jira admin.`,
      );
    }
    if (fieldBehind) {
      throw new AppError(fieldBehind.code, `Your decision on ${current.applicationId} was recorded in ${key}'s assessment and in the audit trail. ${fieldBehind.message}`, fieldBehind.details);
    }
    return asWritten(impact);
  });
};

// ------------------------------------------------------------------ history

const AuditPayloadSchema = z.looseObject({
  applicationId: z.string().optional(),
  market: MarketSchema.optional(),
  decision: z.enum(['accept', 'override']).optional(),
  recommended: FilingCategorySchema.optional(),
  category: FilingCategorySchema.optional(),
  rationale: z.string().optional(),
  meaning: SignatureMeaningSchema.optional(),
});

/** The record's signed decisions from the audit trail, newest first. */
export const decisionHistory = async (deps: Pick<ImpactWriteDeps, 'jira' | 'conventions'>, key: string): Promise<HistoryEntry[]> => {
  // Only for an issue the person can see: Jira answers NOT_FOUND otherwise.
  await loadRecord(deps, key);
  const entries = await listAuditEntriesFor(key);
  const parsed = entries.map((entry) => {
    const payload = AuditPayloadSchema.safeParse(entry.payload);
    return { entry, p: payload.success ? payload.data : {} };
  });
  return parsed
    .sort((a, b) => b.entry.seq - a.entry.seq)
    .map(({ entry, p }) => ({
      seq: entry.seq,
      at: entry.at,
      who: entry.actor.displayName,
      action: entry.action,
      ...(p.applicationId ? { applicationId: p.applicationId } : {}),
      ...(p.market ? { market: p.market } : {}),
      ...(p.decision ? { decision: p.decision } : {}),
      ...(p.recommended ? { recommended: p.recommended } : {}),
      ...(p.category ? { category: p.category } : {}),
      ...(p.rationale ? { rationale: p.rationale } : {}),
      ...(p.meaning ? { meaning: p.meaning } : {}),
    }));
};
