/**
 * A gate's refusal, shown to someone who cannot browse RIM, reveals no RIM state.
 *
 * The workflow validators run as the app and do not know who is transitioning: Forge passes a
 * `jira:workflowValidator` function the issue, the configuration and the transition, no
 * account (docs: forge-platform.md; the stand-in passes the same, sandbox/app-host.ts
 * `runValidator`). So the message Jira shows must be safe for anyone who may transition the
 * record. Quinn (no access to RIM) transitions QMS-1 while its Submission RIM-1 is in one
 * state, then (on a fresh site) in another: whatever the Submission's key, status or
 * application, Quinn's refusal reads the same, word for word. The gate still refuses (the one
 * bit it exists to give), and still says which application and market hold it.
 *
 * The impact panel's preview reads as the viewer, so Quinn's preview does not see RIM-1 at all:
 * checked the same way.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { QMS_TRANSITIONS, SITE_ACCOUNTS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { IMPACT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { seedDemoStorage } from '../../sandbox/demo/seed';
import { filingRequiredPas } from '../entry/impact-fixtures';
import { createContractObserver } from '../support/contract-observer';
import { invokeUiModule, uiModulesOf } from '../support/ui-modules';
import { issueContext } from '../faults/harness';

const QUINN: string = SITE_ACCOUNTS.quality;
const contract = createContractObserver();

interface RimState {
  /** The Submission's key (a site whose RIM project numbers differently). */
  key: string;
  status: string;
  applicationId: string;
}

const GATES = {
  'gate-prior-approval-granted': ['Planned', 'In Preparation', 'Submitted', 'HA Rejected', 'Withdrawn'],
  'gate-filing-planned': ['HA Rejected', 'Withdrawn'],
} as const;

/** A site where QMS-1 (decided PAS for the US NDA) is linked to its Submission in `rim` state, and `gate` sits on Implement. */
const siteWith = async (gate: string, rim: RimState): Promise<SandboxApp> => {
  const app = createSandboxApp({
    now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000),
    observeJira: contract.observe,
  });
  seedQmsRimSite(app.jira);
  await seedDemoStorage(app.runtime);
  const number = Number(rim.key.split('-')[1]);
  for (let i = 1; i < number; i += 1)
    app.jira.seedIssue({ project: 'RIM', issueType: 'Commitment', key: `RIM-${i}`, summary: `filler ${i}` });
  app.jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    key: rim.key,
    summary: 'PAS: granulation change',
    status: rim.status,
    properties: {
      [SUBMISSION_PROPERTY_KEY]: {
        applicationId: rim.applicationId,
        productId: 'PRD-CARDIOLOL',
        market: 'US',
        category: 'PAS',
      },
    },
  });
  const impact = {
    ...filingRequiredPas,
    decisions: filingRequiredPas.decisions.map((d) => ({ ...d, submissionKey: rim.key })),
  };
  app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    key: 'QMS-1',
    summary: 'Switch to wet granulation',
    status: 'Approved',
    properties: { [IMPACT_PROPERTY_KEY]: impact },
  });
  app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: rim.key });
  app.jira.setTransitionValidators({
    projectKey: 'QMS',
    issueType: 'Change Control',
    transitionId: QMS_TRANSITIONS.implement,
    validators: [{ moduleKey: gate, configuration: {} }],
  });
  return app;
};

/** What Quinn is told when Jira refuses the Implement transition, and what the panel's preview says. */
const whatQuinnIsTold = async (
  gate: string,
  rim: RimState,
): Promise<{ status: number; refusal: string; preview: unknown }> => {
  const app = await siteWith(gate, rim);
  try {
    const answer = await app.jira.handle({
      method: 'POST',
      path: '/rest/api/3/issue/QMS-1/transitions',
      body: { transition: { id: QMS_TRANSITIONS.implement } },
      as: { kind: 'user', accountId: QUINN },
    });
    const panel = uiModulesOf().find((m) => m.key === 'impact-panel');
    if (!panel) throw new Error('no impact-panel module');
    const preview = await invokeUiModule(app, panel, {
      key: 'impact/get',
      payload: {},
      extension: issueContext('jira:issuePanel', 'QMS-1'),
      accountId: QUINN,
    });
    const gates = (preview as { ok: boolean; data?: { gates?: unknown } }).data?.gates;
    return { status: answer.status, refusal: JSON.stringify(answer.body), preview: gates };
  } finally {
    await app.close();
  }
};

afterAll(() => expect(contract.violations()).toEqual([]));

describe.each(Object.entries(GATES))('%s', (gate, statuses) => {
  it('refuses Quinn in the same words whatever the Submission’s key, status or application', async () => {
    const states: RimState[] = [
      ...statuses.map((status) => ({ key: 'RIM-1', status, applicationId: 'APP-NDA-CARDIOLOL' })),
      { key: 'RIM-4', status: statuses[0], applicationId: 'APP-NDA-CARDIOLOL' },
      { key: 'RIM-1', status: statuses[0], applicationId: 'APP-MAA-CARDIOLOL' },
    ];
    // One sandbox runtime at a time: each state on its own site, one after the other.
    const told: Awaited<ReturnType<typeof whatQuinnIsTold>>[] = [];
    for (const rim of states) told.push(await whatQuinnIsTold(gate, rim));
    for (const t of told) expect(t.status).toBe(400);
    const [first] = told;
    expect(first?.refusal).toContain('APP-NDA-CARDIOLOL');
    expect(first?.refusal).toContain('US');
    expect(told.map((t) => t.refusal)).toEqual(told.map(() => first?.refusal));
    expect(told.map((t) => t.preview)).toEqual(told.map(() => first?.preview));
    // The gate's title ("Regulatory filing not planned") aside, no RIM status word.
    for (const t of told)
      expect(t.refusal.replace(/Regulatory filing not planned/, '')).not.toMatch(
        /RIM-\d|planned|preparation|submitted|rejected|withdrawn|APP-MAA/i,
      );
  });
});
