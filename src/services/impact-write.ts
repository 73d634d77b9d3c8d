/**
 * The writes behind the "Regulatory impact" panel: save the assessment, sign a decision, and
 * read the record's history. Each use case reads the record (Jira as the person, and the
 * signed record in app storage), asks the decision core (src/domain/impact-decisions.ts) for
 * the new assessment and its audit entry, and commits them with `commitImpact`:
 *
 * 1. Jira is asked whether the person may edit the record (nothing is written for a person Jira
 *    would refuse);
 * 2. the signed record and its audit entry are written in one storage transaction, on the
 *    condition that the record is still at the version the person's change was based on
 *    (of two writers on one version exactly one commits; a stale one gets CONFLICT);
 * 3. Jira's copy (the `qmsrim.impact` property and the field) is written as the person. If that
 *    fails, the change stands (it is signed and audited) and the person is told that Jira's
 *    copy is behind; until it is brought up to date, every gate refuses the record.
 */
import { whoAmI } from '../adapters/jira/myself';
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import {
  assertFitsInJira,
  failedMirrorWrite,
  findImpactFieldId,
  markFieldOutOfStep,
  writeImpactValue,
} from '../adapters/jira/impact-value';
import { isQmsIssue } from '../adapters/jira/issue-mapping';
import { appendAuditEntry, listAuditEntriesFor } from '../adapters/kvs/audit-repository';
import { loadRegistry } from '../adapters/kvs/registry-repository';
import type { JiraConventions } from '../config/jira-conventions';
import { IMPACT_PROPERTY_KEY } from '../config/jira-conventions';
import type {
  DecideInput,
  HistoryEntry,
  ImpactFormData,
  SaveAssessmentInput,
  WrittenImpact,
} from '../contract/resolvers';
import type { AuditEntry } from '../domain/audit-chain';
import { CATALOG, RULES_VERSION } from '../domain/catalog';
import { categoriesFor } from '../domain/categories';
import {
  AssessmentAuditPayloadSchema,
  DecisionAuditPayloadSchema,
  DecisionRefused,
  decideApplication,
  reassess,
} from '../domain/impact-decisions';
import type { ImpactChange } from '../domain/impact-decisions';
import type { QmsRecord, Registry, Signer } from '../domain/model';
import { ApplicationTypeSchema } from '../domain/model';
import type { RegulatoryImpact } from '../domain/model';
import type { AssessmentDraft, Proposal } from '../domain/propose-assessment.schema';
import { proposeAssessment } from '../domain/propose-assessment';
import { unknownInDraft } from '../domain/assessment-draft-check';
import { AppError, isAppError } from '../ports/app-error';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { fetchIssue } from './load-gate-subject';
import { verifiedRecord } from './verified-records';

export interface ImpactWriteDeps {
  /** Acts as the person using the panel (asUser). */
  jira: JiraHttp;
  conventions: JiraConventions;
  signedRecords: SignedRecordStore;
  /** The clock, read here in the service and passed into the domain. */
  now: () => Date;
}

const MyPermissionsSchema = z.looseObject({
  permissions: z.record(z.string(), z.looseObject({ havePermission: z.boolean() })),
});

export const asWritten = (impact: RegulatoryImpact): WrittenImpact => ({
  ...impact,
  decisions: impact.decisions.map(({ submissionKey, ...decision }) => ({
    ...decision,
    hasSubmission: submissionKey !== undefined,
  })),
});

/** The record as the person may see it, its impact from the signed record; with Jira's copy as Jira answered it. */
export const loadRecordAndMirror = async (
  deps: Pick<ImpactWriteDeps, 'jira' | 'conventions' | 'signedRecords'>,
  key: string,
): Promise<{ record: QmsRecord; mirror: unknown }> => {
  const issue = await fetchIssue(deps.jira, key, deps.conventions);
  if (!isQmsIssue(issue, deps.conventions))
    throw new AppError(
      'INVALID_INPUT',
      `${key} is not a quality record, so it has no regulatory impact assessment to change.`,
    );
  return {
    record: await verifiedRecord(deps.signedRecords, issue, deps.conventions),
    mirror: issue.properties?.[IMPACT_PROPERTY_KEY],
  };
};

export const loadRecord = async (
  deps: Pick<ImpactWriteDeps, 'jira' | 'conventions' | 'signedRecords'>,
  key: string,
): Promise<QmsRecord> => (await loadRecordAndMirror(deps, key)).record;

export const checkVersion = (record: QmsRecord, expected: number): void => {
  const current = record.impact.version;
  if (current !== expected) {
    throw new AppError(
      'CONFLICT',
      `${record.key}'s assessment was changed by someone else: it is now at version ${current}, and your change was based on version ${expected}. Nothing was saved; reload the panel to see version ${current} and apply your change again.`,
      { currentVersion: current },
    );
  }
};

