/**
 * The health-authority approvals the consistency trigger records per quality record and market
 * (`{ [market]: { submissionKey, approvedAt } }`), in app storage under `approvals:<issue key>`.
 * They name RIM issues and their approval dates, so they are not kept on the quality record in
 * Jira, where anyone who may browse the record could read them; the panel shows an approval only
 * to someone Jira lets see its Submission.
 */
import { kvs } from '@forge/kvs';
import { ApprovalsSchema } from '../../domain/consistency';
import type { Approvals } from '../../domain/consistency';
import { AppError } from '../../ports/app-error';

const PREFIX = 'approvals:';
const BATCH_LIMIT = 25;
const keyOf = (issueKey: string): string => `${PREFIX}${issueKey}`;

const failed = (what: string, error: unknown): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The health-authority approvals could not be ${what} app storage (${error instanceof Error ? error.message : String(error)}). Nothing was changed; try again.`,
  );

/** The recorded approvals of these records, by issue key; a record with none is absent. A stored value the app does not recognise counts as none. */
export const loadApprovals = async (issueKeys: readonly string[]): Promise<Map<string, Approvals>> => {
  const unique = [...new Set(issueKeys)];
  const found = new Map<string, Approvals>();
  for (let i = 0; i < unique.length; i += BATCH_LIMIT) {
    let batch;
    try {
      batch = await kvs.batchGet<unknown>(unique.slice(i, i + BATCH_LIMIT).map((key) => ({ key: keyOf(key) })));
    } catch (error) {
      throw failed('read from', error);
    }
    for (const item of batch.failedKeys)
      if (item.error.code !== 'KEY_NOT_FOUND') throw failed('read from', new Error(item.error.message));
    for (const item of batch.successfulKeys) {
      const parsed = ApprovalsSchema.safeParse(item.value);
      if (parsed.success) found.set(item.key.slice(PREFIX.length), parsed.data);
    }
  }
  return found;
};

/** Writes the records' approvals (undefined or empty: removes them), up to 25 records in one all-or-nothing transaction. */
export const saveApprovals = async (
  writes: readonly { issueKey: string; approvals: Approvals | undefined }[],
): Promise<void> => {
  for (let i = 0; i < writes.length; i += BATCH_LIMIT) {
    let transaction = kvs.transact();
    for (const { issueKey, approvals } of writes.slice(i, i + BATCH_LIMIT)) {
      transaction =
        approvals === undefined || Object.keys(approvals).length === 0
          ? transaction.delete(keyOf(issueKey))
          : transaction.set(keyOf(issueKey), ApprovalsSchema.parse(approvals));
    }
    try {
      await transaction.execute();
    } catch (error) {
      throw failed('written to', error);
    }
  }
};
