/**
 * The audit chain (src/domain/audit-chain.ts) in Forge app storage, written as the app:
 * one key per entry, `audit:entry:<seq, 12 digits>`; a per-record index
 * `audit:subject:<subject>:<seq>` naming the entries about one record; and the head
 * `{ seq, hash, mac }` in the custom entity `audit-head`.
 *
 * An append writes the entry, its index key and the new head in one `kvs.transact()` whose
 * condition is that the head is still the one the entry was chained to. Forge evaluates
 * transaction conditions on custom entities only, which is why the head is one: of two
 * concurrent appends after the same head exactly one commits, the other is cancelled whole
 * and retried from the new head, so no entry is ever overwritten and no history is lost.
 *
 * Two values live in Forge secret storage, which the app's other storage cannot reach and
 * queries never return: the audit key (`audit:hmac-key`, created on first use with
 * `keyPolicy: FAIL_IF_EXISTS`, so of two first appends exactly one key wins and both chain
 * under it), and the high-water mark (`audit:high-water`), the last entry an append wrote or a
 * verification saw intact. Someone who can rewrite the chain's storage can neither recompute
 * the hashes nor rewind that mark, so a rewritten or truncated chain is reported.
 * See docs/audit-trail.md.
 */
import { Filter, FilterConditions, ForgeKvsAPIError, WhereConditions, kvs } from '@forge/kvs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AuditEntryInputSchema,
  AuditEntrySchema,
  AuditKeySchema,
  ChainHeadSchema,
  GENESIS_HASH,
  HighWaterMarkSchema,
  appendEntry,
  headOf,
  macOfHead,
  verifyChain,
} from '../../domain/audit-chain';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditKey,
  ChainBreakReason,
  ChainHead,
  HighWaterMark,
  ReferencedAuditSeq,
} from '../../domain/audit-chain';
import type { Signer } from '../../domain/model';
import { AuditVerificationRunSchema } from '../../contract/admin-page';
import type { AlteredCopy, AuditVerification, AuditVerificationRun } from '../../contract/admin-page';
import { AppError } from '../../ports/app-error';

export const AUDIT_HEAD_ENTITY = 'audit-head';
const HEAD_ID = 'head';
export const AUDIT_ENTRY_PREFIX = 'audit:entry:';
const SUBJECT_PREFIX = 'audit:subject:';
/** Forge secret storage: the HMAC key, and the high-water mark. */
export const AUDIT_KEY_SECRET = 'audit:hmac-key';
export const AUDIT_HIGH_WATER_SECRET = 'audit:high-water';
/** App storage: the last verification's result, as the admin page shows it. */
export const AUDIT_LAST_VERIFICATION_KEY = 'audit:verification:last';
const padded = (seq: number): string => String(seq).padStart(12, '0');
export const auditEntryKey = (seq: number): string => `${AUDIT_ENTRY_PREFIX}${padded(seq)}`;
const subjectPrefix = (subject: string): string => `${SUBJECT_PREFIX}${subject}:`;
const subjectIndexKey = (subject: string, seq: number): string => `${subjectPrefix(subject)}${padded(seq)}`;

const PAGE_SIZE = 100;
const BATCH_GET_LIMIT = 25;
const MAX_APPEND_ATTEMPTS = 20;
const SubjectIndexSchema = z.strictObject({ seq: z.number().int().min(1) });