export const requireRegistry = async (): Promise<Registry> => {
  const registry = await loadRegistry();
  if (!registry)
    throw new AppError(
      'NOT_FOUND',
      "No registry of products, sites, suppliers and applications has been set up yet; a Jira admin must import it on the app's admin page first.",
    );
  return registry;
};

export const signerOf = (jira: JiraHttp): Promise<Signer> => whoAmI(jira);

/**
 * Jira's word, asked as the person, that they may edit the record: asked before anything is
 * written anywhere, so nothing is written to app storage for a person Jira would refuse.
 */
export const requireEditPermission = async (jira: JiraHttp, key: string, what: string): Promise<void> => {
  const answer = await jira.requestJira(route`/rest/api/3/mypermissions?issueKey=${key}&permissions=EDIT_ISSUES`, {
    method: 'GET',
    schema: MyPermissionsSchema,
  });
  if (answer.permissions['EDIT_ISSUES']?.havePermission !== true) {
    throw new AppError(
      'FORBIDDEN',
      `You cannot ${what}: it needs the Jira permission Edit issues on ${key}. Nothing was saved; ask your Jira admin for the permission.`,
    );
  }
};

/** The registry, after refusing a draft that names a question or market nobody knows (assessment-draft-check.ts). */
const registryFor = async (draft: AssessmentDraft): Promise<Registry> => {
  const registry = await requireRegistry();
  const unknown = unknownInDraft(registry, draft);
  if (unknown.length > 0)
    throw new AppError(
      'INVALID_INPUT',
      `The assessment names what the catalog or the registry does not know: ${unknown.join('; ')}. Nothing was saved; answer only the questions shown and pick markets from the registry.`,
    );
  return registry;
};

/** Runs the decision core; a rule it refuses becomes INVALID_INPUT. */
export const decided = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof DecisionRefused) throw new AppError('INVALID_INPUT', error.message);
    throw error;
  }
};

/**
 * Records a change made by the core: the signed record and its audit entry together, then
 * Jira's copy (see the top of this file). `record` is what the change was computed from.
 * A failed write of Jira's copy throws an error marked field-out-of-step: the change stands.
 */
export const commitImpact = async <P>(
  deps: ImpactWriteDeps,
  record: QmsRecord,
  change: ImpactChange<P>,
): Promise<AuditEntry> => {
  assertFitsInJira(record.key, change.impact);
  // Every Jira read comes before the commit, so only the two writes of Jira's copy can fail after it.
  const fieldId = await findImpactFieldId(deps.jira);
  const entry = await deps.signedRecords.commit(
    {
      issueKey: record.key,
      version: change.impact.version,
      impact: change.impact,
      recordedAt: change.audit.at,
      recordedBy: change.audit.actor,
    },
    record.impact.version,
    { ...change.audit, payload: JSON.parse(JSON.stringify(change.audit.payload)) as never },
  );
  try {
    await writeImpactValue(deps.jira, record.key, change.impact, fieldId);
  } catch (error) {
    // The cause's own "nothing was changed" would be wrong here: the change is recorded.
    const why = (isAppError(error) ? error.message : 'an unexpected error.').replace(
      /\s*Nothing was (changed|saved|created)[^.]*\./gi,
      '',
    );
    const recorded = `The change to ${record.key} is signed and in the audit trail (entry ${entry.seq}), but`;
    throw markFieldOutOfStep(
      new AppError(
        isAppError(error) ? error.code : 'INTERNAL',
        failedMirrorWrite(error) === 'field'
          ? `${recorded} the "Regulatory impact" field could not be updated: ${why} The field shows the previous value until you choose "Update Jira's copy" on the panel, or "Refresh from the assessment" in the field; the gates are not affected.`
          : `${recorded} Jira's copy of the assessment could not be updated: ${why} Until it is, the workflow gates refuse ${record.key}: choose "Update Jira's copy" on the panel, or ask a Jira admin.`,
      ),
    );
  }
  return entry;
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
    applications: registry.applications.map((a) => ({
      id: a.id,
      productId: a.productId,
      market: a.market,
      type: a.type,
      number: a.number,
    })),
    categoriesByType: Object.fromEntries(
      ApplicationTypeSchema.options.map((type) => [type, [...categoriesFor(type)]]),
    ) as ImpactFormData['categoriesByType'],
    signer,
  };
};

/** The proposal for a draft; nothing is read from Jira or written. */
export const propose = async (draft: AssessmentDraft): Promise<Proposal> =>
  proposeAssessment(await registryFor(draft), draft).proposal;

// ------------------------------------------------------------------ save

export const saveAssessment = async (
  deps: ImpactWriteDeps,
  key: string,
  input: SaveAssessmentInput,
): Promise<WrittenImpact> => {
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  const [registry, assessor] = await Promise.all([registryFor(input), signerOf(deps.jira)]);
  const change = decided(() =>
    reassess({
      record,
      registry,
      draft: { changes: input.changes, affected: input.affected },
      assessor,
      now: deps.now().toISOString(),
    }),
  );
  await requireEditPermission(deps.jira, key, 'save the assessment');
  await commitImpact(deps, record, change);
  return asWritten(change.impact);
};

