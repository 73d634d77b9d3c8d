/**
 * The traceability index in Forge's Custom Entity Store (manifest: app.storage.entities,
 * entity `traceability-entry`), one entity per Jira issue keyed by its issue id, and the
 * state of the latest rebuild/check run under plain keys.
 *
 * Why custom entities and not plain keys: the macro asks for "records of these kinds created
 * in this range" and "every Submission/Commitment", and the `by-kind-created` index answers
 * exactly that (partition `kind`, range `createdAt`), so a view of CAPAs from last quarter
 * reads those entries and no others; with plain keys the only query is a key prefix, and every
 * view would page through the whole index. The `by-key` index lists every entry, for the
 * rebuild's sweep and the check.
 *
 * Writes use batches of 25 (Forge's batch limit). Each entry is one issue's whole value, so a
 * batch that fails part-way leaves each entry either old or new, never half-written, and the
 * next event or rebuild writes it again. Every value read back is parsed with zod.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { IndexRunSchema } from '../../contract/traceability';
import type { IndexRun } from '../../contract/traceability';
import { InstantSchema } from '../../domain/model';
import { IssueIdSchema, TraceIndexEntrySchema } from '../../domain/traceability-index';
import type { TraceIndexEntry, TraceIndexKind } from '../../domain/traceability-index';
import { AppError } from '../../ports/app-error';

export const TRACE_ENTITY = 'traceability-entry';
export const TRACE_INDEX_BY_KIND = 'by-kind-created';
export const TRACE_INDEX_BY_KEY = 'by-issue-key';
export const TRACE_RUN_KEY = 'traceability-index:run';
export const TRACE_BUILT_KEY = 'traceability-index:built';

const BATCH_LIMIT = 25;
const QUERY_PAGE = 100;

/** The entity's value: its attributes as the manifest declares them (the issue id is the entity's key). */
const StoredEntrySchema = TraceIndexEntrySchema.omit({ issueId: true }).extend({
  /** When the app wrote this entry (ISO 8601): a rebuild's sweep never removes one written after it started. */
  indexedAt: InstantSchema,
});
type StoredEntry = z.infer<typeof StoredEntrySchema>;

export interface StoredTraceEntry {
  entry: TraceIndexEntry;
  indexedAt: string;
}

const failed = (what: string, error: unknown): AppError =>
  error instanceof AppError
    ? error
    : new AppError(
        'STORAGE_FAILED',
        `The traceability index could not be ${what} in app storage: ${error instanceof Error ? error.message : String(error)}`,
      );

// Parsed once: a view reads thousands of entries, and each is as large as the record it holds.
const parseStored = (issueId: string, raw: unknown): StoredTraceEntry => {
  const stored = StoredEntrySchema.safeParse(raw);
  const id = IssueIdSchema.safeParse(issueId);
  if (!stored.success || !id.success) {
    throw new AppError(
      'INVALID_RESPONSE',
      `The traceability index entry of issue ${issueId} is not valid; rebuild the index from the app's admin page.`,
    );
  }
  const { indexedAt, ...entry } = stored.data;
  return { entry: { issueId: id.data, ...entry }, indexedAt };
};

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

type BatchFailures = { failedKeys: ReadonlyArray<{ key: string; error?: { code?: string; message?: string } }> };

const assertAllSucceeded = (
  result: BatchFailures,
  what: string,
  tolerated: (code: string | undefined) => boolean = () => false,
): void => {
  const failures = result.failedKeys.filter((f) => !tolerated(f.error?.code));
  const first = failures[0];
  if (first !== undefined)
    throw new AppError(
      'STORAGE_FAILED',
      `The traceability index could not be ${what} for ${failures.length} issue(s) (issue ${first.key}: ${first.error?.message ?? 'unknown'}); the next change or a rebuild writes them again.`,
    );
};

// A batch delete reports a key that is not stored; for the index, an absent entry is already deleted.
const alreadyAbsent = (code: string | undefined): boolean => code === 'KEY_NOT_FOUND';

