/**
 * Figures for the per-issue read paths: the "Regulatory impact" panel on a QMS record with
 * 150 linked Submissions, the "Submission readiness" panel and its evidence packet on a
 * Submission with 150 linked records, and each workflow validator on an issue with 100 links. Each is
 * measured in Jira calls (what the performance model counts) and in time at 20 ms injected
 * latency per call, against a naive variant that reads every linked issue with its own GET.
 * The validators also read the signed records from app storage: their storage operations are
 * counted per invocation (`/sandbox/metrics` → `invocations`).
 */
import { asUser, route } from '@forge/api';
import { z } from 'zod';
import { createJiraHttp } from '../src/adapters/jira/jira-http';
import { BATCH_GET_LIMIT } from '../src/adapters/kvs/signed-record-repository';
import { JiraIssueSchema } from '../src/adapters/jira/jira-schemas';
import {
  COMMITMENT_PROPERTY_KEY,
  DEFAULT_JIRA_CONVENTIONS,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../src/config/jira-conventions';
import { COMMITMENT_TRANSITIONS, QMS_TRANSITIONS, SITE_ACCOUNTS, SUBMISSION_TRANSITIONS } from '../sandbox/jira';
import type { Bench, Figure, InvocationUsage } from './harness';
import { timed } from './harness';

const LATENCY_MS = 20;
const PANEL_LINKS = 150;
const VALIDATOR_LINKS = 100;

interface Seeded {
  qmsKey: string;
  submissionKey: string;
  commitmentKey: string;
}

/** A QMS record with `links` linked Submissions, and a Submission with `links` linked records. */
const seed = (bench: Bench, links: number): Seeded => {
  const jira = bench.server.app.jira;
  const decisions = [];
  const submissions: string[] = [];
  for (let i = 0; i < links; i++) {
    const applicationId = `APP-BENCH-${i}`;
    const { key } = jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      summary: `Bench submission ${i}`,
      status: 'Planned',
      properties: {
        [SUBMISSION_PROPERTY_KEY]: {
          applicationId,
          productId: 'PRD-BENCH',
          market: i % 2 === 0 ? 'US' : 'EU',
          category: i % 2 === 0 ? 'CBE-30' : 'EU-IB',
        },
      },
    });
    submissions.push(key);
    // The impact value lives in an entity property (≤ 32,768 characters): about 60 decisions fit.
    if (decisions.length >= 60) continue;
    const at = '2026-11-01T10:00:00.000Z';
    const category = i % 2 === 0 ? 'CBE-30' : 'EU-IB';
    decisions.push({
      applicationId,
      market: i % 2 === 0 ? 'US' : 'EU',
      recommended: { category, citations: ['bench'], rationale: 'bench' },
      decided: {
        category,
        rationale: 'bench',
        by: { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' },
        at,
        meaning: 'approval',
      },
      submissionKey: key,
    });
  }
  const impact = {
    status: 'filing-required',
    changes: [{ code: 'process.other', answers: {} }],
    affected: {
      productIds: ['PRD-BENCH'],
      siteIds: [],
      supplierIds: [],
      markets: ['US', 'EU'],
      applicationIds: decisions.map((d) => d.applicationId),
    },
    decisions,
    version: 3,
  };
  const { key: qmsKey } = jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    summary: `Bench change with ${links} submissions`,
    status: 'Approved',
    properties: { [IMPACT_PROPERTY_KEY]: impact },
  });
  for (const submission of submissions)
    jira.seedLink({ type: DEFAULT_JIRA_CONVENTIONS.filingLinkType, from: qmsKey, to: submission });
  // One Submission naming `links` records: the evidence gate's subject.
  const records: string[] = [];
  for (let i = 0; i < links; i++) {
    records.push(
      jira.seedIssue({ project: 'QMS', issueType: 'Deviation', summary: `Bench deviation ${i}`, status: 'Approved' })
        .key,
    );
  }
  const { key: submissionKey } = jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    summary: `Bench submission with ${links} records`,
    status: 'In Preparation',
    properties: {
      [SUBMISSION_PROPERTY_KEY]: {
        applicationId: 'APP-BENCH-EVIDENCE',
        productId: 'PRD-BENCH',
        market: 'US',
        category: 'CBE-30',
      },
    },
  });
  for (const record of records)
    jira.seedLink({ type: DEFAULT_JIRA_CONVENTIONS.filingLinkType, from: record, to: submissionKey });
  // One Commitment implemented by the same `links` records: the commitment gate's subject.
  const { key: commitmentKey } = jira.seedIssue({
    project: 'RIM',
    issueType: 'Commitment',
    summary: `Bench commitment implemented by ${links} records`,
    status: 'Open',
    properties: { [COMMITMENT_PROPERTY_KEY]: { market: 'US', dueDate: '2027-06-30' } },
  });
  for (const record of records)
    jira.seedLink({ type: DEFAULT_JIRA_CONVENTIONS.commitmentLinkType, from: record, to: commitmentKey });
  return { qmsKey, submissionKey, commitmentKey };
};

