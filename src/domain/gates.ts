/**
 * The five workflow gates of ARCHITECTURE.md as pure functions. The Jira validators and the
 * panels' "what will block the next transition" preview both call `evaluateGate`, so they
 * cannot disagree. Every reason names exactly what is missing.
 */
import { z } from 'zod';
import { CATEGORY_LADDERS, IN_HOUSE_CATEGORIES, needsPriorApproval } from './categories';
import {
  CommitmentSchema,
  IssueKeySchema,
  MarketSchema,
  QmsRecordSchema,
  RegistryIdSchema,
  SubmissionSchema,
} from './model';
import type {
  ApplicationDecision,
  Commitment,
  FilingCategory,
  Market,
  QmsRecord,
  RegulatoryImpact,
  Submission,
} from './model';
import { parseInput } from './parse-input';
import { alteredRecordMessage } from './record-integrity';
import { missingRequiredFields, RequiredFieldConfigSchema } from './required-fields';
import type { RequiredFieldConfig } from './required-fields';

export const GateReasonCodeSchema = z.enum([
  'IMPACT_NOT_ASSESSED',
  'AFFECTED_APPLICATIONS_MISSING',
  'FIELD_REQUIRED',
  'CHANGE_CODE_MISSING',
  'DECISION_MISSING',
  'IMPACT_STATUS_MISMATCH',
  'SUBMISSION_LINK_MISSING',
  'SUBMISSION_NOT_LINKED',
  'SUBMISSION_APPLICATION_MISMATCH',
  'SUBMISSION_INACTIVE',
  'PRIOR_APPROVAL_PENDING',
  'EVIDENCE_MISSING',
  'EVIDENCE_RECORD_MISSING',
  'EVIDENCE_OPEN',
  'EVIDENCE_NOT_APPROVED',
  'DECISION_MISMATCH',
  'COMMITMENT_NOT_IMPLEMENTED',
  'COMMITMENT_RECORD_MISSING',
  'COMMITMENT_RECORD_OPEN',
  'GATE_NOT_APPLICABLE',
  'RECORD_ALTERED',
  'SIGNATURE_VOID',
]);
export type GateReasonCode = z.infer<typeof GateReasonCodeSchema>;

export const GateReasonSchema = z.strictObject({
  code: GateReasonCodeSchema,
  message: z.string().min(1),
  /** Path of the missing field, e.g. `affected.supplierIds` or `fields.rootCause`. */
  field: z.string().min(1).optional(),
  issueKey: IssueKeySchema.optional(),
  applicationId: RegistryIdSchema.optional(),
  market: MarketSchema.optional(),
});
export type GateReason = z.infer<typeof GateReasonSchema>;

export const GateResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), reasons: z.array(GateReasonSchema).min(1) }),
]);
export type GateResult = z.infer<typeof GateResultSchema>;

const resultOf = (reasons: GateReason[]): GateResult => (reasons.length === 0 ? { ok: true } : { ok: false, reasons });

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

export const isImpactAssessed = (impact: RegulatoryImpact): boolean =>
  impact.status === 'filing-required' || impact.status === 'no-filing';

const isUndecidable = (category: FilingCategory): boolean => category === 'REVIEW-REQUIRED';

/**
 * The category a reviewer decided, or `undefined` while undecided. The schema already keeps
 * REVIEW-REQUIRED out of a decision; checking again keeps the gate closed for a stored value
 * that slipped past an older or looser schema.
 */
export const decidedCategoryOf = (decision: ApplicationDecision): FilingCategory | undefined => {
  const category = decision.decided?.category;
  return category === undefined || isUndecidable(category) ? undefined : category;
};

/** Jira's copy of the record's assessment no longer matches the signed record: every gate refuses. */
const alteredReasons = (record: QmsRecord): GateReason[] =>
  record.integrity?.state === 'altered'
    ? [{ code: 'RECORD_ALTERED', message: alteredRecordMessage(record.key, record.integrity), issueKey: record.key }]
    : [];

