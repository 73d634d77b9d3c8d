/**
 * The append-only audit trail as a keyed hash chain. Each entry carries the hash of the one
 * before, and its own hash is an HMAC-SHA256 under the app's audit key (kept in Forge secret
 * storage, passed in here as a value), so an edited, deleted, reordered or forged entry breaks
 * the chain at a point `verifyChain` names, and a chain recomputed by someone without the key
 * does not verify.
 *
 * Entries written before the key existed carry a plain SHA-256 (no `alg` field). The key
 * records `since`, the seq of the first entry it covers, and `anchorHash`, the hash of the
 * entry just before it: plain SHA-256 is accepted only below `since`, and the entries below
 * are pinned by the anchor, so they cannot be recomputed either once the key exists.
 *
 * Truncation (a removed tail with the head moved back to an earlier genuine entry) cannot be
 * seen from the entries alone: `verifyChain` also takes high-water marks (entries known to
 * have existed, kept where the chain's storage cannot rewind them) and the seqs that outside
 * records reference.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ChainBreakReasonSchema } from './audit-break-reasons';
import { canonicalJson, digestOf } from './canonical';
import { InstantSchema, IssueKeySchema, SignerSchema } from './model';

export const GENESIS_HASH = '0'.repeat(64);

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest');

/**
 * What an entry is about: a Jira issue key (a quality record, Submission, Commitment or letter),
 * or something of the app's own: `app:<area>` (an admin setting such as `app:registry`,
 * `app:mapping`, `app:signers`, `app:audit`) or `person:<accountId>` (a person's signing
 * credential: enrolment, lock-out, reset).
 */
export const AuditSubjectSchema = z.union([
  IssueKeySchema,
  z.string().regex(/^(app|person):[A-Za-z0-9._:-]{1,160}$/, 'must be an issue key, app:<area> or person:<accountId>'),
]);
export type AuditSubject = z.infer<typeof AuditSubjectSchema>;

export const AuditEntryInputSchema = z.strictObject({
  at: InstantSchema,
  actor: SignerSchema,
  /** What was done, e.g. `impact/decide`. */
  action: z.string().regex(/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/, 'must be a lowercase action such as impact/decide'),
  /** What the action concerns. */
  subject: AuditSubjectSchema,
  payload: z.json(),
});
export type AuditEntryInput = z.infer<typeof AuditEntryInputSchema>;

/** How an entry's hash was made; absent on entries written before the key existed (plain SHA-256). */
export const KEYED_ALG = 'hmac-sha256';

/**
 * The audit key, as kept in Forge secret storage. `secret` is 32 random bytes in base64;
 * `since` is the seq of the first entry it covers and `anchorHash` the hash of the entry before
 * that (the genesis hash when the key is as old as the trail).
 */
export const AuditKeySchema = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64'),
  since: z.number().int().min(1),
  anchorHash: Sha256HexSchema,
  createdAt: InstantSchema,
});
export type AuditKey = z.infer<typeof AuditKeySchema>;

const UnhashedEntrySchema = AuditEntryInputSchema.extend({
  seq: z.number().int().min(1),
  prevHash: Sha256HexSchema,
  alg: z.literal(KEYED_ALG).optional(),
});
type UnhashedEntry = z.infer<typeof UnhashedEntrySchema>;

export const AuditEntrySchema = UnhashedEntrySchema.extend({ hash: Sha256HexSchema });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const macOf = (key: AuditKey, value: unknown): string =>
  createHmac('sha256', Buffer.from(key.secret, 'base64')).update(canonicalJson(value), 'utf8').digest('hex');

/** The plain SHA-256 of an entry written before the key existed: every field but `hash` (and `alg`), in canonical JSON. */
export const sha256OfEntry = ({ seq, at, actor, action, subject, payload, prevHash }: UnhashedEntry): string =>
  digestOf({ seq, at, actor, action, subject, payload, prevHash });

/** The keyed hash: HMAC-SHA256 under the key of every field but `hash`, `alg` included, in canonical JSON. */
export const hmacOfEntry = (
  key: AuditKey,
  { seq, at, actor, action, subject, payload, prevHash }: UnhashedEntry,
): string => macOf(key, { alg: KEYED_ALG, seq, at, actor, action, subject, payload, prevHash });

/**
 * The chain's last entry as recorded beside the chain, with an HMAC over its seq and hash so
 * that only the app can name a head; `mac` is absent on a head written before the key existed.
 * (The seq is also the entry count: the chain has no gaps.)
 */
export const ChainHeadSchema = z.strictObject({
  seq: z.number().int().min(1),
  hash: Sha256HexSchema,
  mac: Sha256HexSchema.optional(),
});
export type ChainHead = z.infer<typeof ChainHeadSchema>;

export const macOfHead = (key: AuditKey, { seq, hash }: { seq: number; hash: string }): string =>
  macOf(key, { purpose: 'audit-head', seq, hash });

