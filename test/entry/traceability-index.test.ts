/**
 * The traceability index, kept by the real `maintain-traceability-index` trigger and rebuilt
 * by the real `rebuild-traceability-index` consumer: REST writes to the Jira stand-in emit
 * `avi:jira:*` events the sandbox delivers to the trigger, the admin page's resolver queues the
 * rebuild on `@forge/events`, and the sandbox delivers each chunk to the consumer. Every Jira
 * request is held to Atlassian's spec.
 */
import { StoredImpactSchema, toImpactFieldValue } from '../../src/domain/impact-field-value';
import { recordSignedImpact } from '../../sandbox/signed-seed';
import { kvs } from '@forge/kvs';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { createDemoClock, seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { QMS_TRANSITIONS, SITE_ACCOUNTS } from '../../sandbox/jira';
import { adminPageResolver } from '../../src';
import { REGISTRY_KEY } from '../../src/adapters/kvs/registry-repository';
import { SIGNER_RULES_KEY } from '../../src/adapters/kvs/signer-rules-repository';
import { TRACE_ENTITY } from '../../src/adapters/kvs/traceability-index-repository';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { IndexAdminStatus } from '../../src/contract/traceability';
import { PAGES_PER_CHUNK, PAGE_SIZE } from '../../src/services/traceability-backfill';
import { createContractObserver } from '../support/contract-observer';
import { filingRequiredPas } from './impact-fixtures';

const contract = createContractObserver();
const StatusAnswer = envelopeSchema(RESOLVER_CONTRACT['admin/index/status'].output);
const ADMIN_PAGE = { type: 'jira:adminPage' };

let app: SandboxApp;

const admin = async (
  functionKey: 'admin/index/status' | 'admin/index/rebuild' | 'admin/index/check',
  extension: Record<string, unknown> = ADMIN_PAGE,
): Promise<IndexAdminStatus> => {
  const answer = StatusAnswer.parse(
    await app.runtime.invokeResolver(
      adminPageResolver,
      { functionKey, payload: {}, extension },
      {
        accountId: SITE_ACCOUNTS.admin,
        moduleKey: 'admin-page',
        moduleType: 'jira:adminPage',
        functionKey: 'fn-admin-page',
      },
    ),
  );
  if (!answer.ok) throw new Error(`${functionKey}: ${JSON.stringify(answer.error)}`);
  return answer.data;
};

/** Starts a run from the admin page and lets the sandbox deliver every chunk; answers the final status. */
const runToEnd = async (mode: 'rebuild' | 'check'): Promise<IndexAdminStatus> => {
  const started = await admin(mode === 'rebuild' ? 'admin/index/rebuild' : 'admin/index/check');
  expect(started.run).toMatchObject({ mode, phase: 'running', processed: 0 });
  await app.whenIdle();
  return admin('admin/index/status');
};

/** The stored entries, by issue key, without the time they were written. */
const storedIndex = (): Record<string, unknown> => {
  const entries = app.runtime.kvs.snapshot().entities[TRACE_ENTITY] ?? [];
  return Object.fromEntries(
    entries.map(({ key, value }) => {
      const { indexedAt: _indexedAt, ...rest } = value as { indexedAt: string; issueKey: string };
      return [rest.issueKey, { issueId: key, ...rest }];
    }),
  );
};

const as = async (accountId: string, method: string, path: string, body?: unknown) => {
  const answer = await app.jira.handle({ method, path, body, as: { kind: 'user', accountId } });
  if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown> | undefined;
};

const linkIdBetween = async (from: string, to: string): Promise<string> => {
  const issue = (await as(SITE_ACCOUNTS.admin, 'GET', `/rest/api/3/issue/${from}?fields=issuelinks`)) as {
    fields: { issuelinks: Array<{ id: string; outwardIssue?: { key: string }; inwardIssue?: { key: string } }> };
  };
  const link = issue.fields.issuelinks.find((l) => l.outwardIssue?.key === to || l.inwardIssue?.key === to);
  if (!link) throw new Error(`no link between ${from} and ${to}`);
  return link.id;
};

beforeEach(async () => {
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
});
afterEach(async () => {
  await app.close();
  expect(app.jira.eventDeliveryFailures()).toEqual([]);
  expect(app.queueDeliveryFailures()).toEqual([]);
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('rebuild on the consumer queue', () => {
  it('indexes every QMS record, Submission and Commitment of the demo (not the HA letter) and reports progress and completion', async () => {
    expect(await admin('admin/index/status')).toEqual({ index: { state: 'empty' } });
    const done = await runToEnd('rebuild');
    expect(done.run).toMatchObject({ mode: 'rebuild', phase: 'done', processed: 20, chunks: 1, removed: 0 });
    expect(done.index).toEqual({ state: 'ready', builtAt: done.run?.finishedAt });
    const keys = Object.keys(storedIndex()).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(keys).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `QMS-${i + 1}`),
      ...Array.from({ length: 9 }, (_, i) => `RIM-${i + 1}`),
    ]);
    expect(storedIndex()['RIM-1']).toMatchObject({
      kind: 'submission',
      item: { role: 'submission', submission: { key: 'RIM-1', recordKeys: ['QMS-5'], status: 'submitted' } },
    });
    expect(storedIndex()['QMS-5']).toMatchObject({ kind: 'change-control', createdAt: '2026-05-11T09:00:00.000Z' });
  });

  it('reads a large site in chunks of PAGES_PER_CHUNK pages, one queued event per chunk, and ends with the same index as one pass', async () => {
    const extra = PAGES_PER_CHUNK * PAGE_SIZE + 30;
    for (let i = 0; i < extra; i++)
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'CAPA',
        summary: `CAPA ${i}`,
        status: 'Open',
        created: '2026-10-01T09:00:00.000Z',
        properties: { [IMPACT_PROPERTY_KEY]: { ...filingRequiredPas, decisions: [] } },
      });
    const done = await runToEnd('rebuild');
    const total = extra + 20;
    expect(done.run).toMatchObject({
      phase: 'done',
      processed: total,
      chunks: Math.ceil(total / (PAGES_PER_CHUNK * PAGE_SIZE)),
    });
    expect(Object.keys(storedIndex())).toHaveLength(total);
    expect((await runToEnd('check')).run).toMatchObject({
      phase: 'done',
      differenceCounts: { missing: 0, stale: 0, extra: 0 },
    });
  });

  it('refuses to start a rebuild or a check anywhere but the admin page, and writes nothing', async () => {
    for (const key of ['admin/index/rebuild', 'admin/index/check'] as const) {
      const answer = StatusAnswer.parse(
        await app.runtime.invokeResolver(
          adminPageResolver,
          { functionKey: key, payload: {}, extension: { type: 'jira:issuePanel' } },
          { accountId: SITE_ACCOUNTS.quality, moduleKey: 'admin-page', moduleType: 'jira:adminPage' },
        ),
      );
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    await app.whenIdle();
    // Only what the demo seeded: the registry, the signing rules and the recorded approvals.
    expect(app.runtime.kvs.snapshot().keyValues.map((e) => e.key)).toEqual([
      REGISTRY_KEY,
      SIGNER_RULES_KEY,
      'approvals:QMS-6',
      'approvals:QMS-9',
    ]);
    expect(storedIndex()).toEqual({});
  });
});

