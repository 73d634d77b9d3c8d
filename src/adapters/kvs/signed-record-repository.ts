/**
 * The signed records (src/ports/signed-records.port.ts) in the custom entity `impact-record`,
 * key: the issue key. A write is one `kvs.transact()` with the audit entry that tells of it
 * (adapters/kvs/audit-repository.ts), conditional on the stored version: of two writers on the
 * same version exactly one commits, and a record never exists without its audit entry.
 */
import { Filter, FilterConditions, kvs } from '@forge/kvs';
import type { AuditEntryInput } from '../../domain/audit-chain';
import { SignedRecordSchema } from '../../domain/signed-record';
import type { SignedRecord } from '../../domain/signed-record';
import { AppError } from '../../ports/app-error';
import type { SignedRecordStore } from '../../ports/signed-records.port';
import { appendAuditEntry } from './audit-repository';

export const SIGNED_RECORD_ENTITY = 'impact-record';
/** Keys per batch get (Forge's limit); the bench's storage budgets are counted in these. */
export const BATCH_GET_LIMIT = 25;

const storageFailed = (error: unknown): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The signed records could not be read from app storage (${error instanceof Error ? error.message : String(error)}), so nothing was decided on them. Try again.`,
  );

const parseStored = (key: string, raw: unknown): SignedRecord => {
  const parsed = SignedRecordSchema.safeParse(raw);
  if (!parsed.success || parsed.data.issueKey !== key || parsed.data.version !== parsed.data.impact.version) {
    throw new AppError(
      'INVALID_RESPONSE',
      `The signed record of ${key} in app storage is not valid; a Jira admin must verify the audit trail.`,
    );
  }
  return parsed.data;
};

const getMany = async (issueKeys: readonly string[]): Promise<Map<string, SignedRecord>> => {
  const unique = [...new Set(issueKeys)];
  const found = new Map<string, SignedRecord>();
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let batch;
    try {
      batch = await kvs.batchGet<unknown>(
        unique.slice(i, i + BATCH_GET_LIMIT).map((key) => ({ key, entityName: SIGNED_RECORD_ENTITY })),
      );
    } catch (error) {
      throw storageFailed(error);
    }
    // A key with no record comes back in `failedKeys` as not found; any other failure must not read as "never recorded".
    for (const failed of batch.failedKeys) {
      if (failed.error.code !== 'KEY_NOT_FOUND') throw storageFailed(new Error(failed.error.message ?? 'unknown'));
    }
    for (const item of batch.successfulKeys) found.set(item.key, parseStored(item.key, item.value));
  }
  return found;
};

const storedVersion = async (issueKey: string): Promise<number> => {
  const map = await getMany([issueKey]);
  return map.get(issueKey)?.version ?? 0;
};

const QUERY_PAGE = 100;

/**
 * The audit entry each signed record was written with (`{ subject, seq }`): the audit trail's
 * verification checks the chain holds every one of them (a chain cut back before a signed
 * record's entry is reported, even with a genuine older head put back).
 */
export const listReferencedAuditSeqs = async (): Promise<{ subject: string; seq: number }[]> => {
  const referenced: { subject: string; seq: number }[] = [];
  let cursor: string | undefined;
  try {
    do {
      let page = kvs.entity<unknown>(SIGNED_RECORD_ENTITY).query().index('by-issue-key').limit(QUERY_PAGE);
      if (cursor !== undefined) page = page.cursor(cursor);
      const result = await page.getMany();
      for (const item of result.results) {
        const record = parseStored(item.key, item.value);
        if (record.auditSeq !== undefined) referenced.push({ subject: record.issueKey, seq: record.auditSeq });
      }
      cursor = result.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw storageFailed(error);
  }
  return referenced;
};

export const kvsSignedRecordStore: SignedRecordStore = {
  getMany,
  commit: async (next, basedOn, audit: AuditEntryInput) => {
    const unchanged =
      basedOn === 0
        ? new Filter<SignedRecord>().and('version', FilterConditions.notExists())
        : new Filter<SignedRecord>().and('version', FilterConditions.equalTo(basedOn));
    return appendAuditEntry(audit, {
      writes: (entry) => [
        (transaction) =>
          transaction.set<SignedRecord>(next.issueKey, SignedRecordSchema.parse({ ...next, auditSeq: entry.seq }), {
            entityName: SIGNED_RECORD_ENTITY,
            conditions: unchanged,
          }),
      ],
      onConditionFailed: async () => {
        const current = await storedVersion(next.issueKey);
        if (current !== basedOn) {
          throw new AppError(
            'CONFLICT',
            `${next.issueKey}'s assessment was changed by someone else: it is now at version ${current}, and your change was based on version ${basedOn}. Nothing was saved; reload the panel to see version ${current} and apply your change again.`,
            { currentVersion: current },
          );
        }
      },
    });
  },
};
