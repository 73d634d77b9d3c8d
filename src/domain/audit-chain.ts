/**
 * The append-only audit trail of decisions as a hash chain: each entry carries the SHA-256 of
 * the previous one, so an edited, deleted, reordered or forged entry breaks the chain at a
 * point `verifyChain` names.
 */
import { z } from 'zod';
import { digestOf } from './canonical';
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

const UnhashedEntrySchema = AuditEntryInputSchema.extend({
  seq: z.number().int().min(1),
  prevHash: Sha256HexSchema,
});
type UnhashedEntry = z.infer<typeof UnhashedEntrySchema>;

export const AuditEntrySchema = UnhashedEntrySchema.extend({ hash: Sha256HexSchema });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The hash covers every field but `hash` itself, in canonical JSON. */
export const hashOfEntry = ({ seq, at, actor, action, subject, payload, prevHash }: UnhashedEntry): string =>
  digestOf({ seq, at, actor, action, subject, payload, prevHash });

/** The entry that follows `previous` (the chain's tail), or the genesis entry. Throws a ZodError on bad input. */
export const appendEntry = (previous: AuditEntry | undefined, input: unknown): AuditEntry => {
  const parsed = AuditEntryInputSchema.parse(input);
  const unhashed: UnhashedEntry = {
    ...parsed,
    seq: previous === undefined ? 1 : previous.seq + 1,
    prevHash: previous === undefined ? GENESIS_HASH : previous.hash,
  };
  return { ...unhashed, hash: hashOfEntry(unhashed) };
};

export const ChainBreakReasonSchema = z.enum(['seq-gap', 'seq-out-of-order', 'prev-hash-mismatch', 'hash-mismatch', 'head-mismatch']);
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

/**
 * The chain's last entry as recorded elsewhere (e.g. beside the chain in storage). Without it a
 * removed or rewritten tail cannot be told from a shorter chain.
 */
export const ChainHeadSchema = z.strictObject({ seq: z.number().int().min(1), hash: Sha256HexSchema });
export type ChainHead = z.infer<typeof ChainHeadSchema>;

const broken = (seq: number, index: number, reason: ChainBreakReason, message: string): ChainVerification => ({
  intact: false,
  firstBroken: { seq, index, reason, message },
});

/** Checks entries in order from the genesis entry; reports the first break only. */
export const verifyChain = (entries: readonly AuditEntry[], head?: ChainHead): ChainVerification => {
  for (const [index, entry] of entries.entries()) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq) {
      const misplaced = entries.some((other, otherIndex) => otherIndex > index && other.seq === expectedSeq);
      if (misplaced || entry.seq < expectedSeq) {
        return broken(entry.seq, index, 'seq-out-of-order', `entry ${entry.seq} is at position ${expectedSeq}, where entry ${expectedSeq} belongs`);
      }
      // The first broken entry is the first one missing, not the one after the gap.
      return broken(
        expectedSeq,
        index,
        'seq-gap',
        expectedSeq === entry.seq - 1
          ? `entry ${expectedSeq} is missing: entry ${entry.seq} follows ${index === 0 ? 'the start of the chain' : `entry ${index}`}`
          : `entries ${expectedSeq} to ${entry.seq - 1} are missing: entry ${entry.seq} follows ${index === 0 ? 'the start of the chain' : `entry ${index}`}`,
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
    if (hashOfEntry(entry) !== entry.hash) {
      return broken(entry.seq, index, 'hash-mismatch', `entry ${entry.seq} does not match its hash: its content or its hash was altered`);
    }
  }
  if (head !== undefined) {
    const last = entries[entries.length - 1];
    const lastSeq = last?.seq ?? 0;
    if (lastSeq < head.seq) {
      return broken(lastSeq + 1, entries.length, 'head-mismatch', `entries ${lastSeq + 1} to ${head.seq} are missing from the end of the chain (the recorded head is entry ${head.seq})`);
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
  }
  return { intact: true, length: entries.length };
};
