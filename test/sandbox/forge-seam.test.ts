/**
 * Proves that the REAL @forge/api, @forge/kvs, @forge/events and @forge/resolver run against
 * the sandbox runtime unchanged, and fails loudly when an @forge upgrade moves the seam the
 * sandbox depends on (`globalThis.__forge_fetch__` / `globalThis.__forge_runtime__`).
 *
 * If a test here fails after an @forge version change: re-read node_modules/@forge/api/out/
 * api/fetch.js and api/runtime.js, @forge/kvs/out/index.js and storage-api.js, and
 * @forge/events/out/queue.js, adapt sandbox/runtime and sandbox/kvs, then update the pins below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asApp, asUser, getAppContext, NeedsAuthenticationError, route } from '@forge/api';
import { Queue } from '@forge/events';
import { Filter, FilterConditions, ForgeKvsAPIError, kvs, Sort, WhereConditions } from '@forge/kvs';
import type * as ForgeKvsModule from '@forge/kvs';
import Resolver from '@forge/resolver';
import {
  installForgeRuntime,
  type InstalledForgeRuntime,
  type ProductRequest,
  type QueuePush,
} from '../../sandbox/runtime/forge-runtime';

const ROOT = path.resolve(__dirname, '../..');

/** The versions whose seam the sandbox was written against. Bump only after re-reading the seam. */
const PINNED = {
  '@forge/api': '8.3.0',
  '@forge/kvs': '1.6.5',
  '@forge/events': '3.0.8',
  '@forge/resolver': '2.0.1',
} as const;

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const versionOf = (manifest: unknown): unknown =>
  typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
const lockedVersion = (lock: unknown, name: string): unknown => {
  if (typeof lock !== 'object' || lock === null || !('packages' in lock)) return undefined;
  const packages = lock.packages;
  if (typeof packages !== 'object' || packages === null) return undefined;
  return versionOf(Object.entries(packages).find(([location]) => location === `node_modules/${name}`)?.[1]);
};

const ENTITIES = [
  {
    name: 'filing-obligation',
    attributes: {
      product: { type: 'string' },
      dueDay: { type: 'integer' },
      status: { type: 'string' },
      revision: { type: 'integer' },
    },
    indexes: ['dueDay', { name: 'by-product-due', partition: ['product'], range: ['dueDay'] }],
  },
];

describe('the @forge seam the sandbox depends on', () => {
  it('is the pinned @forge versions, in package-lock.json and in node_modules', () => {
    const lock = readJson('package-lock.json');
    const moved = Object.entries(PINNED).flatMap(([name, pinned]) => {
      const locked = lockedVersion(lock, name);
      const installed = versionOf(readJson(`node_modules/${name}/package.json`));
      return locked === pinned && installed === pinned
        ? []
        : [
            `${name}: pinned ${pinned}, package-lock has ${String(locked)}, node_modules has ${String(installed)}. Re-read its use of __forge_fetch__/__forge_runtime__ and adapt sandbox/runtime before moving the pin.`,
          ];
    });
    expect(moved).toEqual([]);
  });

  it('is still reached through the two globals in the libraries’ source', () => {
    const expectations: [file: string, needle: string][] = [
      ['node_modules/@forge/api/out/api/fetch.js', 'global.__forge_fetch__('],
      ['node_modules/@forge/api/out/api/runtime.js', 'global.__forge_runtime__'],
      ['node_modules/@forge/kvs/out/index.js', 'global.__forge_fetch__('],
      ['node_modules/@forge/kvs/out/index.js', 'global.__forge_runtime__'],
      ['node_modules/@forge/kvs/out/storage-api.js', "'/api/v1/transaction'"],
      ['node_modules/@forge/events/out/queries.js', "'/webhook/queue/publish/"],
    ];
    const missing = expectations
      .filter(([file, needle]) => !readFileSync(path.join(ROOT, file), 'utf8').includes(needle))
      .map(
        ([file, needle]) =>
          `${file} no longer contains ${needle}: the Forge seam has moved; the sandbox runtime must follow`,
      );
    expect(missing).toEqual([]);
  });

  it('leaves the libraries unable to work when no runtime is installed', async () => {
    expect(Reflect.get(globalThis, '__forge_fetch__')).toBeUndefined();
    expect(Reflect.get(globalThis, '__forge_runtime__')).toBeUndefined();
    await expect(asApp().requestJira(route`/rest/api/3/myself`)).rejects.toThrow(TypeError);
    expect(() => getAppContext()).toThrow('Forge runtime not found.');
    await expect(kvs.get('anything')).rejects.toThrow();
  });
});