// ------------------------------------------------------------------ decide

/** `known`: the record and the signer, when the caller has just read them (the resolver checks who may sign first). */
export const decide = async (
  deps: ImpactWriteDeps,
  key: string,
  input: DecideInput,
  known?: { record: QmsRecord; signer: Signer },
): Promise<WrittenImpact> => {
  const record = known?.record ?? (await loadRecord(deps, key));
  checkVersion(record, input.version);
  const [registry, signer] = await Promise.all([requireRegistry(), known?.signer ?? signerOf(deps.jira)]);
  const change = decided(() =>
    decideApplication({ record, registry, signer, now: deps.now().toISOString(), rulesVersion: RULES_VERSION, input }),
  );
  await requireEditPermission(deps.jira, key, 'record a decision');
  await commitImpact(deps, record, change);
  return asWritten(change.impact);
};

// ------------------------------------------------------------------ history

const SummarySchema = z.looseObject({ summary: z.string().min(1) });

/** One audit entry as the panel's history shows it: a sentence, and for a signature its manifestation. */
const historyOf = (entry: AuditEntry): HistoryEntry[] => {
  const base = { seq: entry.seq, at: entry.at, who: entry.actor.displayName, action: entry.action };
  const decision = DecisionAuditPayloadSchema.safeParse(entry.payload);
  if (entry.action === 'impact/decide' && decision.success) {
    const p = decision.data;
    return [
      {
        ...base,
        summary: p.summary,
        applicationId: p.applicationId,
        market: p.market,
        decision: p.decision,
        recommended: p.recommended,
        category: p.after.category,
        rationale: p.after.rationale,
        meaning: p.after.meaning,
      },
    ];
  }
  const assessment = AssessmentAuditPayloadSchema.safeParse(entry.payload);
  if (entry.action === 'impact/save-assessment' && assessment.success) {
    return [
      { ...base, summary: assessment.data.summary },
      ...assessment.data.voided.map((v) => ({
        ...base,
        action: 'impact/decision-voided',
        summary: `Voided the decision ${v.decided.category} for ${v.applicationId} (${v.market}) signed by ${v.decided.by.displayName} on ${v.decided.at}: ${v.reason}`,
        applicationId: v.applicationId,
        market: v.market,
        category: v.decided.category,
        meaning: v.decided.meaning,
      })),
    ];
  }
  const summary = SummarySchema.safeParse(entry.payload);
  return [{ ...base, summary: summary.success ? summary.data.summary : entry.action }];
};

/** The record's history from the audit trail, newest first. */
export const decisionHistory = async (
  deps: Pick<ImpactWriteDeps, 'jira' | 'conventions' | 'signedRecords'>,
  key: string,
): Promise<HistoryEntry[]> => {
  // Only for an issue the person can see: Jira answers NOT_FOUND otherwise.
  await loadRecord(deps, key);
  const entries = await listAuditEntriesFor(key);
  return [...entries].sort((a, b) => b.seq - a.seq).flatMap(historyOf);
};

// ------------------------------------------------------------------ bring Jira's copy back

/**
 * Writes the signed record back over Jira's copy (the property and the field), when the copy was
 * changed outside the app or a write of it failed. It can only make Jira agree with what was
 * signed, never change what was signed, so anyone Jira lets edit the record may do it; it is
 * audited like any change. With nothing signed and nothing in Jira there is nothing to write.
 */
export const restoreMirror = async (
  deps: ImpactWriteDeps,
  key: string,
): Promise<{ restored: boolean; version: number }> => {
  const { record, mirror } = await loadRecordAndMirror(deps, key);
  if (record.impact.version === 0 && record.integrity?.state !== 'altered') return { restored: false, version: 0 };
  await requireEditPermission(deps.jira, key, "update Jira's copy of the assessment");
  const actor = await signerOf(deps.jira);
  await appendAuditEntry({
    at: deps.now().toISOString(),
    actor,
    action: 'impact/restore-mirror',
    subject: key,
    payload: {
      summary:
        record.integrity?.state === 'altered'
          ? `Brought Jira's copy of the assessment back to the signed record (version ${record.impact.version}); Jira's copy ${record.integrity.how === 'deleted' ? 'had been deleted' : `had: ${record.integrity.differences.join('; ')}`}`
          : `Rewrote Jira's copy of the assessment (property and field) from the signed record (version ${record.impact.version})`,
      before: mirror === undefined ? null : (JSON.parse(JSON.stringify(mirror)) as never),
      after: { version: record.impact.version },
    },
  });
  try {
    await writeImpactValue(deps.jira, key, record.impact);
  } catch (error) {
    throw new AppError(
      isAppError(error) ? error.code : 'INTERNAL',
      `Jira's copy of ${key} could not be brought back to the signed record (${isAppError(error) ? error.message : 'an unexpected error'}); it is still out of step, and the attempt is in the audit trail. Try again.`,
    );
  }
  return { restored: true, version: record.impact.version };
};
