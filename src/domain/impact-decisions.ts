/**
 * The decision core: given the signed record, the registry, the signer and the time, what the
 * record's new assessment is and the audit entry that tells of it. The services load, call
 * these, and write (src/services/impact-write.ts); nothing here reads or writes anything.
 *
 * Two use cases: a quality engineer saves the assessment (`reassess`), and a reviewer signs a
 * decision for one application (`decideApplication`). Every change is answered together with
 * its audit entry, with the value before and after, so no change can be written without one.
 */
import { z } from 'zod';
import type { AuditEntryInput } from './audit-chain';
import { IN_HOUSE_CATEGORIES, categoriesFor, isCategoryValidFor } from './categories';
import {
  AffectedSchema,
  ApplicationTypeSchema,
  ChangeSchema,
  FilingCategorySchema,
  ImpactStatusSchema,
  MarketSchema,
  RegistryIdSchema,
  ReviewerDecisionSchema,
} from './model';
import type {
  ApplicationDecision,
  Application,
  FilingCategory,
  ImpactStatus,
  QmsRecord,
  Recommendation,
  RegulatoryImpact,
  Registry,
  ReviewerDecision,
  SignatureMeaning,
  Signer,
} from './model';
import { proposeAssessment } from './propose-assessment';
import type { AssessmentDraft } from './propose-assessment.schema';
import { bindSignature } from './signed-record';

/** A rule the person broke: the service turns it into INVALID_INPUT, nothing is written. */
export class DecisionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionRefused';
  }
}

/** in-assessment while any application is undecided; then filing-required or no-filing. */
export const statusOf = (decisions: readonly ApplicationDecision[]): ImpactStatus => {
  if (decisions.length === 0 || decisions.some((d) => d.decided === undefined)) return 'in-assessment';
  return decisions.every((d) => d.decided !== undefined && IN_HOUSE_CATEGORIES.has(d.decided.category))
    ? 'no-filing'
    : 'filing-required';
};

const sameRecommendation = (a: Recommendation, b: Recommendation): boolean =>
  a.category === b.category &&
  a.rationale === b.rationale &&
  a.citations.length === b.citations.length &&
  a.citations.every((c, i) => c === b.citations[i]);

const withAssessor = (assessors: readonly Signer[] | undefined, signer: Signer): Signer[] => {
  const list = [...(assessors ?? [])];
  return list.some((a) => a.accountId === signer.accountId) ? list : [...list, signer].slice(-50);
};

// ------------------------------------------------------------------ the audit payloads (one schema each, shared by writer and reader)

/** What an assessment is, without its decisions (those have entries of their own). */
export const AssessmentSnapshotSchema = z.strictObject({
  status: ImpactStatusSchema,
  changes: z.array(ChangeSchema),
  affected: AffectedSchema,
  version: z.number().int().nonnegative(),
});

export const VoidedDecisionSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  decided: ReviewerDecisionSchema,
  reason: z.string().min(1),
});
export type VoidedDecision = z.infer<typeof VoidedDecisionSchema>;

export const AssessmentAuditPayloadSchema = z.strictObject({
  summary: z.string().min(1),
  before: AssessmentSnapshotSchema.nullable(),
  after: AssessmentSnapshotSchema,
  /** Signed decisions the new assessment no longer stands on, each with why. */
  voided: z.array(VoidedDecisionSchema),
});
export type AssessmentAuditPayload = z.infer<typeof AssessmentAuditPayloadSchema>;

export const DecisionAuditPayloadSchema = z.strictObject({
  summary: z.string().min(1),
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  decision: z.enum(['accept', 'override']),
  recommended: FilingCategorySchema,
  version: z.number().int().min(1),
  /** The decision this one replaces, if the application was decided before. */
  before: ReviewerDecisionSchema.nullable(),
  after: ReviewerDecisionSchema,
});
export type DecisionAuditPayload = z.infer<typeof DecisionAuditPayloadSchema>;

const snapshotOf = (impact: RegulatoryImpact) => ({
  status: impact.status,
  changes: impact.changes,
  affected: impact.affected,
  version: impact.version,
});

export interface ImpactChange<P> {
  impact: RegulatoryImpact;
  audit: Omit<AuditEntryInput, 'payload'> & { payload: P };
}