/** Decisions whose signature was voided by a change after signing (21 CFR 11.70): they count as unsigned. */
const voidSignatureReasons = (record: QmsRecord): GateReason[] =>
  record.impact.decisions
    .filter((d) => record.voidSignatures?.includes(d.applicationId) === true)
    .map((d) => ({
      code: 'SIGNATURE_VOID' as const,
      message: `${record.key}: the signed decision for ${d.applicationId} (${d.market}) is void: it was changed after signing; a reviewer must sign it again`,
      issueKey: record.key,
      applicationId: d.applicationId,
      market: d.market,
    }));

const describeApplication = (decision: ApplicationDecision): string => `${decision.applicationId} (${decision.market})`;

const notAssessed = (impact: RegulatoryImpact, issueKey?: string): GateReason => ({
  code: 'IMPACT_NOT_ASSESSED',
  message: `${issueKey ? `${issueKey}: ` : ''}the regulatory impact is "${impact.status}"; it must be assessed as filing-required or no-filing`,
  field: 'impact.status',
  issueKey,
});

/** Every application the impact names (affected or decided on) that has no reviewer decision. */
const undecidedApplications = (impact: RegulatoryImpact): GateReason[] => {
  const reasons: GateReason[] = [];
  const applicationIds = unique([...impact.affected.applicationIds, ...impact.decisions.map((d) => d.applicationId)]);
  for (const applicationId of applicationIds) {
    const decisions = impact.decisions.filter((d) => d.applicationId === applicationId);
    if (decisions.length === 0) {
      reasons.push({
        code: 'DECISION_MISSING',
        message: `Application ${applicationId} is affected but has no decision`,
        field: 'decisions',
        applicationId,
      });
    }
    for (const decision of decisions) {
      if (decidedCategoryOf(decision) !== undefined) continue;
      const recommended = decision.recommended.category;
      reasons.push({
        code: 'DECISION_MISSING',
        message:
          recommended === 'REVIEW-REQUIRED'
            ? `Application ${describeApplication(decision)} has no reviewer decision: the rules could not decide (REVIEW-REQUIRED), so a reviewer must decide the category with a rationale`
            : `Application ${describeApplication(decision)} has no reviewer decision (recommended ${recommended})`,
        field: 'decisions',
        applicationId,
        market: decision.market,
      });
    }
  }
  return reasons;
};

const statusContradictions = (impact: RegulatoryImpact, issueKey: string): GateReason[] => {
  const reasons: GateReason[] = [];
  if (impact.status === 'no-filing') {
    for (const decision of impact.decisions) {
      const category = decidedCategoryOf(decision);
      if (category === undefined || IN_HOUSE_CATEGORIES.has(category)) continue;
      reasons.push({
        code: 'IMPACT_STATUS_MISMATCH',
        message: `${issueKey}: the status is no-filing, but ${describeApplication(decision)} is decided ${category}, which is filed with the authority`,
        field: 'impact.status',
        issueKey,
        applicationId: decision.applicationId,
        market: decision.market,
      });
    }
  }
  const categories = impact.decisions.map(decidedCategoryOf);
  const allInHouse =
    categories.length > 0 &&
    categories.every((category) => category !== undefined && IN_HOUSE_CATEGORIES.has(category));
  if (impact.status === 'filing-required' && allInHouse) {
    reasons.push({
      code: 'IMPACT_STATUS_MISMATCH',
      message: `${issueKey}: the status is filing-required, but every decision is documented in-house (${unique(categories).join(', ')}); set the status to no-filing`,
      field: 'impact.status',
      issueKey,
    });
  }
  return reasons;
};

