/**
 * Hostile insider against the audit trail, through the real handlers (the admin page's resolver
 * and the daily scheduled trigger) on the sandbox runtime. The insider can rewrite the app's
 * key-value and entity storage (modelled by snapshot and restore, which keep secret storage as
 * the platform does) but cannot read Forge secret storage, where the audit key and the
 * high-water mark live. Each attack must be reported, by the admin's check and by the daily one.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { SITE_ACCOUNTS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { adminPageResolver } from '../../src';
import { AUDIT_HEAD_ENTITY, appendAuditEntry } from '../../src/adapters/kvs/audit-repository';
import { AuditEntrySchema, GENESIS_HASH, hmacOfEntry, macOfHead, sha256OfEntry } from '../../src/domain/audit-chain';
import type { AuditEntry } from '../../src/domain/audit-chain';
import { AuditVerificationRunSchema } from '../../src/contract/admin-page';
import { envelopeSchema } from '../../src/contract/envelope';
import { anAuditKey } from '../builders';
import { createContractObserver } from '../support/contract-observer';

const contract = createContractObserver();
let app: SandboxApp;

beforeEach(() => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

const verifyAsAdmin = async () =>
  envelopeSchema(AuditVerificationRunSchema).parse(
    await app.runtime.invokeResolver(
      adminPageResolver,
      {
        functionKey: 'admin/audit/verify',
        payload: {},
        extension: { type: 'jira:adminPage' },
        localId: 'admin-page-local',
      },
      {
        accountId: SITE_ACCOUNTS.admin,
        moduleKey: 'admin-page',
        moduleType: 'jira:adminPage',
        functionKey: 'fn-admin-page',
      },
    ),
  );
const verifyDaily = () => app.invokeFunction('verify-audit-trail', {});

const record = (n: number) =>
  app.runtime.runAs({ moduleKey: 'impact-panel', moduleType: 'jira:issuePanel' }, () =>
    appendAuditEntry({
      at: `2026-11-24T09:00:0${n}.000Z`,
      actor: { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' },
      action: 'impact/decide',
      subject: `QMS-${n}`,
      payload: { category: 'PAS', rationale: `decision ${n}` },
    }),
  );

type Item = { key: string; value: unknown; createdAt: number; updatedAt: number };
const entryKeyPattern = /^audit:entry:/;

/** The insider's edit of storage: entries, index keys and the head; secrets untouched. */
const rewriteStorage = (
  change: (entries: AuditEntry[]) => { entries: AuditEntry[]; head: unknown; dropKeys?: (key: string) => boolean },
): void => {
  const snapshot = app.runtime.kvs.snapshot();
  const entries = snapshot.keyValues
    .filter((e) => entryKeyPattern.test(e.key))
    .map((e) => AuditEntrySchema.parse(e.value))
    .sort((a, b) => a.seq - b.seq);
  const changed = change(entries);
  const keyValues: Item[] = snapshot.keyValues
    .filter((e) => !(changed.dropKeys?.(e.key) ?? false))
    .map((e) => {
      const replacement = changed.entries.find(
        (entry) => e.key === `audit:entry:${String(entry.seq).padStart(12, '0')}`,
      );
      return replacement === undefined ? e : { ...e, value: replacement };
    });
  app.runtime.kvs.restore({
    ...snapshot,
    keyValues,
    entities: {
      ...snapshot.entities,
      [AUDIT_HEAD_ENTITY]: [{ key: 'head', value: changed.head, createdAt: 0, updatedAt: 0 }],
    },
  });
};

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

const expectReported = async (seq: number, reason: string): Promise<void> => {
  expect(await verifyAsAdmin()).toMatchObject({
    ok: true,
    data: { result: { intact: false, firstBroken: { seq, reason } } },
  });
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    expect(await verifyDaily()).toMatchObject({
      outcome: 'done',
      run: { trigger: 'daily', result: { intact: false, firstBroken: { seq, reason } } },
    });
  } finally {
    warn.mockRestore();
  }
};

describe('the audit trail against an insider with storage access but not the key', () => {
  it('is intact when nobody touched it', async () => {
    for (let n = 1; n <= 4; n++) await record(n);
    expect(await verifyAsAdmin()).toMatchObject({ ok: true, data: { result: { intact: true, entries: 4 } } });
  });

  it('reports a decision re-attributed and the whole chain recomputed with SHA-256, head included', async () => {
    for (let n = 1; n <= 4; n++) await record(n);
    rewriteStorage((entries) => {
      const forged = rechain(entries, sha256OfEntry, ({ alg: _alg, ...entry }) =>
        entry.seq === 2
          ? { ...entry, actor: { accountId: SITE_ACCOUNTS.quality, displayName: 'Quinn Quality' } }
          : entry,
      );
      const last = forged[forged.length - 1];
      return { entries: forged, head: { seq: last?.seq, hash: last?.hash } };
    });
    await expectReported(1, 'not-keyed');
  });

  it("reports the chain recomputed with HMAC under a key of the insider's own, head MAC included", async () => {
    for (let n = 1; n <= 4; n++) await record(n);
    const own = anAuditKey(42);
    rewriteStorage((entries) => {
      const forged = rechain(
        entries,
        (entry) => hmacOfEntry(own, entry),
        (entry) => (entry.seq === 3 ? { ...entry, payload: { category: 'CBE-30', rationale: 'downgraded' } } : entry),
      );
      const last = forged[forged.length - 1];
      if (last === undefined) throw new Error('no entries');
      return { entries: forged, head: { seq: last.seq, hash: last.hash, mac: macOfHead(own, last) } };
    });
    await expectReported(1, 'hash-mismatch');
  });

  it('reports the last two decisions cut off with the head put back exactly as the app wrote it after the second', async () => {
    await record(1);
    await record(2);
    const genuineHead = app.runtime.kvs.snapshot().entities[AUDIT_HEAD_ENTITY]?.[0]?.value;
    await record(3);
    await record(4);
    rewriteStorage((entries) => ({
      entries: entries.slice(0, 2),
      head: genuineHead,
      dropKeys: (key) =>
        [3, 4].some(
          (n) => key === `audit:entry:${String(n).padStart(12, '0')}` || key.startsWith(`audit:subject:QMS-${n}:`),
        ),
    }));
    const stored = app.runtime.kvs.snapshot().keyValues.filter((e) => entryKeyPattern.test(e.key));
    expect(stored).toHaveLength(2);
    await expectReported(3, 'truncated');
  });
});
