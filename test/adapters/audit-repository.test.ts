/**
 * The audit chain in app storage, through the real @forge/kvs on the sandbox runtime: no
 * decision is lost when reviewers decide at the same moment, and editing or deleting any
 * stored entry (or its head) is detected with the first broken entry named. The attacks are
 * made as someone who can rewrite the app's key-value and entity storage but not its secret
 * storage (the snapshot/restore below keeps secrets as they are): a chain recomputed without
 * the key, and a tail cut off with the head moved back, are reported.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { Filter, FilterConditions, kvs } from '@forge/kvs';
import { z } from 'zod';
import {
  AUDIT_HEAD_ENTITY,
  AUDIT_HIGH_WATER_SECRET,
  AUDIT_KEY_SECRET,
  appendAuditEntry,
  auditEntryKey,
  checkAuditTrail,
  listAuditEntries,
  verifyAndRecordAuditTrail,
} from '../../src/adapters/kvs/audit-repository';
import type { Transaction } from '../../src/adapters/kvs/audit-repository';
import {
  AuditEntrySchema,
  AuditKeySchema,
  GENESIS_HASH,
  hmacOfEntry,
  macOfHead,
  sha256OfEntry,
  verifyChain,
} from '../../src/domain/audit-chain';
import type { AuditEntry, AuditEntryInput } from '../../src/domain/audit-chain';
import { AppError } from '../../src/ports/app-error';
import { anAuditKey } from '../builders';

let app: SandboxApp;

beforeEach(() => {
  app = createSandboxApp();
});
afterEach(async () => {
  await app.close();
});

const asApp = <T>(run: () => Promise<T>): Promise<T> =>
  app.runtime.runAs({ moduleKey: 'impact-panel', moduleType: 'jira:issuePanel' }, run);

const decision = (n: number): AuditEntryInput => ({
  at: `2026-11-24T08:00:${String(n % 60).padStart(2, '0')}.000Z`,
  actor: { accountId: `557058:reviewer-${n}`, displayName: `Reviewer ${n}` },
  action: 'impact/decide',
  subject: `QMS-${n + 1}`,
  payload: { applicationId: `APP-${n}`, category: 'CBE-30', rationale: `decision ${n}` },
});

type StoredItem = { key: string; value: unknown; createdAt?: number; updatedAt?: number };

/** Rewrites app storage as someone with direct access to it might (restore parses what it gets). */
const tamper = (change: (entries: StoredItem[]) => StoredItem[]): void => {
  const snapshot = app.runtime.kvs.snapshot();
  app.runtime.kvs.restore({ ...snapshot, keyValues: change(structuredClone(snapshot.keyValues)) });
};

/** The same for the chain's head, a custom entity. */
const tamperHead = (change: (items: StoredItem[]) => StoredItem[]): void => {
  const snapshot = app.runtime.kvs.snapshot();
  app.runtime.kvs.restore({
    ...snapshot,
    entities: {
      ...snapshot.entities,
      [AUDIT_HEAD_ENTITY]: change(structuredClone(snapshot.entities[AUDIT_HEAD_ENTITY] ?? [])),
    },
  });
};

const storedValue = (key: string): unknown => app.runtime.kvs.snapshot().keyValues.find((e) => e.key === key)?.value;
const storedSecret = (key: string): unknown => app.runtime.kvs.snapshot().secrets.find((e) => e.key === key)?.value;
const storedKey = () => AuditKeySchema.parse(storedSecret(AUDIT_KEY_SECRET));
const storedEntries = (): AuditEntry[] =>
  app.runtime.kvs
    .snapshot()
    .keyValues.filter((e) => e.key.startsWith('audit:entry:'))
    .map((e) => AuditEntrySchema.parse(e.value))
    .sort((a, b) => a.seq - b.seq);
const subjectKey = (subject: string, seq: number): string =>
  `audit:subject:${subject}:${String(seq).padStart(12, '0')}`;

/** Puts `entries` in storage in place of the chain's entries (index keys unchanged: the subjects stay). */
const replaceEntries = (entries: readonly AuditEntry[]): void =>
  tamper((items) =>
    items.map((item) => {
      const replacement = entries.find((entry) => auditEntryKey(entry.seq) === item.key);
      return replacement === undefined ? item : { ...item, value: replacement };
    }),
  );

