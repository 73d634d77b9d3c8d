/**
 * The audit chain (src/domain/audit-chain.ts) in Forge app storage, written as the app:
 * one key per entry, `audit:entry:<seq, 12 digits>`, and `audit:head` = { seq, hash }.
 *
 * An append writes the new entry and the new head in one `kvs.transact()`, so the head
 * never names an entry that is not stored and no entry is stored without its head.
 * Forge applies transaction conditions to custom entities only, and the app keeps the chain
 * in plain keys, so the transaction cannot itself refuse a concurrent append. Instead the
 * head is re-read after the write: if another append won the race (the head is not ours),
 * the append is retried from the new head. A race that slips between the write and the
 * re-read shows up as a break in `verify()`, never as silently lost history.
 */
import { WhereConditions, kvs } from '@forge/kvs';
import type { z } from 'zod';
import { AuditEntrySchema, ChainHeadSchema, appendEntry, verifyChain } from '../../domain/audit-chain';
import type { AuditEntry, AuditEntryInput, ChainHead, ChainVerification } from '../../domain/audit-chain';
import { AppError } from '../../ports/app-error';

export const AUDIT_HEAD_KEY = 'audit:head';
export const AUDIT_ENTRY_PREFIX = 'audit:entry:';
export const auditEntryKey = (seq: number): string => `${AUDIT_ENTRY_PREFIX}${String(seq).padStart(12, '0')}`;

const PAGE_SIZE = 100;
const MAX_APPEND_ATTEMPTS = 3;

const storageFailed = (what: string, error: unknown): AppError =>
  new AppError('STORAGE_FAILED', `The audit trail could not be ${what} in app storage: ${error instanceof Error ? error.message : String(error)}`);

const parseOrFail = <S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_RESPONSE', `The stored audit ${what} is not valid; the audit trail must be checked by an admin.`);
  return parsed.data;
};

export const readAuditHead = async (): Promise<ChainHead | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(AUDIT_HEAD_KEY);
  } catch (error) {
    throw storageFailed('read', error);
  }
  return raw === undefined || raw === null ? undefined : parseOrFail(ChainHeadSchema, raw, 'head');
};

const readEntry = async (seq: number): Promise<AuditEntry | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(auditEntryKey(seq));
  } catch (error) {
    throw storageFailed('read', error);
  }
  return raw === undefined || raw === null ? undefined : parseOrFail(AuditEntrySchema, raw, `entry ${seq}`);
};

/** Appends one entry after the current head; answers the stored entry. */
export const appendAuditEntry = async (input: AuditEntryInput): Promise<AuditEntry> => {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
    const head = await readAuditHead();
    const previous = head === undefined ? undefined : await readEntry(head.seq);
    if (head !== undefined && (previous === undefined || previous.hash !== head.hash)) {
      throw new AppError('STORAGE_FAILED', `The audit trail's head names entry ${head.seq}, which is missing or does not match; nothing more is appended until an admin checks the chain.`);
    }
    const entry = appendEntry(previous, input);
    const nextHead: ChainHead = { seq: entry.seq, hash: entry.hash };
    try {
      await kvs.transact().set(auditEntryKey(entry.seq), entry).set(AUDIT_HEAD_KEY, nextHead).execute();
    } catch (error) {
      throw storageFailed('written', error);
    }
    const after = await readAuditHead();
    if (after !== undefined && after.seq === nextHead.seq && after.hash === nextHead.hash) return entry;
    // Another append overwrote the head between our read and our write: go again from its head.
  }
  throw new AppError('CONFLICT', 'The audit trail is busy with other decisions; nothing was recorded. Try again.');
};

/** Every entry, oldest first, read by key prefix a page at a time. */
export const listAuditEntries = async (): Promise<AuditEntry[]> => {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  try {
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(AUDIT_ENTRY_PREFIX)).limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      for (const result of page.results) entries.push(parseOrFail(AuditEntrySchema, result.value, `entry ${result.key}`));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw storageFailed('read', error);
  }
  return entries.sort((a, b) => a.seq - b.seq);
};

/** The whole chain checked against its head: "intact", or the first broken entry. */
export const verifyAuditChain = async (): Promise<ChainVerification> => {
  const [entries, head] = await Promise.all([listAuditEntries(), readAuditHead()]);
  return verifyChain(entries, head);
};