describe('the real @forge libraries on the sandbox runtime', () => {
  let runtime: InstalledForgeRuntime;
  let productRequests: ProductRequest[];
  let pushes: QueuePush[];

  beforeEach(() => {
    productRequests = [];
    pushes = [];
    runtime = installForgeRuntime({
      entities: ENTITIES,
      productHandler: async (request) => {
        productRequests.push(request);
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answeredTo: request.path }),
        };
      },
      queueHandler: { push: (push) => void pushes.push(push) },
    });
  });
  afterEach(() => runtime.uninstall());

  describe('@forge/api product calls', () => {
    it('arrive as the invoking user with provider, remote, method, path and body', async () => {
      const response = await runtime.runAs({ accountId: 'user-quality-lead', moduleKey: 'impact-panel' }, () =>
        asUser().requestJira(route`/rest/api/3/issue/${'QMS-7'}?fields=${'status,issuelinks'}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ fields: { summary: 'x' } }),
        }),
      );
      expect(productRequests).toEqual([
        {
          provider: 'user',
          remote: 'jira',
          accountId: 'user-quality-lead',
          method: 'PUT',
          path: '/rest/api/3/issue/QMS-7?fields=status%2Cissuelinks',
          headers: { 'content-type': 'application/json' },
          body: '{"fields":{"summary":"x"}}',
        },
      ]);
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toEqual({
        answeredTo: '/rest/api/3/issue/QMS-7?fields=status%2Cissuelinks',
      });
      expect(runtime.seamUsage().fetchCallsByTarget).toEqual({ 'fpp:user:jira': 1 });
    });

    it('arrive as the app for asApp() and for Confluence on the confluence remote', async () => {
      await runtime.runAs({ accountId: 'user-1' }, async () => {
        await asApp().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', body: '{"jql":"project = QMS"}' });
        await asUser().requestConfluence(route`/wiki/api/v2/pages/${'42'}`);
      });
      expect(
        productRequests.map(({ provider, remote, accountId, method }) => ({ provider, remote, accountId, method })),
      ).toEqual([
        { provider: 'app', remote: 'jira', accountId: undefined, method: 'POST' },
        { provider: 'user', remote: 'confluence', accountId: 'user-1', method: 'GET' },
      ]);
    });

    it('fail as on Forge when asUser() has no user behind the invocation', async () => {
      const call = runtime.invokeFunction(
        () => asUser().requestJira(route`/rest/api/3/myself`),
        { type: 'avi:jira:updated:issue' },
        { moduleKey: 'issue-updated' },
      );
      await expect(call).rejects.toBeInstanceOf(NeedsAuthenticationError);
      await expect(call).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', status: 401 });
      expect(productRequests).toEqual([]);
    });

    it('expose the invocation through __forge_runtime__ to getAppContext()', () => {
      const readsBefore = runtime.seamUsage().runtimeReads;
      const context = runtime.runAs({ moduleKey: 'filing-gate', functionKey: 'gate-fn' }, () => getAppContext());
      expect(context.moduleKey).toBe('filing-gate');
      expect(context.appAri.toString()).toBe(`ari:cloud:ecosystem::app/${runtime.installation.appId}`);
      expect(context.invocationRemainingTimeInMillis()).toBeGreaterThan(0);
      expect(runtime.seamUsage().runtimeReads).toBeGreaterThan(readsBefore);
    });
  });

  describe('@forge/kvs', () => {
    it('round-trips values, queries by key prefix with a cursor, and deletes', async () => {
      for (const n of [1, 2, 3]) await kvs.set(`link:QMS-${n}`, { target: `RIM-${n}` });
      await kvs.set('other:1', true);
      expect(await kvs.get('link:QMS-2')).toEqual({ target: 'RIM-2' });
      expect(await kvs.get('missing')).toBeUndefined();

      const first = await kvs.query().where('key', WhereConditions.beginsWith('link:')).limit(2).getMany();
      expect(first.results.map((r) => r.key)).toEqual(['link:QMS-1', 'link:QMS-2']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await kvs
        .query()
        .where('key', WhereConditions.beginsWith('link:'))
        .limit(2)
        .cursor(first.nextCursor ?? '')
        .getMany();
      expect(second).toEqual({ results: [{ key: 'link:QMS-3', value: { target: 'RIM-3' } }], nextCursor: undefined });

      await kvs.delete('link:QMS-1');
      expect(await kvs.get('link:QMS-1')).toBeUndefined();
      await expect(kvs.set('x'.repeat(501), 1)).rejects.toMatchObject({ name: 'ForgeKvsError', code: 'KEY_TOO_LONG' });
      await expect(kvs.set('x'.repeat(501), 1)).rejects.toBeInstanceOf(ForgeKvsAPIError);
    });

    it('keeps secrets apart from plain keys', async () => {
      await kvs.setSecret('token', 's3cret');
      expect(await kvs.getSecret('token')).toBe('s3cret');
      expect(await kvs.get('token')).toBeUndefined();
      expect((await kvs.query().getMany()).results).toEqual([]);
      await kvs.deleteSecret('token');
      expect(await kvs.getSecret('token')).toBeUndefined();
    });

    it('applies a transaction all or nothing: a failing condition changes nothing', async () => {
      const obligations = kvs.entity<{ product: string; dueDay: number; status: string; revision: number }>(
        'filing-obligation',
      );
      await obligations.set('ob-1', { product: 'PRD-1', dueDay: 10, status: 'open', revision: 1 });
      await kvs.set('counter', 1);

      const stale = kvs
        .transact()
        .set(
          'ob-1',
          { product: 'PRD-1', dueDay: 10, status: 'filed', revision: 2 },
          {
            entityName: 'filing-obligation',
            conditions: new Filter<{ revision: number }>().and('revision', FilterConditions.equalTo(7)),
          },
        )
        .set('counter', 2)
        .delete('ob-2', { entityName: 'filing-obligation' });
      await expect(stale.execute()).rejects.toBeInstanceOf(ForgeKvsAPIError);
      expect(await obligations.get('ob-1')).toEqual({ product: 'PRD-1', dueDay: 10, status: 'open', revision: 1 });
      expect(await kvs.get('counter')).toBe(1);

      await kvs
        .transact()
        .set(
          'ob-1',
          { product: 'PRD-1', dueDay: 10, status: 'filed', revision: 2 },
          {
            entityName: 'filing-obligation',
            conditions: new Filter<{ revision: number }>().and('revision', FilterConditions.equalTo(1)),
          },
        )
        .set('counter', 2)
        .execute();
      expect(await obligations.get('ob-1')).toMatchObject({ status: 'filed', revision: 2 });
      expect(await kvs.get('counter')).toBe(2);
    });

    it('answers entity index queries in index order, by partition, both directions, with cursors and filters', async () => {
      const obligations = kvs.entity<{ product: string; dueDay: number; status: string }>('filing-obligation');
      const rows: [string, string, number, string][] = [
        ['a', 'PRD-1', 30, 'open'],
        ['b', 'PRD-2', 5, 'open'],
        ['c', 'PRD-1', 10, 'filed'],
        ['d', 'PRD-1', 20, 'open'],
      ];
      await kvs.batchSet(
        rows.map(([key, product, dueDay, status]) => ({
          key,
          entityName: 'filing-obligation',
          value: { product, dueDay, status },
        })),
      );

      const byDue = await obligations.query().index('dueDay').getMany();
      expect(byDue.results.map((r) => r.key)).toEqual(['b', 'c', 'd', 'a']);

      const prd1Desc = await obligations
        .query()
        .index('by-product-due', { partition: ['PRD-1'] })
        .sort(Sort.DESC)
        .limit(2)
        .getMany();
      expect(prd1Desc.results.map((r) => r.key)).toEqual(['a', 'd']);
      const rest = await obligations
        .query()
        .index('by-product-due', { partition: ['PRD-1'] })
        .sort(Sort.DESC)
        .limit(2)
        .cursor(prd1Desc.nextCursor ?? '')
        .getMany();
      expect(rest.results.map((r) => r.key)).toEqual(['c']);
      expect(rest.nextCursor).toBeUndefined();

      const dueSoonOpen = await obligations
        .query()
        .index('by-product-due', { partition: ['PRD-1'] })
        .where(WhereConditions.lessThanEqualTo(20))
        .filters(new Filter<{ status: string }>().and('status', FilterConditions.equalTo('open')))
        .getMany();
      expect(dueSoonOpen.results).toEqual([{ key: 'd', value: { product: 'PRD-1', dueDay: 20, status: 'open' } }]);
    });

    it('reaches the store through the modern target when imported after the runtime was installed', () => {
      // @forge/kvs reads __forge_runtime__ once, at import: a fresh copy sees runtime.kvs and
      // switches to `{ type: 'kvs' }` with the runtime's bearer token.
      const readsBefore = runtime.seamUsage().runtimeReads;
      let fresh: typeof ForgeKvsModule | undefined;
      jest.isolateModules(() => {
        fresh = jest.requireActual<typeof ForgeKvsModule>('@forge/kvs');
      });
      expect(runtime.seamUsage().runtimeReads).toBeGreaterThan(readsBefore);
      return (async () => {
        await fresh?.kvs.set('fresh', 'modern');
        expect(await kvs.get('fresh')).toBe('modern');
        expect(runtime.seamUsage().fetchCallsByTarget).toEqual({ kvs: 1, 'kvs:app:kvs': 1 });
      })();
    });
  });

  describe('@forge/events and @forge/resolver', () => {
    it('hands Queue.push to the queue handler, and the consumer can then be driven as Forge would', async () => {
      const { jobId } = await runtime.runAs({ accountId: 'user-ra', moduleKey: 'impact-panel' }, () =>
        new Queue({ key: 'recompute-index' }).push([
          { body: { issueKey: 'QMS-1' } },
          { body: { issueKey: 'QMS-2' }, delayInSeconds: 5 },
        ]),
      );
      expect(pushes).toHaveLength(1);
      expect(pushes[0]).toMatchObject({
        queueName: 'recompute-index',
        jobId,
        events: [{ body: { issueKey: 'QMS-1' } }, { body: { issueKey: 'QMS-2' }, delayInSeconds: 5 }],
        pushedBy: { accountId: 'user-ra', moduleKey: 'impact-panel' },
      });
      expect(runtime.seamUsage().fetchCallsByTarget).toEqual({ 'fpp:app:stargate': 1 });

      const seen = await runtime.invokeConsumer(
        (event, context) => ({ body: event.body, jobId: event.jobId, principal: context.principal }),
        { queueName: 'recompute-index', jobId, body: { issueKey: 'QMS-1' } },
        { moduleKey: 'recompute-consumer', timeoutSeconds: 900 },
      );
      expect(seen).toEqual({ body: { issueKey: 'QMS-1' }, jobId, principal: undefined });
    });

    it('calls a resolver with the payload and context shape @forge/resolver builds', async () => {
      const resolver = new Resolver();
      resolver.define('impact/get', ({ payload, context }) => ({ payload, context }));
      const result = await runtime.invokeResolver(
        resolver.getDefinitions(),
        {
          functionKey: 'impact/get',
          payload: { issueKey: 'QMS-7' },
          extension: { type: 'jira:issuePanel', issue: { key: 'QMS-7' } },
        },
        { accountId: 'user-7', moduleKey: 'impact-panel', moduleType: 'jira:issuePanel' },
      );
      expect(result).toMatchObject({
        payload: { issueKey: 'QMS-7' },
        context: {
          accountId: 'user-7',
          cloudId: runtime.installation.cloudId,
          moduleKey: 'impact-panel',
          extension: { type: 'jira:issuePanel', issue: { key: 'QMS-7' } },
          installContext: `ari:cloud:jira::site/${runtime.installation.cloudId}`,
        },
      });
    });
  });
});