/** Gate 1: the assessment is complete for this record's kind, including fields earlier answers made required. */
export const impactAssessed = (record: QmsRecord, requiredFields: RequiredFieldConfig): GateResult => {
  const { impact, key } = record;
  const reasons: GateReason[] = [];
  if (!isImpactAssessed(impact)) reasons.push(notAssessed(impact, key));
  if (impact.status === 'filing-required' && impact.affected.applicationIds.length === 0) {
    reasons.push({
      code: 'AFFECTED_APPLICATIONS_MISSING',
      message: `${key}: filing is required, but no affected application is named`,
      field: 'affected.applicationIds',
      issueKey: key,
    });
  }
  impact.changes.forEach((change, index) => {
    if (change.code.trim() !== '') return;
    reasons.push({
      code: 'CHANGE_CODE_MISSING',
      message: `${key}: change ${index + 1} has no change code`,
      field: `changes.${index}.code`,
      issueKey: key,
    });
  });
  for (const missing of missingRequiredFields(record, requiredFields)) {
    reasons.push({
      code: 'FIELD_REQUIRED',
      message: `${key} (${record.kind}): "${missing.label}" (${missing.rule.field}) is required ${missing.condition}`,
      field: missing.rule.field,
      issueKey: key,
    });
  }
  if (isImpactAssessed(impact)) {
    reasons.push(
      ...undecidedApplications(impact).map((reason) => ({
        ...reason,
        message: `${key}: ${reason.message}`,
        issueKey: key,
      })),
    );
    reasons.push(...statusContradictions(impact, key));
  }
  return resultOf(reasons);
};

type LinkedSubmission = { submission: Submission } | { reasons: GateReason[] };

/** The decision's Submission among the linked ones, for the same application. */
const linkedSubmissionFor = (
  decision: ApplicationDecision,
  category: FilingCategory,
  linkedSubmissions: readonly Submission[],
): LinkedSubmission => {
  const context = { applicationId: decision.applicationId, market: decision.market };
  const where = describeApplication(decision);
  if (decision.submissionKey === undefined) {
    return {
      reasons: [
        {
          code: 'SUBMISSION_LINK_MISSING',
          message: `${where}: decided ${category}, but no Submission issue is linked for it`,
          field: 'decisions.submissionKey',
          ...context,
        },
      ],
    };
  }
  const submissionKey = decision.submissionKey;
  const submission = linkedSubmissions.find((s) => s.key === submissionKey);
  if (submission === undefined) {
    return {
      reasons: [
        {
          code: 'SUBMISSION_NOT_LINKED',
          message: `${where}: decided ${category}; its Submission ${submissionKey} is not linked to this record`,
          issueKey: submissionKey,
          ...context,
        },
      ],
    };
  }
  if (submission.applicationId !== decision.applicationId) {
    return {
      reasons: [
        {
          code: 'SUBMISSION_APPLICATION_MISMATCH',
          message: `${where}: Submission ${submissionKey} is for application ${submission.applicationId}, not ${decision.applicationId}`,
          issueKey: submissionKey,
          ...context,
        },
      ],
    };
  }
  return { submission };
};

const decisionsFilingWithAuthority = (
  impact: RegulatoryImpact,
): { decision: ApplicationDecision; category: FilingCategory }[] =>
  impact.decisions.flatMap((decision) => {
    const category = decidedCategoryOf(decision);
    return category === undefined || IN_HOUSE_CATEGORIES.has(category) ? [] : [{ decision, category }];
  });

/** Which markets hold a gate (a Jira admin's validator configuration): all when `markets` is absent. */
export const MarketScopeSchema = z.strictObject({
  /** Only these markets hold the gate (e.g. the markets a release ships to); all when absent. */
  markets: z.array(MarketSchema).optional(),
});
export type MarketScope = z.infer<typeof MarketScopeSchema>;

/** A reason without a market (the record as a whole) is always in scope: the gate stays closed on it. */
const inScope = (scope: MarketScope, market: Market | undefined): boolean =>
  market === undefined || scope.markets === undefined || scope.markets.includes(market);