// ------------------------------------------------------------------ save the assessment

export interface ReassessInput {
  record: QmsRecord;
  registry: Registry;
  draft: AssessmentDraft;
  assessor: Signer;
  now: string;
}

/**
 * The record's new assessment from a draft. A signed decision stands only on the basis it was
 * made on: where the recommendation changed, or the application is no longer affected, the
 * decision is voided, and the audit entry says so and why.
 */
export const reassess = ({
  record,
  registry,
  draft,
  assessor,
  now,
}: ReassessInput): ImpactChange<AssessmentAuditPayload> => {
  const { proposal, affected } = proposeAssessment(registry, draft);
  if (proposal.unknown.length > 0) {
    throw new DecisionRefused(
      `The registry does not know ${proposal.unknown.map((u) => `${u.kind} ${u.id}`).join(', ')}. Nothing was saved; pick them from the registry.`,
    );
  }
  const previous = new Map(record.impact.decisions.map((d) => [d.applicationId, d]));
  const voided: VoidedDecision[] = [];
  const decisions = proposal.applications.map((proposed): ApplicationDecision => {
    const before = previous.get(proposed.applicationId);
    const stands = before?.decided !== undefined && sameRecommendation(before.recommended, proposed.recommended);
    if (before?.decided !== undefined && !stands) {
      voided.push({
        applicationId: before.applicationId,
        market: before.market,
        decided: before.decided,
        reason: `the recommendation it was signed on changed from ${before.recommended.category} to ${proposed.recommended.category}`,
      });
    }
    return {
      applicationId: proposed.applicationId,
      market: proposed.market,
      recommended: proposed.recommended,
      ...(stands && before?.decided ? { decided: before.decided } : {}),
      ...(before?.submissionKey ? { submissionKey: before.submissionKey } : {}),
    };
  });
  const kept = new Set(decisions.map((d) => d.applicationId));
  for (const before of record.impact.decisions) {
    if (before.decided !== undefined && !kept.has(before.applicationId)) {
      voided.push({
        applicationId: before.applicationId,
        market: before.market,
        decided: before.decided,
        reason: 'the application is no longer affected by the assessment',
      });
    }
  }
  const impact: RegulatoryImpact = {
    status: statusOf(decisions),
    changes: draft.changes,
    affected,
    decisions,
    version: record.impact.version + 1,
    assessedBy: withAssessor(record.impact.assessedBy, assessor),
  };
  const voidedText =
    voided.length === 0
      ? ''
      : `; ${voided.length} signed ${voided.length === 1 ? 'decision was' : 'decisions were'} voided (${voided.map((v) => `${v.applicationId}: ${v.reason}`).join('; ')})`;
  return {
    impact,
    audit: {
      at: now,
      actor: assessor,
      action: 'impact/save-assessment',
      subject: record.key,
      payload: {
        summary: `Saved the assessment as version ${impact.version} (${impact.status}, ${decisions.length} affected ${decisions.length === 1 ? 'application' : 'applications'})${voidedText}`,
        before: record.impact.version === 0 ? null : snapshotOf(record.impact),
        after: snapshotOf(impact),
        voided,
      },
    },
  };
};

// ------------------------------------------------------------------ sign a decision

export interface DecideInput {
  applicationId: string;
  decision: 'accept' | 'override';
  category?: FilingCategory | undefined;
  rationale: string;
  meaning: SignatureMeaning;
}

export interface DecideContext {
  record: QmsRecord;
  registry: Registry;
  signer: Signer;
  now: string;
  rulesVersion: string;
  input: DecideInput;
}

const decidedCategory = (
  input: DecideInput,
  current: ApplicationDecision,
  application: Application,
): FilingCategory => {
  if (input.decision === 'accept') {
    if (current.recommended.category === 'REVIEW-REQUIRED') {
      throw new DecisionRefused(
        `The rules could not decide ${input.applicationId} (REVIEW-REQUIRED), so there is nothing to accept: override with a category and your rationale. Nothing was recorded.`,
      );
    }
    if (input.category !== undefined && input.category !== current.recommended.category) {
      throw new DecisionRefused(
        `Accepting takes the recommended ${current.recommended.category}; to choose ${input.category}, override with a rationale. Nothing was recorded.`,
      );
    }
    return current.recommended.category;
  }
  const type = ApplicationTypeSchema.parse(application.type);
  if (
    input.category === undefined ||
    input.category === 'REVIEW-REQUIRED' ||
    !isCategoryValidFor(input.category, type)
  ) {
    throw new DecisionRefused(
      `An override needs a filing category valid for a ${type} application (${categoriesFor(type).join(', ')})${input.category ? `; ${input.category} is not one` : ''}. Nothing was recorded.`,
    );
  }
  if (input.rationale.trim() === '')
    throw new DecisionRefused(
      'An override needs a rationale: say why the recommendation does not apply. Nothing was recorded.',
    );
  return input.category;
};

