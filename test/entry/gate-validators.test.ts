/**
 * The five workflow validators, run as Forge would run them: the real handlers from
 * src/index.ts, through the sandbox runtime (real @forge/api), against the Jira stand-in,
 * which calls them on the transitions they are configured on.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import {
  COMMITMENT_TRANSITIONS,
  QMS_TRANSITIONS,
  SITE_ACCOUNTS,
  SUBMISSION_TRANSITIONS,
  createSteppingClock,
  seedQmsRimSite,
} from '../../sandbox/jira';
import { saveSiteConfig } from '../../src/adapters/kvs/conventions-repository';
import {
  COMMITMENT_PROPERTY_KEY,
  DEFAULT_JIRA_CONVENTIONS,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../src/config/jira-conventions';
import type { RegulatoryImpact } from '../../src/domain/model';
import { createContractObserver } from '../support/contract-observer';
import { recordRetryWaits } from '../faults/harness';
import { filingRequiredPas, reviewer } from './impact-fixtures';

const contract = createContractObserver();

let app: SandboxApp;

const transition = (key: string, id: string, accountId: string) =>
  app.jira.handle({
    method: 'POST',
    path: `/rest/api/3/issue/${key}/transitions`,
    body: { transition: { id } },
    as: { kind: 'user', accountId },
  });

const statusOf = async (key: string): Promise<unknown> => {
  const answer = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${key}?fields=status`,
    as: { kind: 'app' },
  });
  return JSON.parse(JSON.stringify(answer.body)).fields.status.name;
};

beforeEach(() => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
});
afterEach(async () => {
  await app.close();
  // Every request the handlers sent, and every answer they got, matches Atlassian's spec.
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('gate-prior-approval-granted on the QMS "Implement" transition', () => {
  beforeEach(() => {
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
    app.jira.setTransitionValidators({
      projectKey: 'QMS',
      issueType: 'Change Control',
      transitionId: QMS_TRANSITIONS.implement,
      validators: [{ moduleKey: 'gate-prior-approval-granted', configuration: {} }],
    });
  });

  it('refuses the transition while the PAS is not approved, naming the market but not the hidden RIM key', async () => {
    const answer = await transition('QMS-1', QMS_TRANSITIONS.implement, SITE_ACCOUNTS.quality);
    expect(answer.status).toBe(400);
    const message = JSON.stringify(answer.body);
    expect(message).toContain('Prior approval not granted');
    expect(message).toContain('US');
    expect(message).not.toContain('RIM-1');
    // Nor the Submission's status: the validator cannot know whether Quinn may browse RIM (test/security/gate-refusals.test.ts).
    expect(message).toContain(
      'APP-NDA-CARDIOLOL (US) is decided PAS, and its Submission is not approved by the health authority yet',
    );
    expect(message).not.toContain('submitted');
    expect(await statusOf('QMS-1')).toBe('Approved');
  });

  it('allows it once the Submission is approved by the health authority', async () => {
    expect((await transition('RIM-1', SUBMISSION_TRANSITIONS.recordApproval, SITE_ACCOUNTS.regulatory)).status).toBe(
      204,
    );
    const answer = await transition('QMS-1', QMS_TRANSITIONS.implement, SITE_ACCOUNTS.quality);
    expect(answer.status).toBe(204);
    expect(await statusOf('QMS-1')).toBe('Implemented');
  });

  it('reads the issue and its links in at most 2 Jira calls', async () => {
    app.jira.resetMetrics();
    await app.invokeFunction('gate-prior-approval-granted', { issue: { key: 'QMS-1' }, configuration: {} });
    expect(app.jira.metrics().byAccount['app']).toBeLessThanOrEqual(2);
    // The contract observer saw those calls (it is not vacuous).
    expect(contract.exchanges()).toBeGreaterThan(0);
  });

  it('fails closed when Jira cannot be read, and says so', async () => {
    app.jira.setFaults({ serverErrorEvery: 1 });
    const verdict = await app.invokeFunction('gate-prior-approval-granted', {
      issue: { key: 'QMS-1' },
      configuration: {},
    });
    expect(verdict).toEqual({ result: false, errorMessage: expect.stringContaining('could not be checked') });
  });

  it('lets the transition through on a Jira outage only when an admin configured failClosed: false', async () => {
    app.jira.setFaults({ serverErrorEvery: 1 });
    const verdict = await app.invokeFunction('gate-prior-approval-granted', {
      issue: { key: 'QMS-1' },
      configuration: { failClosed: false },
    });
    expect(verdict).toEqual({ result: true });
  });

  it('holds only the configured markets', async () => {
    const eu = await app.invokeFunction('gate-prior-approval-granted', {
      issue: { key: 'QMS-1' },
      configuration: { markets: ['EU'] },
    });
    expect(eu).toEqual({ result: true });
    const us = await app.invokeFunction('gate-prior-approval-granted', {
      issue: { key: 'QMS-1' },
      configuration: JSON.stringify({ markets: ['US'] }),
    });
    expect(us).toMatchObject({ result: false });
  });

  it('holds only on transitions into the statuses configured to mean "implement"', async () => {
    const statusId = (name: string): string =>
      Object.values(app.jira.snapshot().statuses).find((s) => s.name === name)?.id ?? '';
    app.jira.setTransitionValidators({
      projectKey: 'QMS',
      issueType: 'Change Control',
      transitionId: QMS_TRANSITIONS.implement,
      validators: [
        { moduleKey: 'gate-prior-approval-granted', configuration: { implementStatusIds: [statusId('Closed')] } },
      ],
    });
    // "Implement" leads to Implemented, which this configuration does not call "implement".
    expect((await transition('QMS-1', QMS_TRANSITIONS.implement, SITE_ACCOUNTS.quality)).status).toBe(204);
    const onClose = await app.invokeFunction('gate-prior-approval-granted', {
      issue: { key: 'QMS-1' },
      configuration: { implementStatusIds: [statusId('Closed')] },
      transition: { from: { id: statusId('Implemented') }, to: { id: statusId('Closed') } },
    });
    expect(onClose).toMatchObject({
      result: false,
      errorMessage: expect.stringContaining('Prior approval not granted: APP-NDA-CARDIOLOL (US)'),
    });
    // Without the target status the gate cannot tell, and refuses.
    await expect(
      app.invokeFunction('gate-prior-approval-granted', {
        issue: { key: 'QMS-1' },
        configuration: { implementStatusIds: [statusId('Closed')] },
      }),
    ).resolves.toMatchObject({ result: false, errorMessage: expect.stringContaining('which status it leads to') });
  });

  it('refuses a setting its gate would ignore, rather than dropping it silently', async () => {
    await expect(
      app.invokeFunction('gate-impact-assessed', { issue: { key: 'QMS-1' }, configuration: { markets: ['US'] } }),
    ).resolves.toMatchObject({ result: false, errorMessage: expect.stringContaining('takes no markets') });
    await expect(
      app.invokeFunction('gate-filing-planned', {
        issue: { key: 'QMS-1' },
        configuration: { implementStatusIds: ['10005'] },
      }),
    ).resolves.toMatchObject({ result: false, errorMessage: expect.stringContaining('only the prior-approval gate') });
    await expect(
      app.invokeFunction('gate-filing-planned', {
        issue: { key: 'QMS-1' },
        configuration: `{"markets":["US"],"x":"${'y'.repeat(33 * 1024)}"}`,
      }),
    ).resolves.toMatchObject({ result: false, errorMessage: expect.stringContaining('32 KB') });
  });

  it('refuses a malformed configuration or event with a message, never a crash', async () => {
    await expect(
      app.invokeFunction('gate-prior-approval-granted', { issue: { key: 'QMS-1' }, configuration: { markets: 'US' } }),
    ).resolves.toMatchObject({
      result: false,
      errorMessage: expect.stringContaining('configuration is invalid'),
    });
    await expect(
      app.invokeFunction('gate-prior-approval-granted', { issue: { key: '../../etc' } }),
    ).resolves.toMatchObject({ result: false });
    await expect(app.invokeFunction('gate-prior-approval-granted', null)).resolves.toMatchObject({ result: false });
  });
});

describe('gate-impact-assessed', () => {
  it('refuses "Submit for review" on an unassessed supplier change, naming what is missing', async () => {
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Supplier Change',
      key: 'QMS-2',
      summary: 'Polymera resin grade change',
      status: 'In Assessment',
    });
    app.jira.setTransitionValidators({
      projectKey: 'QMS',
      issueType: 'Supplier Change',
      transitionId: QMS_TRANSITIONS.submitForReview,
      validators: [{ moduleKey: 'gate-impact-assessed', configuration: {} }],
    });
    const answer = await transition('QMS-2', QMS_TRANSITIONS.submitForReview, SITE_ACCOUNTS.quality);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/Regulatory impact not assessed: .*not.assessed/i);
    expect(await statusOf('QMS-2')).toBe('In Assessment');
  });

  it('passes a complete no-filing assessment', async () => {
    const noFiling: RegulatoryImpact = {
      status: 'no-filing',
      changes: [{ code: 'labeling.editorial' }],
      affected: {
        productIds: ['PRD-CARDIOLOL'],
        siteIds: [],
        supplierIds: [],
        markets: ['US'],
        applicationIds: ['APP-NDA-CARDIOLOL'],
      },
      decisions: [
        {
          applicationId: 'APP-NDA-CARDIOLOL',
          market: 'US',
          recommended: { category: 'AR', citations: ['21 CFR 314.70(d)'], rationale: 'Editorial.' },
          decided: {
            category: 'NONE',
            rationale: 'Typo fix in an internal SOP reference only; labeling text unchanged.',
            by: reviewer,
            at: '2026-11-20T09:00:00.000Z',
            meaning: 'approval',
          },
        },
      ],
      version: 1,
    };
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-3',
      summary: 'SOP reference fix',
      status: 'In Assessment',
      properties: { [IMPACT_PROPERTY_KEY]: noFiling },
    });
    await expect(app.invokeFunction('gate-impact-assessed', { issue: { key: 'QMS-3' } })).resolves.toEqual({
      result: true,
    });
  });

  it('refuses when the stored impact value is corrupt, rather than trusting it', async () => {
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-4',
      summary: 'Corrupt',
      status: 'In Assessment',
      properties: { [IMPACT_PROPERTY_KEY]: { status: 'no-filing' } },
    });
    await expect(app.invokeFunction('gate-impact-assessed', { issue: { key: 'QMS-4' } })).resolves.toMatchObject({
      result: false,
      errorMessage: expect.stringContaining('holds a value the app never recorded'),
    });
  });
});

describe('gate-evidence-complete and gate-commitment-fulfilled on RIM issues', () => {
  it('refuses "Ready to file" while a linked record is open, and allows it once it is approved and closed', async () => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'PAS',
      status: 'In Preparation',
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
      summary: 'Granulation',
      status: 'Under Review',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    app.jira.setTransitionValidators({
      projectKey: 'RIM',
      issueType: 'Submission',
      transitionId: SUBMISSION_TRANSITIONS.readyToFile,
      validators: [{ moduleKey: 'gate-evidence-complete', configuration: {} }],
    });

    const refused = await transition('RIM-1', SUBMISSION_TRANSITIONS.readyToFile, SITE_ACCOUNTS.regulatory);
    expect(refused.status).toBe(400);
    // The validator reads as the app and cannot know what the person may browse: it names
    // other projects' issues by what they are, and the readiness panel shows which.
    expect(JSON.stringify(refused.body)).toContain('Under Review');
    expect(JSON.stringify(refused.body)).not.toContain('QMS-1');

    for (const id of [QMS_TRANSITIONS.approve, QMS_TRANSITIONS.implement, QMS_TRANSITIONS.close]) {
      expect((await transition('QMS-1', id, SITE_ACCOUNTS.admin)).status).toBe(204);
    }
    expect((await transition('RIM-1', SUBMISSION_TRANSITIONS.readyToFile, SITE_ACCOUNTS.regulatory)).status).toBe(204);
  });

  it('lets a Submission for a market outside the configured ones through, and holds the others', async () => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'PAS',
      status: 'In Preparation',
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
      summary: 'Granulation',
      status: 'Under Review',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    await expect(
      app.invokeFunction('gate-evidence-complete', { issue: { key: 'RIM-1' }, configuration: { markets: ['EU'] } }),
    ).resolves.toEqual({ result: true });
    await expect(
      app.invokeFunction('gate-evidence-complete', {
        issue: { key: 'RIM-1' },
        configuration: { markets: ['EU', 'US'] },
      }),
    ).resolves.toMatchObject({ result: false });
  });

  it("runs on the site's saved Jira mapping, not the defaults", async () => {
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Supplier Change',
      key: 'QMS-2',
      summary: 'Resin grade change',
      status: 'In Assessment',
    });
    await expect(app.invokeFunction('gate-impact-assessed', { issue: { key: 'QMS-2' } })).resolves.toMatchObject({
      result: false,
    });
    // A mapping in which "Supplier Change" is not a quality record: the gate no longer applies to it.
    const { 'Supplier Change': _dropped, ...otherTypes } = DEFAULT_JIRA_CONVENTIONS.qmsIssueTypes;
    await app.runtime.runAs({ moduleKey: 'test' }, () =>
      saveSiteConfig({
        conventions: { ...DEFAULT_JIRA_CONVENTIONS, qmsIssueTypes: otherTypes },
        savedAt: '2026-11-24T08:00:00.000Z',
        savedBy: { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' },
      }),
    );
    await expect(app.invokeFunction('gate-impact-assessed', { issue: { key: 'QMS-2' } })).resolves.toMatchObject({
      result: false,
      errorMessage: expect.stringContaining('neither a QMS record'),
    });
  });

  it('refuses a gate placed on an issue it does not apply to', async () => {
    app.jira.seedIssue({ project: 'QMS', issueType: 'Change Control', key: 'QMS-5', summary: 'x', status: 'Open' });
    await expect(app.invokeFunction('gate-commitment-fulfilled', { issue: { key: 'QMS-5' } })).resolves.toMatchObject({
      result: false,
    });
  });
});

/**
 * Fail closed, on every gate, through the transition endpoint as Jira runs it: each Jira read
 * the gate makes (found by running it once) keeps answering 503, or 429 with Retry-After,
 * until the retry budget is spent; or app storage cannot be read (the gate reads the site's
 * Jira mapping from it). The waits are recorded, not slept. `failClosed: false` lets a Jira
 * outage through, never a storage failure: without the mapping the gate cannot even tell
 * which issues are quality records.
 */