/** Gate 2: every decision filed with an authority (not NONE or LETTER-TO-FILE) has its linked Submission. Undecided fails closed. */
export const filingPlanned = (
  impact: RegulatoryImpact,
  linkedSubmissions: readonly Submission[],
  scope: MarketScope = {},
): GateResult => {
  if (!isImpactAssessed(impact)) return resultOf([notAssessed(impact)]);
  const reasons = undecidedApplications(impact).filter((reason) => inScope(scope, reason.market));
  for (const { decision, category } of decisionsFilingWithAuthority(impact)) {
    if (!inScope(scope, decision.market)) continue;
    const linked = linkedSubmissionFor(decision, category, linkedSubmissions);
    if ('reasons' in linked) {
      reasons.push(...linked.reasons);
    } else if (linked.submission.status === 'withdrawn' || linked.submission.status === 'rejected') {
      reasons.push({
        code: 'SUBMISSION_INACTIVE',
        message: `${describeApplication(decision)}: Submission ${linked.submission.key} is ${linked.submission.status}; link an active Submission for ${category}`,
        issueKey: linked.submission.key,
        applicationId: decision.applicationId,
        market: decision.market,
      });
    }
  }
  return resultOf(reasons);
};

/** Gate 3: before implement/release, every prior-approval decision has its Submission approved, market by market. Undecided fails closed. */
export const priorApprovalGranted = (
  impact: RegulatoryImpact,
  linkedSubmissions: readonly Submission[],
  scope: MarketScope = {},
): GateResult => {
  if (!isImpactAssessed(impact)) return resultOf([notAssessed(impact)]);
  const reasons = undecidedApplications(impact).filter((reason) => inScope(scope, reason.market));
  for (const { decision, category } of decisionsFilingWithAuthority(impact)) {
    if (!needsPriorApproval(category) || !inScope(scope, decision.market)) continue;
    const linked = linkedSubmissionFor(decision, category, linkedSubmissions);
    if ('reasons' in linked) {
      reasons.push(...linked.reasons);
    } else if (linked.submission.status !== 'approved') {
      reasons.push({
        code: 'PRIOR_APPROVAL_PENDING',
        message: `Prior approval pending in ${decision.market}: ${describeApplication(decision)} is decided ${category}, and Submission ${linked.submission.key} is "${linked.submission.status}", not approved`,
        issueKey: linked.submission.key,
        applicationId: decision.applicationId,
        market: decision.market,
      });
    }
  }
  return resultOf(reasons);
};

/**
 * A grouped filing goes at the most demanding category of its changes (filing-rules.md), so a
 * record decided lower on the same ladder agrees with the submission; one decided higher does
 * not. NONE never agrees: that record needs no filing at all.
 */
export const decisionAgreesWithFiling = (decided: FilingCategory, filed: FilingCategory): boolean =>
  decided !== 'NONE' &&
  Object.values(CATEGORY_LADDERS).some((ladder) => {
    const decidedRank = ladder.indexOf(decided);
    const filedRank = ladder.indexOf(filed);
    return decidedRank >= 0 && filedRank >= 0 && filedRank <= decidedRank;
  });

/** Why one linked quality record is not yet evidence for the submission; empty when it is. */
export const evidenceReasonsForRecord = (submission: Submission, record: QmsRecord): GateReason[] => {
  const reasons: GateReason[] = [...alteredReasons(record), ...voidSignatureReasons(record)];
  const context = { issueKey: record.key, applicationId: submission.applicationId, market: submission.market };
  // Evidence is complete once the record's quality approval is recorded: for a prior-approval
  // change the record cannot be implemented and closed before the authority approves the
  // filing, so demanding "closed" here would deadlock the two workflows.
  if (record.approval === undefined) {
    reasons.push(
      record.status.category === 'done'
        ? {
            code: 'EVIDENCE_NOT_APPROVED',
            message: `${record.key} was closed as "${record.status.name}" without a recorded quality approval`,
            field: 'approval',
            issueKey: record.key,
          }
        : {
            code: 'EVIDENCE_OPEN',
            message: `${record.key} is still "${record.status.name}", not yet approved`,
            issueKey: record.key,
          },
    );
  }
  const decisions = record.impact.decisions.filter((d) => d.applicationId === submission.applicationId);
  const decided = decisions.flatMap((decision) => {
    const category = decidedCategoryOf(decision);
    return category === undefined ? [] : [category];
  });
  if (decided.length === 0) {
    reasons.push({
      code: 'DECISION_MISSING',
      message: `${record.key} has no reviewer decision for application ${submission.applicationId} (${submission.market})`,
      ...context,
    });
  }
  for (const category of unique(decided)) {
    if (decisionAgreesWithFiling(category, submission.category)) continue;
    reasons.push({
      code: 'DECISION_MISMATCH',
      message: `${record.key} is decided ${category} for ${submission.applicationId} (${submission.market}), which does not agree with ${submission.key} filing ${submission.category}`,
      ...context,
    });
  }
  return reasons;
};

