/**
 * The audit chain in app storage, through the real @forge/kvs on the sandbox runtime: no
 * decision is lost when reviewers decide at the same moment, and editing or deleting any
 * stored entry (or its head) is detected with the first broken entry named.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { AUDIT_HEAD_ENTITY, appendAuditEntry, auditEntryKey, checkAuditTrail, listAuditEntries } from '../../src/adapters/kvs/audit-repository';
import type { AuditEntryInput } from '../../src/domain/audit-chain';

let app: SandboxApp;

beforeEach(() => {
  app = createSandboxApp();
});
afterEach(async () => {
  await app.close();
});

const asApp = <T>(run: () => Promise<T>): Promise<T> => app.runtime.runAs({ moduleKey: 'impact-panel', moduleType: 'jira:issuePanel' }, run);

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
  app.runtime.kvs.restore({ ...snapshot, entities: { ...snapshot.entities, [AUDIT_HEAD_ENTITY]: change(structuredClone(snapshot.entities[AUDIT_HEAD_ENTITY] ?? [])) } });
};

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

  it('detects a head moved back to an earlier entry (a removed tail), and appends nothing onto it', async () => {
    await buildChain();
    const fourth = app.runtime.kvs.snapshot().keyValues.find((e) => e.key === auditEntryKey(4))?.value as { hash: string };
    tamperHead((items) => items.map((item) => ({ ...item, value: { seq: 4, hash: fourth.hash } })));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: false, firstBroken: { reason: 'head-mismatch', seq: 4 } });
  });

  it('refuses to append after a broken entry, so nothing is chained onto tampered history', async () => {
    await buildChain();
    tamper((entries) => entries.map((e) => (e.key === auditEntryKey(CHAIN) ? { ...e, value: { ...(e.value as object), hash: 'f'.repeat(64) } } : e)));
    await expect(asApp(() => appendAuditEntry(decision(99)))).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
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
      tamper((entries) => entries.map((e) => (e.key === auditEntryKey(seq) ? { ...e, value: edit(e.value as Record<string, unknown>) } : e)));
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
      expect(result.firstBroken.message).toContain(`entr${seq === CHAIN ? 'ies' : 'y'} ${seq}`);
    });

    it(`names entry ${seq} when its record's index key is deleted (its history would lose it)`, async () => {
      await buildChain();
      tamper((entries) => entries.filter((e) => e.key !== `audit:subject:${decision(seq).subject}:${String(seq).padStart(12, '0')}`));
      expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: false, firstBroken: { seq, reason: 'index-mismatch', message: expect.stringContaining(`entry ${seq} (about ${decision(seq).subject})`) } });
    });
  }

  it('detects an index key that moves an entry into another record\'s history', async () => {
    await buildChain();
    tamper((entries) => [...entries, { key: `audit:subject:QMS-999:${String(2).padStart(12, '0')}`, value: { seq: 2 }, createdAt: 0, updatedAt: 0 }]);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'index-mismatch', message: expect.stringContaining('audit:subject:QMS-999:') } });
  });

  it('detects an index key rewritten to point at another entry', async () => {
    await buildChain();
    const key = `audit:subject:${decision(3).subject}:${String(3).padStart(12, '0')}`;
    tamper((entries) => entries.map((e) => (e.key === key ? { ...e, value: { seq: 5 } } : e)));
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'index-mismatch' } });
  });

  it('detects a deleted head (which would hide a removed tail)', async () => {
    await buildChain();
    tamperHead(() => []);
    expect(await asApp(() => checkAuditTrail())).toMatchObject({ intact: false, firstBroken: { reason: 'head-mismatch', seq: CHAIN, message: expect.stringContaining('recorded head is missing') } });
  });
});