/** Calls and time of one run, measured from the sandbox's own counters, with the run's invocations. */
const measure = async (
  bench: Bench,
  run: () => Promise<unknown>,
): Promise<{ calls: number; ms: number; invocations: InvocationUsage[] }> => {
  await bench.resetMetrics();
  await bench.setLatency(LATENCY_MS);
  try {
    const { ms } = await timed(run);
    const metrics = await bench.metrics();
    return { calls: metrics.jira.total, ms, invocations: metrics.invocations };
  } finally {
    await bench.clearFaults();
  }
};

/**
 * The naive read: the issue, then one GET per linked issue. Runs inside the sandbox runtime
 * as the user, through the app's own typed client, so it pays exactly what the app would.
 */
const naiveRead = (bench: Bench, key: string, accountId: string) => async (): Promise<number> =>
  bench.server.app.runtime.runAs({ accountId, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel' }, async () => {
    const jira = createJiraHttp(asUser().requestJira);
    const issue = await jira.requestJira(
      route`/rest/api/3/issue/${key}?fields=issuelinks,status,issuetype,summary,project&properties=${IMPACT_PROPERTY_KEY},${SUBMISSION_PROPERTY_KEY}`,
      { method: 'GET', schema: JiraIssueSchema },
    );
    const linked = (issue.fields.issuelinks ?? [])
      .map((link) => link.outwardIssue?.key ?? link.inwardIssue?.key)
      .filter((k): k is string => k !== undefined);
    for (const linkedKey of linked) {
      await jira.requestJira(
        route`/rest/api/3/issue/${linkedKey}?fields=status,issuetype,summary&properties=${SUBMISSION_PROPERTY_KEY}&expand=changelog`,
        { method: 'GET', schema: JiraIssueSchema },
      );
    }
    return linked.length;
  });

const ValidatorAnswerSchema = z.looseObject({ result: z.boolean() });

/**
 * Storage operations a gate may spend: the site's mapping (one get), then the signed records
 * of the quality records it decides on, one batch get per BATCH_GET_LIMIT records. A gate on a
 * QMS record reads only that record's: 2. A gate on a Submission or a Commitment reads those of
 * its linked records: 1 + ⌈100 / 25⌉ = 5 at 100 links, growing by one per 25 more links.
 */
const gateStorageBudget = (subject: keyof Seeded, links: number): number =>
  1 + (subject === 'qmsKey' ? 1 : Math.ceil(links / BATCH_GET_LIMIT));

const GATES: ReadonlyArray<{ moduleKey: string; subject: keyof Seeded; transitionTo: string }> = [
  { moduleKey: 'gate-impact-assessed', subject: 'qmsKey', transitionTo: QMS_TRANSITIONS.submitForReview },
  { moduleKey: 'gate-filing-planned', subject: 'qmsKey', transitionTo: QMS_TRANSITIONS.approve },
  { moduleKey: 'gate-prior-approval-granted', subject: 'qmsKey', transitionTo: QMS_TRANSITIONS.implement },
  { moduleKey: 'gate-evidence-complete', subject: 'submissionKey', transitionTo: SUBMISSION_TRANSITIONS.readyToFile },
  { moduleKey: 'gate-commitment-fulfilled', subject: 'commitmentKey', transitionTo: COMMITMENT_TRANSITIONS.fulfil },
];