/** The record with one application's decision signed (21 CFR 11.50: name, time, meaning; 11.70: bound to what it signs). */
export const decideApplication = ({
  record,
  registry,
  signer,
  now,
  rulesVersion,
  input,
}: DecideContext): ImpactChange<DecisionAuditPayload> => {
  const index = record.impact.decisions.findIndex((d) => d.applicationId === input.applicationId);
  const current = record.impact.decisions[index];
  if (!current)
    throw new DecisionRefused(
      `Application ${input.applicationId} is not among the applications ${record.key}'s assessment affects; save the assessment first. Nothing was recorded.`,
    );
  const application = registry.applications.find((a) => a.id === input.applicationId);
  if (!application)
    throw new DecisionRefused(
      `Application ${input.applicationId} is no longer in the registry; save the assessment again. Nothing was recorded.`,
    );
  const category = FilingCategorySchema.exclude(['REVIEW-REQUIRED']).parse(
    decidedCategory(input, current, application),
  );
  const rationale = input.rationale.trim();
  const version = record.impact.version + 1;
  const content: Omit<ReviewerDecision, 'signature'> = {
    category,
    rationale:
      rationale === '' ? `Accepted the recommendation: ${current.recommended.rationale}`.slice(0, 4000) : rationale,
    by: signer,
    at: now,
    meaning: input.meaning,
  };
  const decided: ReviewerDecision = {
    ...content,
    signature: bindSignature(record.key, version, rulesVersion, current.applicationId, content),
  };
  const decisions = record.impact.decisions.map((d, i) => (i === index ? { ...d, decided } : d));
  const impact: RegulatoryImpact = { ...record.impact, decisions, status: statusOf(decisions), version };
  return {
    impact,
    audit: {
      at: now,
      actor: signer,
      action: 'impact/decide',
      subject: record.key,
      payload: {
        summary: `Signed ${category} for ${current.applicationId} (${current.market}) as ${input.meaning}, ${input.decision === 'accept' ? 'accepting the recommendation' : `overriding the recommended ${current.recommended.category}`}${current.decided ? `; replaces ${current.decided.category} signed by ${current.decided.by.displayName}` : ''}`,
        applicationId: current.applicationId,
        market: current.market,
        decision: input.decision,
        recommended: current.recommended.category,
        version,
        before: current.decided ?? null,
        after: decided,
      },
    },
  };
};

// ------------------------------------------------------------------ record the Submissions a plan created

/** The record with the plan's Submissions recorded on their decisions. */
export const recordSubmissions = (
  record: QmsRecord,
  created: readonly { applicationId: string; key: string }[],
  actor: Signer,
  now: string,
): ImpactChange<{ summary: string; before: null; after: { applicationId: string; submissionKey: string }[] }> => {
  const byApplication = new Map(created.map((c) => [c.applicationId, c.key]));
  const decisions = record.impact.decisions.map((d) => {
    const key = byApplication.get(d.applicationId);
    return key === undefined ? d : { ...d, submissionKey: key };
  });
  const impact: RegulatoryImpact = { ...record.impact, decisions, version: record.impact.version + 1 };
  return {
    impact,
    audit: {
      at: now,
      actor,
      action: 'impact/create-submission-plan',
      subject: record.key,
      payload: {
        // No Submission key in the summary: the history is shown to people who may not browse RIM.
        summary: `Created the submission plan: ${created.length} ${created.length === 1 ? 'Submission' : 'Submissions'}, for ${created.map((c) => c.applicationId).join(', ')}`,
        before: null,
        after: created.map((c) => ({ applicationId: c.applicationId, submissionKey: c.key })),
      },
    },
  };
};
