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
import type { AuditEntry, AuditEntryInput, ChainBreakReason, ChainHead, ChainVerification } from '../../domain/audit-chain';
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

/** The whole chain checked against its head: "intact", or the first broken entry. */
export const verifyAuditChain = async (): Promise<ChainVerification> => {
  const [entries, head] = await Promise.all([listAuditEntries(), readAuditHead()]);
  return verifyChain(entries, head);
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
