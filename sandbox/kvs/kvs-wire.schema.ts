/**
 * The request bodies @forge/kvs 1.6.5 sends to the storage service, one schema per path.
 * Read off `StorageApi`, `KvsQueryBuilder`, `KvsEntityQueryBuilder` and
 * `TransactionBuilderImpl` in node_modules/@forge/kvs/out, and its `interfaces/kvs-api.d.ts`.
 *
 * Objects are strict on purpose: a field the stand-in does not know means the client has
 * changed, and that should fail a test rather than be ignored. Conditions are kept loose
 * (`condition: string`, `values: unknown[]`) so the store can answer with the specific
 * error code Forge uses (INVALID_FILTER_CONDITION, INVALID_FILTER_VALUES ...) instead of a
 * generic BAD_REQUEST.
 */
import { z } from 'zod';

export const MetadataFieldSchema = z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME']);
export type MetadataField = z.infer<typeof MetadataFieldSchema>;

/** Storage values are JSON; Forge stores strings, numbers, booleans, objects and arrays, not null. */
export const StorageValueSchema = z.json().refine((value) => value !== null, { message: 'value must not be null' });
export type StorageValue = z.infer<typeof StorageValueSchema>;

const GetOptionsSchema = z.strictObject({ metadataFields: z.array(MetadataFieldSchema).optional() });

export const TtlSchema = z.strictObject({
  value: z.number().int().positive(),
  unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']),
});
export type Ttl = z.infer<typeof TtlSchema>;

const SetOptionsSchema = z.strictObject({
  ttl: TtlSchema.optional(),
  keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
  returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
  returnMetadataFields: z.array(MetadataFieldSchema).optional(),
});
export type SetOptions = z.infer<typeof SetOptionsSchema>;

/** Batch and transaction items accept only a TTL (`SetOptions` in the client's types). */
const TtlOnlyOptionsSchema = z.strictObject({ ttl: TtlSchema.optional() });

export const ConditionClauseSchema = z.strictObject({
  condition: z.string(),
  values: z.array(z.unknown()),
});
export type ConditionClause = z.infer<typeof ConditionClauseSchema>;

export const FilterClauseSchema = ConditionClauseSchema.extend({ property: z.string() });
export type FilterClause = z.infer<typeof FilterClauseSchema>;

/** `{ and: [...] }` or `{ or: [...] }`, as built by the client's `Filter` builders. */
export const FilterGroupSchema = z.strictObject({
  and: z.array(FilterClauseSchema).optional(),
  or: z.array(FilterClauseSchema).optional(),
});
export type FilterGroup = z.infer<typeof FilterGroupSchema>;

// POST /api/v1/get, /api/v1/secret/get
export const GetRequestSchema = z.strictObject({ key: z.string(), options: GetOptionsSchema.optional() });
// POST /api/v1/entity/get
export const EntityGetRequestSchema = GetRequestSchema.extend({ entityName: z.string() });

// POST /api/v1/set, /api/v1/secret/set
export const SetRequestSchema = z.strictObject({
  key: z.string(),
  value: StorageValueSchema,
  options: SetOptionsSchema.optional(),
});
// POST /api/v1/entity/set
export const EntitySetRequestSchema = SetRequestSchema.extend({ entityName: z.string() });

// POST /api/v1/delete, /api/v1/secret/delete
export const DeleteRequestSchema = z.strictObject({ key: z.string() });
// POST /api/v1/entity/delete
export const EntityDeleteRequestSchema = DeleteRequestSchema.extend({ entityName: z.string() });

// POST /api/v1/query — `kvs.query().where('key', WhereConditions.beginsWith(p)).cursor(c).limit(n)`
export const QueryRequestSchema = z.strictObject({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z.array(FilterClauseSchema).optional(),
  options: GetOptionsSchema.optional(),
});
export type QueryRequest = z.infer<typeof QueryRequestSchema>;

// POST /api/v1/entity/query — `kvs.entity(e).query().index(i, { partition }).where(..).filters(..).sort(..)`
export const EntityQueryRequestSchema = z.strictObject({
  entityName: z.string(),
  indexName: z.string(),
  partition: z.array(z.unknown()).optional(),
  range: ConditionClauseSchema.optional(),
  filters: FilterGroupSchema.optional(),
  sort: z.enum(['ASC', 'DESC']).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().optional(),
  options: GetOptionsSchema.optional(),
});
export type EntityQueryRequest = z.infer<typeof EntityQueryRequestSchema>;

// POST /api/v1/batch/set — the body is the bare array the app passed to kvs.batchSet
export const BatchSetRequestSchema = z.array(
  z.strictObject({
    key: z.string(),
    value: StorageValueSchema,
    entityName: z.string().optional(),
    options: TtlOnlyOptionsSchema.optional(),
  }),
);
// POST /api/v1/batch/delete
export const BatchDeleteRequestSchema = z.array(z.strictObject({ key: z.string(), entityName: z.string().optional() }));
// POST /api/v1/batch/get
export const BatchGetRequestSchema = z.array(
  z.strictObject({ key: z.string(), entityName: z.string().optional(), options: GetOptionsSchema.optional() }),
);

// POST /api/v1/transaction — `kvs.transact().set(..).delete(..).check(..).execute()`
export const TransactionRequestSchema = z.strictObject({
  set: z
    .array(
      z.strictObject({
        key: z.string(),
        value: StorageValueSchema,
        entityName: z.string().optional(),
        conditions: FilterGroupSchema.optional(),
        options: TtlOnlyOptionsSchema.optional(),
      }),
    )
    .optional(),
  delete: z
    .array(
      z.strictObject({ key: z.string(), entityName: z.string().optional(), conditions: FilterGroupSchema.optional() }),
    )
    .optional(),
  check: z.array(z.strictObject({ key: z.string(), entityName: z.string(), conditions: FilterGroupSchema })).optional(),
});
export type TransactionRequest = z.infer<typeof TransactionRequestSchema>;

export const KvsOperationSchema = z.enum([
  'get',
  'set',
  'delete',
  'query',
  'secretGet',
  'secretSet',
  'secretDelete',
  'entityGet',
  'entitySet',
  'entityDelete',
  'entityQuery',
  'batchGet',
  'batchSet',
  'batchDelete',
  'transaction',
]);
export type KvsOperation = z.infer<typeof KvsOperationSchema>;

/** The storage paths the client calls, all POST with a JSON body. */
export const KVS_OPERATION_BY_PATH: ReadonlyMap<string, KvsOperation> = new Map<string, KvsOperation>([
  ['/api/v1/get', 'get'],
  ['/api/v1/set', 'set'],
  ['/api/v1/delete', 'delete'],
  ['/api/v1/query', 'query'],
  ['/api/v1/secret/get', 'secretGet'],
  ['/api/v1/secret/set', 'secretSet'],
  ['/api/v1/secret/delete', 'secretDelete'],
  ['/api/v1/entity/get', 'entityGet'],
  ['/api/v1/entity/set', 'entitySet'],
  ['/api/v1/entity/delete', 'entityDelete'],
  ['/api/v1/entity/query', 'entityQuery'],
  ['/api/v1/batch/get', 'batchGet'],
  ['/api/v1/batch/set', 'batchSet'],
  ['/api/v1/batch/delete', 'batchDelete'],
  ['/api/v1/transaction', 'transaction'],
]);
