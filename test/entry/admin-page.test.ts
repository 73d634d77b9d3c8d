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
import { REGISTRY_KEY } from '../../src/adapters/kvs/registry-repository';
import type { z } from 'zod';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { CATALOG, RULES_VERSION, catalogDigest } from '../../src/domain/catalog';
import { parseRegistryCsv, registryToCsv } from '../../src/domain/registry-csv';
import { createContractObserver } from '../support/contract-observer';

const contract = createContractObserver();

let app: SandboxApp;

const ADMIN_PAGE = { type: 'jira:adminPage' };

const call = (functionKey: ResolverKey, payload: unknown, extension: Record<string, unknown> = ADMIN_PAGE) =>
  app.runtime.invokeResolver(
    adminPageResolver,
    { functionKey, payload, extension, localId: 'admin-page-local' },
    { accountId: SITE_ACCOUNTS.admin, moduleKey: 'admin-page', moduleType: 'jira:adminPage', functionKey: 'fn-admin-page' },
  );

const answerOf = <K extends ResolverKey>(key: K, raw: unknown): Envelope<ResolverOutput<K>> =>
  envelopeSchema(RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>).parse(raw) as Envelope<ResolverOutput<K>>;

const storedRegistry = (): unknown => app.runtime.kvs.snapshot().keyValues.find((e) => e.key === REGISTRY_KEY)?.value;

const HEADER = 'kind,id,name,productClass,country,productId,market,type,number,status,deviceClass,siteIds,supplierIds,lastClearanceDate';
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
  it('replaces the registry with a valid CSV, in one storage write', async () => {
    app.runtime.kvs.resetMetrics();
    const answer = answerOf('admin/registry/import', await call('admin/registry/import', { csv: `\uFEFF${VALID_CSV}` }));
    expect(answer).toEqual({ ok: true, data: { imported: { products: 1, sites: 1, suppliers: 1, applications: 2 } } });
    expect(app.runtime.kvs.metrics().byOperation.set).toBe(1);
    expect(storedRegistry()).toEqual({
      products: [{ id: 'PRD-A', name: 'Aspirin 100 mg', productClass: 'drug' }],
      sites: [{ id: 'SITE-1', name: 'Plant One, Basel', country: 'CH' }],
      suppliers: [{ id: 'SUP-1', name: 'Polymera' }],
      applications: [
        { id: 'APP-1', productId: 'PRD-A', market: 'US', type: 'NDA', number: 'NDA-012345', status: 'approved', siteIds: ['SITE-1'], supplierIds: ['SUP-1'], lastClearanceDate: '2024-05-01' },
        { id: 'APP-2', productId: 'PRD-A', market: 'EU', type: 'MAA', number: 'EU/1/23/001', status: 'approved', siteIds: ['SITE-1'], supplierIds: [] },
      ],
    });
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
    expect(app.runtime.kvs.snapshot()).toEqual(before);
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

  it('refuses an import that does not come from the admin page', async () => {
    const before = app.runtime.kvs.snapshot();
    const answer = await call('admin/registry/import', { csv: VALID_CSV }, { type: 'jira:issuePanel', issue: { key: 'QMS-1' } });
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

    const reimport = answerOf('admin/registry/import', await call('admin/registry/import', { csv: answer.data.content }));
    expect(reimport.ok && reimport.data.imported).toEqual({ products: demoRegistry.products.length, sites: demoRegistry.sites.length, suppliers: demoRegistry.suppliers.length, applications: demoRegistry.applications.length });
    expect(storedRegistry()).toEqual(demoRegistry);
  });
});

describe('admin/catalog/get', () => {
  it('answers the rules version and catalog digest in force', async () => {
    const answer = answerOf('admin/catalog/get', await call('admin/catalog/get', {}));
    expect(answer).toEqual({ ok: true, data: { rulesVersion: RULES_VERSION, catalogDigest: catalogDigest(), codes: CATALOG.length, appVersion: expect.any(String) } });
  });

  it('refuses a payload with extra keys', async () => {
    expect(await call('admin/catalog/get', { rulesVersion: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
