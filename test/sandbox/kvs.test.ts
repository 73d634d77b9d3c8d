/**
 * The KVS stand-in, driven through the real @forge/kvs client (so every answer is checked
 * against what the client expects) and, for requests the client would never build, directly.
 */
import { Filter, FilterConditions, kvs, MetadataField, WhereConditions } from '@forge/kvs';
import { InMemoryKvs, KVS_LIMITS, type KvsSnapshot } from '../../sandbox/kvs';
import { installForgeRuntime, type InstalledForgeRuntime } from '../../sandbox/runtime/forge-runtime';

const ENTITIES = [
  {
    name: 'submission',
    attributes: {
      market: { type: 'string' },
      dueDay: { type: 'integer' },
      status: { type: 'string' },
      score: { type: 'float' },
      urgent: { type: 'boolean' },
      tags: { type: 'any' },
    },
    indexes: [
      'dueDay',
      { name: 'by-market-due', partition: ['market'], range: ['dueDay'] },
      { name: 'by-status', range: ['status'] },
    ],
  },
];

type Submission = {
  market?: string;
  dueDay?: number;
  status?: string;
  score?: number;
  urgent?: boolean;
  tags?: unknown;
};

let clockMs = Date.UTC(2026, 0, 1);
let runtime: InstalledForgeRuntime;
let store: InMemoryKvs;

beforeEach(() => {
  clockMs = Date.UTC(2026, 0, 1);
  store = new InMemoryKvs({ entities: ENTITIES, now: () => clockMs });
  runtime = installForgeRuntime({ kvs: store });
});
afterEach(() => runtime.uninstall());

const submissions = () => kvs.entity<Submission>('submission');
const rejection = (code: string) => expect.objectContaining({ name: 'ForgeKvsError', code });

describe('limits', () => {
  it('accepts keys up to 500 characters and rejects longer, empty and malformed keys', async () => {
    await kvs.set('k'.repeat(KVS_LIMITS.maxKeyLength), 1);
    await expect(kvs.set('k'.repeat(KVS_LIMITS.maxKeyLength + 1), 1)).rejects.toEqual(rejection('KEY_TOO_LONG'));
    await expect(kvs.set('', 1)).rejects.toEqual(rejection('KEY_TOO_SHORT'));
    await expect(kvs.set('issue/QMS-1', 1)).rejects.toEqual(rejection('INVALID_KEY'));
    await expect(kvs.set('   ', 1)).rejects.toEqual(rejection('INVALID_KEY'));
    await kvs.set('issue:QMS-1#links.v2_x - y', 1);
    await expect(submissions().set('', { status: 'x' })).rejects.toEqual(rejection('EMPTY_KEY'));
  });

  it('accepts values up to 240 KiB and 32 levels deep, and rejects beyond', async () => {
    const overhead = JSON.stringify('').length;
    await kvs.set('big', 'x'.repeat(KVS_LIMITS.maxValueBytes - overhead));
    await expect(kvs.set('big', 'x'.repeat(KVS_LIMITS.maxValueBytes - overhead + 1))).rejects.toEqual(
      rejection('MAX_SIZE'),
    );
    // Multi-byte characters count in bytes, not characters.
    await expect(kvs.set('big', 'é'.repeat(KVS_LIMITS.maxValueBytes / 2))).rejects.toEqual(rejection('MAX_SIZE'));

    const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { next: nested(depth - 1) });
    await kvs.set('deep', nested(32));
    await expect(kvs.set('deep', nested(33))).rejects.toEqual(rejection('MAX_DEPTH'));
    expect(await kvs.get('deep')).toEqual(nested(32));
  });

  it('checks entity values against the declared attribute types', async () => {
    await submissions().set('s1', { market: 'US', dueDay: 3, score: 0.5, urgent: true, tags: ['a', { b: 1 }] });
    await expect(submissions().set('s2', { dueDay: 1.5 })).rejects.toEqual(rejection('INVALID_ENTITY_VALUE'));
    await expect(submissions().set('s2', { dueDay: 2 ** 31 })).rejects.toEqual(rejection('INVALID_ENTITY_VALUE'));
    // Through an untyped handle: the point is to send what the app's types would forbid.
    const untyped = kvs.entity<Record<string, unknown>>('submission');
    await expect(untyped.set('s2', { market: 42 })).rejects.toEqual(rejection('INVALID_ENTITY_VALUE'));
    await expect(untyped.set('s2', { owner: 'me' })).rejects.toEqual(rejection('INVALID_ENTITY_VALUE'));
    await expect(kvs.entity('undeclared').set('s2', { a: 1 })).rejects.toEqual(rejection('INVALID_ENTITY_TYPE'));
    await expect(submissions().query().index('by-nothing').getMany()).rejects.toEqual(
      rejection('INVALID_ENTITY_INDEX'),
    );
  });
});

