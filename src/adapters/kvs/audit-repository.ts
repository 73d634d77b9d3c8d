/**
 * The audit chain (src/domain/audit-chain.ts) in Forge app storage, written as the app:
 * one key per entry, `audit:entry:<seq, 12 digits>`, and `audit:head` = { seq, hash }.
 *
 * Two reviewers deciding at the same moment must both be recorded. An append claims its
 * sequence number by writing its entry with `keyPolicy: 'FAIL_IF_EXISTS'`, which storage
 * applies atomically: of two appends that read the same tail, one claims the number and the
 * other is refused and goes again from the new tail. No entry is ever overwritten.
 *
 * The head lets verification notice a removed tail. It is moved after the claim; if the
 * head write is lost (a crash) or two appends move it out of order, the next append starts
 * from the last claimed entry (following entries past the head) and moves the head on, and
 * each append re-reads past its own entry after moving the head, so the head ends on the
 * last entry. Until then verification reports entries beyond the head: seen, never silent.
 */
import { WhereConditions, kvs } from '@forge/kvs';
import type { z } from 'zod';
import { AuditEntrySchema, ChainHeadSchema, GENESIS_HASH, appendEntry, verifyChain } from '../../domain/audit-chain';
import type { AuditEntry, AuditEntryInput, ChainHead, ChainVerification } from '../../domain/audit-chain';
import { AppError } from '../../ports/app-error';

export const AUDIT_HEAD_KEY = 'audit:head';
export const AUDIT_ENTRY_PREFIX = 'audit:entry:';
export const auditEntryKey = (seq: number): string => `${AUDIT_ENTRY_PREFIX}${String(seq).padStart(12, '0')}`;

const PAGE_SIZE = 100;
const MAX_APPEND_ATTEMPTS = 20;

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

/** Storage refused a FAIL_IF_EXISTS write because the key exists (HTTP 409, whatever the code says). */
const isKeyConflict = (error: unknown): boolean => {
  const details = (error as { responseDetails?: { status?: unknown } } | null)?.responseDetails;
  return details?.status === 409;
};

const writeHead = async (head: ChainHead): Promise<void> => {
  try {
    await kvs.set(AUDIT_HEAD_KEY, head);
  } catch (error) {
    throw storageFailed('written', error);
  }
};

/** The chain's last entry: the head's, then any entries claimed past it. */
const readTail = async (): Promise<AuditEntry | undefined> => {
  const head = await readAuditHead();
  let tail: AuditEntry | undefined;
  if (head !== undefined) {
    tail = await readEntry(head.seq);
    if (tail === undefined || tail.hash !== head.hash) {
      throw new AppError('STORAGE_FAILED', `The audit trail's head names entry ${head.seq}, which is missing or does not match; nothing more is appended until an admin checks the chain.`);
    }
  }
  for (;;) {
    const next = await readEntry((tail?.seq ?? 0) + 1);
    if (next === undefined) return tail;
    if (next.prevHash !== (tail?.hash ?? GENESIS_HASH)) {
      throw new AppError('STORAGE_FAILED', `Audit entry ${next.seq} does not follow entry ${tail?.seq ?? 0}; nothing more is appended until an admin checks the chain.`);
    }
    tail = next;
  }
};

/** Moves the head to `entry`, then on to any entries claimed after it meanwhile. */
const advanceHead = async (entry: AuditEntry): Promise<void> => {
  let last = entry;
  for (;;) {
    await writeHead({ seq: last.seq, hash: last.hash });
    const next = await readEntry(last.seq + 1);
    if (next === undefined) return;
    last = next;
  }
};

/** Appends one entry after the chain's last entry; answers the stored entry. */
export const appendAuditEntry = async (input: AuditEntryInput): Promise<AuditEntry> => {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
    const entry = appendEntry(await readTail(), input);
    try {
      await kvs.set(auditEntryKey(entry.seq), entry, { keyPolicy: 'FAIL_IF_EXISTS' });
    } catch (error) {
      // Another append claimed this sequence number first: go again from the new tail, after a
      // short random pause so appends that collided do not collide again in lockstep.
      if (isKeyConflict(error)) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      throw storageFailed('written', error);
    }
    await advanceHead(entry);
    return entry;
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
  const last = entries.at(-1);
  if (head === undefined && last !== undefined) {
    // Entries without a head: the head was deleted (and the tail may have gone with it).
    const verified = verifyChain(entries);
    if (!verified.intact) return verified;
    return { intact: false, firstBroken: { seq: last.seq, index: entries.length - 1, reason: 'head-mismatch', message: `the recorded head of the chain is missing, so entries after ${last.seq} may have been removed` } };
  }
  return verifyChain(entries, head);
};
