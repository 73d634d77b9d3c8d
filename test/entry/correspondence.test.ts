/**
 * Health-authority correspondence, run as Forge runs it: the correspondence panel's real
 * resolver, the impact panel's `impact/correspondence` and the RIM glance, from src/index.ts
 * through the sandbox runtime (asUser), against the demo site, every Jira request held to
 * Atlassian's spec. The resolvers read the wall clock for "today"; the assertions compute
 * timeliness for the same day rather than hard-coding it.
 */
import { createSandboxApp, loadManifest } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { RESTRICTED_ACCOUNT_ID, createDemoClock, seedDemoJira } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { correspondencePanelResolver, impactPanelResolver, readinessPanelResolver, rimGlanceResolver } from '../../src';
import { CORRESPONDENCE_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import type { Envelope } from '../../src/contract/envelope';
import { responseTimeliness } from '../../src/domain/correspondence';
import type { ResolverHandler } from '../../sandbox/runtime/forge-runtime';
import { createContractObserver } from '../support/contract-observer';
import { listAuditEntries } from '../../src/adapters/kvs/audit-repository';

const contract = createContractObserver();
let app: SandboxApp;

const today = (): string => new Date().toISOString().slice(0, 10);

const MODULES = {
  'correspondence-panel': {
    handler: correspondencePanelResolver,
    type: 'jira:issuePanel',
    functionKey: 'fn-correspondence-panel',
  },
  'impact-panel': { handler: impactPanelResolver, type: 'jira:issuePanel', functionKey: 'fn-impact-panel' },
  'rim-glance': { handler: rimGlanceResolver, type: 'jira:issueGlance', functionKey: 'fn-rim-glance' },
  'readiness-panel': { handler: readinessPanelResolver, type: 'jira:issuePanel', functionKey: 'fn-readiness-panel' },
} satisfies Record<string, { handler: ResolverHandler; type: string; functionKey: string }>;

const call = async <K extends ResolverKey>(
  moduleKey: keyof typeof MODULES,
  key: K,
  issueKey: string,
  accountId: string,
  payload: unknown = {},
) => {
  const module = MODULES[moduleKey];
  const answer = await app.runtime.invokeResolver(
    module.handler,
    {
      functionKey: key,
      payload,
      extension: { type: module.type, issue: { key: issueKey }, project: { key: issueKey.split('-')[0] } },
    },
    { accountId, moduleKey, moduleType: module.type, functionKey: module.functionKey },
  );
  // Indexing the contract with a generic key gives the union of all outputs; the key's own output is what was parsed.
  return envelopeSchema(RESOLVER_CONTRACT[key].output).parse(answer) as Envelope<ResolverOutput<K>>;
};

const panel = async (key: string, accountId: string) => {
  const answer = await call('correspondence-panel', 'correspondence/get', key, accountId);
  if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  return answer.data;
};

const auditEntries = () => app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntries());

