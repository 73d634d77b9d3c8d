/**
 * A submission's readiness from its linked quality records. The blockers are the evidence
 * gate's own reasons, so the panel and the "Ready to file" validator agree.
 */
import { z } from 'zod';
import { decidedCategoryOf, evidenceComplete, GateReasonSchema } from './gates';
import {
  FilingCategorySchema,
  InstantSchema,
  IssueKeySchema,
  IssueStatusSchema,
  MarketSchema,
  QmsRecordKindSchema,
  RegistryIdSchema,
  SignerSchema,
  SignatureMeaningSchema,
  SignatureStateSchema,
  signatureStateIn,
  SubmissionStatusSchema,
} from './model';
import { QmsRecordSchema, SubmissionSchema } from './model';
import { parseInput } from './parse-input';
import type { QmsRecord, Submission } from './model';

export const ReadinessDecisionSchema = z.strictObject({
  recommended: FilingCategorySchema,
  decided: FilingCategorySchema.optional(),
  rationale: z.string().optional(),
  decidedBy: SignerSchema.optional(),
  decidedAt: InstantSchema.optional(),
  meaning: SignatureMeaningSchema.optional(),
  signatureState: SignatureStateSchema.optional(),
});
export type ReadinessDecision = z.infer<typeof ReadinessDecisionSchema>;

export const ReadinessRecordSchema = z.strictObject({
  key: IssueKeySchema,
  kind: QmsRecordKindSchema,
  summary: z.string(),
  status: IssueStatusSchema,
  approvedBy: z.string().optional(),
  approvedAt: InstantSchema.optional(),
  /** The record's decision for the submission's application, when it has one. */
  decision: ReadinessDecisionSchema.optional(),
  ready: z.boolean(),
  blockers: z.array(GateReasonSchema),
});
export type ReadinessRecord = z.infer<typeof ReadinessRecordSchema>;

export const ReadinessFigureSchema = z.strictObject({
  ready: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  percent: z.number().int().min(0).max(100),
});
export type ReadinessFigure = z.infer<typeof ReadinessFigureSchema>;

export const SubmissionReadinessSchema = z.strictObject({
  submissionKey: IssueKeySchema,
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  category: FilingCategorySchema,
  status: SubmissionStatusSchema,
  records: z.array(ReadinessRecordSchema),
  /** Linked on the submission but not provided: deleted, or not visible to the viewer. */
  unavailableRecordKeys: z.array(IssueKeySchema),
  blockers: z.array(GateReasonSchema),
  figure: ReadinessFigureSchema,
  isReady: z.boolean(),
});
export type SubmissionReadiness = z.infer<typeof SubmissionReadinessSchema>;

const decisionFor = (record: QmsRecord, submission: Submission): ReadinessDecision | undefined => {
  const decisions = record.impact.decisions.filter((d) => d.applicationId === submission.applicationId);
  const chosen = decisions.find((d) => decidedCategoryOf(d) !== undefined) ?? decisions[0];
  if (chosen === undefined) return undefined;
  return {
    recommended: chosen.recommended.category,
    decided: decidedCategoryOf(chosen),
    rationale: chosen.decided?.rationale,
    decidedBy: chosen.decided?.by,
    decidedAt: chosen.decided?.at,
    meaning: chosen.decided?.meaning,
    signatureState: signatureStateIn(record, chosen),
  };
};

/**
 * Rounded down, so that 100% is shown only when every record is ready.
 * Unavailable records count in the total and never as ready.
 */
const figureOf = (ready: number, total: number): ReadinessFigure => ({
  ready,
  total,
  percent: total === 0 ? 0 : Math.floor((ready * 100) / total),
});

/** Records in the order given (the submission's link order). */
export const submissionReadiness = (
  submissionInput: Submission,
  linkedRecordsInput: readonly QmsRecord[],
): SubmissionReadiness => {
  const submission = parseInput(SubmissionSchema, submissionInput, 'The Submission');
  const linkedRecords = parseInput(z.array(QmsRecordSchema), linkedRecordsInput, 'The list of linked quality records');
  const gate = evidenceComplete(submission, linkedRecords);
  const blockers = gate.ok ? [] : gate.reasons;
  const records = linkedRecords.map((record): ReadinessRecord => {
    const recordBlockers = blockers.filter((reason) => reason.issueKey === record.key);
    return {
      key: record.key,
      kind: record.kind,
      summary: record.summary,
      status: record.status,
      approvedBy: record.approval?.by,
      approvedAt: record.approval?.at,
      decision: decisionFor(record, submission),
      ready: recordBlockers.length === 0,
      blockers: recordBlockers,
    };
  });
  const provided = new Set(linkedRecords.map((r) => r.key));
  const unavailableRecordKeys = [...new Set(submission.recordKeys)].filter((key) => !provided.has(key));
  return {
    submissionKey: submission.key,
    applicationId: submission.applicationId,
    market: submission.market,
    category: submission.category,
    status: submission.status,
    records,
    unavailableRecordKeys,
    blockers,
    figure: figureOf(records.filter((r) => r.ready).length, records.length + unavailableRecordKeys.length),
    isReady: gate.ok,
  };
};
