/**
 * The "Regulatory impact" panel's data, read as the viewer: the QMS record, its assessment,
 * its linked Submissions, the health-authority approvals the consistency trigger recorded on it
 * (`qmsrim.approvals`, read in the same issue GET) and the gate preview, in one issue GET plus
 * one `bulkfetch` per 100 linked issues (the floor of ARCHITECTURE.md's performance model),
 * plus one call for whether the viewer may sign (their groups and project roles; none when
 * the signing rules name nobody), made alongside the bulkfetch.
 *
 * Visibility, the choice made here: the preview is computed from what the viewer can see,
 * with the same pure `previewGates` the validators run. Jira leaves out of `issuelinks` and
 * `bulkfetch` every issue the viewer cannot browse, so a Submission in a RIM project they
 * cannot see is simply absent. Its key can still be named by the stored assessment
 * (`decisions[].submissionKey`); that key is withheld, the decision is flagged
 * `submissionHidden`, and a gate reason about it says "a Submission you cannot see" and that
 * the workflow gate (which reads as the app) checks it in full. Every reason message is also
 * scrubbed of any issue key the viewer was not shown, as a second line of defence. An approval
 * is shown only when its Submission is among the issues Jira returned to the viewer. Free text
 * a reviewer typed (rationales) is shown as written.
 */
import type { JiraHttp } from '../adapters/jira/jira-http';
import { isQmsIssue, linkedKeys, toSubmission } from '../adapters/jira/issue-mapping';
import { signatureStateOf } from '../domain/signed-record';
import type { SignedRecordStore } from '../ports/signed-records.port';
import { verifiedRecord } from './verified-records';
import type { JiraConventions } from '../config/jira-conventions';
import type { ImpactPanel, PanelApproval, PanelGate, PanelImpact } from '../contract/resolvers';
import { loadApprovals } from '../adapters/kvs/approvals-repository';
import { previewGates } from '../domain/gates';
import type { GatePreview, GateReason } from '../domain/gates';
import type { RegulatoryImpact, Submission } from '../domain/model';
import { DEFAULT_REQUIRED_FIELDS } from '../domain/required-fields';
import type { RequiredFieldConfig } from '../domain/required-fields';
import { fetchIssue, fetchIssues } from './load-gate-subject';
import { redactIssueKeys } from './redact-issue-keys';
import { signingVerdict } from './signing-policy';

const HIDDEN_SUBMISSION = 'a linked Submission you cannot see';

export const withoutKeysNotShown = (message: string, shown: ReadonlySet<string>): string =>
  redactIssueKeys(message, (key) => shown.has(key), HIDDEN_SUBMISSION);

const reasonAsShown = (
  reason: GateReason,
  shown: ReadonlySet<string>,
): { code: GateReason['code']; message: string } => {
  if (reason.issueKey !== undefined && !shown.has(reason.issueKey)) {
    const where = reason.applicationId ? `${reason.applicationId}${reason.market ? ` (${reason.market})` : ''}: ` : '';
    return {
      code: reason.code,
      message: `${where}its Submission is in a project you cannot browse (or no longer exists), so this panel cannot check it; the workflow gate checks it in full when the issue is transitioned`,
    };
  }
  return { code: reason.code, message: withoutKeysNotShown(reason.message, shown) };
};

const gateAsShown = (preview: GatePreview, shown: ReadonlySet<string>): PanelGate => ({
  gate: preview.gate,
  title: preview.title,
  ok: preview.result.ok,
  reasons: preview.result.ok ? [] : preview.result.reasons.map((reason) => reasonAsShown(reason, shown)),
});

const impactAsShown = (impact: RegulatoryImpact, shown: ReadonlySet<string>): PanelImpact => ({
  ...impact,
  decisions: impact.decisions.map(({ submissionKey, ...decision }) => {
    const signature = signatureStateOf(decision);
    const state = signature === undefined ? {} : { signatureState: signature };
    if (submissionKey === undefined) return { ...decision, ...state, submissionHidden: false };
    return shown.has(submissionKey)
      ? { ...decision, ...state, submissionKey, submissionHidden: false }
      : { ...decision, ...state, submissionHidden: true };
  }),
});

/** The approvals the trigger recorded for the record (app storage: they name RIM issues), by market. */
const recordedApprovals = async (recordKey: string): Promise<PanelApproval[]> => {
  const approvals = (await loadApprovals([recordKey])).get(recordKey) ?? {};
  return Object.entries(approvals)
    .map(([market, approval]) => ({ market, ...approval }))
    .sort((a, b) => a.market.localeCompare(b.market));
};

export interface ImpactPanelOptions {
  conventions: JiraConventions;
  signedRecords: SignedRecordStore;
  requiredFields?: RequiredFieldConfig;
}

/** `jira` must act as the viewer (asUser): what it cannot read, the panel does not show. */
export const loadImpactPanel = async (
  jira: JiraHttp,
  key: string,
  options: ImpactPanelOptions,
): Promise<ImpactPanel> => {
  const { conventions } = options;
  const issue = await fetchIssue(jira, key, conventions);
  if (!isQmsIssue(issue, conventions)) {
    return {
      applies: false,
      issueKey: issue.key,
      message: `${issue.key} is not a quality record (${Object.keys(conventions.qmsIssueTypes).join(', ')}), so it has no regulatory impact assessment.`,
    };
  }
  const record = await verifiedRecord(options.signedRecords, issue, conventions);
  const linkedKeySet = new Set(linkedKeys(issue, conventions.filingLinkType, 'outward'));
  // Asking for the decisions' Submission keys in the same bulkfetch tells "linked but hidden
  // from you" apart from "visible but not linked", at no extra call for up to 100 keys.
  // The approvals' Submissions likewise: an approval is shown only if Jira shows its Submission.
  const decisionKeys = record.impact.decisions.map((d) => d.submissionKey).filter((k): k is string => k !== undefined);
  const approvals = await recordedApprovals(record.key);
  // Whether the viewer may sign: one more call (their groups and roles), alongside the bulkfetch.
  const [fetched, signing] = await Promise.all([
    fetchIssues(jira, [...linkedKeySet, ...decisionKeys, ...approvals.map((a) => a.submissionKey)], conventions),
    signingVerdict(jira, record),
  ]);

  const shown = new Set([record.key, ...fetched.map((i) => i.key)]);
  const linkedSubmissions = fetched
    .filter((i) => linkedKeySet.has(i.key))
    .map((i) => toSubmission(i, conventions))
    .filter((s): s is Submission => s !== undefined);

  const previews = previewGates({
    kind: 'qms-record',
    record,
    linkedSubmissions,
    requiredFields: options.requiredFields ?? DEFAULT_REQUIRED_FIELDS,
  });
  return {
    applies: true,
    issue: { key: record.key, kind: record.kind, summary: record.summary, status: record.status },
    impact: impactAsShown(record.impact, shown),
    integrity: record.integrity ?? { state: 'intact' },
    linkedSubmissions: linkedSubmissions.map(({ key: submissionKey, applicationId, market, category, status }) => ({
      key: submissionKey,
      applicationId,
      market,
      category,
      status,
    })),
    approvals: approvals.filter((a) => shown.has(a.submissionKey)),
    gates: previews.map((preview) => gateAsShown(preview, shown)),
    signing,
  };
};