export const putTraceEntries = async (entries: readonly TraceIndexEntry[], indexedAt: string): Promise<void> => {
  try {
    for (const batch of chunks(entries, BATCH_LIMIT)) {
      const result = await kvs.batchSet<StoredEntry>(
        batch.map((entry) => ({
          entityName: TRACE_ENTITY,
          key: entry.issueId,
          value: {
            issueKey: entry.issueKey,
            kind: entry.kind,
            createdAt: entry.createdAt,
            indexedAt,
            item: entry.item,
          },
        })),
      );
      assertAllSucceeded(result, 'written');
    }
  } catch (error) {
    throw failed('written', error);
  }
};

export const deleteTraceEntries = async (issueIds: readonly string[]): Promise<void> => {
  try {
    for (const batch of chunks([...new Set(issueIds)], BATCH_LIMIT)) {
      assertAllSucceeded(
        await kvs.batchDelete(batch.map((key) => ({ entityName: TRACE_ENTITY, key }))),
        'deleted',
        alreadyAbsent,
      );
    }
  } catch (error) {
    throw failed('deleted', error);
  }
};

export const getTraceEntries = async (issueIds: readonly string[]): Promise<StoredTraceEntry[]> => {
  const found: StoredTraceEntry[] = [];
  try {
    for (const batch of chunks([...new Set(issueIds)], BATCH_LIMIT)) {
      const result = await kvs.batchGet<unknown>(batch.map((key) => ({ entityName: TRACE_ENTITY, key })));
      // A key that is not stored is not an error here: absence is the answer.
      for (const item of result.successfulKeys) found.push(parseStored(item.key, item.value));
    }
  } catch (error) {
    throw failed('read', error);
  }
  return found;
};

type EntityQuery = ReturnType<ReturnType<ReturnType<typeof kvs.entity<StoredEntry>>['query']>['index']>;

const readAll = async (query: () => EntityQuery): Promise<StoredTraceEntry[]> => {
  const found: StoredTraceEntry[] = [];
  let cursor: string | undefined;
  try {
    do {
      let page = query().limit(QUERY_PAGE);
      if (cursor !== undefined) page = page.cursor(cursor);
      const result = await page.getMany();
      for (const item of result.results) found.push(parseStored(item.key, item.value));
      cursor = result.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    throw failed('read', error);
  }
  return found;
};

/** The entries of one kind, optionally only those created in `[from, to]` (ISO instants). */
export const queryTraceEntries = (
  kind: TraceIndexKind,
  created?: { from: string; to: string },
): Promise<StoredTraceEntry[]> =>
  readAll(() => {
    const query = kvs
      .entity<StoredEntry>(TRACE_ENTITY)
      .query()
      .index(TRACE_INDEX_BY_KIND, { partition: [kind] });
    return created === undefined ? query : query.where(WhereConditions.between(created.from, created.to));
  });

/** Every entry, by issue key. */
export const listTraceEntries = (): Promise<StoredTraceEntry[]> =>
  readAll(() => kvs.entity<StoredEntry>(TRACE_ENTITY).query().index(TRACE_INDEX_BY_KEY));

const readKey = async <S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(key);
  } catch (error) {
    throw failed('read', error);
  }
  if (raw === undefined || raw === null) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'INVALID_RESPONSE',
      `The traceability index's ${key} in app storage is not valid; start a rebuild from the app's admin page.`,
    );
  return parsed.data;
};

export const readIndexRun = (): Promise<IndexRun | undefined> => readKey(TRACE_RUN_KEY, IndexRunSchema);

export const writeIndexRun = async (run: IndexRun): Promise<void> => {
  try {
    await kvs.set(TRACE_RUN_KEY, IndexRunSchema.parse(run));
  } catch (error) {
    throw failed('written', error);
  }
};

const BuiltSchema = z.strictObject({ builtAt: InstantSchema, runId: z.string() });

/** When the last rebuild finished: the index then mirrored all of Jira's traceability data. */
export const readIndexBuilt = (): Promise<z.infer<typeof BuiltSchema> | undefined> =>
  readKey(TRACE_BUILT_KEY, BuiltSchema);

export const writeIndexBuilt = async (builtAt: string, runId: string): Promise<void> => {
  try {
    await kvs.set(TRACE_BUILT_KEY, { builtAt, runId });
  } catch (error) {
    throw failed('written', error);
  }
};
