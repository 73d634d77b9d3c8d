/**
 * The "Regulatory impact" panel's resolver, run as Forge runs it: the real handler from
 * src/index.ts, through the sandbox runtime (real @forge/api, asUser), against the Jira
 * stand-in with per-project permissions.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { SITE_ACCOUNTS, SUBMISSION_TRANSITIONS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { impactPanelResolver } from '../../src';
import { IMPACT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import { createContractObserver } from '../support/contract-observer';
import { filingRequiredPas } from './impact-fixtures';

const contract = createContractObserver();

const OUTSIDER = '557058:olga-outsider';

const AnswerSchema = envelopeSchema(RESOLVER_CONTRACT['impact/get'].output);
const issuePanel = (key: string) => ({
  type: 'jira:issuePanel',
  issue: { key, type: 'Change Control' },
  project: { key: key.split('-')[0] },
});

let app: SandboxApp;

const getImpact = (accountId: string, options: { payload?: unknown; extension?: Record<string, unknown> } = {}) =>
  app.runtime.invokeResolver(
    impactPanelResolver,
    {
      functionKey: 'impact/get',
      payload: 'payload' in options ? options.payload : {},
      extension: options.extension ?? issuePanel('QMS-1'),
    },
    { accountId, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-impact-panel' },
  );

const approveRim1 = async () => {
  const answer = await app.jira.handle({
    method: 'POST',
    path: '/rest/api/3/issue/RIM-1/transitions',
    body: { transition: { id: SUBMISSION_TRANSITIONS.recordApproval } },
    as: { kind: 'user', accountId: SITE_ACCOUNTS.regulatory },
  });
  expect(answer.status).toBe(204);
  // keep-linked-issues-consistent runs on the transition event and records the approval on QMS-1.
  await app.jira.whenEventsDelivered();
};

beforeEach(() => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
  app.jira.seedUser({ accountId: OUTSIDER, email: 'olga.outsider@qms-rim.example', displayName: 'Olga Outsider' });
  app.jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    key: 'RIM-1',
    summary: 'PAS: granulation change',
    status: 'Submitted',
    properties: {
      [SUBMISSION_PROPERTY_KEY]: {
        applicationId: 'APP-NDA-CARDIOLOL',
        productId: 'PRD-CARDIOLOL',
        market: 'US',
        category: 'PAS',
      },
    },
  });
  app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    key: 'QMS-1',
    summary: 'Switch to wet granulation',
    status: 'Approved',
    properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
  });
  app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
});
afterEach(async () => {
  await app.close();
  // Every request the handlers sent, and every answer they got, matches Atlassian's spec.
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('impact/get', () => {
  it('answers the record, its assessment, the visible Submission and the gate preview, within the contract', async () => {
    const answer = AnswerSchema.parse(await getImpact(SITE_ACCOUNTS.regulatory));
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    const panel = answer.data;
    expect(panel.issue).toEqual({
      key: 'QMS-1',
      kind: 'change-control',
      summary: 'Switch to wet granulation',
      status: { name: 'Approved', category: expect.any(String) },
    });
    expect(panel.impact.status).toBe('filing-required');
    expect(panel.impact.decisions[0]).toMatchObject({ submissionKey: 'RIM-1', submissionHidden: false });
    expect(panel.linkedSubmissions).toEqual([
      { key: 'RIM-1', applicationId: 'APP-NDA-CARDIOLOL', market: 'US', category: 'PAS', status: 'submitted' },
    ]);
    expect(panel.gates.map((g) => [g.gate, g.ok])).toEqual([
      ['impact-assessed', true],
      ['filing-planned', true],
      ['prior-approval-granted', false],
    ]);
    expect(panel.gates[2]?.reasons[0]).toMatchObject({
      code: 'PRIOR_APPROVAL_PENDING',
      message: expect.stringContaining('RIM-1'),
    });
  });

  it('shows the quality engineer, who cannot browse RIM, no RIM key anywhere, and says a Submission is hidden', async () => {
    const raw = await getImpact(SITE_ACCOUNTS.quality);
    const answer = AnswerSchema.parse(raw);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(JSON.stringify(raw)).not.toMatch(/RIM-\d/);
    expect(answer.data.linkedSubmissions).toEqual([]);
    expect(answer.data.impact.decisions[0]).toMatchObject({ submissionHidden: true });
    expect(answer.data.impact.decisions[0]?.submissionKey).toBeUndefined();
    const reasons = answer.data.gates.flatMap((g) => g.reasons.map((r) => r.message));
    expect(reasons.join('\n')).toContain('cannot browse');
  });

  it.each([
    ['extra keys', { issueKey: 'QMS-2' }],
    ['a string', 'QMS-2'],
    ['an array', ['QMS-2']],
    ['a number', 42],
  ])('refuses a payload of %s with INVALID_INPUT, and calls Jira not at all', async (_what, payload) => {
    app.jira.resetMetrics();
    const answer = await getImpact(SITE_ACCOUNTS.regulatory, { payload });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
    expect(AnswerSchema.safeParse(answer).success).toBe(true);
    expect(app.jira.metrics().total).toBe(0);
  });

  it('answers a typed error when Forge sends no issue in the context', async () => {
    const answer = await getImpact(SITE_ACCOUNTS.regulatory, { extension: { type: 'jira:issuePanel' } });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('issue') },
    });
  });

  it('answers NOT_FOUND for a QMS issue the viewer cannot see, without leaking anything else', async () => {
    const answer = await getImpact(OUTSIDER);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(answer)).not.toMatch(/RIM-\d|stack|at .*\.ts/);
  });

  it('says the panel does not apply on a Submission', async () => {
    const answer = await getImpact(SITE_ACCOUNTS.regulatory, { extension: issuePanel('RIM-1') });
    expect(answer).toMatchObject({ ok: true, data: { applies: false, issueKey: 'RIM-1' } });
  });

  describe('health-authority approvals', () => {
    const panelOf = async (accountId: string) => {
      const raw = await getImpact(accountId);
      const answer = AnswerSchema.parse(raw);
      if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      return { raw, panel: answer.data };
    };

    it('shows, per market, which Submission was approved and when, once the Submission is approved and the trigger ran', async () => {
      await expect(panelOf(SITE_ACCOUNTS.regulatory)).resolves.toMatchObject({ panel: { approvals: [] } });
      await approveRim1();
      const { panel } = await panelOf(SITE_ACCOUNTS.regulatory);
      expect(panel.approvals).toEqual([
        { market: 'US', submissionKey: 'RIM-1', approvedAt: expect.stringMatching(/^2026-11-24T/) },
      ]);
      expect(panel.linkedSubmissions[0]?.status).toBe('approved');
    });

    it('shows a viewer who cannot browse RIM no approval and no RIM key', async () => {
      await approveRim1();
      const { raw, panel } = await panelOf(SITE_ACCOUNTS.quality);
      expect(panel.approvals).toEqual([]);
      expect(JSON.stringify(raw)).not.toMatch(/RIM-\d/);
    });

    it('leaves out an approval whose Submission the viewer cannot see, and ignores a value the app does not recognise', async () => {
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'Change Control',
        key: 'QMS-2',
        summary: 'Blister foil supplier',
        status: 'Approved',
        properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
      });
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'Change Control',
        key: 'QMS-3',
        summary: 'Label artwork',
        status: 'Approved',
        properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
      });
      // What the consistency trigger recorded, in app storage (approvals name RIM issues).
      const setApprovals = (key: string, value: unknown) =>
        app.runtime.kvs.handle({
          method: 'POST',
          path: '/api/v1/set',
          body: JSON.stringify({ key: `approvals:${key}`, value }),
        });
      setApprovals('QMS-2', {
        EU: { submissionKey: 'RIM-77', approvedAt: '2026-01-01T00:00:00.000Z' },
        US: { submissionKey: 'RIM-1', approvedAt: '2026-02-01T00:00:00.000Z' },
      });
      setApprovals('QMS-3', { US: 'approved' });
      const two = AnswerSchema.parse(await getImpact(SITE_ACCOUNTS.regulatory, { extension: issuePanel('QMS-2') }));
      expect(two.ok && two.data.applies && two.data.approvals).toEqual([
        { market: 'US', submissionKey: 'RIM-1', approvedAt: '2026-02-01T00:00:00.000Z' },
      ]);
      const three = AnswerSchema.parse(await getImpact(SITE_ACCOUNTS.regulatory, { extension: issuePanel('QMS-3') }));
      expect(three.ok && three.data.applies && three.data.approvals).toEqual([]);
    });
  });

  it('loads a record with 150 linked Submissions in at most 3 Jira calls', async () => {
    for (let n = 2; n <= 150; n++) {
      app.jira.seedIssue({
        project: 'RIM',
        issueType: 'Submission',
        key: `RIM-${n}`,
        summary: `Submission ${n}`,
        status: 'Submitted',
        properties: {
          [SUBMISSION_PROPERTY_KEY]: {
            applicationId: 'APP-NDA-CARDIOLOL',
            productId: 'PRD-CARDIOLOL',
            market: 'US',
            category: 'CBE-30',
          },
        },
      });
      app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: `RIM-${n}` });
    }
    await approveRim1();
    app.jira.resetMetrics();
    const answer = AnswerSchema.parse(await getImpact(SITE_ACCOUNTS.regulatory));
    expect(answer.ok && answer.data.applies && answer.data.linkedSubmissions).toHaveLength(150);
    expect(answer.ok && answer.data.applies && answer.data.approvals).toHaveLength(1);
    expect(app.jira.metrics().total).toBeLessThanOrEqual(3);
  });
});