describe('set options and TTL', () => {
  it('honours FAIL_IF_EXISTS and returns the previous or latest value with metadata', async () => {
    await kvs.set('doc', 'v1', { keyPolicy: 'FAIL_IF_EXISTS' });
    await expect(kvs.set('doc', 'v2', { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toEqual(
      rejection('KEY_ALREADY_EXISTS'),
    );

    clockMs += 5_000;
    const previous = await kvs.set('doc', 'v2', {
      keyPolicy: 'OVERRIDE',
      returnValue: 'PREVIOUS',
      returnMetadataFields: [MetadataField.UPDATED_AT],
    });
    expect(previous).toEqual({ key: 'doc', value: 'v1', updatedAt: Date.UTC(2026, 0, 1) / 1000 });
    const latest = await kvs.set('doc', 'v3', {
      keyPolicy: 'OVERRIDE',
      returnValue: 'LATEST',
      returnMetadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT],
    });
    expect(latest).toEqual({
      key: 'doc',
      value: 'v3',
      createdAt: Date.UTC(2026, 0, 1) / 1000,
      updatedAt: Date.UTC(2026, 0, 1) / 1000 + 5,
    });
    expect(await kvs.set('fresh', 1, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).toBeUndefined();
  });

  it('expires values after their TTL and reports the expiry time', async () => {
    await kvs.set('lock', 'held', { ttl: { value: 2, unit: 'MINUTES' } });
    expect(await kvs.get('lock', { metadataFields: [MetadataField.EXPIRE_TIME] })).toEqual({
      key: 'lock',
      value: 'held',
      expireTime: new Date(Date.UTC(2026, 0, 1, 0, 2)).toISOString(),
    });
    clockMs += 2 * 60_000;
    expect(await kvs.get('lock')).toBeUndefined();
    expect((await kvs.query().getMany()).results).toEqual([]);
  });
});

describe('paging', () => {
  beforeEach(async () => {
    for (let n = 0; n < 25; n++) await kvs.set(`idx:${String(n).padStart(2, '0')}`, n);
    await kvs.set('other', 'x');
  });

  it('walks every matching key once, in key order, page by page', async () => {
    const keys: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = kvs.query().where('key', WhereConditions.beginsWith('idx:')).limit(10);
      const page = await (cursor === undefined ? query : query.cursor(cursor)).getMany();
      keys.push(...page.results.map((result) => result.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(keys).toEqual(Array.from({ length: 25 }, (_, n) => `idx:${String(n).padStart(2, '0')}`));
  });

  it('returns a default page of 10 and refuses pages over 100 or foreign cursors', async () => {
    const page = await kvs.query().getMany();
    expect(page.results).toHaveLength(KVS_LIMITS.defaultPageSize);
    expect(page.nextCursor).toBeDefined();
    await expect(kvs.query().limit(101).getMany()).rejects.toEqual(rejection('LIST_QUERY_LIMIT_EXCEEDED'));
    await expect(kvs.query().cursor('not-a-cursor').getMany()).rejects.toEqual(rejection('INVALID_CURSOR'));
    expect(await kvs.query().where('key', WhereConditions.beginsWith('oth')).getOne()).toEqual({
      key: 'other',
      value: 'x',
    });
  });

  it('pages an entity index with limit applied before filters, as the backing store does', async () => {
    for (let day = 1; day <= 6; day++) {
      await submissions().set(`s${day}`, { market: 'EU', dueDay: day, status: day % 2 === 0 ? 'open' : 'filed' });
    }
    const open = new Filter<Submission>().and('status', FilterConditions.equalTo('open'));
    const first = await submissions()
      .query()
      .index('by-market-due', { partition: ['EU'] })
      .filters(open)
      .limit(3)
      .getMany();
    expect(first.results.map((r) => r.key)).toEqual(['s2']);
    expect(first.nextCursor).toBeDefined();
    const second = await submissions()
      .query()
      .index('by-market-due', { partition: ['EU'] })
      .filters(open)
      .limit(3)
      .cursor(first.nextCursor ?? '')
      .getMany();
    expect(second.results.map((r) => r.key)).toEqual(['s4', 's6']);
    expect(second.nextCursor).toBeUndefined();

    await expect(
      submissions()
        .query()
        .index('by-status')
        .cursor(first.nextCursor ?? '')
        .getMany(),
    ).rejects.toEqual(rejection('INVALID_CURSOR'));
    await expect(submissions().query().index('by-market-due').getMany()).rejects.toEqual(
      rejection('INVALID_PARTITION'),
    );
    await expect(submissions().query().index('dueDay').limit(0).getMany()).rejects.toEqual(
      rejection('COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE'),
    );
  });

  it('leaves items without the indexed attributes out of the index', async () => {
    await submissions().set('dated', { market: 'US', dueDay: 1 });
    await submissions().set('undated', { market: 'US' });
    expect((await submissions().query().index('dueDay').getMany()).results.map((r) => r.key)).toEqual(['dated']);
    expect(
      (await submissions().query().index('dueDay').where(WhereConditions.between(2, 9)).getMany()).results,
    ).toEqual([]);
  });
});

describe('conditions', () => {
  beforeEach(async () => {
    await submissions().set('s1', { market: 'US', dueDay: 1, status: 'open', tags: ['pma'] });
    await kvs.set('plain', 'before');
  });

  const onlyIf = (status: string) => ({
    entityName: 'submission',
    conditions: new Filter<Submission>().and('status', FilterConditions.equalTo(status)),
  });

  it('commits every operation when all conditions hold', async () => {
    await kvs
      .transact()
      .set<Submission>('s1', { market: 'US', dueDay: 1, status: 'filed' }, onlyIf('open'))
      .set<Submission>(
        's2',
        { market: 'US', dueDay: 2, status: 'open' },
        { entityName: 'submission', conditions: new Filter<Submission>().and('status', FilterConditions.notExists()) },
      )
      .delete('plain')
      .execute();
    expect(await submissions().get('s1')).toMatchObject({ status: 'filed' });
    expect(await submissions().get('s2')).toMatchObject({ status: 'open' });
    expect(await kvs.get('plain')).toBeUndefined();
  });

  it('changes nothing when one condition fails, whether on a set, a delete or a check', async () => {
    const before = store.snapshot();
    const attempts = [
      kvs.transact().set('plain', 'after').set<Submission>('s1', { status: 'filed' }, onlyIf('filed')),
      kvs.transact().set('plain', 'after').delete('s1', onlyIf('withdrawn')),
      kvs
        .transact()
        .set('plain', 'after')
        .check('s1', {
          entityName: 'submission',
          conditions: new Filter<Submission>().or('tags', FilterConditions.contains('510k')),
        }),
      kvs.transact().set('plain', 'after').check('absent', onlyIf('open')),
    ];
    for (const attempt of attempts)
      await expect(attempt.execute()).rejects.toEqual(rejection('CONDITIONAL_CHECK_FAILED'));
    expect(store.snapshot()).toEqual(before);
  });

  it('rejects transactions Forge rejects: a key twice, over 25 operations, or a bad value', async () => {
    await expect(
      kvs.transact().check('s1', onlyIf('open')).set('s1', { status: 'x' }, { entityName: 'submission' }).execute(),
    ).rejects.toEqual(rejection('DUPLICATE_KEYS'));
    const many = kvs.transact();
    for (let n = 0; n < 26; n++) many.set(`k${n}`, n);
    await expect(many.execute()).rejects.toEqual(rejection('TOO_MANY_OPERATIONS'));
    await expect(
      kvs.transact().set('k1', 1).set('s9', { dueDay: 'soon' }, { entityName: 'submission' }).execute(),
    ).rejects.toEqual(rejection('INVALID_ENTITY_VALUE'));
    expect(await kvs.get('k1')).toBeUndefined();
  });
});

describe('batches', () => {
  it('reports each item’s outcome and fails only the items that break a rule', async () => {
    const result = await kvs.batchSet<unknown>([
      { key: 'a', value: 1 },
      { key: 'b', value: { status: 'open' }, entityName: 'submission' },
      { key: 'bad/key', value: 1 },
      { key: 'c', value: { status: 7 }, entityName: 'submission' },
    ]);
    expect(result).toEqual({
      successfulKeys: [{ key: 'a' }, { key: 'b', entityName: 'submission' }],
      failedKeys: [
        { key: 'bad/key', error: expect.objectContaining({ code: 'INVALID_KEY' }) },
        { key: 'c', entityName: 'submission', error: expect.objectContaining({ code: 'INVALID_ENTITY_VALUE' }) },
      ],
    });
    expect(await kvs.batchGet([{ key: 'a' }, { key: 'b', entityName: 'submission' }, { key: 'zz' }])).toEqual({
      successfulKeys: [
        { key: 'a', value: 1 },
        { key: 'b', entityName: 'submission', value: { status: 'open' } },
      ],
      failedKeys: [{ key: 'zz', error: { code: 'KEY_NOT_FOUND', message: 'Key does not exist' } }],
    });
    expect(await kvs.batchDelete([{ key: 'a' }, { key: 'zz' }])).toEqual({
      successfulKeys: [{ key: 'a' }],
      failedKeys: [{ key: 'zz', error: { code: 'KEY_NOT_FOUND', message: 'Key does not exist' } }],
    });
  });

  it('fails a whole batch that is empty, too long or names a key twice', async () => {
    await expect(kvs.batchSet([])).rejects.toEqual(rejection('BAD_REQUEST'));
    await expect(kvs.batchSet(Array.from({ length: 26 }, (_, n) => ({ key: `k${n}`, value: n })))).rejects.toEqual(
      rejection('TOO_MANY_OPERATIONS'),
    );
    await expect(
      kvs.batchSet([
        { key: 'a', value: 1 },
        { key: 'a', value: 2 },
      ]),
    ).rejects.toEqual(rejection('DUPLICATE_KEYS'));
    // The same key in the plain store and in an entity are two different items.
    await expect(kvs.batchDelete([{ key: 'a' }, { key: 'a', entityName: 'submission' }])).resolves.toMatchObject({
      successfulKeys: [],
    });
  });
});

describe('malformed requests', () => {
  const call = (path: string, body: string | undefined, method = 'POST') => {
    const answer = store.handle({ method, path, body });
    return { status: answer.status, body: answer.body === undefined ? undefined : JSON.parse(answer.body) };
  };

  it('answers with Forge-shaped errors and never throws', () => {
    expect(call('/api/v1/get', 'not json')).toEqual({
      status: 400,
      body: { code: 'BAD_REQUEST', message: expect.stringContaining('not valid JSON') },
    });
    expect(call('/api/v1/get', '{"key":1}')).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(call('/api/v1/get', '{"key":"a","surprise":true}')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
    expect(call('/api/v1/set', '{"key":"a","value":null}')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
    expect(call('/api/v1/get', undefined)).toMatchObject({ status: 400 });
    expect(call('/api/v1/teleport', '{}')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(call('/api/v1/get', '{"key":"a"}', 'GET')).toMatchObject({ status: 405 });
    expect(
      call(
        '/api/v1/query',
        JSON.stringify({ where: [{ property: 'value', condition: 'BEGINS_WITH', values: ['a'] }] }),
      ),
    ).toMatchObject({
      body: { code: 'QUERY_WHERE_FIELD_INVALID' },
    });
    expect(
      call(
        '/api/v1/entity/query',
        JSON.stringify({
          entityName: 'submission',
          indexName: 'dueDay',
          range: { condition: 'CONTAINS', values: ['a'] },
        }),
      ),
    ).toMatchObject({
      body: { code: 'INVALID_FILTER_CONDITION' },
    });
    expect(
      call(
        '/api/v1/entity/query',
        JSON.stringify({ entityName: 'submission', indexName: 'dueDay', range: { condition: 'BETWEEN', values: [1] } }),
      ),
    ).toMatchObject({
      body: { code: 'INSUFFICIENT_FILTER_VALUES' },
    });
    expect(
      call(
        '/api/v1/entity/query',
        JSON.stringify({ entityName: 'submission', indexName: 'dueDay', filters: { and: [], or: [] } }),
      ),
    ).toMatchObject({
      body: { code: 'INVALID_FILTER_OPERATORS_COMBINATION' },
    });
    expect(call('/api/v1/transaction', '{}')).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(
      call(
        '/api/v1/transaction',
        JSON.stringify({
          set: [{ key: 'a', value: 1, conditions: { and: [{ property: 'x', condition: 'EXISTS', values: [true] }] } }],
        }),
      ),
    ).toMatchObject({
      body: { code: 'BAD_REQUEST', message: expect.stringContaining('need an entityName') },
    });
  });
});

describe('snapshot and restore', () => {
  it('restores exactly what was saved, secrets and entities included', async () => {
    await kvs.set('plain', { nested: [1, 2] });
    await kvs.setSecret('secret', 'shh');
    await submissions().set('s1', { market: 'US', dueDay: 4 });
    await kvs.set('short-lived', 1, { ttl: { value: 1, unit: 'SECONDS' } });
    const saved: KvsSnapshot = JSON.parse(JSON.stringify(store.snapshot()));

    store.clear();
    expect(await kvs.get('plain')).toBeUndefined();
    store.restore(saved);

    expect(await kvs.get('plain')).toEqual({ nested: [1, 2] });
    expect(await kvs.getSecret('secret')).toBe('shh');
    expect((await submissions().query().index('dueDay').getMany()).results).toEqual([
      { key: 's1', value: { market: 'US', dueDay: 4 } },
    ]);
    clockMs += 1_000;
    expect(await kvs.get('short-lived')).toBeUndefined();
    expect(store.snapshot().keyValues.map((entry) => entry.key)).toEqual(['plain']);
  });

  it('refuses a snapshot that is not one, or no longer fits the manifest, and keeps the current content', async () => {
    await kvs.set('keep', 1);
    expect(() => store.restore({ format: 'something-else' })).toThrow('Not a KVS sandbox snapshot');
    const foreign: KvsSnapshot = {
      format: 'forge-kvs-sandbox/1',
      keyValues: [],
      secrets: [],
      entities: { removed: [] },
    };
    expect(() => store.restore(foreign)).toThrow("entity 'removed'");
    const misfit: KvsSnapshot = {
      ...foreign,
      entities: { submission: [{ key: 's', value: { dueDay: 'x' }, createdAt: 0, updatedAt: 0 }] },
    };
    expect(() => store.restore(misfit)).toThrow('no longer fits the manifest');
    expect(await kvs.get('keep')).toBe(1);
  });
});

describe('metrics', () => {
  it('counts requests per operation, counts failures, and resets', async () => {
    await kvs.set('a', 1);
    await kvs.get('a');
    await kvs.get('missing');
    await kvs.query().getMany();
    await kvs.batchSet([{ key: 'b', value: 2 }]);
    await kvs.transact().delete('b').execute();
    await submissions().set('s', { status: 'open' });
    await submissions().query().index('by-status').getMany();
    await expect(kvs.set('bad/key', 1)).rejects.toBeDefined();

    expect(store.metrics()).toEqual({
      total: 9,
      failed: 2, // the absent key (404, which the client turns into undefined) and the bad key
      byOperation: expect.objectContaining({
        get: 2,
        set: 2,
        query: 1,
        batchSet: 1,
        transaction: 1,
        entitySet: 1,
        entityQuery: 1,
        delete: 0,
      }),
    });
    store.resetMetrics();
    expect(store.metrics().total).toBe(0);
    expect(Object.values(store.metrics().byOperation).every((count) => count === 0)).toBe(true);
  });
});