/** Secret storage as the platform keeps it; only the tests may change it (to show what a mark adds). */
const dropSecret = (key: string): void => {
  const snapshot = app.runtime.kvs.snapshot();
  app.runtime.kvs.restore({ ...snapshot, secrets: snapshot.secrets.filter((e) => e.key !== key) });
};

/** What someone without the key does to make a rewritten chain look consistent: recompute every link and hash with `rehash`. */
const rechain = (
  entries: readonly AuditEntry[],
  rehash: (entry: AuditEntry) => string,
  edit: (entry: AuditEntry) => AuditEntry,
): AuditEntry[] => {
  const out: AuditEntry[] = [];
  for (const original of entries) {
    const edited = { ...edit(original), prevHash: out[out.length - 1]?.hash ?? GENESIS_HASH };
    out.push({ ...edited, hash: rehash(edited) });
  }
  return out;
};

/** Cuts the chain after entry `keep` as an attacker would: entries and their index keys gone, the head set back to `head`. */
const truncateTo = (keep: number, head: StoredItem[]): void => {
  const removed = storedEntries().filter((entry) => entry.seq > keep);
  tamper((items) =>
    items.filter(
      (item) =>
        !removed.some(
          (entry) => item.key === auditEntryKey(entry.seq) || item.key === subjectKey(entry.subject, entry.seq),
        ),
    ),
  );
  tamperHead(() => head);
};

const ChainHeadValue = z.object({ seq: z.number(), hash: z.string(), mac: z.string().optional() });

const CHAIN = 6;

const buildChain = async (): Promise<void> => {
  for (let n = 1; n <= CHAIN; n++) await asApp(() => appendAuditEntry(decision(n)));
};

describe('appendAuditEntry', () => {
  it('records every one of many decisions appended at the same moment, none overwritten', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => decision(i + 1));
    const stored = await Promise.all(inputs.map((input) => asApp(() => appendAuditEntry(input))));
    expect(new Set(stored.map((e) => e.seq)).size).toBe(inputs.length);
    const entries = await asApp(() => listAuditEntries());
    expect(entries.map((e) => e.seq)).toEqual(inputs.map((_, i) => i + 1));
    expect(entries.map((e) => e.subject).sort()).toEqual(inputs.map((i) => i.subject).sort());
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: inputs.length });
  });

  it('detects a head moved back to an earlier entry while the entries after it remain', async () => {
    await buildChain();
    const fourth = AuditEntrySchema.parse(storedValue(auditEntryKey(4)));
    tamperHead((items) => items.map((item) => ({ ...item, value: { seq: 4, hash: fourth.hash } })));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { reason: 'head-mismatch', seq: 4 },
    });
  });

  it('detects a head on the last entry that the app did not write (no MAC under the key)', async () => {
    await buildChain();
    const last = AuditEntrySchema.parse(storedValue(auditEntryKey(CHAIN)));
    tamperHead((items) => items.map((item) => ({ ...item, value: { seq: CHAIN, hash: last.hash } })));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { reason: 'head-mismatch', seq: CHAIN, message: expect.stringContaining('signature') },
    });
    await expect(asApp(() => appendAuditEntry(decision(99)))).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
  });

  it('refuses to append after a broken entry, so nothing is chained onto tampered history', async () => {
    await buildChain();
    tamper((entries) =>
      entries.map((e) =>
        e.key === auditEntryKey(CHAIN) ? { ...e, value: { ...(e.value as object), hash: 'f'.repeat(64) } } : e,
      ),
    );
    await expect(asApp(() => appendAuditEntry(decision(99)))).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
  });
});