const linksOf = async (key: string): Promise<string[]> => {
  const answer = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${key}?fields=issuelinks`,
    as: { kind: 'app' },
  });
  const parsed = JSON.parse(JSON.stringify(answer.body)) as {
    fields: {
      issuelinks: Array<{ type: { name: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } }>;
    };
  };
  return parsed.fields.issuelinks.map((l) => `${l.type.name}:${l.inwardIssue?.key ?? ''}${l.outwardIssue?.key ?? ''}`);
};

beforeEach(() => {
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('correspondence/get', () => {
  it('shows the letter, its response timeliness, the Submission it is about and the records answering it, in 2 Jira calls', async () => {
    app.jira.resetMetrics();
    const data = await panel('RIM-10', SITE_ACCOUNTS.regulatory);
    expect(app.jira.metrics().total).toBe(2);
    expect(data.correspondence).toMatchObject({
      key: 'RIM-10',
      status: { name: 'Received' },
      state: 'awaiting-response',
      details: {
        authority: 'FDA',
        market: 'US',
        reference: 'IR-2026-0415',
        receivedDate: '2026-10-15',
        responseDueDate: '2027-01-15',
        applicationId: 'APP-NDA-CARDIOLOL',
      },
    });
    expect(data.correspondence.timeliness).toEqual(
      responseTimeliness(
        {
          state: 'awaiting-response',
          property: {
            authority: 'FDA',
            market: 'US',
            reference: 'x',
            receivedDate: '2026-10-15',
            responseDueDate: '2027-01-15',
          },
        },
        today(),
      ),
    );
    expect(data.submissions).toEqual([
      {
        key: 'RIM-1',
        summary: expect.stringContaining('PAS'),
        status: { name: 'Submitted', category: 'indeterminate' },
      },
    ]);
    // QMS-5's decision for the letter's application (the NDA), not its EU one.
    expect(data.records).toEqual([
      {
        key: 'QMS-5',
        kind: 'change-control',
        summary: expect.any(String),
        status: { name: 'Approved', category: 'indeterminate' },
        decisions: [{ applicationId: 'APP-NDA-CARDIOLOL', market: 'US', category: 'PAS', decided: true }],
      },
    ]);
    expect(contract.exchanges()).toBeGreaterThan(0);
  });

  it('says a letter whose response date has passed is overdue', async () => {
    const data = await panel('RIM-11', SITE_ACCOUNTS.regulatory);
    expect(data.correspondence.timeliness).toMatchObject({ kind: 'overdue', dueDate: '2026-10-30' });
  });

  it('shows a RIM-only viewer the letter but no quality record, not even a count', async () => {
    const RIM_ONLY = '557058:rory-rim-only';
    app.jira.seedUser({ accountId: RIM_ONLY, email: 'rory.rim@qms-rim.example', displayName: 'Rory Rim-only' });
    app.jira.grantPermissions({ accountId: RIM_ONLY, projectKey: 'RIM', permissions: ['BROWSE_PROJECTS'] });
    const data = await panel('RIM-10', RIM_ONLY);
    expect(data.records).toEqual([]);
    expect(JSON.stringify(data)).not.toMatch(/QMS-\d/);
  });

  it('answers NOT_FOUND to someone who cannot browse RIM, and does not apply on other issues', async () => {
    for (const accountId of [SITE_ACCOUNTS.quality, RESTRICTED_ACCOUNT_ID]) {
      const answer = await call('correspondence-panel', 'correspondence/get', 'RIM-10', accountId);
      expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(JSON.stringify(answer)).not.toMatch(/FDA|IR-2026/);
    }
    await expect(
      call('correspondence-panel', 'correspondence/get', 'RIM-1', SITE_ACCOUNTS.regulatory),
    ).resolves.toMatchObject({ ok: true, data: { applies: false, issueKey: 'RIM-1' } });
  });
});

describe('correspondence/link-record', () => {
  it('links a quality record as the user (record answers letter) in 4 Jira calls and answers the updated panel', async () => {
    app.jira.resetMetrics();
    const answer = await call(
      'correspondence-panel',
      'correspondence/link-record',
      'RIM-10',
      SITE_ACCOUNTS.regulatory,
      { recordKey: 'QMS-3' },
    );
    // The letter, the records, the link, and who linked it (for the audit entry).
    // (The app's own link trigger may also have run by now; it is not this call's cost.)
    expect(app.jira.metrics().byAccount[SITE_ACCOUNTS.regulatory]).toBe(4);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.records.map((r) => r.key).sort()).toEqual(['QMS-3', 'QMS-5']);
    // QMS-3 is not decided yet: its recommendation for the NDA is shown as such.
    expect(answer.data.records.find((r) => r.key === 'QMS-3')?.decisions).toEqual([
      { applicationId: 'APP-NDA-CARDIOLOL', market: 'US', category: 'AR', decided: false },
    ]);
    expect(await linksOf('QMS-3')).toContain('HA correspondence:RIM-10');
    await expect(panel('RIM-10', SITE_ACCOUNTS.regulatory)).resolves.toMatchObject({
      records: expect.arrayContaining([expect.objectContaining({ key: 'QMS-3' })]),
    });
  });

  it('records the link in the audit trail: who, when, the letter as subject, no old value and the link as the new one', async () => {
    const answer = await call(
      'correspondence-panel',
      'correspondence/link-record',
      'RIM-10',
      SITE_ACCOUNTS.regulatory,
      { recordKey: 'QMS-3' },
    );
    expect(answer.ok).toBe(true);
    const entries = await auditEntries();
    expect(entries).toEqual([
      expect.objectContaining({
        seq: 1,
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        actor: { accountId: SITE_ACCOUNTS.regulatory, displayName: expect.stringMatching(/\S/) },
        action: 'correspondence/link-record',
        subject: 'RIM-10',
        payload: {
          summary: expect.stringContaining('QMS-3'),
          before: null,
          after: { recordKey: 'QMS-3', letterKey: 'RIM-10' },
        },
      }),
    ]);
  });

  it("keeps the link's entry out of the quality record's history, which people who may not browse RIM read", async () => {
    await call('correspondence-panel', 'correspondence/link-record', 'RIM-10', SITE_ACCOUNTS.regulatory, {
      recordKey: 'QMS-3',
    });
    for (const accountId of [SITE_ACCOUNTS.quality, SITE_ACCOUNTS.regulatory]) {
      const history = await call('impact-panel', 'impact/history', 'QMS-3', accountId);
      expect(history).toMatchObject({ ok: true });
      expect(JSON.stringify(history)).not.toMatch(/RIM-\d|correspondence\/link-record/);
    }
  });

  it('leaves no link without its audit entry: when the entry cannot be written, the link is removed again', async () => {
    const before = app.jira.snapshot().links;
    app.runtime.kvs.setFaults({ failOperations: [{ operation: 'transaction', status: 503, times: 1 }] });
    const answer = await call(
      'correspondence-panel',
      'correspondence/link-record',
      'RIM-10',
      SITE_ACCOUNTS.regulatory,
      { recordKey: 'QMS-3' },
    );
    app.runtime.kvs.clearFaults();
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'STORAGE_FAILED', message: expect.stringMatching(/removed again.*nothing was changed/i) },
    });
    expect(await linksOf('QMS-3')).not.toContain('HA correspondence:RIM-10');
    expect(app.jira.snapshot().links).toEqual(before);
    expect(await auditEntries()).toEqual([]);
    // Once storage answers again, the same link is made and recorded.
    await expect(
      call('correspondence-panel', 'correspondence/link-record', 'RIM-10', SITE_ACCOUNTS.regulatory, {
        recordKey: 'QMS-3',
      }),
    ).resolves.toMatchObject({ ok: true });
    expect((await auditEntries()).map((e) => e.action)).toEqual(['correspondence/link-record']);
  });

  it('links nothing twice: a record already answering the letter is not linked again', async () => {
    const before = await linksOf('QMS-5');
    app.jira.resetMetrics();
    const answer = await call(
      'correspondence-panel',
      'correspondence/link-record',
      'RIM-10',
      SITE_ACCOUNTS.regulatory,
      { recordKey: 'QMS-5' },
    );
    expect(answer).toMatchObject({ ok: true, data: { applies: true } });
    expect(app.jira.metrics().byEndpoint['POST /rest/api/3/issueLink']).toBeUndefined();
    expect(await linksOf('QMS-5')).toEqual(before);
    expect(await auditEntries()).toEqual([]);
  });

  it.each([
    ['a record that does not exist', { recordKey: 'QMS-999' }, 'NOT_FOUND'],
    ['an issue that is not a quality record', { recordKey: 'RIM-7' }, 'INVALID_INPUT'],
    ['a malformed key', { recordKey: 'qms 1' }, 'INVALID_INPUT'],
    ['extra keys', { recordKey: 'QMS-3', letterKey: 'RIM-11' }, 'INVALID_INPUT'],
    ['no key', {}, 'INVALID_INPUT'],
  ])('refuses %s with %s and writes nothing', async (_what, payload, code) => {
    const before = app.jira.snapshot().links;
    const answer = await call(
      'correspondence-panel',
      'correspondence/link-record',
      'RIM-10',
      SITE_ACCOUNTS.regulatory,
      payload,
    );
    expect(answer).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    expect(app.jira.snapshot().links).toEqual(before);
    expect(await auditEntries()).toEqual([]);
  });

  it("lets Jira's permissions decide: the manager, who may only browse, gets an error and no link is made", async () => {
    const before = app.jira.snapshot().links;
    const answer = await call('correspondence-panel', 'correspondence/link-record', 'RIM-10', SITE_ACCOUNTS.manager, {
      recordKey: 'QMS-3',
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('permission') },
    });
    expect(app.jira.snapshot().links).toEqual(before);
    expect(await auditEntries()).toEqual([]);
  });

  it('refuses to link onto an issue that is not a letter', async () => {
    const answer = await call('correspondence-panel', 'correspondence/link-record', 'RIM-1', SITE_ACCOUNTS.regulatory, {
      recordKey: 'QMS-3',
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('nothing was linked') },
    });
  });
});

describe('impact/correspondence (the QMS side)', () => {
  it('lists the letters the record answers to a viewer who may browse RIM, in 2 Jira calls', async () => {
    app.jira.resetMetrics();
    const answer = await call('impact-panel', 'impact/correspondence', 'QMS-6', SITE_ACCOUNTS.regulatory);
    expect(app.jira.metrics().total).toBe(2);
    expect(answer).toMatchObject({
      ok: true,
      data: [
        {
          key: 'RIM-11',
          details: { authority: 'TÜV SÜD (NB 0123)', reference: 'NB-Q-2026-117' },
          timeliness: { kind: 'overdue' },
        },
      ],
    });
  });

  it('shows someone who cannot browse RIM nothing of the correspondence: no key, no count', async () => {
    for (const accountId of [SITE_ACCOUNTS.quality, RESTRICTED_ACCOUNT_ID]) {
      const answer = await call('impact-panel', 'impact/correspondence', 'QMS-6', accountId);
      expect(answer).toEqual({ ok: true, data: [] });
    }
  });

  it('refuses a payload with INVALID_INPUT and calls Jira not at all', async () => {
    app.jira.resetMetrics();
    await expect(
      call('impact-panel', 'impact/correspondence', 'QMS-6', SITE_ACCOUNTS.regulatory, { issueKey: 'QMS-5' }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(app.jira.metrics().total).toBe(0);
  });
});

describe('readiness panel: correspondence about the Submission', () => {
  it('lists the letters linked to the Submission in the same bulkfetch as its records (still 2 Jira calls)', async () => {
    app.jira.resetMetrics();
    const answer = await call('readiness-panel', 'readiness/get', 'RIM-1', SITE_ACCOUNTS.regulatory);
    expect(app.jira.metrics().total).toBe(2);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.correspondence).toEqual([
      expect.objectContaining({ key: 'RIM-10', details: expect.objectContaining({ reference: 'IR-2026-0415' }) }),
    ]);
    expect(answer.data.records.map((r) => r.key)).toEqual(['QMS-5']);
  });

  it('puts the letters into the evidence packet (JSON and printable HTML)', async () => {
    const json = await call('readiness-panel', 'readiness/export', 'RIM-1', SITE_ACCOUNTS.regulatory, {
      format: 'json',
    });
    if (!json.ok) throw new Error('no packet');
    expect((JSON.parse(json.data.content) as { correspondence: unknown[] }).correspondence).toEqual([
      expect.objectContaining({
        key: 'RIM-10',
        authority: 'FDA',
        reference: 'IR-2026-0415',
        responseDueDate: '2027-01-15',
      }),
    ]);
    const html = await call('readiness-panel', 'readiness/export', 'RIM-1', SITE_ACCOUNTS.regulatory, {
      format: 'html',
    });
    if (!html.ok) throw new Error('no packet');
    expect(html.data.content).toContain('IR-2026-0415');
  });

  it('still lists a letter without the app data, by key and status only', async () => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Health Authority Correspondence',
      key: 'RIM-50',
      summary: 'Telephone contact',
      status: 'Received',
    });
    app.jira.seedLink({ type: 'Relates', from: 'RIM-50', to: 'RIM-1' });
    const answer = await call('readiness-panel', 'readiness/get', 'RIM-1', SITE_ACCOUNTS.regulatory);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.correspondence.find((c) => c.key === 'RIM-50')).toEqual({
      key: 'RIM-50',
      summary: 'Telephone contact',
      status: { name: 'Received', category: 'new' },
    });
  });
});

describe('manifest', () => {
  it('declares the correspondence panel on letters and the RIM glance on Submissions, Commitments and letters', () => {
    const modules = loadManifest().modules;
    expect(modules['jira:issuePanel']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'correspondence-panel',
          resource: 'correspondence-panel',
          resolver: { function: 'fn-correspondence-panel' },
          displayConditions: { issueType: 'Health Authority Correspondence' },
        }),
      ]),
    );
    expect(modules['jira:issueGlance']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'rim-glance',
          resolver: { function: 'fn-rim-glance' },
          displayConditions: { issueType: ['Submission', 'Commitment', 'Health Authority Correspondence'] },
        }),
      ]),
    );
  });
});

describe('rim-glance/get', () => {
  it('shows a Submission its readiness from the same figures as the readiness panel', async () => {
    const glance = await call('rim-glance', 'rim-glance/get', 'RIM-1', SITE_ACCOUNTS.regulatory);
    const readiness = await call('readiness-panel', 'readiness/get', 'RIM-1', SITE_ACCOUNTS.regulatory);
    if (!readiness.ok || !readiness.data.applies) throw new Error('no readiness');
    expect(glance).toEqual({
      ok: true,
      data: {
        kind: 'submission',
        key: 'RIM-1',
        figure: readiness.data.figure,
        isReady: readiness.data.isReady,
        blockerCount: readiness.data.blockers.length,
      },
    });
  });

  it('shows a Commitment its state and whether it is overdue, in 1 Jira call', async () => {
    app.jira.resetMetrics();
    await expect(call('rim-glance', 'rim-glance/get', 'RIM-7', SITE_ACCOUNTS.regulatory)).resolves.toEqual({
      ok: true,
      data: { kind: 'commitment', key: 'RIM-7', state: 'open', dueDate: '2026-09-30', overdue: true },
    });
    expect(app.jira.metrics().total).toBe(1);
    await expect(call('rim-glance', 'rim-glance/get', 'RIM-9', SITE_ACCOUNTS.regulatory)).resolves.toMatchObject({
      ok: true,
      data: { kind: 'commitment', state: 'fulfilled', overdue: false },
    });
  });

  it('shows a letter its response timeliness', async () => {
    await expect(call('rim-glance', 'rim-glance/get', 'RIM-11', SITE_ACCOUNTS.regulatory)).resolves.toMatchObject({
      ok: true,
      data: { kind: 'correspondence', state: 'awaiting-response', timeliness: { kind: 'overdue' } },
    });
  });

  it('shows nothing of a RIM issue to someone who may not browse RIM', async () => {
    const answer = await call('rim-glance', 'rim-glance/get', 'RIM-1', SITE_ACCOUNTS.quality);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(answer)).not.toMatch(/ready|figure|PAS/);
  });

  it('a letter whose stored data is broken: the glance says so, the panel still lists it by key and status', async () => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Health Authority Correspondence',
      key: 'RIM-51',
      summary: 'Broken',
      status: 'Received',
      properties: { [CORRESPONDENCE_PROPERTY_KEY]: { authority: 'FDA' } },
    });
    await expect(call('rim-glance', 'rim-glance/get', 'RIM-51', SITE_ACCOUNTS.regulatory)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_RESPONSE' },
    });
    const data = await panel('RIM-51', SITE_ACCOUNTS.regulatory);
    expect(data.correspondence).toEqual({
      key: 'RIM-51',
      summary: 'Broken',
      status: { name: 'Received', category: 'new' },
    });
  });
});
