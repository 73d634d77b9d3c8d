import { ZodError } from 'zod';
import { createHmac } from 'node:crypto';
import {
  appendEntry,
  AuditEntrySchema,
  GENESIS_HASH,
  headOf,
  hmacOfEntry,
  KEYED_ALG,
  macOfHead,
  sha256OfEntry,
  verifyChain,
} from '../../src/domain/audit-chain';
import type { AuditEntry, AuditKey } from '../../src/domain/audit-chain';
import { canonicalJson, digestOf } from '../../src/domain/canonical';
import { anAuditInput, anAuditKey } from '../builders';

const KEY: AuditKey = anAuditKey(7);
const hashOfEntry = (entry: AuditEntry): string => hmacOfEntry(KEY, entry);

/** A chain of `length` entries under `key`, each a decision on QMS-<seq>. */
const chainOf = (length: number, key: AuditKey = KEY): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i += 1) {
    entries.push(
      appendEntry(
        entries[entries.length - 1],
        anAuditInput({ subject: `QMS-${i}`, at: `2026-01-${String(10 + i).padStart(2, '0')}T09:00:00.000Z` }),
        key,
      ),
    );
  }
  return entries;
};

/** A chain as written before the app had an audit key: plain SHA-256, no `alg`. */
const legacyChainOf = (length: number): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i += 1) {
    const unhashed = {
      ...anAuditInput({ subject: `QMS-${i}`, at: `2026-01-${String(10 + i).padStart(2, '0')}T09:00:00.000Z` }),
      seq: i,
      prevHash: entries[i - 2]?.hash ?? GENESIS_HASH,
    };
    const entry = AuditEntrySchema.parse({ ...unhashed, hash: digestOf(unhashed) });
    entries.push(entry);
  }
  return entries;
};

/** What someone without the key does to make a rewritten chain look consistent: recompute every hash with `rehash`. */
const rechain = (
  entries: readonly AuditEntry[],
  rehash: (entry: AuditEntry) => string,
  edit: (entry: AuditEntry) => AuditEntry = (e) => e,
): AuditEntry[] => {
  const out: AuditEntry[] = [];
  for (const original of entries) {
    const edited = { ...edit(original), prevHash: out[out.length - 1]?.hash ?? GENESIS_HASH };
    out.push({ ...edited, hash: rehash(edited) });
  }
  return out;
};

const entryAt = (entries: readonly AuditEntry[], index: number): AuditEntry => {
  const entry = entries[index];
  if (entry === undefined) throw new Error(`no entry at ${index}`);
  return entry;
};