describe('appendAuditEntry with writes alongside', () => {
  const CLAIM = 'impact-claim';
  const claimAt = (version: number) => asApp(() => kvs.entity(CLAIM).set('QMS-1', { version, claimedAt: 1 }));
  const alongside = (conflict: () => Promise<boolean>) => ({
    onConditionFailed: async () => {
      if (await conflict()) throw new AppError('CONFLICT', 'QMS-1 was changed by someone else; nothing was recorded.');
    },
    writes: (entry: AuditEntry) => [
      (transaction: Transaction) =>
        transaction.set(
          'QMS-1',
          { version: 2, claimedAt: entry.seq },
          {
            entityName: CLAIM,
            conditions: new Filter<{ version: number }>().and('version', FilterConditions.equalTo(1)),
          },
        ),
    ],
  });

  it('commits them in the same transaction as the keyed entry', async () => {
    await claimAt(1);
    const entry = await asApp(() =>
      appendAuditEntry(
        decision(1),
        alongside(async () => false),
      ),
    );
    expect(entry).toMatchObject({ seq: 1, alg: 'hmac-sha256' });
    expect(app.runtime.kvs.snapshot().entities[CLAIM]?.[0]?.value).toEqual({ version: 2, claimedAt: entry.seq });
    expect(storedSecret(AUDIT_HIGH_WATER_SECRET)).toMatchObject({ seq: 1, hash: entry.hash, source: 'append' });
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: 1 });
  });

  it('records nothing, and raises no mark, when their condition fails and the caller calls it a conflict', async () => {
    await buildChain();
    await claimAt(5);
    const before = app.runtime.kvs.snapshot();
    await expect(
      asApp(() =>
        appendAuditEntry(
          decision(99),
          alongside(async () => true),
        ),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });
});

describe('checkAuditTrail', () => {
  it('is intact for an untouched chain', async () => {
    await buildChain();
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: CHAIN });
  });

  const editings: Array<[string, (value: Record<string, unknown>) => Record<string, unknown>]> = [
    ['its rationale', (v) => ({ ...v, payload: { ...(v['payload'] as object), rationale: 'changed after the fact' } })],
    ['its signer', (v) => ({ ...v, actor: { accountId: '557058:someone-else', displayName: 'Someone Else' } })],
    ['its time', (v) => ({ ...v, at: '2020-01-01T00:00:00.000Z' })],
    ['its hash', (v) => ({ ...v, hash: '0'.repeat(63) + '1' })],
  ];

  for (let seq = 1; seq <= CHAIN; seq++) {
    it.each(editings)(`names entry ${seq} when ${'%s'} is edited`, async (_what, edit) => {
      await buildChain();
      tamper((entries) =>
        entries.map((e) =>
          e.key === auditEntryKey(seq) ? { ...e, value: edit(e.value as Record<string, unknown>) } : e,
        ),
      );
      const result = await asApp(() => checkAuditTrail());
      expect(result).toMatchObject({ intact: false, firstBroken: { seq } });
    });

    it(`names entry ${seq} when it is deleted`, async () => {
      await buildChain();
      tamper((entries) => entries.filter((e) => e.key !== auditEntryKey(seq)));
      const result = await asApp(() => checkAuditTrail());
      if (result.intact) throw new Error('deletion not detected');
      // The missing entry itself is the first broken one (the last one is missed from the head).
      expect(result.firstBroken.seq).toBe(seq);
      expect(result.firstBroken.message).toContain(`entry ${seq}`);
    });

    it(`names entry ${seq} when its record's index key is deleted (its history would lose it)`, async () => {
      await buildChain();
      tamper((entries) =>
        entries.filter((e) => e.key !== `audit:subject:${decision(seq).subject}:${String(seq).padStart(12, '0')}`),
      );
      expect(await asApp(() => checkAuditTrail())).toMatchObject({
        intact: false,
        firstBroken: {
          seq,
          reason: 'index-mismatch',
          message: expect.stringContaining(`entry ${seq} (about ${decision(seq).subject})`),
        },
      });
    });
  }

  it("detects an index key that moves an entry into another record's history", async () => {
    await buildChain();
    tamper((entries) => [
      ...entries,
      { key: `audit:subject:QMS-999:${String(2).padStart(12, '0')}`, value: { seq: 2 }, createdAt: 0, updatedAt: 0 },
    ]);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { seq: 2, reason: 'index-mismatch', message: expect.stringContaining('audit:subject:QMS-999:') },
    });
  });

  it('detects an index key rewritten to point at another entry', async () => {
    await buildChain();
    const key = `audit:subject:${decision(3).subject}:${String(3).padStart(12, '0')}`;
    tamper((entries) => entries.map((e) => (e.key === key ? { ...e, value: { seq: 5 } } : e)));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { seq: 3, reason: 'index-mismatch' },
    });
  });

  it('detects a deleted head (which would hide a removed tail)', async () => {
    await buildChain();
    tamperHead(() => []);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: {
        reason: 'head-mismatch',
        seq: CHAIN,
        message: expect.stringContaining('recorded head is missing'),
      },
    });
  });
});