export const jiraPathFigures = async (bench: Bench): Promise<Figure[]> => {
  const figures: Figure[] = [];

  const panel = seed(bench, PANEL_LINKS);
  const panelRun = await measure(bench, () =>
    bench.invoke({
      moduleKey: 'impact-panel',
      accountId: SITE_ACCOUNTS.regulatory,
      functionKey: 'impact/get',
      payload: {},
      context: { issue: { key: panel.qmsKey } },
    }),
  );
  const panelNaive = await measure(bench, naiveRead(bench, panel.qmsKey, SITE_ACCOUNTS.regulatory));
  figures.push(
    // The floor (the issue, then one bulkfetch per 100 linked issues) plus one call for whether
    // the viewer may sign (their groups and project roles, services/signing-policy.ts).
    {
      path: `impact panel, ${PANEL_LINKS} linked issues`,
      figure: 'Jira calls',
      measured: panelRun.calls,
      unit: 'calls',
      target: 4,
      better: 'lower',
      naive: panelNaive.calls,
    },
    {
      path: `impact panel, ${PANEL_LINKS} linked issues`,
      figure: `server time at ${LATENCY_MS} ms/call`,
      measured: panelRun.ms,
      unit: 'ms',
      better: 'lower',
      naive: panelNaive.ms,
    },
  );

  // The RIM side of the same seed: a Submission naming 150 quality records (floor: the
  // Submission with its links, then one bulkfetch per 100 records).
  const readinessContext = { issue: { key: panel.submissionKey } };
  const readinessRun = await measure(bench, () =>
    bench.invoke({
      moduleKey: 'readiness-panel',
      accountId: SITE_ACCOUNTS.regulatory,
      functionKey: 'readiness/get',
      payload: {},
      context: readinessContext,
    }),
  );
  const packetRun = await measure(bench, () =>
    bench.invoke({
      moduleKey: 'readiness-panel',
      accountId: SITE_ACCOUNTS.regulatory,
      functionKey: 'readiness/export',
      payload: { format: 'json' },
      context: readinessContext,
    }),
  );
  const readinessNaive = await measure(bench, naiveRead(bench, panel.submissionKey, SITE_ACCOUNTS.regulatory));
  for (const [what, run] of [
    ['readiness panel', readinessRun],
    ['evidence packet (JSON)', packetRun],
  ] as const) {
    figures.push(
      {
        path: `${what}, ${PANEL_LINKS} linked records`,
        figure: 'Jira calls',
        measured: run.calls,
        unit: 'calls',
        target: 3,
        better: 'lower',
        naive: readinessNaive.calls,
      },
      {
        path: `${what}, ${PANEL_LINKS} linked records`,
        figure: `server time at ${LATENCY_MS} ms/call`,
        measured: run.ms,
        unit: 'ms',
        better: 'lower',
        naive: readinessNaive.ms,
      },
    );
  }

  const gates = seed(bench, VALIDATOR_LINKS);
  for (const gate of GATES) {
    const key = gates[gate.subject];
    const run = await measure(bench, async () => {
      const answer = ValidatorAnswerSchema.parse(
        await bench.invoke({
          moduleKey: gate.moduleKey,
          accountId: SITE_ACCOUNTS.quality,
          payload: {
            issue: { key },
            configuration: {},
            transition: { from: { id: '1' }, to: { id: gate.transitionTo } },
          },
        }),
      );
      return answer;
    });
    const [invocation, ...others] = run.invocations.filter((i) => i.moduleKey === gate.moduleKey);
    if (invocation === undefined || others.length > 0 || invocation.outcome !== 'returned')
      throw new Error(`expected one finished '${gate.moduleKey}' invocation, found ${JSON.stringify(run.invocations)}`);
    const naive = await measure(bench, naiveRead(bench, key, SITE_ACCOUNTS.admin));
    figures.push(
      {
        path: `${gate.moduleKey}, ${VALIDATOR_LINKS} links`,
        figure: 'Jira calls',
        measured: run.calls,
        unit: 'calls',
        target: 2,
        better: 'lower',
        naive: naive.calls,
      },
      {
        path: `${gate.moduleKey}, ${VALIDATOR_LINKS} links`,
        figure: 'storage operations',
        measured: invocation.kvs,
        unit: 'ops',
        target: gateStorageBudget(gate.subject, VALIDATOR_LINKS),
        better: 'lower',
      },
    );
  }
  return figures;
};