/** QMS-1 (decided PAS, in `recordStatus`) linked as filed by Submission RIM-1 (in `submissionStatus`). */
const seedFiledRecord = (submissionStatus: string, recordStatus: string): void => {
  app.jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    key: 'RIM-1',
    summary: 'PAS',
    status: submissionStatus,
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
    summary: 'Granulation',
    status: recordStatus,
    properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
  });
  app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
};

describe.each([
  {
    gate: 'gate-impact-assessed',
    seed: () =>
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'Supplier Change',
        key: 'QMS-2',
        summary: 'Resin grade change',
        status: 'In Assessment',
      }),
    on: { projectKey: 'QMS', issueType: 'Supplier Change', transitionId: QMS_TRANSITIONS.submitForReview },
    key: 'QMS-2',
    account: SITE_ACCOUNTS.quality,
  },
  {
    gate: 'gate-filing-planned',
    seed: () => seedFiledRecord('In Preparation', 'Under Review'),
    on: { projectKey: 'QMS', issueType: 'Change Control', transitionId: QMS_TRANSITIONS.approve },
    key: 'QMS-1',
    account: SITE_ACCOUNTS.quality,
  },
  {
    gate: 'gate-prior-approval-granted',
    seed: () => seedFiledRecord('Submitted', 'Approved'),
    on: { projectKey: 'QMS', issueType: 'Change Control', transitionId: QMS_TRANSITIONS.implement },
    key: 'QMS-1',
    account: SITE_ACCOUNTS.quality,
  },
  {
    gate: 'gate-evidence-complete',
    seed: () => seedFiledRecord('In Preparation', 'Under Review'),
    on: { projectKey: 'RIM', issueType: 'Submission', transitionId: SUBMISSION_TRANSITIONS.readyToFile },
    key: 'RIM-1',
    account: SITE_ACCOUNTS.regulatory,
  },
  {
    gate: 'gate-commitment-fulfilled',
    seed: () => {
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'Change Control',
        key: 'QMS-1',
        summary: 'Granulation',
        status: 'Under Review',
        properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
      });
      app.jira.seedIssue({
        project: 'RIM',
        issueType: 'Commitment',
        key: 'RIM-2',
        summary: 'Stability data',
        status: 'In Progress',
        properties: { [COMMITMENT_PROPERTY_KEY]: { market: 'US', dueDate: '2027-05-31', recordKey: 'QMS-1' } },
      });
      app.jira.seedLink({ type: 'Commitment', from: 'QMS-1', to: 'RIM-2' });
    },
    on: { projectKey: 'RIM', issueType: 'Commitment', transitionId: COMMITMENT_TRANSITIONS.fulfil },
    key: 'RIM-2',
    account: SITE_ACCOUNTS.regulatory,
  },
])('$gate fails closed', ({ gate, seed, on, key, account }) => {
  let waits: ReturnType<typeof recordRetryWaits>;
  /** The gate's own Jira reads (as the app), `"METHOD /template"` each, in order. */
  let reads: string[];

  const configure = (configuration: Record<string, unknown>) =>
    app.jira.setTransitionValidators({ ...on, validators: [{ moduleKey: gate, configuration }] });
  const attempt = async () => {
    // Read from the stand-in's store directly: the faults are on the app's Jira requests.
    const before = app.jira.readIssue(key)?.statusId;
    const answer = await transition(key, on.transitionId, account);
    return {
      status: answer.status,
      message: JSON.stringify(answer.body),
      moved: app.jira.readIssue(key)?.statusId !== before,
    };
  };

  beforeEach(async () => {
    seed();
    configure({});
    app.jira.resetMetrics();
    await app.invokeFunction(gate, { issue: { key }, configuration: {} });
    reads = Object.keys(app.jira.metrics().byEndpoint);
    expect(reads.length).toBeGreaterThan(0);
    waits = recordRetryWaits();
  });
  afterEach(() => {
    waits.restore();
    app.jira.clearFaults();
    app.runtime.kvs.clearFaults();
  });

  it.each([
    {
      status: 503,
      expectedWaits: [250, 500, 1000],
      says: /could not be checked: Jira did not answer successfully \(HTTP 503\) after 4 attempts/,
    },
    {
      status: 429,
      retryAfterSeconds: 2,
      expectedWaits: [2000, 2000, 2000],
      says: /could not be checked: Jira is rate-limiting this app/,
    },
  ])(
    'refuses the transition when each Jira read keeps answering $status until the retry budget is spent, saying Jira could not be read',
    async ({ status, retryAfterSeconds, expectedWaits, says }) => {
      for (const operation of reads) {
        waits.waits.length = 0;
        app.jira.setFaults({
          failOperations: [
            { operation, status, account: 'app', ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
          ],
        });
        const refused = await attempt();
        expect({ operation, ...refused, message: says.test(refused.message), waits: waits.waits }).toEqual({
          operation,
          status: 400,
          message: true,
          moved: false,
          waits: expectedWaits,
        });
      }
    },
  );

  it.each([503, 429])(
    'lets the transition through on Jira answering %i until the budget is spent when configured failClosed: false',
    async (status) => {
      configure({ failClosed: false });
      for (const operation of reads) {
        app.jira.setFaults({ failOperations: [{ operation, status, account: 'app', retryAfterSeconds: 1 }] });
        const before = app.jira.snapshot();
        const through = await attempt();
        expect({ operation, status: through.status, moved: through.moved }).toEqual({
          operation,
          status: 204,
          moved: true,
        });
        app.jira.restore(before);
      }
    },
  );

  it.each([{}, { failClosed: false }])(
    'refuses the transition when app storage cannot be read (configuration %j), saying so',
    async (configuration) => {
      configure(configuration);
      app.runtime.kvs.setFaults({ failOperations: [{ operation: 'get', status: 503 }] });
      const refused = await attempt();
      expect(refused).toEqual({
        status: 400,
        message: expect.stringMatching(
          /could not be checked: The app's Jira mapping could not be read from app storage/,
        ),
        moved: false,
      });
    },
  );
});