const storageFailed = (what: string, error: unknown): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The audit trail could not be ${what} in app storage: ${error instanceof Error ? error.message : String(error)}`,
  );

const parseOrFail = <S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'INVALID_RESPONSE',
      `The stored audit ${what} is not valid; the audit trail must be checked by an admin.`,
    );
  return parsed.data;
};

export const readAuditHead = async (): Promise<ChainHead | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.entity<unknown>(AUDIT_HEAD_ENTITY).get(HEAD_ID);
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

const readSecret = async <S extends z.ZodType>(
  name: string,
  schema: S,
  what: string,
): Promise<z.infer<S> | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.getSecret<unknown>(name);
  } catch (error) {
    throw storageFailed('read', error);
  }
  return raw === undefined || raw === null ? undefined : parseOrFail(schema, raw, what);
};

const readAuditKey = (): Promise<AuditKey | undefined> => readSecret(AUDIT_KEY_SECRET, AuditKeySchema, 'key');

/**
 * The audit key, created on first use: 32 random bytes, covering the entries from the next
 * seq on, with the hash of the current last entry as the anchor of the ones before. Creation
 * is first-writer-wins (`FAIL_IF_EXISTS`): an invocation that loses the race reads and uses
 * the winner's key, so there is only ever one. The key never leaves the server.
 */
export const loadOrCreateAuditKey = async (createdAt: string): Promise<AuditKey> => {
  const existing = await readAuditKey();
  if (existing !== undefined) return existing;
  const head = await readAuditHead();
  const candidate: AuditKey = AuditKeySchema.parse({
    secret: randomBytes(32).toString('base64'),
    since: (head?.seq ?? 0) + 1,
    anchorHash: head?.hash ?? GENESIS_HASH,
    createdAt,
  });
  try {
    await kvs.setSecret(AUDIT_KEY_SECRET, candidate, { keyPolicy: 'FAIL_IF_EXISTS' });
    return candidate;
  } catch (error) {
    // Refused because another invocation created it first (or the write failed): use theirs if it is there.
    const winner = await readAuditKey();
    if (winner !== undefined) return winner;
    throw new AppError(
      'STORAGE_FAILED',
      `The audit trail's key could not be created in Forge secret storage: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const readHighWater = (): Promise<HighWaterMark | undefined> =>
  readSecret(AUDIT_HIGH_WATER_SECRET, HighWaterMarkSchema, 'high-water mark');

/**
 * Moves the high-water mark up to `mark`. Never down, as far as one read-then-write can tell;
 * two racing raises can leave the lower of the two, which weakens the mark a little and never
 * reports a chain broken that is not.
 */
