/**
 * Hostile-insider attacks on signing (21 CFR 11.200(a), 11.300), through the real resolver
 * handlers on the sandbox runtime with the demo site: QMS-1 assessed by Quinn, Rita (the
 * regulatory reviewer) signs its decisions with her enrolled authenticator. Codes are computed
 * from the enrolled secret with otpauth, as her authenticator app would.
 *
 * Every refused signature is shown to leave the record (Jira) and the audit trail exactly as
 * they were; only the credential's own bookkeeping (a failure counted, a lock-out audited)
 * may change.
 */
import type { z } from 'zod';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { DEMO_USERS, createDemoClock, seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { adminPageResolver, impactPanelResolver } from '../../src';
import { listAuditEntries } from '../../src/adapters/kvs/audit-repository';
import { SIGNING_CREDENTIAL_ENTITY } from '../../src/adapters/kvs/signing-credentials';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { StoredImpactSchema } from '../../src/domain/impact-field-value';
import type { AuditEntry } from '../../src/domain/audit-chain';
import { createContractObserver } from '../support/contract-observer';
import { codeAt, enrolAndCode, nextCodeStep, useSigningClock, wrongCodeAt } from '../support/signing';
import type { EnrolledSigner } from '../support/signing';

const contract = createContractObserver();
const RITA: string = SITE_ACCOUNTS.regulatory;
const ADA: string = SITE_ACCOUNTS.admin;
const QUINN: string = SITE_ACCOUNTS.quality;

const DRAFT = {
  changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IB' } }],
  affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US', 'EU'] },
};

let app: SandboxApp;

const parse = <K extends ResolverKey>(key: K, raw: unknown): Envelope<ResolverOutput<K>> =>
  envelopeSchema(RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>).parse(raw) as Envelope<
    ResolverOutput<K>
  >;

const panel = async <K extends ResolverKey>(
  accountId: string,
  key: K,
  payload: unknown,
): Promise<Envelope<ResolverOutput<K>>> => {
  const raw = await app.runtime.invokeResolver(
    impactPanelResolver,
    {
      functionKey: key,
      payload,
      extension: { type: 'jira:issuePanel', issue: { key: 'QMS-1', type: 'Supplier Change' }, project: { key: 'QMS' } },
    },
    { accountId, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-impact-panel' },
  );
  await app.whenIdle();
  return parse(key, raw);
};

const adminPage = async <K extends ResolverKey>(
  accountId: string,
  key: K,
  payload: unknown,
  extension: Record<string, unknown> = { type: 'jira:adminPage' },
): Promise<Envelope<ResolverOutput<K>>> =>
  parse(
    key,
    await app.runtime.invokeResolver(
      adminPageResolver,
      { functionKey: key, payload, extension },
      { accountId, moduleKey: 'admin-page', moduleType: 'jira:adminPage', functionKey: 'fn-admin-page' },
    ),
  );

const data = <T>(answer: Envelope<T>): T => {
  if (!answer.ok) throw new Error(`expected success, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
};

const asApp = <T>(run: () => Promise<T>) => app.runtime.runAs({ moduleKey: 'test' }, run);
const storedImpact = () => StoredImpactSchema.parse(app.jira.readIssue('QMS-1')?.properties[IMPACT_PROPERTY_KEY]);
const enrol = (accountId: string): Promise<EnrolledSigner> =>
  enrolAndCode((key, payload) => panel(accountId, key, payload));

const decide = (accountId: string, signatureCode: string | undefined, applicationId = 'APP-NDA-CARDIOLOL') =>
  panel(accountId, 'impact/decide', {
    version: storedImpact().version,
    applicationId,
    decision: 'accept',
    rationale: '',
    meaning: 'approval',
    ...(signatureCode === undefined ? {} : { signatureCode }),
  });

/** The record as Jira holds it and the whole audit trail. */
const recordAndTrail = async (): Promise<{ jira: unknown; trail: AuditEntry[] }> => ({
  jira: app.jira.snapshot(),
  trail: await asApp(() => listAuditEntries()),
});

const newEntries = async (before: AuditEntry[]): Promise<AuditEntry[]> =>
  (await asApp(() => listAuditEntries())).slice(before.length);

beforeEach(async () => {
  useSigningClock(new Date('2026-12-01T09:00:00.000Z'));
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
  data(await panel(QUINN, 'impact/save-assessment', { version: 0, ...DRAFT }));
});
afterEach(async () => {
  await app.close();
  jest.useRealTimers();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('a signature needs a valid code of the signer’s own enrolled authenticator', () => {
  it('signs with a current code, and the code’s step is spent', async () => {
    const rita = await enrol(RITA);
    const written = data(await decide(RITA, rita.code()));
    expect(written.version).toBe(2);
    expect(storedImpact().decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided?.by.accountId).toBe(
      RITA,
    );
  });

  it('refuses a decision without a code, touching nothing at all', async () => {
    await enrol(RITA);
    const before = { jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() };
    expect(await decide(RITA, undefined)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('signatureCode') },
    });
    expect({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() }).toEqual(before);
  });

  it('refuses a wrong code, says how many attempts remain, and changes neither the record nor the audit trail', async () => {
    const rita = await enrol(RITA);
    const before = await recordAndTrail();
    nextCodeStep();
    expect(await decide(RITA, wrongCodeAt(rita.secretBase32))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/not correct.*nothing was signed.*4 attempts left/s) },
    });
    expect(await recordAndTrail()).toEqual(before);
  });

  it('refuses a code used once already (the same step twice), and the second attempt changes nothing', async () => {
    const rita = await enrol(RITA);
    const code = rita.code();
    data(await decide(RITA, code, 'APP-NDA-CARDIOLOL'));
    const before = await recordAndTrail();
    expect(await decide(RITA, code, 'APP-MAA-CARDIOLOL')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('already used') },
    });
    expect(await recordAndTrail()).toEqual(before);
    // The code that confirmed the enrolment cannot sign either.
    const fresh = await enrol(ADA);
    const confirmCode = codeAt(fresh.secretBase32);
    expect(await decide(ADA, confirmCode, 'APP-MAA-CARDIOLOL')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('already used') },
    });
  });

  it('lets exactly one of two concurrent decisions with the same code through', async () => {
    const rita = await enrol(RITA);
    const code = rita.code();
    const trailBefore = await asApp(() => listAuditEntries());
    const [first, second] = await Promise.all([
      decide(RITA, code, 'APP-NDA-CARDIOLOL'),
      decide(RITA, code, 'APP-MAA-CARDIOLOL'),
    ]);
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const refused = first.ok ? second : first;
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('already used') },
    });
    expect((await newEntries(trailBefore)).map((e) => e.action)).toEqual(['impact/decide']);
    expect(storedImpact().decisions.filter((d) => d.decided !== undefined)).toHaveLength(1);
  });

  it('refuses someone who never enrolled, or whose enrolment is not confirmed, and changes nothing', async () => {
    await enrol(RITA);
    const before = await recordAndTrail();
    expect(await decide(ADA, '123456')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('no authenticator set up') },
    });
    expect(await recordAndTrail()).toEqual(before);
    const started = data(await panel(ADA, 'signing/enrol-start', {}));
    const afterStart = await recordAndTrail();
    expect(await decide(ADA, codeAt(started.secretBase32))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('not confirmed') },
    });
    expect(await recordAndTrail()).toEqual(afterStart);
  });

  it('refuses another person’s code: Rita cannot sign with the code of Ada’s authenticator', async () => {
    const rita = await enrol(RITA);
    const ada = await enrol(ADA);
    nextCodeStep();
    const adas = codeAt(ada.secretBase32);
    if (adas === codeAt(rita.secretBase32)) nextCodeStep(); // one chance in a million that both show the same code
    const before = await recordAndTrail();
    expect(await decide(RITA, codeAt(ada.secretBase32))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('not correct') },
    });
    expect(await recordAndTrail()).toEqual(before);
  });

  it('takes the signer from the Forge context: a payload naming someone else is refused', async () => {
    const rita = await enrol(RITA);
    const before = { jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() };
    expect(
      await panel(ADA, 'impact/decide', {
        version: 1,
        applicationId: 'APP-NDA-CARDIOLOL',
        decision: 'accept',
        rationale: '',
        meaning: 'approval',
        signatureCode: rita.code(),
        accountId: RITA,
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await panel(ADA, 'signing/enrol-confirm', { code: '123456', accountId: RITA })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() }).toEqual(before);
  });

  it('will not replace an enrolled authenticator on the strength of a Jira session alone', async () => {
    await enrol(RITA);
    const before = { jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() };
    expect(await panel(RITA, 'signing/enrol-start', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('ask a Jira admin to reset') },
    });
    expect({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() }).toEqual(before);
  });
});

describe('lock-out after five failed codes within 15 minutes', () => {
  it('locks on the fifth failure, refuses a sixth correct code, audits the lock-out, and never writes the record', async () => {
    const rita = await enrol(RITA);
    const before = await recordAndTrail();
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      jest.setSystemTime(Date.now() + 2 * 60_000);
      const answer = await decide(RITA, wrongCodeAt(rita.secretBase32));
      messages.push(answer.ok ? 'signed' : answer.error.message);
    }
    expect(messages.slice(0, 4).map((m) => /(\d) attempts? left/.exec(m)?.[1])).toEqual(['4', '3', '2', '1']);
    expect(messages[4]).toContain('signing is now locked for you');
    const sixth = await decide(RITA, rita.code());
    expect(sixth).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('Signing is locked for you') },
    });
    expect(app.jira.snapshot()).toEqual(before.jira);

    const added = await newEntries(before.trail);
    expect(added.map((e) => [e.action, e.subject])).toEqual([['signing/lockout', `person:${RITA}`]]);
    expect(added[0]?.payload).toMatchObject({
      before: { status: 'enrolled' },
      after: { status: 'locked', failures: expect.any(Array) },
    });
    expect(data(await panel(RITA, 'signing/status', {}))).toMatchObject({ status: 'locked', attemptsLeft: 0 });
    expect(data(await adminPage(ADA, 'admin/signing/list', {}))).toContainEqual(
      expect.objectContaining({ accountId: RITA, status: 'locked', recentFailures: 5 }),
    );
    // A locked person cannot enrol a new authenticator to get round it.
    expect(await panel(RITA, 'signing/enrol-start', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('does not lock when the failures are spread over more than 15 minutes', async () => {
    const rita = await enrol(RITA);
    for (let i = 0; i < 4; i++) expect(await decide(RITA, wrongCodeAt(rita.secretBase32))).toMatchObject({ ok: false });
    jest.setSystemTime(Date.now() + 16 * 60_000);
    expect(await decide(RITA, wrongCodeAt(rita.secretBase32))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('4 attempts left') },
    });
    data(await decide(RITA, rita.code()));
  });

  it('an admin reset is audited, ends the lock, retires the old authenticator, and the person enrols again', async () => {
    const rita = await enrol(RITA);
    for (let i = 0; i < 5; i++) await decide(RITA, wrongCodeAt(rita.secretBase32));
    const trail = await asApp(() => listAuditEntries());
    const reset = data(await adminPage(ADA, 'admin/signing/reset', { accountId: RITA }));
    expect(reset).toMatchObject({ accountId: RITA, status: 'reset', resetBy: 'Ada Admin', recentFailures: 0 });
    const added = await newEntries(trail);
    expect(added.map((e) => [e.action, e.subject, e.actor.accountId])).toEqual([
      ['signing/reset', `person:${RITA}`, ADA],
    ]);
    expect(added[0]?.payload).toMatchObject({ before: { status: 'locked' }, after: { status: 'reset' } });
    // The old authenticator signs nothing any more; its secret is gone from secret storage.
    expect(await decide(RITA, rita.code())).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no authenticator set up') },
    });
    expect(JSON.stringify(app.runtime.kvs.snapshot().secrets)).not.toContain(rita.secretBase32);
    const again = await enrol(RITA);
    data(await decide(RITA, again.code()));
  });

  it('admin reset and list are refused to a non-admin, and to anyone outside the admin page; nothing changes', async () => {
    const rita = await enrol(RITA);
    for (let i = 0; i < 5; i++) await decide(RITA, wrongCodeAt(rita.secretBase32));
    const before = { jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() };
    expect(await adminPage(RITA, 'admin/signing/reset', { accountId: RITA })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await adminPage(QUINN, 'admin/signing/list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await adminPage(
        ADA,
        'admin/signing/reset',
        { accountId: RITA },
        { type: 'jira:issuePanel', issue: { key: 'QMS-1' } },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() }).toEqual(before);
  });
});

it('lets every demo person of the sandbox enrol an authenticator', async () => {
  for (const user of DEMO_USERS) await enrol(user.accountId);
  const listed = data(await adminPage(ADA, 'admin/signing/list', {}));
  expect(listed.map((p) => [p.accountId, p.status]).sort()).toEqual(
    DEMO_USERS.map((u) => [u.accountId, 'enrolled']).sort(),
  );
});

describe('the secret', () => {
  it('is shown once, kept in secret storage only, and never written to the audit trail', async () => {
    const rita = await enrol(RITA);
    const ada = await enrol(ADA);
    const storage = app.runtime.kvs.snapshot();
    const secrets = JSON.stringify(storage.secrets);
    expect(secrets).toContain(rita.secretBase32);
    expect(secrets).toContain(ada.secretBase32);
    const elsewhere = JSON.stringify({
      keyValues: storage.keyValues,
      entities: storage.entities,
      jira: app.jira.snapshot(),
    });
    expect(elsewhere).not.toContain(rita.secretBase32);
    expect(elsewhere).not.toContain(ada.secretBase32);
    expect(storage.entities[SIGNING_CREDENTIAL_ENTITY]?.map((e) => e.key).sort()).toEqual([ADA, RITA].sort());
    const trail = await asApp(() => listAuditEntries());
    expect(trail.map((e) => [e.action, e.subject])).toEqual(
      expect.arrayContaining([
        ['signing/enrol', `person:${RITA}`],
        ['signing/enrol', `person:${ADA}`],
      ]),
    );
    expect(JSON.stringify(trail)).not.toMatch(new RegExp(`${rita.secretBase32}|${ada.secretBase32}|secretRef`));
    expect(JSON.stringify(data(await panel(RITA, 'signing/status', {})))).not.toContain(rita.secretBase32);
  });
});
