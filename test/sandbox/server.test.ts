import { startSandboxServer } from '../../sandbox/server';
import type { SandboxServer } from '../../sandbox/server';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { demoRegistry } from '../../sandbox/demo/registry';
import { loadRegistry } from '../../src/adapters/kvs/registry-repository';
import { httpCall } from './server-helpers';
import type { Who } from './server-helpers';

let sandbox: SandboxServer;
const call = (method: string, path: string, options: { as?: Who; body?: unknown; rawBody?: string } = {}) =>
  httpCall(sandbox.url, method, path, options);

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  expect((await call('POST', '/sandbox/reset')).status).toBe(204);
  expect((await call('DELETE', '/sandbox/faults')).status).toBe(204);
  expect((await call('DELETE', '/sandbox/metrics')).status).toBe(204);
});

const keysOf = (body: unknown): string[] =>
  ((body as { issues: Array<{ key: string }> }).issues ?? []).map((i) => i.key);

/** A complete assessment of the Polymera supplier change: no filing, each application decided. */
const assessedPolymera = {
  status: 'no-filing',
  changes: [{ code: 'ccs.type-or-resin', answers: { equivalentMaterial: true } }],
  affected: {
    productIds: ['PRD-CARDIOLOL'],
    siteIds: [],
    supplierIds: ['SUP-POLYMERA'],
    markets: ['US'],
    applicationIds: ['APP-NDA-CARDIOLOL'],
  },
  decisions: [
    {
      applicationId: 'APP-NDA-CARDIOLOL',
      market: 'US',
      recommended: { category: 'AR', citations: ['21 CFR 314.70(d)'], rationale: 'Equivalent resin grade.' },
      decided: {
        category: 'NONE',
        rationale: 'Equivalence shown; no filing.',
        by: { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' },
        at: '2026-11-03T10:00:00.000Z',
        meaning: 'approval',
      },
    },
  ],
  version: 1,
};

describe('sandbox server: start page and users', () => {
  it('lists the demo issues on GET / with a note on Custom UI', async () => {
    const res = await call('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('QMS-1');
    expect(res.text).toContain('Polymera replaces PX-200');
    expect(res.text).toContain('RIM-3');
    expect(res.text).toContain('HA Approved');
    expect(res.text).toMatch(/Custom UI/);
  });

  it('GET /sandbox/users lists the five people with their roles', async () => {
    const res = await call('GET', '/sandbox/users');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        accountId: SITE_ACCOUNTS.quality,
        email: 'quinn.quality@qms-rim.example',
        displayName: 'Quinn Quality',
        role: 'quality-engineer',
      },
      {
        accountId: SITE_ACCOUNTS.regulatory,
        email: 'rita.regulatory@qms-rim.example',
        displayName: 'Rita Regulatory',
        role: 'regulatory-reviewer',
      },
      {
        accountId: SITE_ACCOUNTS.manager,
        email: 'max.manager@qms-rim.example',
        displayName: 'Max Manager',
        role: 'manager',
      },
      { accountId: SITE_ACCOUNTS.admin, email: 'ada.admin@qms-rim.example', displayName: 'Ada Admin', role: 'admin' },
      {
        accountId: RESTRICTED_ACCOUNT_ID,
        email: 'sam.second@qms-rim.example',
        displayName: 'Sam Second',
        role: 'restricted',
      },
    ]);
  });

  it('answers unknown sandbox paths and wrong methods with an error envelope', async () => {
    const missing = await call('GET', '/sandbox/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const wrong = await call('GET', '/sandbox/reset');
    expect(wrong.status).toBe(405);
    expect(wrong.body).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });
});