/** The head that names `entry`, with its MAC. */
export const headOf = (key: AuditKey, entry: AuditEntry): ChainHead => ({
  seq: entry.seq,
  hash: entry.hash,
  mac: macOfHead(key, entry),
});

/** The entry that follows `previous` (the chain's tail), or the genesis entry, hashed under `key`. Throws a ZodError on bad input. */
export const appendEntry = (previous: AuditEntry | undefined, input: unknown, key: AuditKey): AuditEntry => {
  const parsed = AuditEntryInputSchema.parse(input);
  const unhashed: UnhashedEntry = {
    ...parsed,
    seq: previous === undefined ? 1 : previous.seq + 1,
    prevHash: previous === undefined ? GENESIS_HASH : previous.hash,
    alg: KEYED_ALG,
  };
  return { ...unhashed, hash: hmacOfEntry(key, unhashed) };
};

/**
 * An entry known to have existed: written by an append, or seen by a verification that found
 * the chain intact. Kept where whoever can rewrite the chain's storage cannot rewind it.
 */
export const HighWaterMarkSchema = z.strictObject({
  seq: z.number().int().min(1),
  hash: Sha256HexSchema,
  at: InstantSchema,
  source: z.enum(['append', 'verification']),
});
export type HighWaterMark = z.infer<typeof HighWaterMarkSchema>;

/** An entry an outside record (e.g. a signed decision's mirror in Jira) says exists, and what it is about. */
export const ReferencedAuditSeqSchema = z.strictObject({ subject: z.string().min(1), seq: z.number().int().min(1) });
export type ReferencedAuditSeq = z.infer<typeof ReferencedAuditSeqSchema>;

export { ChainBreakReasonSchema };
export type ChainBreakReason = z.infer<typeof ChainBreakReasonSchema>;

export const ChainVerificationSchema = z.discriminatedUnion('intact', [
  z.strictObject({ intact: z.literal(true), length: z.number().int().nonnegative() }),
  z.strictObject({
    intact: z.literal(false),
    firstBroken: z.strictObject({
      /** The seq of the entry where the chain breaks (for a deleted entry or a truncated chain, the first missing seq). */
      seq: z.number().int().min(1),
      /** Its position in the list given. */
      index: z.number().int().nonnegative(),
      reason: ChainBreakReasonSchema,
      message: z.string().min(1),
    }),
  }),
]);
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;

export interface ChainVerificationOptions {
  /** The audit key; without it, every entry must predate keying (plain SHA-256). */
  key?: AuditKey | undefined;
  /** The recorded head. Without it a removed or rewritten tail cannot be told from a shorter chain. */
  head?: ChainHead | undefined;
  highWater?: readonly HighWaterMark[];
  referenced?: readonly ReferencedAuditSeq[];
}

const broken = (seq: number, index: number, reason: ChainBreakReason, message: string): ChainVerification => ({
  intact: false,
  firstBroken: { seq, index, reason, message },
});

const entriesText = (from: number, to: number): string =>
  from === to ? `entry ${from} is` : `entries ${from} to ${to} are`;

/** The hash check of one entry: undefined when it holds, else the break. */
const hashBreak = (entry: AuditEntry, index: number, key: AuditKey | undefined): ChainVerification | undefined => {
  const keyed = key !== undefined && entry.seq >= key.since;
  if (keyed && entry.alg !== KEYED_ALG) {
    return broken(
      entry.seq,
      index,
      'not-keyed',
      `entry ${entry.seq} is hashed without the audit key, which covers every entry from ${key.since} on: it was rewritten by someone without the key`,
    );
  }
  if (!keyed && entry.alg !== undefined) {
    return broken(
      entry.seq,
      index,
      'not-keyed',
      key === undefined
        ? `entry ${entry.seq} claims a keyed hash, but the app has no audit key: the key was lost, or the entry was forged`
        : `entry ${entry.seq} claims a keyed hash, but it predates the audit key (created at entry ${key.since}): it was forged`,
    );
  }
  const expected = keyed ? hmacOfEntry(key, entry) : sha256OfEntry(entry);
  if (expected !== entry.hash) {
    return broken(
      entry.seq,
      index,
      'hash-mismatch',
      `entry ${entry.seq} does not match its hash: its content or its hash was altered${keyed ? ' (or recomputed without the audit key)' : ''}`,
    );
  }
  // The entries before the key are pinned by the hash the key recorded for the last of them.
  if (key !== undefined && entry.seq === key.since - 1 && entry.hash !== key.anchorHash) {
    return broken(
      entry.seq,
      index,
      'hash-mismatch',
      `entry ${entry.seq} is not the entry the trail ended with when its audit key was created: the entries before the key were rewritten`,
    );
  }
  return undefined;
};

