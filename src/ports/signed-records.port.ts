/**
 * Where the signed record of each quality record's regulatory impact is kept: app storage,
 * which people cannot write (src/domain/signed-record.ts says why). Implemented by
 * src/adapters/kvs/signed-record-repository.ts; test/support has an in-memory one.
 */
import type { AuditEntry, AuditEntryInput } from '../domain/audit-chain';
import type { SignedRecord } from '../domain/signed-record';

export interface SignedRecordStore {
  /** The signed records of these issues, by issue key; an issue the app never recorded has none. */
  getMany(issueKeys: readonly string[]): Promise<Map<string, SignedRecord>>;
  /**
   * Writes `next` and appends `audit` in one transaction, provided the stored record is still at
   * version `basedOn` (0: none stored). Otherwise nothing is written and it throws CONFLICT.
   * Answers the audit entry; `next.auditSeq` is set to its seq.
   */
  commit(next: Omit<SignedRecord, 'auditSeq'>, basedOn: number, audit: AuditEntryInput): Promise<AuditEntry>;
}