describe('sandbox server: the Jira REST stand-in at the root', () => {
  it('takes Basic auth with a demo e-mail and any token; anything else is 401', async () => {
    expect((await call('GET', '/rest/api/3/issue/QMS-1')).status).toBe(401);
    const stranger = await httpCall(sandbox.url, 'GET', '/rest/api/3/issue/QMS-1', {});
    expect(stranger.status).toBe(401);
    const res = await fetch(`${sandbox.url}/rest/api/3/issue/QMS-1`, {
      headers: { Authorization: `Basic ${Buffer.from('mallory@evil.example:token').toString('base64')}` },
    });
    expect(res.status).toBe(401);
    const ok = await call('GET', '/rest/api/3/issue/QMS-1?fields=summary,status', { as: 'admin' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      key: 'QMS-1',
      fields: {
        summary: 'Polymera replaces PX-200 resin with reformulated grade PX-210',
        status: { name: 'In Assessment' },
      },
    });
  });

  it('gives the restricted user no RIM data: 404 for a RIM issue, none in search', async () => {
    expect((await call('GET', '/rest/api/3/issue/RIM-1', { as: 'admin' })).status).toBe(200);
    expect((await call('GET', '/rest/api/3/issue/RIM-1', { as: 'restricted' })).status).toBe(404);
    expect((await call('GET', '/rest/api/3/issue/QMS-5', { as: 'restricted' })).status).toBe(200);

    const all = { jql: 'created >= "2020-01-01"', fields: ['summary'], maxResults: 100 };
    const adminKeys = keysOf((await call('POST', '/rest/api/3/search/jql', { as: 'admin', body: all })).body);
    expect(adminKeys.some((k) => k.startsWith('RIM-'))).toBe(true);
    const restricted = await call('POST', '/rest/api/3/search/jql', { as: 'restricted', body: all });
    expect(restricted.status).toBe(200);
    const restrictedKeys = keysOf(restricted.body);
    expect(restrictedKeys.length).toBeGreaterThan(0);
    expect(restrictedKeys.filter((k) => k.startsWith('RIM-'))).toEqual([]);
    expect(restrictedKeys.sort()).toEqual(adminKeys.filter((k) => k.startsWith('QMS-')).sort());

    const rimOnly = await call(
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('project = RIM')}&fields=summary`,
      { as: 'restricted' },
    );
    expect(keysOf(rimOnly.body)).toEqual([]);
  });

  it('POST /sandbox/reset restores a changed issue', async () => {
    const edit = await call('PUT', '/rest/api/3/issue/QMS-2', {
      as: 'quality',
      body: { fields: { summary: 'Changed by a test' } },
    });
    expect(edit.status).toBe(204);
    expect((await call('GET', '/rest/api/3/issue/QMS-2?fields=summary', { as: 'quality' })).body).toMatchObject({
      fields: { summary: 'Changed by a test' },
    });
    expect((await call('POST', '/sandbox/reset')).status).toBe(204);
    expect((await call('GET', '/rest/api/3/issue/QMS-2?fields=summary', { as: 'quality' })).body).toMatchObject({
      fields: { summary: 'Tighten the dissolution specification of Cardiolol 50 mg tablets' },
    });
  });

  it("refuses a gated transition with the gate's message, and still refuses it after an assessment is written straight into Jira", async () => {
    const submit = { transition: { id: '21' } };
    const refused = await call('POST', '/rest/api/3/issue/QMS-1/transitions', { as: 'quality', body: submit });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errorMessages: [expect.stringContaining('Regulatory impact not assessed')],
      errors: {},
    });
    expect((refused.body as { errorMessages: string[] }).errorMessages[0]).toContain('not-assessed');
    expect((await call('GET', '/rest/api/3/issue/QMS-1?fields=status', { as: 'quality' })).body).toMatchObject({
      fields: { status: { name: 'In Assessment' } },
    });

    // Jira lets the quality engineer write the property; the app never recorded that assessment.
    const forged = await call('PUT', '/rest/api/3/issue/QMS-1/properties/qmsrim.impact', {
      as: 'quality',
      body: assessedPolymera,
    });
    expect([200, 201]).toContain(forged.status);

    const still = await call('POST', '/rest/api/3/issue/QMS-1/transitions', { as: 'quality', body: submit });
    expect(still.status).toBe(400);
    expect((still.body as { errorMessages: string[] }).errorMessages[0]).toContain(
      'holds an assessment the app never recorded',
    );
    expect((await call('GET', '/rest/api/3/issue/QMS-1?fields=status', { as: 'quality' })).body).toMatchObject({
      fields: { status: { name: 'In Assessment' } },
    });
  });
});

describe('sandbox server: POST /sandbox/invoke', () => {
  it('runs the real impact-assessed validator on the unassessed supplier change', async () => {
    const res = await call('POST', '/sandbox/invoke', {
      body: {
        moduleKey: 'gate-impact-assessed',
        accountId: SITE_ACCOUNTS.quality,
        payload: { issue: { key: 'QMS-1' } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: {
        result: false,
        errorMessage: expect.stringContaining('QMS-1: the regulatory impact is "not-assessed"'),
      },
    });
  });

  it('passes a record whose assessment is complete', async () => {
    const res = await call('POST', '/sandbox/invoke', {
      body: {
        moduleKey: 'gate-impact-assessed',
        accountId: SITE_ACCOUNTS.quality,
        payload: { issue: { key: 'QMS-5' } },
      },
    });
    expect(res.body).toEqual({ result: { result: true } });
  });

  it('agrees with the demo data: records past a gate pass it, the open PAS blocks implementation', async () => {
    const gate = async (moduleKey: string, key: string) =>
      (
        await call('POST', '/sandbox/invoke', {
          body: { moduleKey, accountId: SITE_ACCOUNTS.regulatory, payload: { issue: { key } } },
        })
      ).body as { result: { result: boolean; errorMessage?: string } };
    expect(await gate('gate-filing-planned', 'QMS-5')).toEqual({ result: { result: true } });
    expect(await gate('gate-prior-approval-granted', 'QMS-6')).toEqual({ result: { result: true } });
    expect(await gate('gate-impact-assessed', 'QMS-9')).toEqual({ result: { result: true } });
    const blocked = await gate('gate-prior-approval-granted', 'QMS-5');
    expect(blocked.result.result).toBe(false);
    expect(blocked.result.errorMessage).toContain('APP-NDA-CARDIOLOL (US) is decided PAS');
  });

  it('answers bad requests with 4xx error envelopes', async () => {
    const cases: Array<[string | object, number, string]> = [
      ['{not json', 400, 'INVALID_JSON'],
      [{ accountId: SITE_ACCOUNTS.quality }, 400, 'INVALID_BODY'],
      [{ moduleKey: 'gate-impact-assessed', accountId: SITE_ACCOUNTS.quality, surprise: true }, 400, 'INVALID_BODY'],
      [
        { moduleKey: 'gate-impact-assessed', accountId: SITE_ACCOUNTS.quality, context: 'not an object' },
        400,
        'INVALID_BODY',
      ],
      [{ moduleKey: 'no-such-module', accountId: SITE_ACCOUNTS.quality }, 404, 'MODULE_NOT_FOUND'],
      [{ moduleKey: 'gate-impact-assessed', accountId: '557058:nobody' }, 400, 'UNKNOWN_ACCOUNT'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/sandbox/invoke', typeof body === 'string' ? { rawBody: body } : { body });
      expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({
        status,
        code,
      });
      expect((res.body as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    }
  });

  it('asks for a functionKey when a UI module is invoked without one', async () => {
    const ui = sandbox.app.modules.find((m) => !['jira:workflowValidator', 'trigger'].includes(m.type));
    if (!ui) return; // no UI module in manifest.yml yet
    const res = await call('POST', '/sandbox/invoke', {
      body: { moduleKey: ui.key, accountId: SITE_ACCOUNTS.quality },
    });
    expect(res.status).toBe(400);
    expect(['FUNCTION_KEY_REQUIRED', 'NO_RESOLVER']).toContain((res.body as { error: { code: string } }).error.code);
  });
});

describe('sandbox server: faults', () => {
  it('answers 429 with Retry-After, then 5xx, and DELETE clears them', async () => {
    expect(
      (await call('POST', '/sandbox/faults', { body: { rateLimit: { every: 1, retryAfterSeconds: 7 } } })).status,
    ).toBe(200);
    const limited = await call('GET', '/rest/api/3/issue/QMS-1', { as: 'admin' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');

    expect((await call('POST', '/sandbox/faults', { body: { serverErrorEvery: 1 } })).status).toBe(200);
    const failing = await call('GET', '/rest/api/3/issue/QMS-1', { as: 'admin' });
    expect(failing.status).toBeGreaterThanOrEqual(500);

    expect((await call('DELETE', '/sandbox/faults')).status).toBe(204);
    expect((await call('GET', '/rest/api/3/issue/QMS-1', { as: 'admin' })).status).toBe(200);
  });

  it('injects latency', async () => {
    await call('POST', '/sandbox/faults', { body: { latencyMs: 150 } });
    const started = Date.now();
    expect((await call('GET', '/rest/api/3/issue/QMS-1', { as: 'admin' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses a bad fault body', async () => {
    const res = await call('POST', '/sandbox/faults', { body: { rateLimit: { every: 0 } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_BODY' } });
  });
});

describe('sandbox server: metrics', () => {
  it('counts REST calls by endpoint and account, KVS calls by operation, and resets', async () => {
    await call('GET', '/rest/api/3/issue/QMS-1', { as: 'admin' });
    await call('GET', '/rest/api/3/issue/QMS-2', { as: 'quality' });
    await call('POST', '/sandbox/invoke', {
      body: {
        moduleKey: 'gate-impact-assessed',
        accountId: SITE_ACCOUNTS.quality,
        payload: { issue: { key: 'QMS-1' } },
      },
    });
    const registry = await sandbox.app.runtime.runAs({ moduleKey: 'test' }, () => loadRegistry());
    expect(registry).toEqual(demoRegistry);

    const res = await call('GET', '/sandbox/metrics');
    expect(res.status).toBe(200);
    const metrics = res.body as {
      jira: { total: number; byEndpoint: Record<string, number>; byAccount: Record<string, number> };
      kvs: { total: number; byOperation: Record<string, number> };
    };
    expect(Object.keys(metrics).sort()).toEqual(['invocations', 'jira', 'kvs']);
    expect(metrics.jira.byEndpoint['GET /rest/api/3/issue/{issueIdOrKey}']).toBeGreaterThanOrEqual(3);
    expect(metrics.jira.byAccount[SITE_ACCOUNTS.admin]).toBe(1);
    expect(metrics.jira.byAccount[SITE_ACCOUNTS.quality]).toBe(1);
    expect(metrics.jira.byAccount['app']).toBeGreaterThanOrEqual(1);
    expect(metrics.jira.total).toBe(Object.values(metrics.jira.byEndpoint).reduce((a, b) => a + b, 0));
    // The validator read the site's Jira mapping and the record's signed record, the test the registry.
    expect(metrics.kvs.total).toBe(3);
    expect(Object.values(metrics.kvs.byOperation).reduce((a, b) => a + b, 0)).toBe(3);

    expect((await call('DELETE', '/sandbox/metrics')).status).toBe(204);
    expect((await call('GET', '/sandbox/metrics')).body).toEqual({
      jira: { total: 0, byEndpoint: {}, byAccount: {} },
      kvs: { total: 0, byOperation: {} },
      invocations: [],
    });
  });

  it('breaks the counts down per function invocation, so two triggers on one event are told apart', async () => {
    // A property write on a QMS record: both triggers get the event, each as its own invocation.
    const res = await call('PUT', '/rest/api/3/issue/QMS-1/properties/qmsrim.impact', {
      as: 'quality',
      body: assessedPolymera,
    });
    expect(res.status).toBeLessThan(300);
    await sandbox.app.whenIdle();
    await call('POST', '/sandbox/invoke', {
      body: {
        moduleKey: 'gate-impact-assessed',
        accountId: SITE_ACCOUNTS.quality,
        payload: { issue: { key: 'QMS-1' } },
      },
    });

    const metrics = (await call('GET', '/sandbox/metrics')).body as {
      jira: { byAccount: Record<string, number> };
      kvs: { total: number };
      invocations: Array<{
        moduleKey: string;
        outcome: string;
        durationMs: number;
        jira: number;
        kvs: number;
        queue: number;
      }>;
    };
    const of = (moduleKey: string) => metrics.invocations.filter((i) => i.moduleKey === moduleKey);
    expect(of('maintain-traceability-index').length).toBeGreaterThanOrEqual(1);
    expect(of('keep-linked-issues-consistent').length).toBeGreaterThanOrEqual(1);
    const [gate] = of('gate-impact-assessed');
    // The validator: one read of the issue; the site's mapping and the signed record from storage.
    expect(gate).toMatchObject({ outcome: 'returned', jira: 1, kvs: 2, queue: 0 });
    expect(gate?.durationMs).toBeGreaterThanOrEqual(0);
    // Every app call and storage operation belongs to exactly one invocation.
    expect(metrics.invocations.reduce((sum, i) => sum + i.jira, 0)).toBe(metrics.jira.byAccount['app']);
    expect(metrics.invocations.reduce((sum, i) => sum + i.kvs, 0)).toBe(metrics.kvs.total);
  });
});
