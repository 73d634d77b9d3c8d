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
import type { AuditEntry, AuditEntryInput, ChainBreakReason, ChainHead } from '../../domain/audit-chain';
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

/** Every stored entry as stored (unparsed), read by key prefix a page at a time. */
const readRawEntries = async (): Promise<{ key: string; value: unknown }[]> => {
  const raw: { key: string; value: unknown }[] = [];
  let cursor: string | undefined;
  try {
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(AUDIT_ENTRY_PREFIX)).limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      raw.push(...page.results);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    throw storageFailed('read', error);
  }
  return raw;
};

/** Every entry, oldest first. */
export const listAuditEntries = async (): Promise<AuditEntry[]> => {
  const entries = (await readRawEntries()).map((result) => parseOrFail(AuditEntrySchema, result.value, `entry ${result.key}`));
  return entries.sort((a, b) => a.seq - b.seq);
};

export type AuditTrailCheck =
  | { intact: true; entries: number; head: ChainHead | undefined }
  | { intact: false; entries: number; firstBroken: { seq: number; reason: ChainBreakReason | 'unreadable'; message: string } };

const brokenAt = (entries: number, { seq, reason, message }: { seq: number; reason: ChainBreakReason | 'unreadable'; message: string }): AuditTrailCheck => ({
  intact: false,
  entries,
  firstBroken: { seq, reason, message },
});

const seqOfKey = (key: string): number => Number(key.slice(AUDIT_ENTRY_PREFIX.length));

/**
 * What the admin page shows: like `verifyAuditChain`, but an entry or head that no longer
 * parses (tampered into something that is not an audit entry) is reported as the break,
 * after the entries before it have been checked, instead of failing the whole check.
 */
export const checkAuditTrail = async (): Promise<AuditTrailCheck> => {
  const raw = await readRawEntries();
  let rawHead: unknown;
  try {
    rawHead = await kvs.get<unknown>(AUDIT_HEAD_KEY);
  } catch (error) {
    throw storageFailed('read', error);
  }
  raw.sort((a, b) => seqOfKey(a.key) - seqOfKey(b.key));
  const entries: AuditEntry[] = [];
  for (const { key, value } of raw) {
    const parsed = AuditEntrySchema.safeParse(value);
    if (!parsed.success) {
      const before = verifyChain(entries);
      if (!before.intact) return brokenAt(raw.length, before.firstBroken);
      const issue = parsed.error.issues[0];
      return brokenAt(raw.length, { seq: seqOfKey(key), reason: 'unreadable', message: `entry ${seqOfKey(key)} is not an audit entry any more (${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}): it was altered` });
    }
    entries.push(parsed.data);
  }
  const head = rawHead === undefined || rawHead === null ? undefined : ChainHeadSchema.safeParse(rawHead);
  if (head !== undefined && !head.success) {
    const chain = verifyChain(entries);
    if (!chain.intact) return brokenAt(raw.length, chain.firstBroken);
    return brokenAt(raw.length, { seq: Math.max(1, entries.length), reason: 'unreadable', message: 'the recorded head of the trail is not valid any more: it was altered' });
  }
  const headValue = head?.data;
  const verification = verifyChain(entries, headValue);
  if (!verification.intact) return brokenAt(raw.length, verification.firstBroken);
  // Entries without any head: the head was deleted, so a removed tail could not be noticed.
  if (headValue === undefined && entries.length > 0) {
    return brokenAt(raw.length, { seq: entries.length, reason: 'head-mismatch', message: `the trail holds ${entries.length} entries but its recorded head is missing: it was deleted` });
  }
  return { intact: true, entries: entries.length, head: headValue };
};
