/**
 * An in-memory Forge storage service (Key-Value Store, secrets, Custom Entity Store) that
 * answers the HTTP requests @forge/kvs sends through `__forge_fetch__`, so the app's real
 * storage code runs unchanged in the sandbox. It is a boundary: every body is parsed with
 * zod and every failure becomes the `{ code, message }` answer the client expects; nothing
 * a request contains can make it throw.
 */
import { z } from 'zod';
import { KVS_LIMITS, VALID_KEY_PATTERN } from './kvs-limits';
import { badRequest, KvsRequestError, toItemError, type KvsItemError } from './kvs-errors';
import {
  BatchDeleteRequestSchema,
  BatchGetRequestSchema,
  BatchSetRequestSchema,
  DeleteRequestSchema,
  EntityDeleteRequestSchema,
  EntityGetRequestSchema,
  EntityQueryRequestSchema,
  EntitySetRequestSchema,
  GetRequestSchema,
  KVS_OPERATION_BY_PATH,
  KvsOperationSchema,
  QueryRequestSchema,
  SetRequestSchema,
  StorageValueSchema,
  TransactionRequestSchema,
  type EntityQueryRequest,
  type FilterGroup,
  type KvsOperation,
  type MetadataField,
  type QueryRequest,
  type SetOptions,
  type StorageValue,
  type TransactionRequest,
  type Ttl,
} from './kvs-wire.schema';
import {
  assertValidEntityValue,
  compileEntityDefinitions,
  lookUpEntity,
  lookUpIndex,
  type CompiledEntity,
} from './entity-definitions';
import { createKvsFaultInjector } from './kvs-faults';
import type { KvsFaultSettings } from './kvs-faults';
import {
  assertValidFilterGroup,
  assertValidRangeCondition,
  compareIndexValues,
  satisfiesCondition,
  satisfiesFilterGroup,
} from './conditions';

/** The answer to one storage request; the runtime wraps it in a fetch `Response`. */
export interface KvsAnswer {
  status: number;
  /** JSON text, absent for 204. */
  body?: string;
}

export interface KvsRequest {
  method: string;
  path: string;
  body: string | undefined;
}

export interface KvsMetrics {
  /** Every request received, including rejected ones. */
  total: number;
  /** Requests answered with a non-2xx status. */
  failed: number;
  byOperation: Record<KvsOperation, number>;
}

export interface InMemoryKvsOptions {
  /** The manifest's `app.storage.entities`, as parsed from YAML. */
  entities?: unknown;
  /** Epoch milliseconds; injectable so TTL expiry can be tested without waiting. */
  now?: () => number;
}

interface StoredItem {
  value: StorageValue;
  /** Epoch seconds, as the client's own tests show for `createdAt` / `updatedAt`. */
  createdAt: number;
  updatedAt: number;
  /** Epoch milliseconds; absent without a TTL. */
  expiresAt?: number;
}

type Namespace = Map<string, StoredItem>;

const SnapshotEntrySchema = z.strictObject({
  key: z.string(),
  value: StorageValueSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number().optional(),
});
type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;

export const KvsSnapshotSchema = z.strictObject({
  format: z.literal('forge-kvs-sandbox/1'),
  keyValues: z.array(SnapshotEntrySchema),
  secrets: z.array(SnapshotEntrySchema),
  entities: z.record(z.string(), z.array(SnapshotEntrySchema)),
});
/** Plain JSON: write it to disk as is and hand it back to `restore`. */
export type KvsSnapshot = z.infer<typeof KvsSnapshotSchema>;

const TTL_UNIT_MS: Record<Ttl['unit'], number> = {
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

const KvsCursorSchema = z.strictObject({ after: z.string() });
const EntityCursorSchema = z.strictObject({
  index: z.string(),
  sort: z.enum(['ASC', 'DESC']),
  rangeValue: z.union([z.string(), z.number(), z.boolean()]),
  key: z.string(),
});

const encodeCursor = (position: object): string => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

const decodeCursor = <S extends z.ZodType>(schema: S, cursor: string): z.infer<S> => {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // not base64 JSON: reported below
  }
  throw badRequest('INVALID_CURSOR', 'The cursor is not one this query returned');
};

