/**
 * The "Submission readiness" panel's data and its evidence packet, read as the viewer: the
 * Submission with its links, property and changelog in one GET, then its linked quality
 * records (with their changelogs, for who approved them and when) in one `bulkfetch` per
 * 100: the floor of ARCHITECTURE.md's performance model.
 *
 * Visibility: a linked record the viewer cannot see is never named. It is counted
 * ("N linked records you cannot see") and counts as not ready; the "Ready to file" gate,
 * which reads as the app, checks it in full. Every blocker message is scrubbed of any issue
 * key the viewer was not shown.
 */
import { signatureWords } from '../domain/traceability-csv';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecords } from './verified-records';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { toSubmission } from '../adapters/jira/issue-mapping';
import type { JiraIssue } from '../adapters/jira/jira-schemas';
import type { JiraConventions } from '../config/jira-conventions';
import type { EvidencePacketFile, EvidencePacketFormat, ReadinessPanel } from '../contract/resolvers';
import { renderEvidencePacket } from '../domain/evidence-packet';
import type { EvidencePacket } from '../domain/evidence-packet';
import type { GateReason } from '../domain/gates';
import { submissionReadiness } from '../domain/readiness';
import { AppError } from '../ports/app-error';
import { fetchIssue, fetchIssues } from './load-gate-subject';
import { correspondenceItem, isCorrespondenceIssue, linkedKeysOfType } from './correspondence-view';
import { redactIssueKeys } from './redact-issue-keys';

const HIDDEN_RECORD = 'a linked record you cannot see';

export const hiddenRecordsMessage = (count: number): string =>
  `${count} linked ${count === 1 ? 'record' : 'records'} you cannot see (or that no longer exist) ${count === 1 ? 'counts' : 'count'} as not ready here; the "Ready to file" gate checks ${count === 1 ? 'it' : 'them'} in full`;

export interface ReadinessPanelOptions {
  conventions: JiraConventions;
  signedRecords: SignedRecordStore;
  /** Today (YYYY-MM-DD), for whether linked correspondence is overdue. */
  today: string;
}

type Blocker = { code: GateReason['code']; message: string };

const blockerAsShown = (reason: GateReason, shown: ReadonlySet<string>): Blocker => ({
  code: reason.code,
  message: redactIssueKeys(reason.message, (key) => shown.has(key), HIDDEN_RECORD),
});

/** `jira` must act as the viewer (asUser): what it cannot read, the panel does not show. */
export const loadReadinessPanel = async (
  jira: JiraHttp,
  key: string,
  options: ReadinessPanelOptions,
): Promise<ReadinessPanel> => readinessPanelFor(jira, await fetchIssue(jira, key, options.conventions), options);