describe('appendEntry', () => {
  it('starts the chain at seq 1 from the genesis hash', () => {
    const first = appendEntry(undefined, anAuditInput(), KEY);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes the canonical JSON of everything but the hash with HMAC-SHA256 under the key', () => {
    const first = appendEntry(undefined, anAuditInput(), KEY);
    const { hash, ...rest } = first;
    expect(first.alg).toBe(KEYED_ALG);
    expect(hash).toBe(
      createHmac('sha256', Buffer.from(KEY.secret, 'base64')).update(canonicalJson(rest)).digest('hex'),
    );
    expect(hash).not.toBe(digestOf(rest));
    expect(appendEntry(undefined, anAuditInput(), anAuditKey(8)).hash).not.toBe(hash);
  });

  it('links each entry to the hash of the one before', () => {
    const [first, second] = chainOf(2);
    expect(second?.seq).toBe(2);
    expect(second?.prevHash).toBe(first?.hash);
  });

  it('does not depend on the key order of the payload', () => {
    const a = appendEntry(undefined, anAuditInput({ payload: { a: 1, b: [true, null] } }), KEY);
    const b = appendEntry(undefined, anAuditInput({ payload: { b: [true, null], a: 1 } }), KEY);
    expect(a.hash).toBe(b.hash);
  });

  it('rejects bad input with a ZodError naming the field', () => {
    expect(() => appendEntry(undefined, anAuditInput({ at: 'yesterday' }), KEY)).toThrow(ZodError);
    expect(() => appendEntry(undefined, anAuditInput({ subject: 'not-a-key' }), KEY)).toThrow(/subject/);
    expect(() => appendEntry(undefined, anAuditInput({ actor: { accountId: '' } }), KEY)).toThrow(/actor/);
    expect(() => appendEntry(undefined, anAuditInput({ payload: { n: Number.NaN } }), KEY)).toThrow(/payload/);
    expect(() => appendEntry(undefined, anAuditInput({ extra: 1 }), KEY)).toThrow(/extra/);
  });

  it('produces entries the storage schema accepts', () => {
    for (const entry of chainOf(3)) expect(AuditEntrySchema.parse(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, and the empty chain', () => {
    expect(verifyChain(chainOf(5), { key: KEY })).toEqual({ intact: true, length: 5 });
    expect(verifyChain([])).toEqual({ intact: true, length: 0 });
  });

  it('names an edited entry', () => {
    const entries = chainOf(5);
    entries[2] = { ...entryAt(entries, 2), payload: { applicationId: 'APP-1', category: 'NONE' } };
    expect(verifyChain(entries, { key: KEY })).toEqual({
      intact: false,
      firstBroken: {
        seq: 3,
        index: 2,
        reason: 'hash-mismatch',
        message:
          'entry 3 does not match its hash: its content or its hash was altered (or recomputed without the audit key)',
      },
    });
  });

  it('names an entry whose hash was forged', () => {
    const entries = chainOf(4);
    entries[1] = { ...entryAt(entries, 1), hash: 'f'.repeat(64) };
    expect(verifyChain(entries, { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 2, reason: 'hash-mismatch' },
    });
  });

  it('catches an entry edited and re-hashed at the next entry, which no longer points to it', () => {
    const entries = chainOf(4);
    const edited = { ...entryAt(entries, 1), actor: { accountId: 'acc-mallory', displayName: 'Mallory' } };
    entries[1] = { ...edited, hash: hashOfEntry(edited) };
    expect(verifyChain(entries, { key: KEY })).toEqual({
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
    expect(verifyChain(entries, { key: KEY })).toEqual({
      intact: false,
      firstBroken: { seq: 3, index: 2, reason: 'seq-gap', message: 'entry 3 is missing: entry 4 follows entry 2' },
    });
  });

  it('catches a deleted first entry', () => {
    expect(verifyChain(chainOf(3).slice(1), { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, index: 0, reason: 'seq-gap' },
    });
  });

  it('catches a deleted entry whose successors were renumbered', () => {
    const entries = chainOf(4);
    entries.splice(1, 1);
    const renumbered = entries.map((entry, index) => ({ ...entry, seq: index + 1 }));
    expect(verifyChain(renumbered, { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 2, reason: 'prev-hash-mismatch' },
    });
  });

  it('names a reordered entry', () => {
    const entries = chainOf(4);
    const [third, second] = [entryAt(entries, 2), entryAt(entries, 1)];
    entries[1] = third;
    entries[2] = second;
    expect(verifyChain(entries, { key: KEY })).toEqual({
      intact: false,
      firstBroken: {
        seq: 3,
        index: 1,
        reason: 'seq-out-of-order',
        message: 'entry 3 is at position 2, where entry 2 belongs',
      },
    });
  });

  it('catches a chain that does not start from the genesis hash', () => {
    const entries = chainOf(2);
    const moved = { ...entryAt(entries, 0), prevHash: 'a'.repeat(64) };
    entries[0] = { ...moved, hash: hashOfEntry(moved) };
    expect(verifyChain(entries, { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'prev-hash-mismatch' },
    });
  });

  it('catches a removed tail against the recorded head', () => {
    const entries = chainOf(5);
    const head = headOf(KEY, entryAt(entries, 4));
    expect(verifyChain(entries, { key: KEY, head })).toEqual({ intact: true, length: 5 });
    expect(verifyChain(entries.slice(0, 3), { key: KEY, head })).toEqual({
      intact: false,
      firstBroken: {
        seq: 4,
        index: 3,
        reason: 'head-mismatch',
        message: 'entries 4 to 5 are missing from the end of the chain (the recorded head is entry 5)',
      },
    });
  });

  it('catches a rewritten last entry against the recorded head', () => {
    const entries = chainOf(3);
    const head = headOf(KEY, entryAt(entries, 2));
    const rewritten = { ...entryAt(entries, 2), action: 'impact/withdraw' };
    entries[2] = { ...rewritten, hash: hashOfEntry(rewritten) };
    expect(verifyChain(entries, { key: KEY })).toEqual({ intact: true, length: 3 });
    expect(verifyChain(entries, { key: KEY, head })).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, index: 2, reason: 'head-mismatch' },
    });
  });

  it('catches a head moved back to an earlier genuine entry only by what is known to exist (the head alone cannot)', () => {
    const entries = chainOf(6);
    const truncated = entries.slice(0, 4);
    const rewound = headOf(KEY, entryAt(entries, 3));
    expect(verifyChain(truncated, { key: KEY, head: rewound })).toEqual({ intact: true, length: 4 });
    const appended = {
      seq: 6,
      hash: entryAt(entries, 5).hash,
      at: '2026-01-16T09:00:00.000Z',
      source: 'append' as const,
    };
    expect(verifyChain(truncated, { key: KEY, head: rewound, highWater: [appended] })).toEqual({
      intact: false,
      firstBroken: {
        seq: 5,
        index: 4,
        reason: 'truncated',
        message:
          'entries 5 to 6 are missing from the end of the chain: entry 6 was appended on 2026-01-16T09:00:00.000Z',
      },
    });
  });
});

describe('verifyChain against someone without the key (attacks)', () => {
  it('(a) reports a whole chain rewritten with recomputed plain SHA-256 hashes', () => {
    const forged = rechain(
      chainOf(4),
      (e) => sha256OfEntry(e),
      ({ alg: _alg, ...e }) => ({ ...e, payload: { applicationId: 'APP-1', category: 'NONE' } }),
    );
    expect(verifyChain(forged, { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'not-keyed' },
    });
    // Keeping the alg label does not help: the SHA-256 is not the HMAC.
    const labelled = rechain(chainOf(4), (e) => digestOf(e));
    expect(verifyChain(labelled, { key: KEY })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'hash-mismatch' },
    });
  });

  it('(b) reports a whole chain rewritten with HMAC under another key, head included', () => {
    const other = anAuditKey(99);
    const forged = rechain(
      chainOf(4),
      (e) => hmacOfEntry(other, e),
      (e) => ({ ...e, actor: { accountId: 'acc-mallory', displayName: 'Mallory' } }),
    );
    const head = headOf(other, entryAt(forged, 3));
    expect(verifyChain(forged, { key: other, head })).toEqual({ intact: true, length: 4 });
    expect(verifyChain(forged, { key: KEY, head })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'hash-mismatch' },
    });
  });

  it('reports a head that names the last entry but was not written with the key', () => {
    const entries = chainOf(3);
    const last = entryAt(entries, 2);
    expect(verifyChain(entries, { key: KEY, head: { seq: 3, hash: last.hash } })).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, reason: 'head-mismatch', message: expect.stringContaining('signature') },
    });
    expect(
      verifyChain(entries, { key: KEY, head: { seq: 3, hash: last.hash, mac: macOfHead(anAuditKey(99), last) } }),
    ).toMatchObject({ intact: false, firstBroken: { reason: 'head-mismatch' } });
  });

  it('(c) reports a truncated tail against an outside reference: shorter than the highest one, or the entry about another subject', () => {
    const entries = chainOf(6);
    const truncated = entries.slice(0, 4);
    const head = headOf(KEY, entryAt(entries, 3));
    expect(
      verifyChain(truncated, {
        key: KEY,
        head,
        referenced: [
          { subject: 'QMS-2', seq: 2 },
          { subject: 'QMS-6', seq: 6 },
        ],
      }),
    ).toEqual({
      intact: false,
      firstBroken: {
        seq: 5,
        index: 4,
        reason: 'truncated',
        message: 'entries 5 to 6 are missing from the end of the chain: QMS-6 references entry 6',
      },
    });
    expect(
      verifyChain(entries, {
        key: KEY,
        referenced: [
          { subject: 'QMS-2', seq: 2 },
          { subject: 'QMS-6', seq: 6 },
        ],
      }),
    ).toEqual({ intact: true, length: 6 });
    expect(verifyChain(entries, { key: KEY, referenced: [{ subject: 'QMS-9', seq: 3 }] })).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, reason: 'reference-mismatch', message: expect.stringContaining('about QMS-3') },
    });
  });

  it('reports an entry replaced since a verification recorded it', () => {
    const entries = chainOf(3);
    const mark = { seq: 3, hash: 'a'.repeat(64), at: '2026-01-20T02:00:00.000Z', source: 'verification' as const };
    expect(verifyChain(entries, { key: KEY, highWater: [mark] })).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 3,
        reason: 'hash-mismatch',
        message: expect.stringContaining('verified intact with 3 entries on 2026-01-20'),
      },
    });
  });
});

