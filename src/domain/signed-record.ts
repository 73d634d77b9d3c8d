/**
 * The record of truth for a quality record's regulatory impact, and the check of Jira's copy
 * against it. People can write issue properties and field values through Jira's REST API; they
 * cannot write app storage. So the app keeps the assessment and its signed decisions in app
 * storage (written only by the app, in the same transaction as the audit entry that tells of
 * it), and the `qmsrim.impact` property and the "Regulatory impact" field are mirrors for JQL
 * and display. Every reader compares the mirror with the signed record before it uses anything:
 * `checkMirror` answers the signed value and whether Jira's copy still matches it.
 *
 * Pure: the clock, the rules version and the stored values are passed in.
 */
import { z } from 'zod';
import { digestOf } from './canonical';
import { StoredImpactSchema, toImpactFieldValue, withoutSubmissionKeys } from './impact-field-value';
import { InstantSchema, IssueKeySchema, RegulatoryImpactSchema, SignerSchema, emptyImpact } from './model';
import type {
  ApplicationDecision,
  RecordIntegrity,
  RegulatoryImpact,
  ReviewerDecision,
  SignatureBinding,
  SignatureState,
} from './model';

/** What app storage holds per record (custom entity `impact-record`, key: the issue key). */
export const SignedRecordSchema = z.strictObject({
  issueKey: IssueKeySchema,
  /** The assessment's version, the compare-and-set field of every write. */
  version: z.number().int().min(1),
  impact: RegulatoryImpactSchema,
  recordedAt: InstantSchema,
  recordedBy: SignerSchema,
  /**
   * The audit entry that recorded this version. Absent only on a record the app took over as it
   * found it (the sandbox's seeded demo data), which no entry tells of.
   */
  auditSeq: z.number().int().min(1).optional(),
});
export type SignedRecord = z.infer<typeof SignedRecordSchema>;

// ------------------------------------------------------------------ signatures (21 CFR 11.50, 11.70)

/** What one signature is bound to; every field is part of the digest. */
const signedContentOf = (
  recordKey: string,
  recordVersion: number,
  rulesVersion: string,
  applicationId: string,
  decided: Omit<ReviewerDecision, 'signature'>,
) => ({
  recordKey,
  recordVersion,
  rulesVersion,
  applicationId,
  category: decided.category,
  rationale: decided.rationale,
  meaning: decided.meaning,
  signer: decided.by.accountId,
  at: decided.at,
});

export const signatureDigestOf = (
  recordKey: string,
  recordVersion: number,
  rulesVersion: string,
  applicationId: string,
  decided: Omit<ReviewerDecision, 'signature'>,
): string => digestOf(signedContentOf(recordKey, recordVersion, rulesVersion, applicationId, decided));

/** Binds a new decision to what it signs. */
export const bindSignature = (
  recordKey: string,
  recordVersion: number,
  rulesVersion: string,
  applicationId: string,
  decided: Omit<ReviewerDecision, 'signature'>,
): SignatureBinding => ({
  recordKey,
  recordVersion,
  rulesVersion,
  sha256: signatureDigestOf(recordKey, recordVersion, rulesVersion, applicationId, decided),
});

export const signatureStateOf = (
  decision: Pick<ApplicationDecision, 'applicationId' | 'decided'>,
): SignatureState | undefined => {
  const decided = decision.decided;
  if (decided === undefined) return undefined;
  const binding = decided.signature;
  if (binding === undefined) return 'unbound';
  const { signature: _signature, ...content } = decided;
  return signatureDigestOf(
    binding.recordKey,
    binding.recordVersion,
    binding.rulesVersion,
    decision.applicationId,
    content,
  ) === binding.sha256
    ? 'valid'
    : 'void';
};

// ------------------------------------------------------------------ Jira's copy against the signed record

/** One change of the "Regulatory impact" field in Jira's changelog: when, by whom, and the value it was set to. */
export interface FieldChange {
  at: string;
  by: string;
  value: unknown;
}

export interface MirrorCheckInput {
  issueKey: string;
  /** The `qmsrim.impact` property as Jira answered it (undefined when absent). */
  mirror: unknown;
  signed: SignedRecord | undefined;
  /** The field's changes in Jira's changelog, any order. */
  fieldChanges: readonly FieldChange[];
}

export interface MirrorCheck {
  /** The signed assessment (the empty, not-assessed one when the app never recorded any). */
  impact: RegulatoryImpact;
  integrity: RecordIntegrity;
  /** Applications whose signed decision no longer matches its signature. */
  voidSignatures?: string[];
}

const MAX_DIFFERENCES = 20;

const isEmptyAssessment = (impact: RegulatoryImpact): boolean =>
  impact.status === 'not-assessed' &&
  impact.decisions.length === 0 &&
  impact.changes.length === 0 &&
  impact.version === 0;

const describeDecided = (d: ApplicationDecision | undefined): string => {
  if (d?.decided === undefined) return 'undecided';
  return `${d.decided.category}, signed by ${d.decided.by.displayName} (${d.decided.meaning})`;
};