/** The panel for an issue already read (with its links, properties and changelog): one more `bulkfetch` per 100 linked issues. */
export const readinessPanelFor = async (
  jira: JiraHttp,
  issue: JiraIssue,
  options: ReadinessPanelOptions,
): Promise<ReadinessPanel> => {
  const { conventions } = options;
  const submission = toSubmission(issue, conventions);
  if (!submission) {
    const why =
      issue.fields.issuetype?.name === conventions.submissionIssueType
        ? `${issue.key} is a ${conventions.submissionIssueType} without the app's filing data (application, market, category), so its readiness cannot be computed. Create Submissions from a quality record's "Regulatory impact" panel.`
        : `${issue.key} is not a ${conventions.submissionIssueType}, so it has no submission readiness.`;
    return { applies: false, issueKey: issue.key, message: why };
  }
  // The letters linked to the Submission come in the same bulkfetch as its quality records.
  const correspondenceKeys = linkedKeysOfType(issue, conventions.correspondenceIssueType);
  const fetched = await fetchIssues(jira, [...submission.recordKeys, ...correspondenceKeys], conventions);
  const correspondence = fetched
    .filter((i) => isCorrespondenceIssue(i, conventions))
    .map((i) => correspondenceItem(i, conventions, options.today));
  const byKey = new Map(
    (await verifiedRecords(options.signedRecords, fetched, conventions)).map((record) => [record.key, record]),
  );
  // In the Submission's link order; anything not readable as a QMS record counts as unavailable.
  const records = [...new Set(submission.recordKeys)].map((k) => byKey.get(k)).filter((r) => r !== undefined);
  const readiness = submissionReadiness(submission, records);

  const shown = new Set([submission.key, ...records.map((r) => r.key)]);
  const hidden = readiness.unavailableRecordKeys.length;
  const visibleBlockers = readiness.blockers
    .filter((b) => b.issueKey === undefined || shown.has(b.issueKey))
    .map((b) => blockerAsShown(b, shown));
  const blockers: Blocker[] =
    hidden > 0
      ? [...visibleBlockers, { code: 'EVIDENCE_RECORD_MISSING', message: hiddenRecordsMessage(hidden) }]
      : visibleBlockers;

  return {
    applies: true,
    submission: {
      key: submission.key,
      applicationId: submission.applicationId,
      market: submission.market,
      category: submission.category,
      status: submission.status,
    },
    figure: readiness.figure,
    isReady: readiness.isReady,
    records: readiness.records.map((r) => ({
      key: r.key,
      kind: r.kind,
      summary: r.summary,
      version: byKey.get(r.key)?.impact.version ?? 0,
      status: r.status,
      ...(r.approvedBy !== undefined ? { approvedBy: r.approvedBy } : {}),
      ...(r.approvedAt !== undefined ? { approvedAt: r.approvedAt } : {}),
      ...(r.decision !== undefined ? { decision: r.decision } : {}),
      ready: r.ready,
      blockers: r.blockers.map((b) => blockerAsShown(b, shown)),
    })),
    hiddenRecordCount: hidden,
    blockers,
    correspondence,
  };
};

export interface ExportOptions extends Omit<ReadinessPanelOptions, 'today'> {
  /** The clock: when the packet was generated. */
  now: () => Date;
}

/** The evidence packet of the Submission `key`, as far as the viewer can see it. */
export const exportEvidencePacket = async (
  jira: JiraHttp,
  key: string,
  format: EvidencePacketFormat,
  options: ExportOptions,
): Promise<EvidencePacketFile> => {
  const generatedAt = options.now();
  const panel = await loadReadinessPanel(jira, key, {
    conventions: options.conventions,
    signedRecords: options.signedRecords,
    today: generatedAt.toISOString().slice(0, 10),
  });
  if (!panel.applies) throw new AppError('INVALID_INPUT', panel.message);
  const packet: EvidencePacket = {
    submission: panel.submission,
    generatedAt: generatedAt.toISOString(),
    figure: panel.figure,
    isReady: panel.isReady,
    hiddenRecordCount: panel.hiddenRecordCount,
    records: panel.records.map((r) => ({
      key: r.key,
      summary: r.summary,
      version: r.version,
      status: r.status.name,
      ...(r.approvedBy !== undefined ? { approvedBy: r.approvedBy } : {}),
      ...(r.approvedAt !== undefined ? { approvedAt: r.approvedAt } : {}),
      ...(r.decision !== undefined
        ? {
            recommended: r.decision.recommended,
            ...(r.decision.decided !== undefined ? { decided: r.decision.decided } : {}),
            ...(r.decision.rationale !== undefined ? { rationale: r.decision.rationale } : {}),
            ...(r.decision.decidedBy !== undefined ? { decidedBy: r.decision.decidedBy.displayName } : {}),
            ...(r.decision.decidedAt !== undefined ? { decidedAt: r.decision.decidedAt } : {}),
            ...(r.decision.meaning !== undefined ? { meaning: r.decision.meaning } : {}),
            ...(r.decision.signatureState !== undefined
              ? { signature: signatureWords(r.decision.signatureState) }
              : {}),
          }
        : {}),
    })),
    blockers: panel.blockers.map((b) => b.message),
    correspondence: panel.correspondence.map((c) => ({
      key: c.key,
      summary: c.summary,
      status: c.status.name,
      ...(c.details
        ? { authority: c.details.authority, reference: c.details.reference, receivedDate: c.details.receivedDate }
        : {}),
      ...(c.details?.responseDueDate !== undefined ? { responseDueDate: c.details.responseDueDate } : {}),
    })),
  };
  return renderEvidencePacket(packet, format);
};
