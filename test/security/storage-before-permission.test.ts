/**
 * Nothing is written to app storage for a person Jira would refuse. The app's storage is its
 * own (claims on the next assessment version, the audit trail, the registry, the mapping, the
 * index), so a write there must never come before Jira has said the person may do what the
 * call is for: otherwise a person who may only browse a record can make the app write (and
 * hold, and burn through) claims and entries for it. Each writing path of the app
 * (test/faults/paths.ts) is called as Max Manager, who browses QMS and RIM and may change
 * nothing: refused, and no storage write of any kind (a claim written and given back counts),
 * and Jira as before.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import type { KvsOperation } from '../../sandbox/kvs/kvs-wire.schema';
import { USER_PATHS } from '../faults/paths';
import { contentOf, startFaultSite } from '../faults/harness';
import type { FaultSite, SiteState } from '../faults/harness';

jest.setTimeout(300_000);

const MAX: string = SITE_ACCOUNTS.manager;
const WRITES: readonly KvsOperation[] = [
  'set',
  'delete',
  'secretSet',
  'secretDelete',
  'entitySet',
  'entityDelete',
  'batchSet',
  'batchDelete',
  'transaction',
];

let site: FaultSite;
let base: SiteState;

beforeAll(async () => {
  site = await startFaultSite();
  base = await site.state();
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

describe.each(USER_PATHS.filter((p) => p.writes).map((p) => [p.name, p] as const))(
  '%s as a person who may only browse',
  (_name, path) => {
    it('is refused before anything is written to app storage', async () => {
      site.restore(base);
      await path.prepare?.(site);
      const before = await site.state();
      site.app.runtime.kvs.resetMetrics();
      const answer = await site.invoke({ ...path.call(site), accountId: MAX });
      const { byOperation } = site.app.runtime.kvs.metrics();
      // Jira answers a link it refuses with 404 (as for an issue the person may not see).
      expect(answer).toEqual({
        ok: false,
        error: { code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/), message: expect.any(String) },
      });
      expect(Object.fromEntries(WRITES.map((op) => [op, byOperation[op]]))).toEqual(
        Object.fromEntries(WRITES.map((op) => [op, 0])),
      );
      expect(contentOf(await site.state())).toEqual(contentOf(before));
    });
  },
);