const parseRequest = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw badRequest('BAD_REQUEST', `Provided request body is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const assertValidKey = (key: string, store: 'kvs' | 'entity'): void => {
  if (key.length === 0) {
    throw store === 'entity'
      ? badRequest('EMPTY_KEY', 'Key cannot be empty')
      : badRequest('KEY_TOO_SHORT', 'The provided key needs to be more than one character');
  }
  if (key.length > KVS_LIMITS.maxKeyLength) {
    throw badRequest('KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.maxKeyLength} characters`);
  }
  if (!VALID_KEY_PATTERN.test(key)) {
    throw badRequest('INVALID_KEY', `The provided key does not match the regex: ${VALID_KEY_PATTERN.source}`);
  }
};

const exceedsDepth = (value: unknown, remaining: number): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  if (remaining === 0) return true;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => exceedsDepth(child, remaining - 1));
};

const assertValidValue = (value: StorageValue): void => {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > KVS_LIMITS.maxValueBytes) {
    throw badRequest(
      'MAX_SIZE',
      `The provided value has exceeded the maximum size limit (${bytes} > ${KVS_LIMITS.maxValueBytes} bytes)`,
    );
  }
  if (exceedsDepth(value, KVS_LIMITS.maxValueDepth)) {
    throw badRequest(
      'MAX_DEPTH',
      `The provided value has exceeded the maximum object depth (${KVS_LIMITS.maxValueDepth}) limit`,
    );
  }
};

const assertPageSize = (
  limit: number,
  code: 'LIST_QUERY_LIMIT_EXCEEDED' | 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE',
): void => {
  if (limit < 1 || limit > KVS_LIMITS.maxPageSize) {
    throw badRequest(code, `The page limit must be set between 1 and ${KVS_LIMITS.maxPageSize}`);
  }
};

const json = (status: number, value: unknown): KvsAnswer => ({ status, body: JSON.stringify(value) });
const NO_CONTENT: KvsAnswer = { status: 204 };

const OperationCountsSchema = z.record(KvsOperationSchema, z.number());

const itemIdentity = (item: { key: string; entityName?: string | undefined }): string =>
  JSON.stringify([item.entityName ?? null, item.key]);
const withEntityName = (entityName: string | undefined): { entityName?: string } =>
  entityName === undefined ? {} : { entityName };

export class InMemoryKvs {
  private keyValues: Namespace = new Map();
  private secrets: Namespace = new Map();
  private entityItems = new Map<string, Namespace>();
  private readonly entities: ReadonlyMap<string, CompiledEntity>;
  private readonly now: () => number;
  private counters: KvsMetrics = InMemoryKvs.zeroMetrics();
  private readonly faults = createKvsFaultInjector();

  constructor(options: InMemoryKvsOptions = {}) {
    this.entities = compileEntityDefinitions(options.entities ?? []);
    this.now = options.now ?? Date.now;
  }

  /** Answers one request from @forge/kvs. Never throws. */
  handle(request: KvsRequest): KvsAnswer {
    const operation = KVS_OPERATION_BY_PATH.get(request.path);
    this.counters.total += 1;
    if (operation !== undefined) this.counters.byOperation[operation] += 1;
    const faultStatus = operation === undefined ? undefined : this.faults.draw(operation, request.body);
    const answer =
      faultStatus === undefined
        ? this.answer(operation, request)
        : json(faultStatus, {
            code: 'INTERNAL_SERVER_ERROR',
            message: `The sandbox was told to fail the storage operation ${operation ?? ''} (HTTP ${faultStatus}).`,
          });
    if (answer.status >= 300) this.counters.failed += 1;
    return answer;
  }