describe('the audit key', () => {
  it('is created on first use, in secret storage only, and every entry is an HMAC under it', async () => {
    await buildChain();
    const key = storedKey();
    expect(key).toMatchObject({ since: 1, anchorHash: GENESIS_HASH });
    expect(Buffer.from(key.secret, 'base64')).toHaveLength(32);
    expect(JSON.stringify(app.runtime.kvs.snapshot().keyValues)).not.toContain(key.secret);
    expect(JSON.stringify(app.runtime.kvs.snapshot().entities)).not.toContain(key.secret);
    for (const entry of storedEntries())
      expect(entry).toMatchObject({ alg: 'hmac-sha256', hash: hmacOfEntry(key, entry) });
  });

  it('(d) two first appends at the same moment create one key, and the chain is intact under it', async () => {
    const attempts: string[] = [];
    const handle = app.runtime.kvs.handle.bind(app.runtime.kvs);
    jest.spyOn(app.runtime.kvs, 'handle').mockImplementation((request) => {
      const answer = handle(request);
      if (request.path.endsWith('/secret/set') && request.body?.includes(`"${AUDIT_KEY_SECRET}"`))
        attempts.push(`${answer.status}`);
      return answer;
    });
    const stored = await Promise.all([decision(1), decision(2)].map((input) => asApp(() => appendAuditEntry(input))));
    // Both found no key and both tried to create one: the second was refused and used the first's.
    expect(attempts.sort()).toEqual(['204', '409']);
    const key = storedKey();
    expect(stored.map((entry) => entry.hash).sort()).toEqual(
      storedEntries()
        .map((entry) => hmacOfEntry(key, entry))
        .sort(),
    );
    expect(verifyChain(storedEntries(), { key })).toEqual({ intact: true, length: 2 });
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: 2 });
  });
});

describe('a chain rewritten without the key', () => {
  const mallory = (entry: AuditEntry): AuditEntry => ({
    ...entry,
    actor: { accountId: '557058:mallory', displayName: 'Mallory' },
  });

  it('(a) is reported when every entry and the head are recomputed with plain SHA-256', async () => {
    await buildChain();
    const forged = rechain(storedEntries(), sha256OfEntry, ({ alg: _alg, ...entry }) => mallory(entry));
    replaceEntries(forged);
    const last = forged[forged.length - 1];
    tamperHead((items) => items.map((item) => ({ ...item, value: { seq: CHAIN, hash: last?.hash } })));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'not-keyed' },
    });
  });

  it('(b) is reported when every entry and the head are recomputed with HMAC under another key', async () => {
    await buildChain();
    const other = anAuditKey(99);
    const forged = rechain(storedEntries(), (entry) => hmacOfEntry(other, entry), mallory);
    replaceEntries(forged);
    const last = forged[forged.length - 1];
    if (last === undefined) throw new Error('no entries');
    tamperHead((items) =>
      items.map((item) => ({ ...item, value: { seq: CHAIN, hash: last.hash, mac: macOfHead(other, last) } })),
    );
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: { seq: 1, reason: 'hash-mismatch' },
    });
  });
});