/** In words, what Jira's copy says that the signed record does not. */
export const describeDifferences = (signed: RegulatoryImpact, mirror: RegulatoryImpact): string[] => {
  const out: string[] = [];
  if (signed.status !== mirror.status) out.push(`status: signed ${signed.status}, Jira shows ${mirror.status}`);
  if (signed.version !== mirror.version) out.push(`version: signed ${signed.version}, Jira shows ${mirror.version}`);
  const byApplication = new Map(signed.decisions.map((d) => [d.applicationId, d]));
  const seen = new Set<string>();
  for (const shown of mirror.decisions) {
    seen.add(shown.applicationId);
    const truth = byApplication.get(shown.applicationId);
    if (truth === undefined) {
      out.push(`${shown.applicationId}: not affected in the signed record, Jira shows ${describeDecided(shown)}`);
      continue;
    }
    if (digestOf(truth.decided ?? null) !== digestOf(shown.decided ?? null))
      out.push(`${shown.applicationId}: signed ${describeDecided(truth)}, Jira shows ${describeDecided(shown)}`);
    if (digestOf(truth.recommended) !== digestOf(shown.recommended))
      out.push(`${shown.applicationId}: the recommendation differs`);
  }
  for (const truth of signed.decisions)
    if (!seen.has(truth.applicationId))
      out.push(`${truth.applicationId}: affected in the signed record, missing from Jira's copy`);
  if (digestOf(signed.affected) !== digestOf(mirror.affected))
    out.push('the affected products, sites, suppliers or markets differ');
  if (digestOf(signed.changes) !== digestOf(mirror.changes)) out.push('the change codes or answers differ');
  if (out.length === 0) out.push('values derived for search (filing required, markets, categories) differ');
  return out.slice(0, MAX_DIFFERENCES);
};

/** The latest field change whose value is not the signed one: who changed Jira's copy, when. */
const outsideChange = (changes: readonly FieldChange[], signed: SignedRecord | undefined): FieldChange | undefined => {
  const signedDigest = signed === undefined ? undefined : digestOf(toImpactFieldValue(signed.impact));
  return [...changes]
    .filter((change) => signed === undefined || change.at >= signed.recordedAt)
    .filter((change) => signedDigest === undefined || digestOf(change.value ?? null) !== signedDigest)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .at(-1);
};

const altered = (
  how: 'different' | 'deleted' | 'unreadable' | 'unsigned',
  differences: string[],
  change: FieldChange | undefined,
): RecordIntegrity => ({
  state: 'altered',
  how,
  differences: differences.slice(0, MAX_DIFFERENCES),
  ...(change ? { changedAt: change.at, changedBy: change.by.slice(0, 200) } : {}),
});

/**
 * Jira's copy must be exactly the value the app writes for the signed record
 * (`toImpactFieldValue`, derived search values included, since JQL searches them).
 */
export const checkMirror = (input: MirrorCheckInput): MirrorCheck => {
  const checked = checkCopy(input);
  const voidSignatures = checked.impact.decisions
    .filter((d) => signatureStateOf(d) === 'void')
    .map((d) => d.applicationId);
  return voidSignatures.length > 0 ? { ...checked, voidSignatures } : checked;
};

const checkCopy = ({ mirror, signed, fieldChanges }: MirrorCheckInput): MirrorCheck => {
  const present = mirror !== undefined && mirror !== null;
  const parsed = present ? StoredImpactSchema.safeParse(mirror) : undefined;
  const change = outsideChange(fieldChanges, signed);
  if (signed === undefined) {
    if (!present) return { impact: emptyImpact(), integrity: { state: 'intact' } };
    // A not-assessed value decides nothing (every gate refuses it): what it names (e.g. the
    // supplier a record was raised about) may pre-fill the assessment form.
    if (parsed?.success && isEmptyAssessment(parsed.data))
      return { impact: parsed.data, integrity: { state: 'intact' } };
    return {
      impact: emptyImpact(),
      integrity: altered(
        'unsigned',
        parsed?.success
          ? [
              `Jira shows an assessment (${parsed.data.status}, version ${parsed.data.version}) that the app never recorded`,
            ]
          : ['Jira holds a value the app never recorded'],
        change,
      ),
    };
  }
  const impact = signed.impact;
  if (!present) return { impact, integrity: altered('deleted', ["Jira's copy of the assessment was deleted"], change) };
  if (!parsed?.success) {
    return { impact, integrity: altered('unreadable', ["Jira's copy is not an assessment the app can read"], change) };
  }
  // The app writes the full value; a bare assessment (as written before the search values
  // existed) equal to the signed one misleads no reader either.
  const found = digestOf(mirror);
  if (found === digestOf(toImpactFieldValue(impact)) || found === digestOf(withoutSubmissionKeys(impact)))
    return { impact, integrity: { state: 'intact' } };
  return { impact, integrity: altered('different', describeDifferences(impact, parsed.data), change) };
};