const headBreak = (
  entries: readonly AuditEntry[],
  head: ChainHead,
  key: AuditKey | undefined,
): ChainVerification | undefined => {
  const lastSeq = entries[entries.length - 1]?.seq ?? 0;
  if (lastSeq < head.seq) {
    return broken(
      lastSeq + 1,
      entries.length,
      'head-mismatch',
      `${entriesText(lastSeq + 1, head.seq)} missing from the end of the chain (the recorded head is entry ${head.seq})`,
    );
  }
  const headEntry = entries[head.seq - 1];
  if (lastSeq > head.seq || headEntry?.hash !== head.hash) {
    return broken(
      head.seq,
      head.seq - 1,
      'head-mismatch',
      lastSeq > head.seq
        ? `entries after ${head.seq}, the recorded head, were added without moving the head`
        : `entry ${head.seq} is not the recorded head (hash ${head.hash.slice(0, 12)}…): the chain's tail was rewritten`,
    );
  }
  if (key !== undefined && head.seq >= key.since && (head.mac === undefined || head.mac !== macOfHead(key, head))) {
    return broken(
      head.seq,
      head.seq - 1,
      'head-mismatch',
      `the recorded head (entry ${head.seq}) does not carry the app's signature: it was written by someone without the audit key`,
    );
  }
  return undefined;
};

/** Entries known to exist (high-water marks, outside references) that the chain no longer has. */
const truncationBreak = (
  entries: readonly AuditEntry[],
  options: ChainVerificationOptions,
): ChainVerification | undefined => {
  const lastSeq = entries[entries.length - 1]?.seq ?? 0;
  const { key } = options;
  if (key !== undefined && lastSeq < key.since - 1) {
    return broken(
      lastSeq + 1,
      entries.length,
      'truncated',
      `${entriesText(lastSeq + 1, key.since - 1)} missing from the end of the chain: the trail held ${key.since - 1} entries when its audit key was created`,
    );
  }
  const marks = [...(options.highWater ?? [])].sort((a, b) => a.seq - b.seq);
  for (const mark of marks) {
    const recorded =
      mark.source === 'append'
        ? `entry ${mark.seq} was appended on ${mark.at}`
        : `the trail was verified intact with ${mark.seq} entries on ${mark.at}`;
    if (lastSeq < mark.seq)
      return broken(
        lastSeq + 1,
        entries.length,
        'truncated',
        `${entriesText(lastSeq + 1, mark.seq)} missing from the end of the chain: ${recorded}`,
      );
    if (entries[mark.seq - 1]?.hash !== mark.hash)
      return broken(
        mark.seq,
        mark.seq - 1,
        'hash-mismatch',
        `entry ${mark.seq} is not the entry recorded when ${recorded}: it was replaced`,
      );
  }
  const references = [...(options.referenced ?? [])].sort((a, b) => a.seq - b.seq);
  for (const reference of references) {
    const entry = entries[reference.seq - 1];
    if (entry === undefined) {
      return broken(
        lastSeq + 1,
        entries.length,
        'truncated',
        `${entriesText(lastSeq + 1, reference.seq)} missing from the end of the chain: ${reference.subject} references entry ${reference.seq}`,
      );
    }
    if (entry.subject !== reference.subject) {
      return broken(
        reference.seq,
        reference.seq - 1,
        'reference-mismatch',
        `${reference.subject} references entry ${reference.seq}, but that entry is about ${entry.subject}: the entry was replaced, or the reference altered`,
      );
    }
  }
  return undefined;
};

/** Checks entries in order from the genesis entry, then the head, then what is known to exist; reports the first break only. */
export const verifyChain = (
  entries: readonly AuditEntry[],
  options: ChainVerificationOptions = {},
): ChainVerification => {
  for (const [index, entry] of entries.entries()) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq) {
      const misplaced = entries.some((other, otherIndex) => otherIndex > index && other.seq === expectedSeq);
      if (misplaced || entry.seq < expectedSeq) {
        return broken(
          entry.seq,
          index,
          'seq-out-of-order',
          `entry ${entry.seq} is at position ${expectedSeq}, where entry ${expectedSeq} belongs`,
        );
      }
      // The first broken entry is the first one missing, not the one after the gap.
      return broken(
        expectedSeq,
        index,
        'seq-gap',
        `${entriesText(expectedSeq, entry.seq - 1)} missing: entry ${entry.seq} follows ${index === 0 ? 'the start of the chain' : `entry ${index}`}`,
      );
    }
    const expectedPrevHash = index === 0 ? GENESIS_HASH : (entries[index - 1]?.hash ?? GENESIS_HASH);
    if (entry.prevHash !== expectedPrevHash) {
      return broken(
        entry.seq,
        index,
        'prev-hash-mismatch',
        index === 0
          ? `entry ${entry.seq} does not start from the genesis hash`
          : `entry ${entry.seq} does not point to the hash of entry ${index}: entry ${index} was rewritten, or this entry was`,
      );
    }
    const hashProblem = hashBreak(entry, index, options.key);
    if (hashProblem) return hashProblem;
  }
  if (options.head !== undefined) {
    const headProblem = headBreak(entries, options.head, options.key);
    if (headProblem) return headProblem;
  }
  return truncationBreak(entries, options) ?? { intact: true, length: entries.length };
};
