/**
 * A knob for tests: make one storage operation fail, as Forge's storage service does when it
 * is unavailable (a 5xx with `{ code, message }`), so a test can break exactly one step of a
 * multi-step write: the version claim, its release, the audit append. A faulted request is
 * refused before any work, so it changes nothing. `entityName` narrows a rule to requests on
 * that custom entity (for a transaction: any of its items), so a test can fail the app's
 * claim without also failing the traceability index its triggers keep.
 */
import { z } from 'zod';
import { KvsOperationSchema } from './kvs-wire.schema';
import type { KvsOperation } from './kvs-wire.schema';

export const KvsFaultSettingsSchema = z.strictObject({
  failOperations: z.array(
    z.strictObject({
      operation: KvsOperationSchema,
      entityName: z.string().min(1).optional(),
      status: z.union([z.literal(500), z.literal(503)]).optional(),
      /** How many matching requests go through before the first one fails. */
      after: z.number().int().min(0).optional(),
      /** How many matching requests fail; every one when absent. */
      times: z.number().int().min(1).optional(),
    }),
  ),
});
export type KvsFaultSettings = z.infer<typeof KvsFaultSettingsSchema>;

const ItemsSchema = z.looseObject({
  entityName: z.string().optional(),
  set: z.array(z.looseObject({ entityName: z.string().optional() })).optional(),
  delete: z.array(z.looseObject({ entityName: z.string().optional() })).optional(),
  check: z.array(z.looseObject({ entityName: z.string().optional() })).optional(),
});

/** The custom entities a request names (none for plain key-value requests). */
const entityNamesOf = (body: string | undefined): string[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return [];
  }
  const items = ItemsSchema.safeParse(parsed);
  if (!items.success) return [];
  const { entityName, set = [], delete: deleted = [], check = [] } = items.data;
  return [entityName, ...[...set, ...deleted, ...check].map((item) => item.entityName)].filter(
    (name): name is string => name !== undefined,
  );
};

export interface KvsFaultInjector {
  set(settings: KvsFaultSettings): void;
  clear(): void;
  /** The status this request must fail with, if a rule draws it. */
  draw(operation: KvsOperation, body: string | undefined): number | undefined;
}

export const createKvsFaultInjector = (): KvsFaultInjector => {
  let rules: KvsFaultSettings['failOperations'] = [];
  let passesLeft: number[] = [];
  let failuresLeft: (number | undefined)[] = [];
  return {
    set(settings) {
      const parsed = KvsFaultSettingsSchema.safeParse(settings);
      if (!parsed.success) throw new Error(`setFaults: ${z.prettifyError(parsed.error)}`);
      rules = parsed.data.failOperations;
      passesLeft = rules.map((r) => r.after ?? 0);
      failuresLeft = rules.map((r) => r.times);
    },
    clear() {
      rules = [];
      passesLeft = [];
      failuresLeft = [];
    },
    draw(operation, body) {
      const names = rules.some((r) => r.entityName !== undefined) ? entityNamesOf(body) : [];
      const index = rules.findIndex(
        (r, i) =>
          r.operation === operation &&
          (r.entityName === undefined || names.includes(r.entityName)) &&
          failuresLeft[i] !== 0,
      );
      const rule = rules[index];
      if (!rule) return undefined;
      if ((passesLeft[index] ?? 0) > 0) {
        passesLeft[index] = (passesLeft[index] ?? 0) - 1;
        return undefined;
      }
      const left = failuresLeft[index];
      if (left !== undefined) failuresLeft[index] = left - 1;
      return rule.status ?? 503;
    },
  };
};