describe('the check against Jira', () => {
  it('reports an entry Jira no longer backs, one that is missing and one that is stale, by key', async () => {
    await runToEnd('rebuild');
    const entries = app.runtime.kvs.snapshot().entities[TRACE_ENTITY] ?? [];
    const byKey = (key: string) => entries.find((e) => (e.value as { issueKey: string }).issueKey === key);
    const qms3 = byKey('QMS-3');
    const rim6 = byKey('RIM-6');
    if (!qms3 || !rim6) throw new Error('demo entries missing');
    await app.runtime.runAs({ moduleKey: 'test-tamper' }, async () => {
      await kvs.entity(TRACE_ENTITY).delete(qms3.key);
      const value = rim6.value as { item: { submission: Record<string, unknown> } };
      await kvs.entity(TRACE_ENTITY).set(rim6.key, {
        ...value,
        item: { ...value.item, submission: { ...value.item.submission, status: 'approved' } },
      });
      await kvs.entity(TRACE_ENTITY).set('999999', { ...(byKey('QMS-4')?.value as object), issueKey: 'QMS-404' });
    });
    const checked = await runToEnd('check');
    expect(checked.run).toMatchObject({
      mode: 'check',
      phase: 'done',
      differenceCounts: { missing: 1, stale: 1, extra: 1 },
      differences: { missing: ['QMS-3'], stale: ['RIM-6'], extra: ['QMS-404'] },
    });
    // A check changes nothing; a rebuild mends all three.
    expect(storedIndex()['QMS-3']).toBeUndefined();
    await runToEnd('rebuild');
    expect((await runToEnd('check')).run?.differenceCounts).toEqual({ missing: 0, stale: 0, extra: 0 });
  });
});

