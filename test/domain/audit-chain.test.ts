import { ZodError } from 'zod';
import { appendEntry, AuditEntrySchema, GENESIS_HASH, hashOfEntry, verifyChain } from '../../src/domain/audit-chain';
import type { AuditEntry } from '../../src/domain/audit-chain';
import { digestOf } from '../../src/domain/canonical';
import { anAuditInput } from '../builders';

/** A chain of `length` entries, each a decision on QMS-<seq>. */
const chainOf = (length: number): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i += 1) {
    entries.push(appendEntry(entries[entries.length - 1], anAuditInput({ subject: `QMS-${i}`, at: `2026-01-${String(10 + i).padStart(2, '0')}T09:00:00.000Z` })));
  }
  return entries;
};

const entryAt = (entries: readonly AuditEntry[], index: number): AuditEntry => {
  const entry = entries[index];
  if (entry === undefined) throw new Error(`no entry at ${index}`);
  return entry;
};

describe('appendEntry', () => {
  it('starts the chain at seq 1 from the genesis hash', () => {
    const first = appendEntry(undefined, anAuditInput());
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes the canonical JSON of everything but the hash', () => {
    const first = appendEntry(undefined, anAuditInput());
    const { hash, ...rest } = first;
    expect(hash).toBe(digestOf(rest));
    expect(hash).toBe(hashOfEntry(first));
  });

  it('links each entry to the hash of the one before', () => {
    const [first, second] = chainOf(2);
    expect(second?.seq).toBe(2);
    expect(second?.prevHash).toBe(first?.hash);
  });

  it('does not depend on the key order of the payload', () => {
    const a = appendEntry(undefined, anAuditInput({ payload: { a: 1, b: [true, null] } }));
    const b = appendEntry(undefined, anAuditInput({ payload: { b: [true, null], a: 1 } }));
    expect(a.hash).toBe(b.hash);
  });

  it('rejects bad input with a ZodError naming the field', () => {
    expect(() => appendEntry(undefined, anAuditInput({ at: 'yesterday' }))).toThrow(ZodError);
    expect(() => appendEntry(undefined, anAuditInput({ subject: 'not-a-key' }))).toThrow(/subject/);
    expect(() => appendEntry(undefined, anAuditInput({ actor: { accountId: '' } }))).toThrow(/actor/);
    expect(() => appendEntry(undefined, anAuditInput({ payload: { n: Number.NaN } }))).toThrow(/payload/);
    expect(() => appendEntry(undefined, anAuditInput({ extra: 1 }))).toThrow(/extra/);
  });

  it('produces entries the storage schema accepts', () => {
    for (const entry of chainOf(3)) expect(AuditEntrySchema.parse(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, and the empty chain', () => {
    expect(verifyChain(chainOf(5))).toEqual({ intact: true, length: 5 });
    expect(verifyChain([])).toEqual({ intact: true, length: 0 });
  });

  it('names an edited entry', () => {
    const entries = chainOf(5);
    entries[2] = { ...entryAt(entries, 2), payload: { applicationId: 'APP-1', category: 'NONE' } };
    expect(verifyChain(entries)).toEqual({
      intact: false,
      firstBroken: { seq: 3, index: 2, reason: 'hash-mismatch', message: 'entry 3 does not match its hash: its content or its hash was altered' },
    });
  });

  it('names an entry whose hash was forged', () => {
    const entries = chainOf(4);
    entries[1] = { ...entryAt(entries, 1), hash: 'f'.repeat(64) };
    expect(verifyChain(entries)).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'hash-mismatch' } });
  });

  it('catches an entry edited and re-hashed at the next entry, which no longer points to it', () => {
    const entries = chainOf(4);
    const edited = { ...entryAt(entries, 1), actor: { accountId: 'acc-mallory', displayName: 'Mallory' } };
    entries[1] = { ...edited, hash: hashOfEntry(edited) };
    expect(verifyChain(entries)).toEqual({
      intact: false,
      firstBroken: {
        seq: 3,
        index: 2,
        reason: 'prev-hash-mismatch',
        message: 'entry 3 does not point to the hash of entry 2: entry 2 was rewritten, or this entry was',
      },
    });
  });

  it('names the gap a deleted entry leaves', () => {
    const entries = chainOf(5);
    entries.splice(2, 1);
    expect(verifyChain(entries)).toEqual({
      intact: false,
      firstBroken: { seq: 3, index: 2, reason: 'seq-gap', message: 'entry 3 is missing: entry 4 follows entry 2' },
    });
  });

  it('catches a deleted first entry', () => {
    expect(verifyChain(chainOf(3).slice(1))).toMatchObject({ intact: false, firstBroken: { seq: 1, index: 0, reason: 'seq-gap' } });
  });

  it('catches a deleted entry whose successors were renumbered', () => {
    const entries = chainOf(4);
    entries.splice(1, 1);
    const renumbered = entries.map((entry, index) => ({ ...entry, seq: index + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'prev-hash-mismatch' } });
  });

  it('names a reordered entry', () => {
    const entries = chainOf(4);
    const [third, second] = [entryAt(entries, 2), entryAt(entries, 1)];
    entries[1] = third;
    entries[2] = second;
    expect(verifyChain(entries)).toEqual({
      intact: false,
      firstBroken: { seq: 3, index: 1, reason: 'seq-out-of-order', message: 'entry 3 is at position 2, where entry 2 belongs' },
    });
  });

  it('catches a chain that does not start from the genesis hash', () => {
    const entries = chainOf(2);
    const moved = { ...entryAt(entries, 0), prevHash: 'a'.repeat(64) };
    entries[0] = { ...moved, hash: hashOfEntry(moved) };
    expect(verifyChain(entries)).toMatchObject({ intact: false, firstBroken: { seq: 1, reason: 'prev-hash-mismatch' } });
  });

  it('catches a removed tail against the recorded head', () => {
    const entries = chainOf(5);
    const head = { seq: 5, hash: entryAt(entries, 4).hash };
    expect(verifyChain(entries, head)).toEqual({ intact: true, length: 5 });
    expect(verifyChain(entries.slice(0, 3), head)).toEqual({
      intact: false,
      firstBroken: { seq: 4, index: 3, reason: 'head-mismatch', message: 'entries 4 to 5 are missing from the end of the chain (the recorded head is entry 5)' },
    });
  });

  it('catches a rewritten last entry against the recorded head', () => {
    const entries = chainOf(3);
    const head = { seq: 3, hash: entryAt(entries, 2).hash };
    const rewritten = { ...entryAt(entries, 2), action: 'impact/withdraw' };
    entries[2] = { ...rewritten, hash: hashOfEntry(rewritten) };
    expect(verifyChain(entries)).toEqual({ intact: true, length: 3 });
    expect(verifyChain(entries, head)).toMatchObject({ intact: false, firstBroken: { seq: 3, index: 2, reason: 'head-mismatch' } });
  });
});
