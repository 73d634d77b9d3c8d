export {
  InMemoryKvs,
  KvsSnapshotSchema,
  type InMemoryKvsOptions,
  type KvsAnswer,
  type KvsMetrics,
  type KvsRequest,
  type KvsSnapshot,
} from './in-memory-kvs';
export { compileEntityDefinitions, EntityDefinitionSchema, type EntityDefinition } from './entity-definitions';
export { KVS_LIMITS } from './kvs-limits';
export type { KvsErrorCode } from './kvs-errors';
export type { KvsOperation } from './kvs-wire.schema';
export { KvsFaultSettingsSchema, type KvsFaultSettings } from './kvs-faults';