const raiseHighWater = async (mark: HighWaterMark, current?: HighWaterMark): Promise<void> => {
  const stored = current ?? (await readHighWater());
  if (stored !== undefined && stored.seq >= mark.seq) return;
  try {
    await kvs.setSecret(AUDIT_HIGH_WATER_SECRET, mark);
  } catch (error) {
    throw storageFailed('written', error);
  }
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError &&
  (error.responseDetails.status === 409 || error.code === 'CONDITIONAL_CHECK_FAILED');

/**
 * A write committed in the same transaction as an audit entry, so the record and the entry that
 * tells of it land together or not at all (e.g. a signed record in its custom entity, with a
 * condition on the version it replaces). A failed condition cancels the append; see
 * `AlongsideConflict`.
 */
export type Transaction = ReturnType<typeof kvs.transact>;
/** Adds one write (with its own condition, if any) to the transaction that appends the entry. */
export type AlongsideWrite = (transaction: Transaction) => Transaction;

/**
 * Appends one entry after the current head; answers the stored entry. `alongside` writes are
 * committed in the same `kvs.transact()`; when the transaction's conditions fail,
 * `onConditionFailed` says whether it was theirs (by throwing) before it is retried on the new head.
 */
export interface Alongside {
  /** The writes, given the entry they are committed with (e.g. to record its seq). */
  writes: (entry: AuditEntry) => readonly AlongsideWrite[];
  /** Called after a failed condition: throws (e.g. CONFLICT) when the alongside writes' own condition failed; returning retries on the new head. */
  onConditionFailed: () => Promise<void>;
}

export const appendAuditEntry = async (input: AuditEntryInput, alongside?: Alongside): Promise<AuditEntry> => {
  // Bad input is refused before anything, the key included, is written.
  const parsed = AuditEntryInputSchema.parse(input);
  const key = await loadOrCreateAuditKey(parsed.at);
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
    // The mark before the head: a mark is raised only after its entry committed, so a head read
    // after it is never behind it unless entries were removed.
    const highWater = await readHighWater();
    const head = await readAuditHead();
    const previous = head === undefined ? undefined : await readEntry(head.seq);
    if (head !== undefined && (previous === undefined || previous.hash !== head.hash)) {
      throw new AppError(
        'STORAGE_FAILED',
        `The audit trail's head names entry ${head.seq}, which is missing or does not match; nothing more is appended until an admin checks the chain.`,
      );
    }
    if (head !== undefined && head.seq >= key.since && head.mac !== macOfHead(key, head)) {
      throw new AppError(
        'STORAGE_FAILED',
        `The audit trail's head (entry ${head.seq}) was not written by the app; nothing more is appended until an admin checks the chain.`,
      );
    }
    // Nothing is chained onto a trail whose tail was cut off and its head moved back.
    if (highWater !== undefined && (head?.seq ?? 0) < highWater.seq) {
      throw new AppError(
        'STORAGE_FAILED',
        `The audit trail ends at entry ${head?.seq ?? 0}, but the app wrote entry ${highWater.seq}: entries were removed. Nothing more is appended until an admin checks the chain.`,
      );
    }
    const entry = appendEntry(previous, parsed, key);
    const nextHead = headOf(key, entry);
    const headUnchanged =
      head === undefined
        ? new Filter<ChainHead>().and('seq', FilterConditions.notExists())
        : new Filter<ChainHead>()
            .and('seq', FilterConditions.equalTo(head.seq))
            .and('hash', FilterConditions.equalTo(head.hash));
    try {
      let transaction = kvs
        .transact()
        .set(auditEntryKey(entry.seq), entry)
        .set(subjectIndexKey(entry.subject, entry.seq), { seq: entry.seq })
        .set(HEAD_ID, nextHead, { entityName: AUDIT_HEAD_ENTITY, conditions: headUnchanged });
      for (const write of alongside?.writes(entry) ?? []) transaction = write(transaction);
      await transaction.execute();
    } catch (error) {
      // Another append moved the head first: chain onto the new head, after a short random
      // pause so appends that collided do not collide again in lockstep. When the writes
      // alongside the entry are what failed their condition, the caller decides (and throws).
      if (!isConditionFailure(error)) throw storageFailed('written', error);
      if (alongside !== undefined) await alongside.onConditionFailed();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      continue;
    }
    // The entry is committed: a failure to raise the mark must not make the caller undo what
    // the entry records. The next verification raises it.
    await raiseHighWater({ seq: entry.seq, hash: entry.hash, at: entry.at, source: 'append' }, highWater).catch(
      (error: unknown) => {
        console.warn(
          `qms-rim audit: the high-water mark was not raised to entry ${entry.seq}: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
    return entry;
  }
  throw new AppError('CONFLICT', 'The audit trail is busy with other decisions; nothing was recorded. Try again.');
};

/** The entries about one record (an issue key), oldest first, from the per-record index. */
export const listAuditEntriesFor = async (subject: string): Promise<AuditEntry[]> => {
  const seqs: number[] = [];
  let cursor: string | undefined;
  try {
    do {
      let query = kvs
        .query()
        .where('key', WhereConditions.beginsWith(subjectPrefix(subject)))
        .limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      for (const result of page.results)
        seqs.push(parseOrFail(SubjectIndexSchema, result.value, `index ${result.key}`).seq);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const entries: AuditEntry[] = [];
    for (let i = 0; i < seqs.length; i += BATCH_GET_LIMIT) {
      const batch = await kvs.batchGet<unknown>(
        seqs.slice(i, i + BATCH_GET_LIMIT).map((seq) => ({ key: auditEntryKey(seq) })),
      );
      if (batch.failedKeys.length > 0)
        throw new AppError(
          'INVALID_RESPONSE',
          `The audit trail is missing entries it indexes for ${subject}; the audit trail must be checked by an admin.`,
        );
      for (const found of batch.successfulKeys)
        entries.push(parseOrFail(AuditEntrySchema, found.value, `entry ${found.key}`));
    }
    return entries.filter((entry) => entry.subject === subject).sort((a, b) => a.seq - b.seq);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw storageFailed('read', error);
  }
};

/** Every stored value under `prefix` as stored (unparsed), read a page at a time. */
const readRawByPrefix = async (prefix: string): Promise<{ key: string; value: unknown }[]> => {
  const raw: { key: string; value: unknown }[] = [];
  let cursor: string | undefined;
  try {
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(PAGE_SIZE);
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

const readRawEntries = (): Promise<{ key: string; value: unknown }[]> => readRawByPrefix(AUDIT_ENTRY_PREFIX);

/** Every entry, oldest first. */
export const listAuditEntries = async (): Promise<AuditEntry[]> => {
  const entries = (await readRawEntries()).map((result) =>
    parseOrFail(AuditEntrySchema, result.value, `entry ${result.key}`),
  );
  return entries.sort((a, b) => a.seq - b.seq);
};

/** Beyond the chain's own breaks: an entry that no longer parses, and a per-record index that no longer matches the chain. */
export type AuditCheckReason = ChainBreakReason | 'unreadable' | 'index-mismatch';

/** The check's answer, in the admin page's contract (which names every reason; a new one fails to compile here). */
export type AuditTrailCheck = AuditVerification;

const brokenAt = (
  entries: number,
  { seq, reason, message }: { seq: number; reason: AuditCheckReason; message: string },
): AuditTrailCheck => ({
  intact: false,
  entries,
  firstBroken: { seq, reason, message },
});

const seqOfKey = (key: string): number => Number(key.slice(AUDIT_ENTRY_PREFIX.length));

export interface AuditTrailCheckOptions {
  /**
   * Entries that records outside the chain say exist (e.g. the Jira mirrors of signed
   * decisions): a chain shorter than the highest, or an entry about another subject, is reported.
   */
  referenced?: readonly ReferencedAuditSeq[];
}

/** The key, created now if the trail has none (so the daily check keys an existing trail); none only when the head is unreadable. */
const keyForCheck = async (): Promise<AuditKey | undefined> => {
  try {
    return await loadOrCreateAuditKey(new Date().toISOString());
  } catch (error) {
    if (error instanceof AppError && error.code === 'INVALID_RESPONSE' && (await readAuditKey()) === undefined)
      return undefined;
    throw error;
  }
};

/** What is known to have existed: the mark in secret storage, and what the last verification saw intact. */
const knownMarks = async (): Promise<HighWaterMark[]> => {
  const marks: HighWaterMark[] = [];
  const stored = await readHighWater();
  if (stored !== undefined) marks.push(stored);
  const last = await readLastAuditVerification();
  if (last?.result.intact && last.result.head !== undefined)
    marks.push({ seq: last.result.head.seq, hash: last.result.head.hash, at: last.at, source: 'verification' });
  return marks;
};

/**
 * The whole chain checked, as the admin page shows it: "intact", or the first broken entry.
 * Checked: every entry's link and keyed hash (plain SHA-256 only before the key's `since`), the
 * recorded head and its MAC, the high-water marks, the `referenced` entries, and the per-record
 * index. An entry or head that no longer parses (tampered into something that is not an audit
 * entry) is reported as the break, after the entries before it have been checked.
 */
export const checkAuditTrail = async (options: AuditTrailCheckOptions = {}): Promise<AuditTrailCheck> => {
  const key = await keyForCheck();
  const raw = await readRawEntries();
  let rawHead: unknown;
  try {
    rawHead = await kvs.entity<unknown>(AUDIT_HEAD_ENTITY).get(HEAD_ID);
  } catch (error) {
    throw storageFailed('read', error);
  }
  raw.sort((a, b) => seqOfKey(a.key) - seqOfKey(b.key));
  const entries: AuditEntry[] = [];
  for (const { key: storageKey, value } of raw) {
    const parsed = AuditEntrySchema.safeParse(value);
    if (!parsed.success) {
      const before = verifyChain(entries, { key });
      if (!before.intact) return brokenAt(raw.length, before.firstBroken);
      const issue = parsed.error.issues[0];
      const seq = seqOfKey(storageKey);
      return brokenAt(raw.length, {
        seq,
        reason: 'unreadable',
        message: `entry ${seq} is not an audit entry any more (${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}): it was altered`,
      });
    }
    entries.push(parsed.data);
  }
  const head = rawHead === undefined || rawHead === null ? undefined : ChainHeadSchema.safeParse(rawHead);
  if (head !== undefined && !head.success) {
    const chain = verifyChain(entries, { key });
    if (!chain.intact) return brokenAt(raw.length, chain.firstBroken);
    return brokenAt(raw.length, {
      seq: Math.max(1, entries.length),
      reason: 'unreadable',
      message: 'the recorded head of the trail is not valid any more: it was altered',
    });
  }
  const headValue = head?.data;
  const chainAndHead = verifyChain(entries, { key, head: headValue });
  if (!chainAndHead.intact) return brokenAt(raw.length, chainAndHead.firstBroken);
  // Entries without any head: the head was deleted, so a removed tail could not be noticed.
  if (headValue === undefined && entries.length > 0) {
    return brokenAt(raw.length, {
      seq: entries.length,
      reason: 'head-mismatch',
      message: `the trail holds ${entries.length} entries but its recorded head is missing: it was deleted`,
    });
  }
  const known = verifyChain(entries, {
    key,
    head: headValue,
    highWater: await knownMarks(),
    referenced: options.referenced ?? [],
  });
  if (!known.intact) return brokenAt(raw.length, known.firstBroken);
  const indexBreak = firstIndexBreak(entries, await readRawByPrefix(SUBJECT_PREFIX));
  if (indexBreak) return brokenAt(raw.length, { ...indexBreak, reason: 'index-mismatch' });
  return {
    intact: true,
    entries: entries.length,
    ...(headValue === undefined ? {} : { head: { seq: headValue.seq, hash: headValue.hash } }),
    ...(key === undefined ? {} : { keyedSince: key.since }),
  };
};

/** The last verification recorded, daily or by an admin. */
export const readLastAuditVerification = async (): Promise<AuditVerificationRun | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(AUDIT_LAST_VERIFICATION_KEY);
  } catch (error) {
    throw storageFailed('read', error);
  }
  return raw === undefined || raw === null
    ? undefined
    : parseOrFail(AuditVerificationRunSchema, raw, 'verification result');
};

/**
 * Checks the trail (see `checkAuditTrail`), records the result as the last verification, and,
 * when the chain is intact, raises the high-water mark to its head so that a later truncation
 * back past it is reported.
 */
export const verifyAndRecordAuditTrail = async (
  run: {
    trigger: 'daily' | 'admin';
    by?: Signer;
    now: Date;
    alteredCopies?: readonly AlteredCopy[];
  } & AuditTrailCheckOptions,
): Promise<AuditVerificationRun> => {
  const result = await checkAuditTrail(run.referenced === undefined ? {} : { referenced: run.referenced });
  const record = AuditVerificationRunSchema.parse({
    at: run.now.toISOString(),
    trigger: run.trigger,
    ...(run.by === undefined ? {} : { by: run.by }),
    result,
    ...(run.alteredCopies === undefined ? {} : { alteredCopies: run.alteredCopies.slice(0, 1000) }),
  });
  try {
    await kvs.set(AUDIT_LAST_VERIFICATION_KEY, record);
  } catch (error) {
    throw storageFailed('written', error);
  }
  if (result.intact && result.head !== undefined) {
    const head = result.head;
    await raiseHighWater({ seq: head.seq, hash: head.hash, at: record.at, source: 'verification' }).catch(
      (error: unknown) => {
        console.warn(
          `qms-rim audit: the high-water mark was not raised to entry ${head.seq}: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  }
  return record;
};

/**
 * The per-record index is what a record's decision history reads, so it is checked against the
 * (already verified) chain both ways: every entry has its index key, and every index key names
 * an entry about that record. A deleted index key would otherwise drop a signed decision from
 * the record's history while the chain itself is intact. Answers the lowest seq that disagrees.
 */
const firstIndexBreak = (
  entries: readonly AuditEntry[],
  index: readonly { key: string; value: unknown }[],
): { seq: number; message: string } | undefined => {
  const problems: { seq: number; message: string }[] = [];
  const indexed = new Map(index.map((item) => [item.key, item.value]));
  for (const entry of entries) {
    const key = subjectIndexKey(entry.subject, entry.seq);
    const value = SubjectIndexSchema.safeParse(indexed.get(key));
    if (!indexed.has(key))
      problems.push({
        seq: entry.seq,
        message: `entry ${entry.seq} (about ${entry.subject}) is missing from that record's index, so its history would not show it: the index was altered`,
      });
    else if (!value.success || value.data.seq !== entry.seq)
      problems.push({
        seq: entry.seq,
        message: `the index of ${entry.subject} does not point to entry ${entry.seq} any more: it was altered`,
      });
  }
  const bySeq = new Map(entries.map((entry) => [entry.seq, entry]));
  for (const { key } of index) {
    const seq = Number(key.slice(key.lastIndexOf(':') + 1));
    const entry = Number.isInteger(seq) ? bySeq.get(seq) : undefined;
    if (!entry || subjectIndexKey(entry.subject, entry.seq) !== key) {
      problems.push({
        seq: Number.isInteger(seq) && seq >= 1 ? seq : 1,
        message: `the index key ${key} names no entry about that record: it was added or altered`,
      });
    }
  }
  return problems.sort((a, b) => a.seq - b.seq)[0];
};