/** Gate 4: every linked quality record is approved and decided in agreement with the submission. A Submission for a market out of scope passes. */
export const evidenceComplete = (
  submission: Submission,
  linkedRecords: readonly QmsRecord[],
  scope: MarketScope = {},
): GateResult => {
  if (!inScope(scope, submission.market)) return resultOf([]);
  const provided = new Set(linkedRecords.map((r) => r.key));
  if (linkedRecords.length === 0 && submission.recordKeys.length === 0) {
    return resultOf([
      { code: 'EVIDENCE_MISSING', message: `${submission.key} has no linked quality record`, issueKey: submission.key },
    ]);
  }
  const reasons: GateReason[] = submission.recordKeys
    .filter((key) => !provided.has(key))
    .map((key) => ({
      code: 'EVIDENCE_RECORD_MISSING',
      message: `${submission.key} is linked to ${key}, which could not be read (deleted, or not visible)`,
      issueKey: key,
    }));
  for (const record of linkedRecords) reasons.push(...evidenceReasonsForRecord(submission, record));
  return resultOf(reasons);
};

/** Gate 5: the quality records implementing the commitment are closed. A Commitment for a market out of scope passes. */
export const commitmentFulfilled = (
  commitment: Commitment,
  implementingRecords: readonly QmsRecord[],
  scope: MarketScope = {},
): GateResult => {
  if (!inScope(scope, commitment.market)) return resultOf([]);
  const provided = new Set(implementingRecords.map((r) => r.key));
  if (implementingRecords.length === 0 && commitment.implementedBy.length === 0) {
    return resultOf([
      {
        code: 'COMMITMENT_NOT_IMPLEMENTED',
        message: `${commitment.key} has no implementing quality record`,
        issueKey: commitment.key,
      },
    ]);
  }
  const reasons: GateReason[] = commitment.implementedBy
    .filter((key) => !provided.has(key))
    .map((key) => ({
      code: 'COMMITMENT_RECORD_MISSING',
      message: `${commitment.key} is implemented by ${key}, which could not be read (deleted, or not visible)`,
      issueKey: key,
    }));
  for (const record of implementingRecords) {
    reasons.push(...alteredReasons(record));
    if (record.status.category === 'done') continue;
    reasons.push({
      code: 'COMMITMENT_RECORD_OPEN',
      message: `${record.key}, implementing ${commitment.key}, is still "${record.status.name}", not closed`,
      issueKey: record.key,
    });
  }
  return resultOf(reasons);
};

export const GateIdSchema = z.enum([
  'impact-assessed',
  'filing-planned',
  'prior-approval-granted',
  'evidence-complete',
  'commitment-fulfilled',
]);
export type GateId = z.infer<typeof GateIdSchema>;

export const GATE_TITLES: Readonly<Record<GateId, string>> = {
  'impact-assessed': 'Impact assessed',
  'filing-planned': 'Filing planned',
  'prior-approval-granted': 'Prior approval granted',
  'evidence-complete': 'Evidence complete',
  'commitment-fulfilled': 'Commitment fulfilled',
};

/**
 * What a gate is evaluated on: a QMS record, a Submission or a Commitment, with what is linked
 * to it, and the markets that hold the gate (impact-assessed ignores them: an assessment is
 * complete or not whatever the market).
 */
export type GateSubject = (
  | {
      kind: 'qms-record';
      record: QmsRecord;
      linkedSubmissions: readonly Submission[];
      requiredFields: RequiredFieldConfig;
    }
  | { kind: 'submission'; submission: Submission; linkedRecords: readonly QmsRecord[] }
  | { kind: 'commitment'; commitment: Commitment; implementingRecords: readonly QmsRecord[] }
) & { scope?: MarketScope };

