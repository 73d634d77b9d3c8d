/**
 * The admin page's resolver is for Jira administrators only, reads included: the registry,
 * the site's Jira mapping, the catalog, the audit verification and the index status are the
 * app's configuration and bookkeeping, not something a quality engineer needs. Forge shows
 * the admin page only to admins, but anyone who can load one of the app's frames can invoke
 * a resolver with any key, so each key must check. Every `admin/*` key of the contract is
 * tried (a new key is covered without touching this test) as Quinn (no ADMINISTER) on the
 * admin page, and as Ada (a Jira admin) from an issue panel's context: FORBIDDEN, no data in
 * the answer, and nothing in Jira or app storage changed.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { DEFAULT_JIRA_CONVENTIONS } from '../../src/config/jira-conventions';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey } from '../../src/contract/resolvers';
import { demoRegistry } from '../../sandbox/demo/registry';
import { registryToCsv } from '../../src/domain/registry-csv';
import { contentOf, issueContext, startFaultSite } from '../faults/harness';
import type { FaultSite } from '../faults/harness';

jest.setTimeout(120_000);

const ADMIN_KEYS = Object.keys(RESOLVER_CONTRACT).filter((key): key is Extract<ResolverKey, `admin/${string}`> =>
  key.startsWith('admin/'),
);

/** A payload each key accepts, so a refusal is the permission check, not the contract. */
const PAYLOADS: Partial<Record<ResolverKey, unknown>> = {
  'admin/registry/import': {
    csv: registryToCsv({
      ...demoRegistry,
      products: demoRegistry.products.map((p) => ({ ...p, name: `${p.name} (renamed)` })),
    }),
  },
  'admin/mapping/save': { conventions: DEFAULT_JIRA_CONVENTIONS },
  'admin/mirror/restore': { issueKey: 'QMS-5' },
  'admin/audit/export': { from: '2026-01-01', to: '2026-12-31', format: 'csv' },
  'admin/signing/reset': { accountId: SITE_ACCOUNTS.regulatory },
  'admin/signers/save': {
    rules: { groups: ['regulatory-reviewers'], projectRoles: [], barReporter: false, barAssessors: false },
  },
};

let site: FaultSite;

beforeAll(async () => {
  site = await startFaultSite();
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

const call = (key: ResolverKey, extension: Record<string, unknown>, accountId: string) =>
  site.invoke({ module: 'admin-page', key, payload: PAYLOADS[key] ?? {}, extension, accountId });

it('covers the admin page’s keys', () => {
  expect(ADMIN_KEYS).toEqual(
    expect.arrayContaining([
      'admin/registry/get',
      'admin/registry/export',
      'admin/catalog/get',
      'admin/mapping/get',
      'admin/audit/verify',
      'admin/index/status',
      'admin/registry/import',
      'admin/mapping/save',
      'admin/index/rebuild',
    ]),
  );
});

describe.each([
  ['Quinn Quality (no ADMINISTER) on the admin page', SITE_ACCOUNTS.quality, { type: 'jira:adminPage' }],
  ['Max Manager (no ADMINISTER) on the admin page', SITE_ACCOUNTS.manager, { type: 'jira:adminPage' }],
  ['Ada Admin from an issue panel', SITE_ACCOUNTS.admin, issueContext('jira:issuePanel', 'QMS-1')],
  ['Ada Admin with no module type', SITE_ACCOUNTS.admin, {}],
])('%s', (_who, accountId, extension) => {
  it.each(ADMIN_KEYS)('%s is refused, answers nothing and changes nothing', async (key) => {
    const before = contentOf(await site.state());
    const answer = await call(key, extension, accountId);
    expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('Jira admin') } });
    expect(contentOf(await site.state())).toEqual(before);
  });
});

it('a Jira admin on the admin page still gets every read', async () => {
  for (const key of ADMIN_KEYS.filter((k) => !PAYLOADS[k] && !k.endsWith('/rebuild') && !k.endsWith('/check'))) {
    expect({ key, ok: (await call(key, { type: 'jira:adminPage' }, SITE_ACCOUNTS.admin)).ok }).toEqual({
      key,
      ok: true,
    });
  }
});