  /** Fails chosen operations from now on (see kvs-faults.ts); replaces earlier settings. */
  setFaults(settings: KvsFaultSettings): void {
    this.faults.set(settings);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  metrics(): KvsMetrics {
    return { ...this.counters, byOperation: { ...this.counters.byOperation } };
  }

  resetMetrics(): void {
    this.counters = InMemoryKvs.zeroMetrics();
  }

  /** Empties the store (metrics are kept; reset them separately). */
  clear(): void {
    this.keyValues = new Map();
    this.secrets = new Map();
    this.entityItems = new Map();
  }

  snapshot(): KvsSnapshot {
    const entries = (namespace: Namespace): SnapshotEntry[] =>
      [...this.liveItems(namespace)].map(([key, item]) => ({
        key,
        value: item.value,
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        ...(item.expiresAt === undefined ? {} : { expiresAt: item.expiresAt }),
      }));
    return {
      format: 'forge-kvs-sandbox/1',
      keyValues: entries(this.keyValues),
      secrets: entries(this.secrets),
      entities: Object.fromEntries(
        [...this.entityItems]
          .map(([name, namespace]) => [name, entries(namespace)] as const)
          .filter(([, saved]) => saved.length > 0),
      ),
    };
  }

  /** Replaces the whole content, all or nothing. Throws on a snapshot that does not fit the entity definitions. */
  restore(snapshot: unknown): void {
    const parsed = KvsSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new Error(`Not a KVS sandbox snapshot: ${z.prettifyError(parsed.error)}`);
    const toNamespace = (entries: SnapshotEntry[]): Namespace =>
      new Map(entries.map(({ key, ...item }) => [key, item]));
    const entityItems = new Map<string, Namespace>();
    for (const [name, entries] of Object.entries(parsed.data.entities)) {
      const entity = this.entities.get(name);
      if (entity === undefined)
        throw new Error(`Snapshot holds entity '${name}', which the manifest no longer declares`);
      for (const entry of entries) {
        try {
          assertValidEntityValue(entity, entry.value);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(
            `Snapshot value of entity '${name}' key '${entry.key}' no longer fits the manifest: ${reason}`,
          );
        }
      }
      entityItems.set(name, toNamespace(entries));
    }
    this.keyValues = toNamespace(parsed.data.keyValues);
    this.secrets = toNamespace(parsed.data.secrets);
    this.entityItems = entityItems;
  }

  private static zeroMetrics(): KvsMetrics {
    const byOperation = OperationCountsSchema.parse(
      Object.fromEntries(KvsOperationSchema.options.map((operation) => [operation, 0])),
    );
    return { total: 0, failed: 0, byOperation };
  }

  private answer(operation: KvsOperation | undefined, request: KvsRequest): KvsAnswer {
    try {
      if (request.method.toUpperCase() !== 'POST') {
        throw new KvsRequestError(
          405,
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed; the storage API takes POST`,
        );
      }
      if (operation === undefined)
        throw new KvsRequestError(404, 'NOT_FOUND', `No storage operation at ${request.path}`);
      const rawBody = request.body ?? '';
      if (Buffer.byteLength(rawBody, 'utf8') > KVS_LIMITS.maxPayloadBytes) {
        throw new KvsRequestError(
          413,
          'PAYLOAD_TOO_LARGE',
          `The request payload exceeds ${KVS_LIMITS.maxPayloadBytes} bytes`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw badRequest('BAD_REQUEST', 'Provided request body is not valid JSON');
      }
      return this.dispatch(operation, body);
    } catch (error) {
      if (error instanceof KvsRequestError) return json(error.status, { code: error.code, message: error.message });
      // A defect of the stand-in itself: report it through the client instead of crashing the sandbox.
      const reason = error instanceof Error ? error.message : String(error);
      return json(500, { code: 'INTERNAL_SERVER_ERROR', message: `KVS stand-in failed: ${reason}` });
    }
  }

  private dispatch(operation: KvsOperation, body: unknown): KvsAnswer {
    switch (operation) {
      case 'get':
        return this.get(this.keyValues, parseRequest(GetRequestSchema, body), 'kvs');
      case 'secretGet':
        return this.get(this.secrets, parseRequest(GetRequestSchema, body), 'kvs');
      case 'entityGet': {
        const request = parseRequest(EntityGetRequestSchema, body);
        lookUpEntity(this.entities, request.entityName);
        return this.get(this.entityNamespace(request.entityName), request, 'entity');
      }
      case 'set':
        return this.set(this.keyValues, parseRequest(SetRequestSchema, body), 'kvs');
      case 'secretSet':
        return this.set(this.secrets, parseRequest(SetRequestSchema, body), 'kvs');
      case 'entitySet': {
        const request = parseRequest(EntitySetRequestSchema, body);
        assertValidEntityValue(lookUpEntity(this.entities, request.entityName), request.value);
        return this.set(this.entityNamespace(request.entityName), request, 'entity');
      }
      case 'delete':
        return this.delete(this.keyValues, parseRequest(DeleteRequestSchema, body).key, 'kvs');
      case 'secretDelete':
        return this.delete(this.secrets, parseRequest(DeleteRequestSchema, body).key, 'kvs');
      case 'entityDelete': {
        const request = parseRequest(EntityDeleteRequestSchema, body);
        lookUpEntity(this.entities, request.entityName);
        return this.delete(this.entityNamespace(request.entityName), request.key, 'entity');
      }
      case 'query':
        return this.query(parseRequest(QueryRequestSchema, body));
      case 'entityQuery':
        return this.entityQuery(parseRequest(EntityQueryRequestSchema, body));
      case 'batchSet':
        return this.batchSet(parseRequest(BatchSetRequestSchema, body));
      case 'batchDelete':
        return this.batchDelete(parseRequest(BatchDeleteRequestSchema, body));
      case 'batchGet':
        return this.batchGet(parseRequest(BatchGetRequestSchema, body));
      case 'transaction':
        return this.transaction(parseRequest(TransactionRequestSchema, body));
    }
  }

  private entityNamespace(entityName: string): Namespace {
    let namespace = this.entityItems.get(entityName);
    if (namespace === undefined) {
      namespace = new Map();
      this.entityItems.set(entityName, namespace);
    }
    return namespace;
  }

  /** The namespace an item of a batch or transaction lives in; checks the entity exists. */
  private namespaceFor(entityName: string | undefined): Namespace {
    if (entityName === undefined) return this.keyValues;
    lookUpEntity(this.entities, entityName);
    return this.entityNamespace(entityName);
  }

  private isLive(item: StoredItem): boolean {
    return item.expiresAt === undefined || item.expiresAt > this.now();
  }

  private readLive(namespace: Namespace, key: string): StoredItem | undefined {
    const item = namespace.get(key);
    if (item === undefined) return undefined;
    if (this.isLive(item)) return item;
    namespace.delete(key);
    return undefined;
  }

  private *liveItems(namespace: Namespace): Generator<[string, StoredItem]> {
    for (const [key, item] of namespace) {
      if (this.isLive(item)) yield [key, item];
    }
  }

  private write(
    namespace: Namespace,
    key: string,
    value: StorageValue,
    ttl: Ttl | undefined,
  ): { previous?: StoredItem; current: StoredItem } {
    const previous = this.readLive(namespace, key);
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const current: StoredItem = {
      value,
      createdAt: previous?.createdAt ?? nowSeconds,
      updatedAt: nowSeconds,
      ...(ttl === undefined ? {} : { expiresAt: nowMs + ttl.value * TTL_UNIT_MS[ttl.unit] }),
    };
    namespace.set(key, current);
    return previous === undefined ? { current } : { previous, current };
  }

  private withMetadata(
    key: string,
    item: StoredItem,
    fields: readonly MetadataField[] | undefined,
  ): Record<string, unknown> {
    return {
      key,
      value: item.value,
      ...(fields?.includes('CREATED_AT') ? { createdAt: item.createdAt } : {}),
      ...(fields?.includes('UPDATED_AT') ? { updatedAt: item.updatedAt } : {}),
      ...(fields?.includes('EXPIRE_TIME') && item.expiresAt !== undefined
        ? { expireTime: new Date(item.expiresAt).toISOString() }
        : {}),
    };
  }

  private get(
    namespace: Namespace,
    request: { key: string; options?: { metadataFields?: MetadataField[] | undefined } | undefined },
    store: 'kvs' | 'entity',
  ): KvsAnswer {
    assertValidKey(request.key, store);
    const item = this.readLive(namespace, request.key);
    if (item === undefined) throw new KvsRequestError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return json(200, this.withMetadata(request.key, item, request.options?.metadataFields));
  }

  private set(
    namespace: Namespace,
    request: { key: string; value: StorageValue; options?: SetOptions | undefined },
    store: 'kvs' | 'entity',
  ): KvsAnswer {
    assertValidKey(request.key, store);
    assertValidValue(request.value);
    const options = request.options;
    if (options?.returnValue !== undefined && options.keyPolicy !== 'OVERRIDE') {
      throw badRequest('BAD_REQUEST', 'returnValue requires keyPolicy OVERRIDE');
    }
    if (options?.keyPolicy === 'FAIL_IF_EXISTS' && this.readLive(namespace, request.key) !== undefined) {
      throw new KvsRequestError(
        409,
        'KEY_ALREADY_EXISTS',
        `Key '${request.key}' already exists and keyPolicy is FAIL_IF_EXISTS`,
      );
    }
    const { previous, current } = this.write(namespace, request.key, request.value, options?.ttl);
    if (options?.returnValue === undefined) return NO_CONTENT;
    const returned = options.returnValue === 'PREVIOUS' ? previous : current;
    return returned === undefined
      ? NO_CONTENT
      : json(200, this.withMetadata(request.key, returned, options.returnMetadataFields));
  }

  /** Deleting an absent key succeeds, as Forge documents for transactions; the client treats both alike. */
  private delete(namespace: Namespace, key: string, store: 'kvs' | 'entity'): KvsAnswer {
    assertValidKey(key, store);
    namespace.delete(key);
    return NO_CONTENT;
  }

  private query(request: QueryRequest): KvsAnswer {
    const limit = request.limit ?? KVS_LIMITS.defaultPageSize;
    assertPageSize(limit, 'LIST_QUERY_LIMIT_EXCEEDED');
    const where = request.where ?? [];
    if (where.length > 1)
      throw badRequest('QUERY_WHERE_INVALID', 'KVS queries should contain only a single "where" clause');
    const [clause] = where;
    let prefix = '';
    if (clause !== undefined) {
      if (clause.property !== 'key')
        throw badRequest('QUERY_WHERE_FIELD_INVALID', `Cannot filter on '${clause.property}'; only 'key' is supported`);
      if (clause.condition !== 'BEGINS_WITH')
        throw badRequest('INVALID_FILTER_CONDITION', `Condition ${clause.condition} is not supported; use BEGINS_WITH`);
      const [value, ...extra] = clause.values;
      if (typeof value !== 'string' || extra.length > 0)
        throw badRequest('INVALID_FILTER_VALUES', 'BEGINS_WITH takes exactly one string');
      prefix = value;
    }
    const after = request.after === undefined ? undefined : decodeCursor(KvsCursorSchema, request.after).after;
    const matching = [...this.liveItems(this.keyValues)]
      .filter(([key]) => key.startsWith(prefix) && (after === undefined || key > after))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return json(200, {
      data: page.map(([key, item]) => this.withMetadata(key, item, request.options?.metadataFields)),
      ...(matching.length > limit && last !== undefined ? { cursor: encodeCursor({ after: last[0] }) } : {}),
    });
  }

  private entityQuery(request: EntityQueryRequest): KvsAnswer {
    const entity = lookUpEntity(this.entities, request.entityName);
    const index = lookUpIndex(entity, request.indexName);
    const limit = request.limit ?? KVS_LIMITS.defaultPageSize;
    assertPageSize(limit, 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE');
    const partition = request.partition ?? [];
    if (partition.length !== index.partition.length) {
      throw badRequest(
        'INVALID_PARTITION',
        index.partition.length === 0
          ? `Index '${index.name}' has no partition`
          : `Index '${index.name}' needs a partition value for each of: ${index.partition.join(', ')}`,
      );
    }
    if (request.range !== undefined) assertValidRangeCondition(request.range);
    if (request.filters !== undefined) assertValidFilterGroup(request.filters);
    const sort = request.sort ?? 'ASC';
    const direction = sort === 'ASC' ? 1 : -1;

    type IndexEntry = {
      key: string;
      item: StoredItem;
      attributes: Record<string, unknown>;
      rangeValue: string | number | boolean;
    };
    const entries: IndexEntry[] = [];
    for (const [key, item] of this.liveItems(this.entityNamespace(entity.name))) {
      if (!isRecord(item.value)) continue;
      const attributes = item.value;
      // Sparse index: an item without the partition or range attribute is not in the index.
      if (
        !index.partition.every(
          (attribute, position) => attributes[attribute] !== undefined && attributes[attribute] === partition[position],
        )
      )
        continue;
      const rangeValue = attributes[index.range];
      if (typeof rangeValue !== 'string' && typeof rangeValue !== 'number' && typeof rangeValue !== 'boolean') continue;
      if (request.range !== undefined && !satisfiesCondition(rangeValue, request.range)) continue;
      entries.push({ key, item, attributes, rangeValue });
    }
    const byPosition = (
      a: { rangeValue: string | number | boolean; key: string },
      b: { rangeValue: string | number | boolean; key: string },
    ): number =>
      direction * (compareIndexValues(a.rangeValue, b.rangeValue) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    entries.sort(byPosition);

    let remaining = entries;
    if (request.cursor !== undefined) {
      const position = decodeCursor(EntityCursorSchema, request.cursor);
      if (position.index !== index.name || position.sort !== sort) {
        throw badRequest('INVALID_CURSOR', 'The cursor belongs to a query on another index or sort order');
      }
      remaining = entries.filter((entry) => byPosition(entry, position) > 0);
    }
    // As in DynamoDB, which backs the store, `limit` bounds the items read; filters then drop
    // some of them, so a page can hold fewer than `limit` results and still have a cursor.
    const read = remaining.slice(0, limit);
    const filters = request.filters;
    const results =
      filters === undefined ? read : read.filter((entry) => satisfiesFilterGroup(entry.attributes, filters));
    const last = read.at(-1);
    return json(200, {
      data: results.map((entry) => this.withMetadata(entry.key, entry.item, request.options?.metadataFields)),
      ...(remaining.length > limit && last !== undefined
        ? { cursor: encodeCursor({ index: index.name, sort, rangeValue: last.rangeValue, key: last.key }) }
        : {}),
    });
  }

  /** Forge fails a whole batch that is empty, too long, or names the same key twice. */
  private assertValidBatch(items: readonly { key: string; entityName?: string | undefined }[]): void {
    if (items.length === 0) throw badRequest('BAD_REQUEST', 'A batch must contain at least one item');
    if (items.length > KVS_LIMITS.maxBatchItems) {
      throw badRequest(
        'TOO_MANY_OPERATIONS',
        `A batch can contain at most ${KVS_LIMITS.maxBatchItems} keys, got ${items.length}`,
      );
    }
    if (new Set(items.map(itemIdentity)).size !== items.length) {
      throw badRequest('DUPLICATE_KEYS', 'A batch cannot name the same key (of the same entity) twice');
    }
  }

  /** Runs one batch item; a request error becomes that item's failure instead of the batch's. */
  private attemptItem<T>(run: () => T): { ok: T } | { failed: KvsItemError } {
    try {
      return { ok: run() };
    } catch (error) {
      if (error instanceof KvsRequestError) return { failed: toItemError(error) };
      throw error;
    }
  }

  /** Runs each item on its own: one item's failure is reported for it, the others still apply. */
  private runBatch<I extends { key: string; entityName?: string | undefined }, T>(
    items: readonly I[],
    run: (item: I, namespace: Namespace) => T,
    succeeded: (item: I, result: T) => object = (item) => ({ key: item.key, ...withEntityName(item.entityName) }),
  ): KvsAnswer {
    this.assertValidBatch(items);
    const successfulKeys: object[] = [];
    const failedKeys: object[] = [];
    for (const item of items) {
      const outcome = this.attemptItem(() => {
        const namespace = this.namespaceFor(item.entityName);
        assertValidKey(item.key, item.entityName === undefined ? 'kvs' : 'entity');
        return run(item, namespace);
      });
      if ('ok' in outcome) successfulKeys.push(succeeded(item, outcome.ok));
      else failedKeys.push({ key: item.key, ...withEntityName(item.entityName), error: outcome.failed });
    }
    return json(200, { successfulKeys, failedKeys });
  }

  private batchSet(items: z.infer<typeof BatchSetRequestSchema>): KvsAnswer {
    return this.runBatch(items, (item, namespace) => {
      assertValidValue(item.value);
      if (item.entityName !== undefined)
        assertValidEntityValue(lookUpEntity(this.entities, item.entityName), item.value);
      this.write(namespace, item.key, item.value, item.options?.ttl);
    });
  }

  private batchDelete(items: z.infer<typeof BatchDeleteRequestSchema>): KvsAnswer {
    return this.runBatch(items, (item, namespace) => {
      // Unlike a single delete, a batch reports an absent key (as in the client's tests).
      if (this.readLive(namespace, item.key) === undefined)
        throw new KvsRequestError(404, 'KEY_NOT_FOUND', 'Key does not exist');
      namespace.delete(item.key);
    });
  }

  private batchGet(items: z.infer<typeof BatchGetRequestSchema>): KvsAnswer {
    return this.runBatch(
      items,
      (item, namespace) => {
        const stored = this.readLive(namespace, item.key);
        if (stored === undefined) throw new KvsRequestError(404, 'KEY_NOT_FOUND', 'Key does not exist');
        return this.withMetadata(item.key, stored, item.options?.metadataFields);
      },
      (item, found) => ({ ...found, ...withEntityName(item.entityName) }),
    );
  }

  /**
   * All or nothing: every operation is validated and every condition evaluated against the
   * state before any write. Forge allows 25 operations and each key once per transaction;
   * conditions apply to custom entities only.
   */
  private transaction(request: TransactionRequest): KvsAnswer {
    type Operation = {
      kind: 'set' | 'delete' | 'check';
      key: string;
      entityName?: string | undefined;
      conditions?: FilterGroup | undefined;
    };
    const sets = request.set ?? [];
    const deletes = request.delete ?? [];
    const operations: Operation[] = [
      ...sets.map((operation) => ({ kind: 'set' as const, ...operation })),
      ...deletes.map((operation) => ({ kind: 'delete' as const, ...operation })),
      ...(request.check ?? []).map((operation) => ({ kind: 'check' as const, ...operation })),
    ];
    if (operations.length === 0) throw badRequest('BAD_REQUEST', 'A transaction must contain at least one operation');
    if (operations.length > KVS_LIMITS.maxTransactionOperations) {
      throw badRequest(
        'TOO_MANY_OPERATIONS',
        `Each transaction can contain a maximum of ${KVS_LIMITS.maxTransactionOperations} operations, got ${operations.length}`,
      );
    }
    if (new Set(operations.map(itemIdentity)).size !== operations.length) {
      throw badRequest(
        'DUPLICATE_KEYS',
        'Each key can only be used once in a transaction; put a condition on the set or delete instead of a separate check',
      );
    }
    for (const operation of operations) {
      this.namespaceFor(operation.entityName);
      assertValidKey(operation.key, operation.entityName === undefined ? 'kvs' : 'entity');
      if (operation.conditions !== undefined) {
        if (operation.entityName === undefined)
          throw badRequest('BAD_REQUEST', `Conditions on key '${operation.key}' need an entityName`);
        assertValidFilterGroup(operation.conditions);
      }
    }
    for (const set of sets) {
      assertValidValue(set.value);
      if (set.entityName !== undefined) assertValidEntityValue(lookUpEntity(this.entities, set.entityName), set.value);
    }
    const failedConditions = operations.filter((operation) => {
      if (operation.conditions === undefined) return false;
      const current = this.readLive(this.namespaceFor(operation.entityName), operation.key);
      return !satisfiesFilterGroup(
        current !== undefined && isRecord(current.value) ? current.value : undefined,
        operation.conditions,
      );
    });
    if (failedConditions.length > 0) {
      const keys = failedConditions.map((operation) => `${operation.entityName ?? ''}/${operation.key}`).join(', ');
      throw new KvsRequestError(
        409,
        'CONDITIONAL_CHECK_FAILED',
        `Transaction cancelled: condition not met for ${keys}`,
      );
    }
    for (const set of sets) this.write(this.namespaceFor(set.entityName), set.key, set.value, set.options?.ttl);
    for (const deletion of deletes) this.namespaceFor(deletion.entityName).delete(deletion.key);
    return NO_CONTENT;
  }
}
