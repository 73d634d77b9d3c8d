/**
 * The knobs the fault tests use to break one step of a multi-step write: Jira faults scoped to
 * one account (or the app) with a Retry-After, and storage operations that fail, optionally
 * only on one custom entity. Each faulted request changes nothing.
 */
import { kvs } from '@forge/kvs';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';
import { InMemoryKvs } from '../../sandbox/kvs';
import { installForgeRuntime } from '../../sandbox/runtime/forge-runtime';
import { SITE_ACCOUNTS } from '../../sandbox/jira';

describe('Jira stand-in: failOperations for one account', () => {
  it('fails the operation only for that account, with the Retry-After it names, and changes nothing', async () => {
    const site = createTestSite();
    const issue = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Investigate hardness' });
    site.jira.setFaults({
      failOperations: [
        {
          operation: 'PUT /rest/api/3/issue/{issueIdOrKey}',
          status: 429,
          retryAfterSeconds: 5,
          account: SITE_ACCOUNTS.quality,
        },
      ],
    });
    const refused = await site.call('quality', 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'Edited by Quinn' },
    });
    expect({
      status: refused.status,
      retryAfter: refused.headers['Retry-After'] ?? refused.headers['retry-after'],
    }).toEqual({ status: 429, retryAfter: '5' });
    expect(site.jira.readIssue(issue.key)?.summary).toBe('Investigate hardness');
    expect(
      (await site.call('app', 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { summary: 'Edited by the app' } }))
        .status,
    ).toBe(204);
    expect(site.jira.readIssue(issue.key)?.summary).toBe('Edited by the app');
    site.jira.setFaults({
      failOperations: [{ operation: 'GET /rest/api/3/issue/{issueIdOrKey}', status: 503, account: 'app' }],
    });
    expect((await site.call('app', 'GET', `/rest/api/3/issue/${issue.key}`)).status).toBe(503);
    expect((await site.call('quality', 'GET', `/rest/api/3/issue/${issue.key}`)).status).toBe(200);
  });
});

describe('KVS stand-in: setFaults', () => {
  const ENTITIES = [{ name: 'claim', attributes: { version: { type: 'integer' } } }];
  let store: InMemoryKvs;
  let runtime: ReturnType<typeof installForgeRuntime>;
  beforeEach(() => {
    store = new InMemoryKvs({ entities: ENTITIES });
    runtime = installForgeRuntime({ kvs: store });
  });
  afterEach(() => runtime.uninstall());

  it('fails the chosen operation after `after` requests of it, `times` times, and the failed request writes nothing', async () => {
    store.setFaults({ failOperations: [{ operation: 'set', after: 1, times: 1 }] });
    await kvs.set('a', 1);
    await expect(kvs.set('b', 2)).rejects.toMatchObject({ name: 'ForgeKvsError', code: 'INTERNAL_SERVER_ERROR' });
    await kvs.set('c', 3);
    expect(store.snapshot().keyValues.map((e) => e.key)).toEqual(['a', 'c']);
    expect(store.metrics().failed).toBe(1);
  });

  it('fails a transaction only when it touches the named entity', async () => {
    store.setFaults({ failOperations: [{ operation: 'transaction', entityName: 'claim' }] });
    await expect(kvs.transact().set('QMS-1', { version: 1 }, { entityName: 'claim' }).execute()).rejects.toMatchObject({
      name: 'ForgeKvsError',
      code: 'INTERNAL_SERVER_ERROR',
    });
    await kvs.transact().set('plain', 1).execute();
    store.clearFaults();
    await kvs.transact().set('QMS-1', { version: 1 }, { entityName: 'claim' }).execute();
    expect(store.snapshot().entities['claim']?.map((e) => e.key)).toEqual(['QMS-1']);
  });

  it('refuses settings it does not know', () => {
    expect(() => store.setFaults({ failOperations: [{ operation: 'nope' as 'set' }] })).toThrow(/setFaults/);
  });
});