describe('the trigger keeps the index equal to Jira', () => {
  it('after create, edit, property set, link, unlink, transition and delete, the index equals a rebuild from scratch, and the check finds nothing', async () => {
    await runToEnd('rebuild');
    const admin = SITE_ACCOUNTS.admin;

    // create a CAPA, then assess it (entity property) and edit its summary
    const created = (await as(admin, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'Line 4 label misprints' },
    })) as { key: string };
    await as(admin, 'PUT', `/rest/api/3/issue/${created.key}/properties/${IMPACT_PROPERTY_KEY}`, {
      ...filingRequiredPas,
      decisions: filingRequiredPas.decisions.map(({ submissionKey: _s, ...d }) => d),
    });
    await as(admin, 'PUT', `/rest/api/3/issue/${created.key}`, {
      fields: { summary: 'Line 4 label misprints (batches 24C001-24C004)' },
    });
    // link it to RIM-1 as its filing, unlink QMS-9 from RIM-4
    await as(admin, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Regulatory filing' },
      inwardIssue: { key: created.key },
      outwardIssue: { key: 'RIM-1' },
    });
    await as(admin, 'DELETE', `/rest/api/3/issueLink/${await linkIdBetween('QMS-9', 'RIM-4')}`);
    // transition QMS-2 (Open → In Assessment) and delete QMS-8 and the Commitment RIM-9
    await as(admin, 'POST', '/rest/api/3/issue/QMS-2/transitions', {
      transition: { id: QMS_TRANSITIONS.startAssessment },
    });
    await as(admin, 'DELETE', '/rest/api/3/issue/QMS-8');
    await as(admin, 'DELETE', '/rest/api/3/issue/RIM-9');
    await app.whenIdle();

    const maintained = storedIndex();
    // The assessment was written into Jira, not through the app: indexed as the signed record (none) and flagged.
    expect(maintained[created.key]).toMatchObject({
      kind: 'capa',
      item: {
        record: {
          summary: 'Line 4 label misprints (batches 24C001-24C004)',
          impact: { status: 'not-assessed' },
          integrity: { state: 'altered', how: 'unsigned' },
        },
      },
    });
    expect(maintained['RIM-1']).toMatchObject({ item: { submission: { recordKeys: ['QMS-5', created.key] } } });
    expect(maintained['RIM-4']).toMatchObject({ item: { submission: { recordKeys: [] } } });
    expect(maintained['QMS-2']).toMatchObject({
      item: { record: { status: { name: 'In Assessment', category: 'indeterminate' } } },
    });
    expect(maintained['QMS-8']).toBeUndefined();
    expect(maintained['RIM-9']).toBeUndefined();

    expect((await runToEnd('check')).run).toMatchObject({
      phase: 'done',
      differenceCounts: { missing: 0, stale: 0, extra: 0 },
    });
    await runToEnd('rebuild');
    expect(storedIndex()).toEqual(maintained);
  });

  it('follows the app’s own writes too: the consistency trigger’s category update on a Submission reaches its entry', async () => {
    await runToEnd('rebuild');
    const qms5 = (await as(
      SITE_ACCOUNTS.admin,
      'GET',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
    )) as { value: typeof filingRequiredPas };
    const impact = qms5.value;
    const decided = {
      ...impact,
      decisions: impact.decisions.map((d) =>
        d.applicationId === 'APP-NDA-CARDIOLOL' && d.decided
          ? { ...d, decided: { ...d.decided, category: 'CBE-30' as const } }
          : d,
      ),
      version: impact.version + 1,
    };
    // As the app records a re-decision: the signed record first, then Jira's copy as the reviewer.
    const signed = StoredImpactSchema.parse(decided);
    recordSignedImpact(app.runtime.kvs, 'QMS-5', signed, new Date().toISOString());
    await as(
      SITE_ACCOUNTS.regulatory,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(signed),
    );
    await app.whenIdle();
    expect(storedIndex()['RIM-1']).toMatchObject({ item: { submission: { category: 'CBE-30' } } });
    expect((await runToEnd('check')).run?.differenceCounts).toEqual({ missing: 0, stale: 0, extra: 0 });
  });
});
