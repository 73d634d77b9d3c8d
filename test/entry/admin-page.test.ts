/**
 * The admin page's resolver, run as Forge runs it: the real handler from src/index.ts,
 * through the sandbox runtime (real @forge/api and @forge/kvs), with app storage in the
 * sandbox's KVS stand-in.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { demoRegistry } from '../../sandbox/demo/registry';
import { seedDemoStorage } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { adminPageResolver } from '../../src';
import { AUDIT_HEAD_ENTITY } from '../../src/adapters/kvs/audit-repository';
import { REGISTRY_KEY } from '../../src/adapters/kvs/registry-repository';
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { appendAuditEntry, listAuditEntries, verifyAndRecordAuditTrail } from '../../src/adapters/kvs/audit-repository';
import type { AuditEntryInput } from '../../src/domain/audit-chain';
import { CONFIG_KEY, loadConventions } from '../../src/adapters/kvs/conventions-repository';
import { DEFAULT_JIRA_CONVENTIONS } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { CATALOG, RULES_VERSION, catalogDigest } from '../../src/domain/catalog';
import { parseCsvRecords, parseRegistryCsv, registryToCsv } from '../../src/domain/registry-csv';
import { digestOf } from '../../src/domain/canonical';
import { MAX_AUDITED_IDS } from '../../src/domain/registry-audit';
import type { AuditEntry } from '../../src/domain/audit-chain';
import { createContractObserver } from '../support/contract-observer';

const contract = createContractObserver();

let app: SandboxApp;

const ADMIN_PAGE = { type: 'jira:adminPage' };

const call = (
  functionKey: ResolverKey,
  payload: unknown,
  extension: Record<string, unknown> = ADMIN_PAGE,
  accountId: string = SITE_ACCOUNTS.admin,
) =>
  app.runtime.invokeResolver(
    adminPageResolver,
    { functionKey, payload, extension, localId: 'admin-page-local' },
    { accountId, moduleKey: 'admin-page', moduleType: 'jira:adminPage', functionKey: 'fn-admin-page' },
  );

const answerOf = <K extends ResolverKey>(key: K, raw: unknown): Envelope<ResolverOutput<K>> =>
  envelopeSchema(RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>).parse(raw) as Envelope<
    ResolverOutput<K>
  >;

const storedRegistry = (): unknown => app.runtime.kvs.snapshot().keyValues.find((e) => e.key === REGISTRY_KEY)?.value;

const auditEntriesFor = async (action: string): Promise<AuditEntry[]> =>
  (await app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntries())).filter((e) => e.action === action);
const ADA = { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' };
const STORAGE_DOWN = { failOperations: [{ operation: 'transaction' as const, status: 503 as const, times: 1 }] };

const HEADER =
  'kind,id,name,productClass,country,productId,market,type,number,status,deviceClass,siteIds,supplierIds,lastClearanceDate';
const VALID_CSV = [
  HEADER,
  'product,PRD-A,Aspirin 100 mg,drug,,,,,,,,,,',
  'site,SITE-1,"Plant One, Basel",,CH,,,,,,,,,',
  'supplier,SUP-1,Polymera,,,,,,,,,,,',
  'application,APP-1,,,,PRD-A,US,NDA,NDA-012345,approved,,SITE-1,SUP-1,2024-05-01',
  'application,APP-2,,,,PRD-A,EU,MAA,EU/1/23/001,approved,,SITE-1,,',
].join('\r\n');

beforeEach(async () => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
  await seedDemoStorage(app.runtime);
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('admin/registry/get', () => {
  it('answers the stored registry', async () => {
    const answer = answerOf('admin/registry/get', await call('admin/registry/get', {}));
    expect(answer).toEqual({ ok: true, data: { stored: true, registry: demoRegistry } });
  });
});

describe('admin/registry/import', () => {
  it('replaces the registry with a valid CSV, in one storage transaction with its audit entry', async () => {
    app.runtime.kvs.resetMetrics();
    const answer = answerOf(
      'admin/registry/import',
      await call('admin/registry/import', { csv: `\uFEFF${VALID_CSV}` }),
    );
    expect(answer).toEqual({ ok: true, data: { imported: { products: 1, sites: 1, suppliers: 1, applications: 2 } } });
    expect(app.runtime.kvs.metrics().byOperation.set).toBe(0);
    expect(app.runtime.kvs.metrics().byOperation.transaction).toBe(1);
    expect(storedRegistry()).toEqual({
      products: [{ id: 'PRD-A', name: 'Aspirin 100 mg', productClass: 'drug' }],
      sites: [{ id: 'SITE-1', name: 'Plant One, Basel', country: 'CH' }],
      suppliers: [{ id: 'SUP-1', name: 'Polymera' }],
      applications: [
        {
          id: 'APP-1',
          productId: 'PRD-A',
          market: 'US',
          type: 'NDA',
          number: 'NDA-012345',
          status: 'approved',
          siteIds: ['SITE-1'],
          supplierIds: ['SUP-1'],
          lastClearanceDate: '2024-05-01',
        },
        {
          id: 'APP-2',
          productId: 'PRD-A',
          market: 'EU',
          type: 'MAA',
          number: 'EU/1/23/001',
          status: 'approved',
          siteIds: ['SITE-1'],
          supplierIds: [],
        },
      ],
    });
  });

  it('records who imported it and when, the counts and digest before and after, and which ids were added, removed or changed', async () => {
    await call('admin/registry/import', { csv: VALID_CSV });
    const [entry, ...more] = await auditEntriesFor('admin/registry/import');
    expect(more).toEqual([]);
    const started = Date.now();
    expect(entry).toMatchObject({
      actor: ADA,
      subject: 'app:registry',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(Math.abs(Date.parse(entry?.at ?? '') - started)).toBeLessThan(60_000);
    const count = (ids: string[]) => ({ total: ids.length, ids: [...ids].sort().slice(0, MAX_AUDITED_IDS) });
    const none = { total: 0, ids: [] };
    expect(entry?.payload).toEqual({
      summary: expect.stringMatching(/^Imported the registry \(1 product, 1 site, 1 supplier, 2 applications\)/),
      before: {
        counts: {
          products: demoRegistry.products.length,
          sites: demoRegistry.sites.length,
          suppliers: demoRegistry.suppliers.length,
          applications: demoRegistry.applications.length,
        },
        digest: digestOf(demoRegistry),
      },
      after: {
        counts: { products: 1, sites: 1, suppliers: 1, applications: 2 },
        digest: digestOf(storedRegistry()),
        changes: {
          products: { added: count(['PRD-A']), removed: count(demoRegistry.products.map((p) => p.id)), changed: none },
          sites: { added: count(['SITE-1']), removed: count(demoRegistry.sites.map((p) => p.id)), changed: none },
          suppliers: {
            added: count(['SUP-1']),
            removed: count(demoRegistry.suppliers.map((p) => p.id)),
            changed: none,
          },
          applications: {
            added: count(['APP-1', 'APP-2']),
            removed: count(demoRegistry.applications.map((p) => p.id)),
            changed: none,
          },
        },
      },
    });
  });

  it('lets an import replace a stored registry that was altered into something invalid, recording only its digest as the old value', async () => {
    const broken = { products: [{ id: 'PRD-A' }], sites: [], suppliers: [], applications: [] };
    await app.runtime.runAs({ moduleKey: 'test' }, () => kvs.set(REGISTRY_KEY, broken));
    await expect(call('admin/registry/import', { csv: VALID_CSV })).resolves.toMatchObject({ ok: true });
    const [entry] = await auditEntriesFor('admin/registry/import');
    expect(entry?.payload).toMatchObject({
      summary: expect.stringContaining('no longer valid'),
      before: { unreadable: true, digest: digestOf(broken) },
    });
  });

  it('keeps the registry and its audit entry together: when storage fails, neither is written', async () => {
    app.runtime.kvs.setFaults(STORAGE_DOWN);
    const answer = await call('admin/registry/import', { csv: VALID_CSV });
    app.runtime.kvs.clearFaults();
    expect(answer).toMatchObject({ ok: false, error: { code: 'STORAGE_FAILED' } });
    expect(storedRegistry()).toEqual(demoRegistry);
    expect(await auditEntriesFor('admin/registry/import')).toEqual([]);
  });

  it('reports the errors on lines 3 and 7 together, and changes nothing', async () => {
    const lines = VALID_CSV.split('\r\n');
    lines.splice(2, 0, 'product,PRD-B,Broken,vitamin,,,,,,,,,,'); // line 3
    lines.splice(6, 0, 'application,APP-3,,,,PRD-NOPE,US,NDA,NDA-9,approved,,,,'); // line 7
    const before = app.runtime.kvs.snapshot();
    app.runtime.kvs.resetMetrics();
    const answer = answerOf('admin/registry/import', await call('admin/registry/import', { csv: lines.join('\r\n') }));
    if (!answer.ok || answer.data.imported !== false) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.errors).toEqual([
      { line: 3, column: 'productClass', message: expect.any(String) },
      { line: 7, column: 'productId', message: expect.stringContaining('unknown product PRD-NOPE') },
    ]);
    expect(answer.data.errorCount).toBe(2);
    expect(answer.data.message).toMatch(/nothing was changed/i);
    expect(app.runtime.kvs.metrics().byOperation.set).toBe(0);
    expect(app.runtime.kvs.metrics().byOperation.transaction).toBe(0);
    expect(app.runtime.kvs.snapshot()).toEqual(before);
    expect(await auditEntriesFor('admin/registry/import')).toEqual([]);
  });

  it.each([
    ['no csv', {}],
    ['a number', { csv: 42 }],
    ['an empty csv', { csv: '' }],
    ['extra keys', { csv: VALID_CSV, replace: true }],
    ['a string payload', VALID_CSV],
    ['a CSV over 400 KB', { csv: `${HEADER}\n${'x'.repeat(400 * 1024)}` }],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_what, payload) => {
    const before = app.runtime.kvs.snapshot();
    const answer = await call('admin/registry/import', payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });

  it('refuses an import by someone Jira does not know as a Jira admin, and writes nothing', async () => {
    const before = app.runtime.kvs.snapshot();
    const answer = await call('admin/registry/import', { csv: VALID_CSV }, ADMIN_PAGE, SITE_ACCOUNTS.quality);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('Jira says you are not one') },
    });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
    // The check asked Jira, as that person.
    expect(app.jira.metrics().byEndpoint['GET /rest/api/3/mypermissions']).toBe(1);
  });

  it('refuses an import that does not come from the admin page', async () => {
    const before = app.runtime.kvs.snapshot();
    const answer = await call(
      'admin/registry/import',
      { csv: VALID_CSV },
      { type: 'jira:issuePanel', issue: { key: 'QMS-1' } },
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });
});

describe('admin/registry/export', () => {
  it('exports the registry as a UTF-8 CSV with a BOM that imports back to the same registry', async () => {
    const answer = answerOf('admin/registry/export', await call('admin/registry/export', {}));
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.filename).toMatch(/\.csv$/);
    expect(answer.data.content.startsWith('\uFEFF')).toBe(true);
    expect(answer.data.content.slice(1)).toBe(registryToCsv(demoRegistry));
    expect(parseRegistryCsv(answer.data.content)).toEqual({ ok: true, registry: demoRegistry });

    const reimport = answerOf(
      'admin/registry/import',
      await call('admin/registry/import', { csv: answer.data.content }),
    );
    expect(reimport.ok && reimport.data.imported).toEqual({
      products: demoRegistry.products.length,
      sites: demoRegistry.sites.length,
      suppliers: demoRegistry.suppliers.length,
      applications: demoRegistry.applications.length,
    });
    expect(storedRegistry()).toEqual(demoRegistry);
  });
});

describe('admin/catalog/get', () => {
  it('answers the rules version and catalog digest in force', async () => {
    const answer = answerOf('admin/catalog/get', await call('admin/catalog/get', {}));
    expect(answer).toEqual({
      ok: true,
      data: {
        rulesVersion: RULES_VERSION,
        catalogDigest: catalogDigest(),
        codes: CATALOG.length,
        appVersion: expect.any(String),
      },
    });
  });

  it('refuses a payload with extra keys', async () => {
    expect(await call('admin/catalog/get', { rulesVersion: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});

const storedConfig = (): unknown => app.runtime.kvs.snapshot().keyValues.find((e) => e.key === CONFIG_KEY)?.value;

describe('admin/mapping', () => {
  it('answers the defaults in force and what Jira has, as the admin sees it', async () => {
    const answer = answerOf('admin/mapping/get', await call('admin/mapping/get', {}));
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.stored).toBe(false);
    expect(answer.data.conventions).toEqual(DEFAULT_JIRA_CONVENTIONS);
    expect(answer.data.site.projects.map((p) => p.key)).toEqual(['QMS', 'RIM']);
    expect(answer.data.site.projects.find((p) => p.key === 'RIM')?.issueTypes).toEqual([
      'Submission',
      'Commitment',
      'Health Authority Correspondence',
    ]);
    expect(answer.data.site.statuses.map((s) => s.name)).toContain('HA Approved');
    expect(answer.data.site.linkTypes.map((t) => t.name)).toEqual([
      'Regulatory filing',
      'Commitment',
      'Relates',
      'HA correspondence',
    ]);
  });

  it('saves a mapping that names only what Jira has, and every handler then runs on it', async () => {
    const conventions = { ...DEFAULT_JIRA_CONVENTIONS, approvalStatusNames: ['Approved', 'Implemented'] };
    const saved = answerOf('admin/mapping/save', await call('admin/mapping/save', { conventions }));
    expect(saved).toEqual({
      ok: true,
      data: {
        saved: true,
        savedAt: expect.any(String),
        savedBy: { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' },
      },
    });
    expect(storedConfig()).toEqual({
      conventions,
      savedAt: expect.any(String),
      savedBy: { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' },
    });
    await expect(app.runtime.runAs({ moduleKey: 'test' }, () => loadConventions())).resolves.toEqual(conventions);
    const reread = answerOf('admin/mapping/get', await call('admin/mapping/get', {}));
    expect(reread.ok && reread.data).toMatchObject({
      stored: true,
      conventions,
      savedBy: { displayName: 'Ada Admin' },
    });
  });

  it('records each save in the audit trail, in the same storage transaction: who, when, the mapping before and after', async () => {
    const first = { ...DEFAULT_JIRA_CONVENTIONS, approvalStatusNames: ['Approved', 'Implemented'] };
    app.runtime.kvs.resetMetrics();
    await call('admin/mapping/save', { conventions: first });
    expect(app.runtime.kvs.metrics().byOperation.set).toBe(0);
    expect(app.runtime.kvs.metrics().byOperation.transaction).toBe(1);
    const second = { ...first, correspondenceLinkType: 'Relates' };
    await call('admin/mapping/save', { conventions: second });
    const entries = await auditEntriesFor('admin/mapping/save');
    expect(entries).toEqual([
      expect.objectContaining({
        actor: ADA,
        subject: 'app:mapping',
        payload: {
          summary: expect.stringContaining('built-in defaults'),
          before: DEFAULT_JIRA_CONVENTIONS,
          after: first,
        },
      }),
      expect.objectContaining({
        actor: ADA,
        subject: 'app:mapping',
        payload: { summary: expect.any(String), before: first, after: second },
      }),
    ]);
    expect(entries[1]?.at).toBe((storedConfig() as { savedAt: string }).savedAt);
  });

  it('lets a save replace a stored mapping that was altered into something invalid, recording only its digest as the old value', async () => {
    const broken = { conventions: { rimProjectKey: 'RIM' }, savedAt: 'yesterday' };
    await app.runtime.runAs({ moduleKey: 'test' }, () => kvs.set(CONFIG_KEY, broken));
    await expect(call('admin/mapping/save', { conventions: DEFAULT_JIRA_CONVENTIONS })).resolves.toMatchObject({
      ok: true,
      data: { saved: true },
    });
    const [entry] = await auditEntriesFor('admin/mapping/save');
    expect(entry?.payload).toEqual({
      summary: expect.stringContaining('no longer valid'),
      before: { unreadable: true, digest: digestOf(broken) },
      after: DEFAULT_JIRA_CONVENTIONS,
    });
  });

  it('keeps the mapping and its audit entry together: when storage fails, neither is written', async () => {
    app.runtime.kvs.setFaults(STORAGE_DOWN);
    const answer = await call('admin/mapping/save', {
      conventions: { ...DEFAULT_JIRA_CONVENTIONS, approvalStatusNames: ['Approved'] },
    });
    app.runtime.kvs.clearFaults();
    expect(answer).toMatchObject({ ok: false, error: { code: 'STORAGE_FAILED' } });
    expect(storedConfig()).toBeUndefined();
    expect(await auditEntriesFor('admin/mapping/save')).toEqual([]);
  });

  it('refuses a mapping naming what Jira does not have, lists every problem, and writes nothing', async () => {
    const before = app.runtime.kvs.snapshot();
    const conventions = {
      ...DEFAULT_JIRA_CONVENTIONS,
      qmsProjectKeys: ['QMS', 'QA'],
      qmsIssueTypes: { ...DEFAULT_JIRA_CONVENTIONS.qmsIssueTypes, 'Lab Investigation': 'deviation' as const },
      commitmentIssueType: 'Promise',
      filingLinkType: 'Files',
      submissionStatuses: { Planned: 'planned' as const, Approved: 'approved' as const, Gone: 'withdrawn' as const },
    };
    const answer = answerOf('admin/mapping/save', await call('admin/mapping/save', { conventions }));
    if (!answer.ok || answer.data.saved !== false) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.problems).toEqual([
      { path: 'qmsProjectKeys.1', message: 'Jira has no project QA, or you cannot browse it' },
      {
        path: 'qmsIssueTypes.Lab Investigation',
        message: expect.stringContaining('no QMS project (QMS, QA) has the issue type "Lab Investigation"'),
      },
      { path: 'commitmentIssueType', message: 'the RIM project RIM has no issue type "Promise"' },
      { path: 'filingLinkType', message: 'Jira has no issue link type "Files"' },
      { path: 'submissionStatuses.Gone', message: 'Jira has no status "Gone"' },
    ]);
    expect(answer.data.message).toMatch(/nothing was changed/i);
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });

  it('checks the health-authority correspondence mapping too: its issue type, link type and statuses', async () => {
    const before = app.runtime.kvs.snapshot();
    const conventions = {
      ...DEFAULT_JIRA_CONVENTIONS,
      correspondenceIssueType: 'Authority Letter',
      correspondenceLinkType: DEFAULT_JIRA_CONVENTIONS.filingLinkType,
      correspondenceStatuses: { Received: 'awaiting-response' as const, Answered: 'responded' as const },
    };
    const answer = answerOf('admin/mapping/save', await call('admin/mapping/save', { conventions }));
    if (!answer.ok || answer.data.saved !== false) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.problems).toEqual([
      { path: 'correspondenceIssueType', message: 'the RIM project RIM has no issue type "Authority Letter"' },
      {
        path: 'correspondenceLinkType',
        message: expect.stringContaining('"Regulatory filing" is already used for another kind of link'),
      },
      { path: 'correspondenceStatuses.Answered', message: 'Jira has no status "Answered"' },
    ]);
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });

  it('refuses a correspondence link type Jira does not have, and writes nothing', async () => {
    const before = app.runtime.kvs.snapshot();
    const conventions = { ...DEFAULT_JIRA_CONVENTIONS, correspondenceLinkType: 'Answers' };
    const answer = answerOf('admin/mapping/save', await call('admin/mapping/save', { conventions }));
    expect(answer.ok && answer.data.saved === false && answer.data.problems).toEqual([
      { path: 'correspondenceLinkType', message: 'Jira has no issue link type "Answers"' },
    ]);
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });

  it('saves a remapped correspondence mapping, and every handler then runs on it', async () => {
    const conventions = {
      ...DEFAULT_JIRA_CONVENTIONS,
      correspondenceLinkType: 'Relates',
      correspondenceStatuses: {
        Received: 'awaiting-response' as const,
        'In Progress': 'awaiting-response' as const,
        Responded: 'responded' as const,
      },
    };
    const saved = answerOf('admin/mapping/save', await call('admin/mapping/save', { conventions }));
    expect(saved.ok && saved.data.saved).toBe(true);
    await expect(app.runtime.runAs({ moduleKey: 'test' }, () => loadConventions())).resolves.toMatchObject({
      correspondenceLinkType: 'Relates',
      correspondenceStatuses: conventions.correspondenceStatuses,
    });
    const reread = answerOf('admin/mapping/get', await call('admin/mapping/get', {}));
    expect(reread.ok && reread.data.conventions).toEqual(conventions);
  });

  it('checks against what the admin can see, not what the app can', async () => {
    // Ada loses browse on RIM: to her, the RIM project the mapping names does not exist.
    app.jira.revokePermissions({ accountId: SITE_ACCOUNTS.admin, projectKey: 'RIM' });
    const answer = answerOf(
      'admin/mapping/save',
      await call('admin/mapping/save', { conventions: DEFAULT_JIRA_CONVENTIONS }),
    );
    expect(answer.ok && answer.data.saved === false && answer.data.problems.map((p) => p.path)).toEqual([
      'rimProjectKey',
    ]);
  });

  it.each([
    ['no conventions', {}],
    ['an unknown record kind', { conventions: { ...DEFAULT_JIRA_CONVENTIONS, qmsIssueTypes: { CAPA: 'capa-ish' } } }],
    ['a project key that is not one', { conventions: { ...DEFAULT_JIRA_CONVENTIONS, rimProjectKey: 'rim project' } }],
    ['extra keys', { conventions: { ...DEFAULT_JIRA_CONVENTIONS, colour: 'blue' } }],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_what, payload) => {
    const before = app.runtime.kvs.snapshot();
    await expect(call('admin/mapping/save', payload)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });

  it('refuses a save by someone who is not a Jira admin, and writes nothing', async () => {
    const before = app.runtime.kvs.snapshot();
    await expect(
      call('admin/mapping/save', { conventions: DEFAULT_JIRA_CONVENTIONS }, ADMIN_PAGE, SITE_ACCOUNTS.regulatory),
    ).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await expect(
      call('admin/mapping/save', { conventions: DEFAULT_JIRA_CONVENTIONS }, { type: 'jira:issuePanel' }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });
});

describe('the audit trail on the admin page', () => {
  const regulatory = { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' };
  const append = (
    n: number,
    payload: (i: number) => AuditEntryInput['payload'] = (i) => ({
      applicationId: 'APP-NDA-CARDIOLOL',
      category: 'PAS',
      rationale: `decision ${i}`,
    }),
  ) =>
    app.runtime.runAs({ moduleKey: 'test' }, async () => {
      for (let i = 1; i <= n; i++) {
        await appendAuditEntry({
          at: `2026-11-2${i}T10:00:00.000Z`,
          actor: regulatory,
          action: 'impact/decide',
          subject: 'QMS-1',
          payload: payload(i),
        });
      }
    });
  const entryKey = (seq: number) => `audit:entry:${String(seq).padStart(12, '0')}`;
  const verify = async () => answerOf('admin/audit/verify', await call('admin/audit/verify', {}));
  const adminName = async () => {
    const me = await app.jira.handle({
      method: 'GET',
      path: '/rest/api/3/myself',
      as: { kind: 'user', accountId: SITE_ACCOUNTS.admin },
    });
    return z.object({ displayName: z.string() }).parse(me.body).displayName;
  };

  describe('admin/audit/verify', () => {
    it('answers "intact" with the entry count, the head hash and where the key begins, recorded as this admin\'s check', async () => {
      await append(3);
      const head = z
        .object({ seq: z.number(), hash: z.string() })
        .parse(app.runtime.kvs.snapshot().entities[AUDIT_HEAD_ENTITY]?.[0]?.value);
      const answer = await verify();
      expect(answer).toEqual({
        ok: true,
        data: {
          at: expect.any(String),
          trigger: 'admin',
          by: { accountId: SITE_ACCOUNTS.admin, displayName: await adminName() },
          result: { intact: true, entries: 3, head: { seq: head.seq, hash: head.hash }, keyedSince: 1 },
          alteredCopies: [],
        },
      });
      expect(head).toMatchObject({ seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(answerOf('admin/audit/status', await call('admin/audit/status', {}))).toEqual({
        ok: true,
        data: { last: answer.ok ? answer.data : undefined },
      });
    });

    it('answers "intact" with no entries for an empty trail', async () => {
      expect(await verify()).toMatchObject({ ok: true, data: { result: { intact: true, entries: 0 } } });
    });

    it('names the first broken entry when an entry was altered in storage', async () => {
      await append(3);
      // Someone with storage access rewrites the category of entry 2.
      await app.runtime.runAs({ moduleKey: 'test' }, async () => {
        const entry = z.record(z.string(), z.unknown()).parse(await kvs.get(entryKey(2)));
        await kvs.set(entryKey(2), {
          ...entry,
          payload: { applicationId: 'APP-NDA-CARDIOLOL', category: 'CBE-30', rationale: 'decision 2' },
        });
      });
      expect(await verify()).toMatchObject({
        ok: true,
        data: {
          result: {
            intact: false,
            entries: 3,
            firstBroken: {
              seq: 2,
              reason: 'hash-mismatch',
              message:
                'entry 2 does not match its hash: its content or its hash was altered (or recomputed without the audit key)',
            },
          },
        },
      });
    });

    it('names an entry that no longer parses as an audit entry, and a deleted tail', async () => {
      await append(3);
      await app.runtime.runAs({ moduleKey: 'test' }, () => kvs.set(entryKey(2), { note: 'nothing to see' }));
      expect(await verify()).toMatchObject({
        ok: true,
        data: { result: { intact: false, firstBroken: { seq: 2, reason: 'unreadable' } } },
      });

      await app.runtime.runAs({ moduleKey: 'test' }, async () => {
        await kvs.delete(entryKey(2));
        await kvs.delete(entryKey(3));
      });
      expect(await verify()).toMatchObject({
        ok: true,
        data: { result: { intact: false, entries: 1, firstBroken: { seq: 2, reason: 'head-mismatch' } } },
      });
    });
  });

  describe('(g) the daily verification', () => {
    it('stores a result that admin/audit/status shows, broken included', async () => {
      expect(answerOf('admin/audit/status', await call('admin/audit/status', {}))).toEqual({ ok: true, data: {} });
      await append(2);
      await expect(app.invokeFunction('verify-audit-trail', {})).resolves.toMatchObject({
        outcome: 'done',
        run: { trigger: 'daily', result: { intact: true, entries: 2 } },
      });
      expect(answerOf('admin/audit/status', await call('admin/audit/status', {}))).toMatchObject({
        ok: true,
        data: { last: { trigger: 'daily', result: { intact: true, entries: 2, keyedSince: 1 } } },
      });

      await app.runtime.runAs({ moduleKey: 'test' }, () => kvs.delete(entryKey(1)));
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      await app.invokeFunction('verify-audit-trail', {});
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('audit trail broken at entry 1'));
      warn.mockRestore();
      const status = answerOf('admin/audit/status', await call('admin/audit/status', {}));
      expect(status).toMatchObject({
        ok: true,
        data: { last: { trigger: 'daily', result: { intact: false, firstBroken: { seq: 1, reason: 'seq-gap' } } } },
      });
      if (status.ok) expect(status.data.last?.by).toBeUndefined();
    });
  });

  describe('admin/audit/export', () => {
    const exportOf = async (input: Record<string, unknown>) =>
      answerOf('admin/audit/export', await call('admin/audit/export', input));

    it('exports the entries of the range as CSV: one row each, the change as old and new value', async () => {
      await append(3, (i) => ({ setting: 'gate', before: { enabled: i % 2 === 0 }, after: { enabled: i % 2 === 1 } }));
      const answer = await exportOf({ from: '2026-11-22', to: '2026-11-23', format: 'csv' });
      if (!answer.ok) throw new Error(answer.error.message);
      expect(answer.data).toMatchObject({
        filename: 'qms-rim-audit-trail_2026-11-22_2026-11-23.csv',
        mediaType: 'text/csv;charset=utf-8',
        entries: 2,
      });
      const entries = await app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntries());
      const lines = answer.data.content
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines).toEqual([
        'seq,at,actor name,actor id,action,subject,old value,new value,entry hash',
        `2,2026-11-22T10:00:00.000Z,Rita Regulatory,${SITE_ACCOUNTS.regulatory},impact/decide,QMS-1,"{""enabled"":true}","{""enabled"":false}",${entries[1]?.hash}`,
        `3,2026-11-23T10:00:00.000Z,Rita Regulatory,${SITE_ACCOUNTS.regulatory},impact/decide,QMS-1,"{""enabled"":false}","{""enabled"":true}",${entries[2]?.hash}`,
      ]);
    });

    it('exports the admin settings the page changed: registry import and mapping save, each with its old and new value', async () => {
      await call('admin/registry/import', { csv: VALID_CSV });
      await call('admin/mapping/save', {
        conventions: { ...DEFAULT_JIRA_CONVENTIONS, approvalStatusNames: ['Approved'] },
      });
      const entries = await app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntries());
      const day = entries[entries.length - 1]?.at.slice(0, 10) ?? '';
      const answer = await exportOf({ from: day, to: day, format: 'csv' });
      if (!answer.ok) throw new Error(answer.error.message);
      const { records } = parseCsvRecords(answer.data.content.replace(/^\uFEFF/, ''));
      const rows = records.slice(1).map((r) => r.fields);
      const byAction = new Map(rows.map((row) => [row[4], row]));
      for (const entry of entries.filter(
        (e) => e.action === 'admin/registry/import' || e.action === 'admin/mapping/save',
      )) {
        const row = byAction.get(entry.action);
        const payload = z.looseObject({ before: z.unknown(), after: z.unknown() }).parse(entry.payload);
        expect(row?.slice(2, 6)).toEqual(['Ada Admin', SITE_ACCOUNTS.admin, entry.action, entry.subject]);
        expect(JSON.parse(row?.[6] ?? '')).toEqual(payload.before);
        expect(JSON.parse(row?.[7] ?? '')).toEqual(payload.after);
      }
      expect([...byAction.keys()]).toEqual(expect.arrayContaining(['admin/registry/import', 'admin/mapping/save']));
    });

    it('exports the entries as stored, as JSON, so the chain can be re-checked', async () => {
      await append(3);
      const answer = await exportOf({ from: '2026-11-21', to: '2026-11-30', format: 'json' });
      if (!answer.ok) throw new Error(answer.error.message);
      expect(answer.data).toMatchObject({ mediaType: 'application/json;charset=utf-8', entries: 3 });
      const entries = await app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntries());
      expect(JSON.parse(answer.data.content)).toEqual({
        format: 'qms-rim-audit-trail/1',
        from: '2026-11-21',
        to: '2026-11-30',
        exportedAt: expect.any(String),
        entries,
      });
    });

    it('refuses a range that ends before it starts, or is longer than a year, naming what is wrong', async () => {
      await expect(
        call('admin/audit/export', { from: '2026-11-23', to: '2026-11-22', format: 'csv' }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('`from` must be on or before `to`') },
      });
      await expect(
        call('admin/audit/export', { from: '2025-01-01', to: '2026-12-31', format: 'csv' }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('at most 366 days') },
      });
      await expect(
        call('admin/audit/export', { from: '2026-11-01', to: '2026-11-30', format: 'xlsx' }),
      ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    });

    it('refuses an export larger than one Forge answer may be, asking for a shorter range', async () => {
      // About 5 MB of entries in one day.
      const big = 'x'.repeat(100 * 1024);
      await app.runtime.runAs({ moduleKey: 'test' }, async () => {
        for (let i = 0; i < 50; i++)
          await appendAuditEntry({
            at: '2026-11-21T10:00:00.000Z',
            actor: regulatory,
            action: 'impact/decide',
            subject: 'QMS-1',
            payload: { rationale: big },
          });
      });
      await expect(
        call('admin/audit/export', { from: '2026-11-21', to: '2026-11-21', format: 'json' }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('Export a shorter range') },
      });
    });
  });

  describe('(e) is for Jira admins only', () => {
    const reads: Array<[ResolverKey, Record<string, unknown>]> = [
      ['admin/audit/export', { from: '2026-11-01', to: '2026-11-30', format: 'csv' }],
      ['admin/audit/export', { from: '2026-11-01', to: '2026-11-30', format: 'json' }],
      ['admin/audit/status', {}],
      ['admin/audit/verify', {}],
    ];

    it.each(reads)(
      '%s %j: FORBIDDEN from another module, and for a person Jira does not call an admin; nothing returned, nothing written',
      async (key, input) => {
        await append(2);
        await app.runtime.runAs({ moduleKey: 'test' }, () =>
          verifyAndRecordAuditTrail({ trigger: 'daily', now: new Date('2026-11-25T02:00:00.000Z') }),
        );
        const before = app.runtime.kvs.snapshot();
        for (const [extension, accountId] of [
          [{ type: 'jira:issuePanel', issue: { key: 'QMS-1' } }, SITE_ACCOUNTS.admin],
          [ADMIN_PAGE, SITE_ACCOUNTS.regulatory],
          [ADMIN_PAGE, SITE_ACCOUNTS.manager],
        ] as const) {
          const answer = await call(key, input, extension, accountId);
          expect(answer).toEqual({
            ok: false,
            error: { code: 'FORBIDDEN', message: expect.stringMatching(/Jira admin page|Jira administrators/) },
          });
        }
        expect(app.runtime.kvs.snapshot()).toEqual(before);
      },
    );
  });
});