/** GateSubject as a schema: what evaluateGate and previewGates check their input against. */
export const GateSubjectSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('qms-record'),
    record: QmsRecordSchema,
    linkedSubmissions: z.array(SubmissionSchema),
    requiredFields: RequiredFieldConfigSchema,
    scope: MarketScopeSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('submission'),
    submission: SubmissionSchema,
    linkedRecords: z.array(QmsRecordSchema),
    scope: MarketScopeSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('commitment'),
    commitment: CommitmentSchema,
    implementingRecords: z.array(QmsRecordSchema),
    scope: MarketScopeSchema.optional(),
  }),
]);

/** Bad input is refused with an error naming the path of each bad value, never evaluated. */
const parseSubject = (subject: GateSubject): GateSubject => parseInput(GateSubjectSchema, subject, 'The gate subject');

const GATES_BY_SUBJECT: Readonly<Record<GateSubject['kind'], readonly GateId[]>> = {
  'qms-record': ['impact-assessed', 'filing-planned', 'prior-approval-granted'],
  submission: ['evidence-complete'],
  commitment: ['commitment-fulfilled'],
};

export const gatesFor = (kind: GateSubject['kind']): readonly GateId[] => GATES_BY_SUBJECT[kind];

const issueKeyOf = (subject: GateSubject): string => {
  switch (subject.kind) {
    case 'qms-record':
      return subject.record.key;
    case 'submission':
      return subject.submission.key;
    case 'commitment':
      return subject.commitment.key;
  }
};

/** The one entry point for validators and previews. A gate put on the wrong workflow fails closed. */
export const evaluateGate = (gate: GateId, subject: GateSubject): GateResult =>
  evaluateParsed(parseInput(GateIdSchema, gate, 'The gate'), parseSubject(subject));

const evaluateParsed = (gate: GateId, subject: GateSubject): GateResult => {
  switch (subject.kind) {
    case 'qms-record': {
      const refused = [...alteredReasons(subject.record), ...voidSignatureReasons(subject.record)];
      if (
        refused.length > 0 &&
        (gate === 'impact-assessed' || gate === 'filing-planned' || gate === 'prior-approval-granted')
      )
        return resultOf(refused);
      if (gate === 'impact-assessed') return impactAssessed(subject.record, subject.requiredFields);
      if (gate === 'filing-planned')
        return filingPlanned(subject.record.impact, subject.linkedSubmissions, subject.scope);
      if (gate === 'prior-approval-granted')
        return priorApprovalGranted(subject.record.impact, subject.linkedSubmissions, subject.scope);
      break;
    }
    case 'submission':
      if (gate === 'evidence-complete')
        return evidenceComplete(subject.submission, subject.linkedRecords, subject.scope);
      break;
    case 'commitment':
      if (gate === 'commitment-fulfilled')
        return commitmentFulfilled(subject.commitment, subject.implementingRecords, subject.scope);
      break;
  }
  return resultOf([
    {
      code: 'GATE_NOT_APPLICABLE',
      message: `The "${GATE_TITLES[gate]}" gate does not apply to a ${subject.kind} (${issueKeyOf(subject)}); check the workflow's validators`,
      issueKey: issueKeyOf(subject),
    },
  ]);
};

export const GatePreviewSchema = z.strictObject({
  gate: GateIdSchema,
  title: z.string().min(1),
  result: GateResultSchema,
});
export type GatePreview = z.infer<typeof GatePreviewSchema>;

/**
 * What will block the next transition: the given gates (those on the next transition), or
 * every gate that applies to the subject.
 */
export const previewGates = (subjectInput: GateSubject, gatesInput?: readonly GateId[]): GatePreview[] => {
  const subject = parseSubject(subjectInput);
  const gates =
    gatesInput === undefined
      ? gatesFor(subject.kind)
      : parseInput(z.array(GateIdSchema), gatesInput, 'The gates to preview');
  return gates.map((gate) => ({ gate, title: GATE_TITLES[gate], result: evaluateParsed(gate, subject) }));
};