describe('a truncated tail with the head moved back to a genuine earlier entry (c)', () => {
  /** The head exactly as the app wrote it after entry `seq`: what an attacker who kept a copy can put back. */
  const buildRememberingHead = async (seq: number): Promise<StoredItem[]> => {
    let head: StoredItem[] = [];
    for (let n = 1; n <= CHAIN; n++) {
      await asApp(() => appendAuditEntry(decision(n)));
      if (n === seq) head = structuredClone(app.runtime.kvs.snapshot().entities[AUDIT_HEAD_ENTITY] ?? []);
    }
    return head;
  };

  it('looks intact to the chain and its head alone', async () => {
    const head = await buildRememberingHead(4);
    truncateTo(4, head);
    expect(
      verifyChain(storedEntries(), {
        key: storedKey(),
        head: z.object({ value: ChainHeadValue }).parse(head[0]).value,
      }),
    ).toEqual({ intact: true, length: 4 });
  });

  it('is reported by the high-water mark the appends keep in secret storage', async () => {
    const head = await buildRememberingHead(4);
    truncateTo(4, head);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      entries: 4,
      firstBroken: { seq: 5, reason: 'truncated', message: expect.stringContaining(`entry ${CHAIN} was appended on`) },
    });
  });

  it('is reported by the last verification, which saw the longer chain intact', async () => {
    const head = await buildRememberingHead(4);
    await asApp(() => verifyAndRecordAuditTrail({ trigger: 'daily', now: new Date('2026-11-25T02:00:00.000Z') }));
    truncateTo(4, head);
    dropSecret(AUDIT_HIGH_WATER_SECRET);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 5,
        reason: 'truncated',
        message: expect.stringContaining(`verified intact with ${CHAIN} entries on 2026-11-25T02:00:00.000Z`),
      },
    });
  });

  it('is reported by the seqs outside records reference: beyond the end, or about another subject', async () => {
    const head = await buildRememberingHead(4);
    truncateTo(4, head);
    dropSecret(AUDIT_HIGH_WATER_SECRET);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: 4 });
    expect(
      await asApp(() =>
        checkAuditTrail({
          referenced: [
            { subject: decision(2).subject, seq: 2 },
            { subject: decision(6).subject, seq: 6 },
          ],
        }),
      ),
    ).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 5,
        reason: 'truncated',
        message: expect.stringContaining(`${decision(6).subject} references entry 6`),
      },
    });
    expect(
      await asApp(() => checkAuditTrail({ referenced: [{ subject: decision(3).subject, seq: 2 }] })),
    ).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'reference-mismatch' } });
  });

  it('gets nothing appended onto it', async () => {
    const head = await buildRememberingHead(4);
    truncateTo(4, head);
    const before = app.runtime.kvs.snapshot();
    await expect(asApp(() => appendAuditEntry(decision(99)))).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining('entries were removed'),
    });
    expect(app.runtime.kvs.snapshot()).toEqual(before);
  });
});

describe('entries written before the key existed', () => {
  /** A trail as the app wrote it before this version: plain SHA-256, a head without MAC, no key. */
  const seedLegacyTrail = (length: number): AuditEntry[] => {
    const entries: AuditEntry[] = [];
    for (let n = 1; n <= length; n++) {
      const unhashed = { ...decision(n), seq: n, prevHash: entries[n - 2]?.hash ?? GENESIS_HASH };
      entries.push({ ...unhashed, hash: sha256OfEntry(unhashed) });
    }
    const snapshot = app.runtime.kvs.snapshot();
    const item = (key: string, value: unknown) => ({ key, value, createdAt: 0, updatedAt: 0 });
    const last = entries[entries.length - 1];
    app.runtime.kvs.restore({
      ...snapshot,
      keyValues: [
        ...entries.map((entry) => item(auditEntryKey(entry.seq), entry)),
        ...entries.map((entry) => item(subjectKey(entry.subject, entry.seq), { seq: entry.seq })),
      ],
      entities: last === undefined ? {} : { [AUDIT_HEAD_ENTITY]: [item('head', { seq: last.seq, hash: last.hash })] },
    });
    return entries;
  };

  it('verify under a key created at the first check, which pins them by the hash of the last', async () => {
    const legacy = seedLegacyTrail(3);
    expect(await asApp(() => checkAuditTrail())).toEqual({
      intact: true,
      entries: 3,
      head: { seq: 3, hash: legacy[2]?.hash },
      keyedSince: 4,
    });
    expect(storedKey()).toMatchObject({ since: 4, anchorHash: legacy[2]?.hash });
    const next = await asApp(() => appendAuditEntry(decision(4)));
    expect(next).toMatchObject({ seq: 4, alg: 'hmac-sha256', prevHash: legacy[2]?.hash });
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: true, entries: 4, keyedSince: 4 });
  });

  it('cannot be rewritten with SHA-256 once the key exists, even before any keyed entry', async () => {
    seedLegacyTrail(3);
    await asApp(() => checkAuditTrail());
    const forged = rechain(storedEntries(), sha256OfEntry, (entry) => ({
      ...entry,
      payload: { applicationId: 'APP-1', category: 'NONE', rationale: 'rewritten' },
    }));
    replaceEntries(forged);
    const last = forged[forged.length - 1];
    tamperHead((items) => items.map((item) => ({ ...item, value: { seq: 3, hash: last?.hash } })));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({
      intact: false,
      firstBroken: {
        seq: 3,
        reason: 'hash-mismatch',
        message: expect.stringContaining('when its audit key was created'),
      },
    });
  });
});