describe('entries written before the key existed', () => {
  const legacy = legacyChainOf(3);
  const cutOver = anAuditKey(7, { since: 4, anchorHash: entryAt(legacy, 2).hash });
  const continued = (): AuditEntry[] => {
    const entries = [...legacy];
    for (let i = 0; i < 2; i += 1)
      entries.push(
        appendEntry(entries[entries.length - 1], anAuditInput({ subject: `QMS-${entries.length + 1}` }), cutOver),
      );
    return entries;
  };

  it("accepts plain SHA-256 below the key's `since` and HMAC from it on", () => {
    expect(verifyChain(legacy)).toEqual({ intact: true, length: 3 });
    expect(verifyChain(legacy, { key: cutOver })).toEqual({ intact: true, length: 3 });
    const entries = continued();
    expect(entries.map((e) => e.alg)).toEqual([undefined, undefined, undefined, KEYED_ALG, KEYED_ALG]);
    expect(verifyChain(entries, { key: cutOver, head: headOf(cutOver, entryAt(entries, 4)) })).toEqual({
      intact: true,
      length: 5,
    });
  });

  it('refuses plain SHA-256 from `since` on, and a keyed entry before it', () => {
    const entries = continued();
    // Entries 1 to 3 come out as they were; 4 and 5 get plain SHA-256 in place of the HMAC.
    const relinked = rechain(
      entries,
      (e) => sha256OfEntry(e),
      ({ alg: _alg, ...e }) => e,
    );
    expect(relinked.slice(0, 3)).toEqual(legacy);
    expect(verifyChain(relinked, { key: cutOver })).toMatchObject({
      intact: false,
      firstBroken: { seq: 4, reason: 'not-keyed' },
    });
    const keyedEarly = rechain(
      legacy,
      (e) => hmacOfEntry(cutOver, e),
      (e) => ({ ...e, alg: KEYED_ALG }),
    );
    expect(verifyChain(keyedEarly, { key: cutOver })).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'not-keyed' },
    });
  });

  it('pins the entries before the key by the anchor: rewriting them all with SHA-256 is reported, even before any keyed entry', () => {
    const rewritten = rechain(
      legacy,
      (e) => sha256OfEntry(e),
      (e) => ({ ...e, actor: { accountId: 'acc-mallory', displayName: 'Mallory' } }),
    );
    expect(verifyChain(rewritten)).toEqual({ intact: true, length: 3 });
    expect(verifyChain(rewritten, { key: cutOver })).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 3,
        reason: 'hash-mismatch',
        message: expect.stringContaining('when its audit key was created'),
      },
    });
  });

  it('reports a chain shorter than it was when the key was created', () => {
    expect(verifyChain(legacy.slice(0, 1), { key: cutOver })).toMatchObject({
      intact: false,
      firstBroken: { seq: 2, reason: 'truncated' },
    });
  });

  it('without a key, reports an entry that claims a keyed hash', () => {
    expect(verifyChain(chainOf(1))).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'not-keyed', message: expect.stringContaining('no audit key') },
    });
  });
});
