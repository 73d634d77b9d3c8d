/**
 * The "Regulatory impact" panel's write resolvers, run as Forge runs them: the real handler
 * from src/index.ts, through the sandbox runtime (real @forge/api asUser/asApp and
 * @forge/kvs), against the demo site: QMS-1 is the unassessed supplier change on
 * SUP-POLYMERA, which reaches US and EU applications. Every Jira request and answer is held
 * to Atlassian's spec.
 */
import { validator } from '@atlaskit/adf-utils/validator';
import { kvs } from '@forge/kvs';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { demoRegistry } from '../../sandbox/demo/registry';
import { RESTRICTED_ACCOUNT_ID, createDemoClock, seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import type { StoredIssue } from '../../sandbox/jira';
import { impactPanelResolver } from '../../src';
import { CommitmentPropertySchema, SubmissionPropertySchema } from '../../src/adapters/jira/issue-mapping';
import {
  AUDIT_HEAD_ENTITY,
  checkAuditTrail,
  listAuditEntries,
  listAuditEntriesFor,
} from '../../src/adapters/kvs/audit-repository';
import { REGISTRY_KEY } from '../../src/adapters/kvs/registry-repository';
import {
  COMMITMENT_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../src/config/jira-conventions';
import type { z } from 'zod';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { StoredImpactSchema } from '../../src/domain/impact-field-value';
import { SignedRecordSchema } from '../../src/domain/signed-record';
import { SIGNED_RECORD_ENTITY } from '../../src/adapters/kvs/signed-record-repository';
import type { RegulatoryImpact } from '../../src/domain/model';
import { createContractObserver } from '../support/contract-observer';
import { enrolAndCode, useSigningClock } from '../support/signing';
import type { EnrolledSigner } from '../support/signing';
import { SIGNING_CREDENTIAL_ENTITY } from '../../src/adapters/kvs/signing-credentials';

const contract = createContractObserver();
const RITA: string = SITE_ACCOUNTS.regulatory;
const QUINN: string = SITE_ACCOUNTS.quality;
const ADA: string = SITE_ACCOUNTS.admin;

/** The supplier change on SUP-POLYMERA: a resin change, classified IB under the EU guidelines, in the US and the EU. */
const DRAFT = {
  changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IB' } }],
  affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US', 'EU'] },
};
/** In propagation's order: by product, market, id. */
const POLYMERA_APPLICATIONS = [
  'APP-MAA-CARDIOLOL',
  'APP-NDA-CARDIOLOL',
  'APP-CEMDD-CARDIOSENSE',
  'APP-DENOVO-CARDIOSENSE',
  'APP-CEMDR-GLUCOPEN',
  'APP-510K-GLUCOPEN',
  'APP-MAA-IMMUNOMAB',
  'APP-BLA-IMMUNOMAB',
];

let app: SandboxApp;

const invoke = async <K extends ResolverKey>(
  accountId: string,
  key: K,
  payload: unknown,
  issueKey = 'QMS-1',
): Promise<Envelope<ResolverOutput<K>>> => {
  const raw = await app.runtime.invokeResolver(
    impactPanelResolver,
    {
      functionKey: key,
      payload,
      extension: {
        type: 'jira:issuePanel',
        issue: { key: issueKey, type: 'Supplier Change' },
        project: { key: issueKey.split('-')[0] },
      },
    },
    { accountId, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-impact-panel' },
  );
  // Let the triggers the call caused (the traceability index) finish, as they would on Forge
  // long before anyone looks again, so snapshots taken next see storage at rest.
  await app.whenIdle();
  const output: z.ZodType<ResolverOutput<K>> = RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>;
  return envelopeSchema(output).parse(raw) as Envelope<ResolverOutput<K>>;
};

const data = <T>(answer: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!answer.ok) throw new Error(`expected success, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
};

const issue = (key: string): StoredIssue => {
  const found = app.jira.readIssue(key);
  if (!found) throw new Error(`no ${key}`);
  return found;
};
const storedImpact = (key = 'QMS-1'): RegulatoryImpact =>
  StoredImpactSchema.parse(issue(key).properties[IMPACT_PROPERTY_KEY]);
/** The signed record as the app keeps it in app storage (with the Submission keys Jira's copy leaves out). */
const signedImpact = (key = 'QMS-1'): RegulatoryImpact => {
  const stored = app.runtime.kvs.snapshot().entities[SIGNED_RECORD_ENTITY]?.find((e) => e.key === key)?.value;
  return SignedRecordSchema.parse(stored).impact;
};
const issuesOfProject = (prefix: string) =>
  Object.values(app.jira.snapshot().issues).filter((i) => i.key.startsWith(`${prefix}-`));
const linkCount = () => Object.keys(app.jira.snapshot().links).length;
const asApp = <T>(run: () => Promise<T>) => app.runtime.runAs({ moduleKey: 'test' }, run);

/** Jira state and app storage, to prove a refused request wrote nothing. */
const everything = () => ({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() });
/** The same without the signers' credentials: a decision refused after its code was checked has spent that code, and nothing else. */
const everythingButCodes = () => {
  const { jira, kvs: storage } = everything();
  return { jira, kvs: { ...storage, entities: { ...storage.entities, [SIGNING_CREDENTIAL_ENTITY]: [] } } };
};
const writesTo = () =>
  Object.entries(app.jira.metrics().byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith('GET ') && !endpoint.includes('bulkfetch'))
    .map(([endpoint]) => endpoint);

const save = (accountId = QUINN, version = 0, draft: unknown = DRAFT) =>
  invoke(accountId, 'impact/save-assessment', { version, ...(draft as object) });

/** Each signer's enrolled authenticator, enrolled on first use. */
let signers: Map<string, EnrolledSigner>;
const signerFor = async (accountId: string): Promise<EnrolledSigner> => {
  const known = signers.get(accountId);
  if (known) return known;
  const enrolled = await enrolAndCode((key, payload) => invoke(accountId, key, payload));
  signers.set(accountId, enrolled);
  return enrolled;
};

const decideAs = async (accountId: string, payload: Record<string, unknown>, issueKey = 'QMS-1') => {
  const signatureCode = (await signerFor(accountId)).code();
  return invoke(
    accountId,
    'impact/decide',
    {
      rationale: '',
      meaning: 'approval',
      ...payload,
      version: payload['version'] ?? storedImpact(issueKey).version,
      signatureCode,
    },
    issueKey,
  );
};

/** QMS-1 assessed by Quinn, the two drug applications decided by Rita as recommended. */
const assessedAndDecided = async () => {
  data(await save());
  data(await decideAs(RITA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept' }));
  data(await decideAs(RITA, { applicationId: 'APP-MAA-CARDIOLOL', decision: 'accept' }));
  data(
    await decideAs(RITA, {
      applicationId: 'APP-BLA-IMMUNOMAB',
      decision: 'override',
      category: 'CBE-30',
      rationale: 'Syringe component resin: moderate potential, CBE-30 per 21 CFR 601.12(c).',
    }),
  );
};

beforeEach(async () => {
  useSigningClock();
  signers = new Map();
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
});
afterEach(async () => {
  await app.close();
  jest.useRealTimers();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('impact/form-data and impact/propose', () => {
  it('gives the form the catalog with its questions, the registry and the signer', async () => {
    const form = data(await invoke(RITA, 'impact/form-data', {}));
    const resin = form.changeCodes.find((c) => c.code === 'ccs.type-or-resin');
    expect(resin?.questions.map((q) => q.id)).toEqual(['eu-guideline-classification', 'us-biologic-potential']);
    expect(form.suppliers.map((s) => s.id)).toContain('SUP-POLYMERA');
    expect(form.markets).toEqual(['EU', 'US']);
    expect(form.categoriesByType['BLA']).toEqual(['PAS', 'CBE-30', 'CBE-0', 'AR', 'NONE']);
    expect(form.signer).toEqual({ accountId: RITA, displayName: 'Rita Regulatory' });
  });

  it('proposes every application the supplier reaches with its recommendation and citations, and writes nothing', async () => {
    const before = everything();
    app.jira.resetMetrics();
    const proposal = data(await invoke(QUINN, 'impact/propose', DRAFT));
    expect(proposal.applications.map((a) => a.applicationId).sort()).toEqual([...POLYMERA_APPLICATIONS].sort());
    expect(new Set(proposal.applications.map((a) => a.market))).toEqual(new Set(['US', 'EU']));
    const nda = proposal.applications.find((a) => a.applicationId === 'APP-NDA-CARDIOLOL');
    expect(nda).toMatchObject({
      reasons: ['names supplier SUP-POLYMERA'],
      recommended: { category: 'PAS', citations: expect.arrayContaining(['21 CFR 314.70(b)(2)(vi)']) },
    });
    expect(proposal.applications.find((a) => a.applicationId === 'APP-MAA-CARDIOLOL')?.recommended.category).toBe(
      'EU-IB',
    );
    expect(proposal.applications.find((a) => a.applicationId === 'APP-510K-GLUCOPEN')?.recommended.category).toBe(
      'REVIEW-REQUIRED',
    );
    expect(app.jira.metrics().total).toBe(0);
    expect(everything()).toEqual(before);
  });

  it('leaves out markets not selected and says so', async () => {
    const proposal = data(
      await invoke(QUINN, 'impact/propose', { ...DRAFT, affected: { ...DRAFT.affected, markets: ['EU'] } }),
    );
    expect(proposal.applications.every((a) => a.market === 'EU')).toBe(true);
    expect(proposal.skipped).toContainEqual({
      applicationId: 'APP-NDA-CARDIOLOL',
      market: 'US',
      skippedBecause: 'market-not-selected',
    });
  });
});

describe('impact/save-assessment', () => {
  it('stores the proposal for every affected application as version 1', async () => {
    const written = data(await save());
    expect(written.version).toBe(1);
    expect(written.status).toBe('in-assessment');
    const stored = storedImpact();
    expect(stored.affected).toEqual({
      productIds: ['PRD-CARDIOLOL', 'PRD-CARDIOSENSE', 'PRD-GLUCOPEN', 'PRD-IMMUNOMAB'],
      siteIds: [],
      supplierIds: ['SUP-POLYMERA'],
      markets: ['EU', 'US'],
      applicationIds: POLYMERA_APPLICATIONS,
    });
    expect(stored.decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')).toEqual({
      applicationId: 'APP-NDA-CARDIOLOL',
      market: 'US',
      recommended: {
        category: 'PAS',
        citations: expect.arrayContaining(['21 CFR 314.70(b)(2)(vi)']),
        rationale: expect.stringContaining('prior approval supplement'),
      },
    });
    expect(written.decisions.every((d) => d.hasSubmission === false && d.decided === undefined)).toBe(true);
  });

  it('refuses an assessment too large for a Jira entity property with a clear message, and writes nothing', async () => {
    // A supplier named by 150 marketing authorisations: the stored value would pass 32,768 characters.
    const many = Array.from({ length: 150 }, (_, i) => ({
      id: `APP-MAA-BULK-${i}`,
      productId: 'PRD-CARDIOLOL',
      market: 'EU',
      type: 'MAA',
      number: `EU/1/26/${i}`,
      status: 'approved',
      siteIds: [],
      supplierIds: ['SUP-POLYMERA'],
    }));
    await app.runtime.runAs({ moduleKey: 'test' }, () =>
      kvs.set(REGISTRY_KEY, { ...demoRegistry, applications: [...demoRegistry.applications, ...many] }),
    );
    const before = everything();
    app.jira.resetMetrics();
    const answer = await save();
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/too large for Jira to keep: it affects 15\d applications.*Nothing was saved/),
      },
    });
    expect(writesTo()).toEqual([]);
    expect(everything()).toEqual(before);
    // The version claim was given back: a narrower assessment on the same version saves.
    expect(data(await save(QUINN, 0, { ...DRAFT, affected: { ...DRAFT.affected, markets: ['US'] } })).version).toBe(1);
  });

  it('answers a stale version with CONFLICT naming the current version, and writes nothing', async () => {
    data(await save());
    const before = everything();
    const stale = await save(RITA, 0);
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('now at version 1') },
    });
    expect(everything()).toEqual(before);
  });

  it('lets exactly one of two reviewers saving on the same version win', async () => {
    const narrower = { ...DRAFT, affected: { ...DRAFT.affected, markets: ['EU'] } };
    const [first, second] = await Promise.all([save(QUINN, 0), save(RITA, 0, narrower)]);
    const outcomes = [first, second].map((a) => (a.ok ? 'ok' : a.error.code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'ok']);
    // Both read version 0 before either wrote: the signed record's conditional write, not the read, refused the loser.
    expect([first, second].find((a) => !a.ok)).toMatchObject({
      error: { message: expect.stringContaining('now at version 1') },
    });
    const winner = first.ok ? first.data : second.ok ? second.data : undefined;
    expect(storedImpact()).toEqual(expect.objectContaining({ version: 1, affected: winner?.affected }));
    // The loser reloads and saves on version 1.
    expect(data(await save(first.ok ? RITA : QUINN, 1)).version).toBe(2);
  });

  it('keeps a decision whose recommendation did not change, and drops one whose basis did', async () => {
    await assessedAndDecided();
    const version = storedImpact().version;
    // Same changes, EU only: the EU decision stands; answering IA instead drops it.
    data(await save(QUINN, version, { ...DRAFT, affected: { ...DRAFT.affected, markets: ['EU'] } }));
    expect(storedImpact().decisions.find((d) => d.applicationId === 'APP-MAA-CARDIOLOL')?.decided?.category).toBe(
      'EU-IB',
    );
    data(
      await save(QUINN, version + 1, {
        changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IA' } }],
        affected: { ...DRAFT.affected, markets: ['EU'] },
      }),
    );
    expect(storedImpact().decisions.find((d) => d.applicationId === 'APP-MAA-CARDIOLOL')?.decided).toBeUndefined();
  });

  it('refuses an id the registry does not know, and writes nothing', async () => {
    const before = everything();
    const answer = await save(QUINN, 0, {
      ...DRAFT,
      affected: { ...DRAFT.affected, supplierIds: ['SUP-POLYMERA', 'SUP-NOBODY'] },
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('supplier SUP-NOBODY') },
    });
    expect(everything()).toEqual(before);
  });
});

describe('impact/decide', () => {
  beforeEach(async () => {
    data(await save());
    await signerFor(RITA);
  });

  it('records an accepted recommendation as a signed decision (21 CFR 11.50) and appends it to the audit chain', async () => {
    const before = Date.now();
    const written = data(
      await decideAs(RITA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept', meaning: 'approval' }),
    );
    expect(written.version).toBe(2);
    const decided = storedImpact().decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided;
    expect(decided).toMatchObject({
      category: 'PAS',
      by: { accountId: RITA, displayName: 'Rita Regulatory' },
      meaning: 'approval',
      rationale: expect.stringContaining('Accepted the recommendation'),
    });
    expect(Date.parse(decided?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);

    const entries = await asApp(() => listAuditEntriesFor('QMS-1'));
    expect(entries.map((e) => e.action)).toEqual(['impact/save-assessment', 'impact/decide']);
    expect(entries[1]).toMatchObject({
      action: 'impact/decide',
      subject: 'QMS-1',
      at: decided?.at,
      actor: { displayName: 'Rita Regulatory' },
      payload: {
        applicationId: 'APP-NDA-CARDIOLOL',
        decision: 'accept',
        version: 2,
        before: null,
        after: { category: 'PAS', meaning: 'approval', signature: { recordKey: 'QMS-1', recordVersion: 2 } },
      },
    });
    // 21 CFR 11.70: the signature is bound to exactly what was signed.
    expect(decided?.signature?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Rita's enrolment (started, confirmed) came first.
    await expect(asApp(() => checkAuditTrail())).resolves.toMatchObject({ intact: true, entries: 4 });
  });

  it('records an override with a category valid for the application type and its rationale', async () => {
    data(
      await decideAs(RITA, {
        applicationId: 'APP-BLA-IMMUNOMAB',
        decision: 'override',
        category: 'CBE-30',
        rationale: '  Component resin change, moderate potential.  ',
        meaning: 'responsibility',
      }),
    );
    expect(storedImpact().decisions.find((d) => d.applicationId === 'APP-BLA-IMMUNOMAB')?.decided).toMatchObject({
      category: 'CBE-30',
      rationale: 'Component resin change, moderate potential.',
      meaning: 'responsibility',
    });
  });

  it.each([
    [
      'an override without a rationale',
      { applicationId: 'APP-BLA-IMMUNOMAB', decision: 'override', category: 'CBE-30', rationale: '   ' },
      'rationale',
    ],
    [
      'an override with a category of another regime',
      { applicationId: 'APP-BLA-IMMUNOMAB', decision: 'override', category: 'EU-II', rationale: 'Because.' },
      'valid for a BLA',
    ],
    [
      'an override without a category',
      { applicationId: 'APP-BLA-IMMUNOMAB', decision: 'override', rationale: 'Because.' },
      'category',
    ],
    ['accepting REVIEW-REQUIRED', { applicationId: 'APP-BLA-IMMUNOMAB', decision: 'accept' }, 'REVIEW-REQUIRED'],
    [
      'accepting with another category',
      { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept', category: 'CBE-30' },
      'override',
    ],
    [
      'an application the assessment does not affect',
      { applicationId: 'APP-PMA-HIPSTEM', decision: 'accept' },
      'not among',
    ],
  ])('refuses %s with INVALID_INPUT, and writes nothing but the spent code', async (_what, payload, message) => {
    const before = everythingButCodes();
    const answer = await decideAs(RITA, payload);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(message) },
    });
    expect(everythingButCodes()).toEqual(before);
  });

  it('leaves no decision behind when the audit append fails', async () => {
    const headBefore = await asApp(() => kvs.entity<Record<string, unknown>>(AUDIT_HEAD_ENTITY).get('head'));
    if (headBefore === undefined) throw new Error('no audit head');
    // A broken chain (its head names an entry that is not stored) refuses every append.
    await asApp(() => kvs.entity(AUDIT_HEAD_ENTITY).set('head', { seq: 99, hash: 'f'.repeat(64) }));
    const before = storedImpact();
    const answer = await decideAs(RITA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept' });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'STORAGE_FAILED', message: expect.stringContaining('nothing more is appended') },
    });
    expect(storedImpact()).toEqual(before);
    await expect(asApp(() => listAuditEntriesFor('QMS-1'))).resolves.toHaveLength(1);
    // Nothing was recorded: the next decision on the same version goes through once the chain is mended.
    // (The genuine head as the app wrote it, MAC included: a head without it is refused too.)
    await asApp(() => kvs.entity(AUDIT_HEAD_ENTITY).set('head', headBefore));
    expect(data(await decideAs(RITA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept' })).version).toBe(2);
  });

  it('chains concurrent decisions on different records without losing one', async () => {
    data(
      await save(QUINN, 0, DRAFT).then(() =>
        invoke(
          QUINN,
          'impact/save-assessment',
          { version: 0, ...DRAFT, affected: { ...DRAFT.affected, supplierIds: ['SUP-EXCIPIO'] } },
          'QMS-2',
        ),
      ),
    );
    await signerFor(ADA);
    const entriesBefore = (await asApp(() => listAuditEntries())).length;
    // Two signers: one person's codes are accepted in step order, so they sign one at a time.
    await Promise.all([
      decideAs(RITA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept' }),
      decideAs(ADA, { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept' }, 'QMS-2'),
    ]).then((answers) => answers.forEach(data));
    await expect(asApp(() => checkAuditTrail())).resolves.toMatchObject({ intact: true, entries: entriesBefore + 2 });
  });
});

describe('impact/history', () => {
  it('lists the record’s signed decisions newest first, and only to someone who may see the record', async () => {
    await assessedAndDecided();
    const history = data(await invoke(QUINN, 'impact/history', {}));
    const signatures = history.filter((h) => h.action === 'impact/decide');
    expect(signatures.map((h) => h.applicationId)).toEqual([
      'APP-BLA-IMMUNOMAB',
      'APP-MAA-CARDIOLOL',
      'APP-NDA-CARDIOLOL',
    ]);
    expect(signatures[0]).toMatchObject({
      who: 'Rita Regulatory',
      decision: 'override',
      recommended: 'REVIEW-REQUIRED',
      category: 'CBE-30',
      meaning: 'approval',
      market: 'US',
      summary: expect.stringContaining('Signed CBE-30 for APP-BLA-IMMUNOMAB'),
    });
    // The saved assessment comes first, then each signature, each entry once, newest first.
    const seqs = history.map((h) => h.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => y - x));
    expect(seqs).toHaveLength(4);
    expect(history.at(-1)).toMatchObject({
      action: 'impact/save-assessment',
      who: 'Quinn Quality',
      summary: expect.stringContaining('Saved the assessment as version 1'),
    });
    app.jira.seedUser({
      accountId: '557058:olga-outsider',
      email: 'olga@qms-rim.example',
      displayName: 'Olga Outsider',
    });
    expect(await invoke('557058:olga-outsider', 'impact/history', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('bad payloads', () => {
  it.each<[ResolverKey, unknown]>([
    ['impact/save-assessment', { ...DRAFT }],
    ['impact/save-assessment', { version: -1, ...DRAFT }],
    ['impact/save-assessment', { version: 0, ...DRAFT, changes: [] }],
    ['impact/save-assessment', { version: 0, ...DRAFT, issueKey: 'QMS-2' }],
    [
      'impact/decide',
      { version: 1, applicationId: 'APP-NDA-CARDIOLOL', decision: 'approve', rationale: '', meaning: 'approval' },
    ],
    [
      'impact/decide',
      { version: 1, applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept', rationale: '', meaning: 'liked it' },
    ],
    ['impact/decide', { version: 1, applicationId: '../etc', decision: 'accept', rationale: '', meaning: 'approval' }],
    ['impact/create-submission-plan', { version: 1, applicationIds: [] }],
    ['impact/add-commitment', { title: 'Stability data', description: '', market: 'US', dueDate: '31/03/2027' }],
    ['impact/add-commitment', { title: '  ', description: '', market: 'US', dueDate: '2027-03-31' }],
    ['impact/propose', 'everything'],
    ['impact/history', { key: 'QMS-2' }],
  ])('%s refuses %j with INVALID_INPUT and touches neither Jira nor app storage', async (key, payload) => {
    const before = everything();
    app.jira.resetMetrics();
    const answer = await invoke(RITA, key, payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(app.jira.metrics().total).toBe(0);
    expect(everything()).toEqual(before);
  });
});

describe('impact/create-submission-plan', () => {
  const plan = (accountId = RITA, applicationIds = ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL', 'APP-BLA-IMMUNOMAB']) =>
    invoke(accountId, 'impact/create-submission-plan', { version: storedImpact().version, applicationIds });

  it('creates a pre-filled Submission per decision in RIM, links it as a regulatory filing and records its key on the decision', async () => {
    await assessedAndDecided();
    const rimBefore = issuesOfProject('RIM').length;
    const answer = data(await plan());
    expect(answer.created.map((c) => c.applicationId)).toEqual([
      'APP-NDA-CARDIOLOL',
      'APP-MAA-CARDIOLOL',
      'APP-BLA-IMMUNOMAB',
    ]);
    expect(issuesOfProject('RIM')).toHaveLength(rimBefore + 3);

    const nda = answer.created[0];
    if (!nda) throw new Error('no Submission for the NDA');
    const submission = issue(nda.key);
    expect(submission.summary).toBe('PAS: Cardiolol 50 mg tablets, NDA 214455 (US), for QMS-1');
    expect(SubmissionPropertySchema.parse(submission.properties[SUBMISSION_PROPERTY_KEY])).toEqual({
      applicationId: 'APP-NDA-CARDIOLOL',
      productId: 'PRD-CARDIOLOL',
      market: 'US',
      category: 'PAS',
    });
    const description = JSON.stringify(submission.description);
    for (const text of [
      'Cardiolol 50 mg tablets (PRD-CARDIOLOL)',
      'NDA 214455',
      'QMS-1',
      'Rita Regulatory',
      '21 CFR 314.70(b)(2)(vi)',
    ])
      expect(description).toContain(text);
    const adfErrors: string[] = [];
    if (!submission.description) throw new Error('no description');
    validator()(submission.description, (entity, error) => {
      adfErrors.push(`${entity.type}: ${error.message}`);
      return entity;
    });
    expect(adfErrors).toEqual([]);

    const links = Object.values(app.jira.snapshot().links).filter((l) => l.destinationIssueId === submission.id);
    expect(links).toEqual([expect.objectContaining({ sourceIssueId: issue('QMS-1').id })]);
    expect(app.jira.snapshot().linkTypes[links[0]?.typeId ?? '']?.name).toBe('Regulatory filing');

    expect(signedImpact().decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.submissionKey).toBe(nda.key);
    // Jira's copy, which people who may not browse RIM can read, names no Submission.
    expect(JSON.stringify(issue('QMS-1').properties[IMPACT_PROPERTY_KEY])).not.toContain(nda.key);
    expect(answer.impact.decisions.filter((d) => d.hasSubmission).map((d) => d.applicationId)).toEqual([
      'APP-MAA-CARDIOLOL',
      'APP-NDA-CARDIOLOL',
      'APP-BLA-IMMUNOMAB',
    ]);
    // The gate preview now sees the filings planned for the three decided applications.
    const panel = data(await invoke(RITA, 'impact/get', {}));
    if (!panel.applies) throw new Error('panel does not apply');
    expect(panel.linkedSubmissions.map((s) => s.key).sort()).toEqual(answer.created.map((c) => c.key).sort());
  });

  it('creates nothing twice when asked again', async () => {
    await assessedAndDecided();
    data(await plan());
    const count = issuesOfProject('RIM').length;
    expect(data(await plan()).created).toEqual([]);
    expect(issuesOfProject('RIM')).toHaveLength(count);
  });

  it('refuses a decision documented in-house, an undecided application, and a stale version, creating nothing', async () => {
    await assessedAndDecided();
    data(
      await decideAs(RITA, {
        applicationId: 'APP-CEMDD-CARDIOSENSE',
        decision: 'override',
        category: 'NONE',
        rationale: 'Patch adhesive layer unchanged.',
      }),
    );
    const before = everything();
    expect(await plan(RITA, ['APP-CEMDD-CARDIOSENSE'])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('in-house') },
    });
    expect(await plan(RITA, ['APP-510K-GLUCOPEN'])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('no reviewer') },
    });
    expect(
      await invoke(RITA, 'impact/create-submission-plan', { version: 1, applicationIds: ['APP-NDA-CARDIOLOL'] }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(everything()).toEqual(before);
  });

  it('answers FORBIDDEN to someone who cannot create in RIM, and creates nothing', async () => {
    await assessedAndDecided();
    const before = everything();
    app.jira.resetMetrics();
    for (const accountId of [QUINN, RESTRICTED_ACCOUNT_ID]) {
      const answer = await plan(accountId);
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringContaining('Create issues in the RIM project') },
      });
    }
    expect(writesTo()).toEqual([]);
    expect(everything()).toEqual(before);
  });

  it.each([
    [
      'creating the second Submission',
      { operation: 'POST /rest/api/3/issue', status: 400, message: 'Field description is required.' },
      1,
    ],
    [
      'creating a Submission with its property',
      { operation: 'POST /rest/api/3/issue', status: 400, message: 'The property value is too large.' },
      0,
    ],
    [
      'linking a Submission',
      {
        operation: 'POST /rest/api/3/issueLink',
        status: 404,
        message: "No issue link type with name 'Regulatory filing' found.",
      },
      0,
    ],
  ])('leaves nothing behind when %s fails', async (_step, fault, after) => {
    await assessedAndDecided();
    const rimBefore = issuesOfProject('RIM').map((i) => i.key);
    const linksBefore = linkCount();
    const impactBefore = storedImpact();
    app.jira.setFaults({ failOperations: [{ ...fault, after, times: 1 }] });
    const answer = await plan();
    app.jira.clearFaults();
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/nothing was changed/i) } });
    expect(issuesOfProject('RIM').map((i) => i.key)).toEqual(rimBefore);
    expect(linkCount()).toBe(linksBefore);
    expect(storedImpact()).toEqual(impactBefore);
    // Nothing was recorded: the plan goes through on the same version.
    expect(data(await plan()).created).toHaveLength(3);
  });

  it('leaves nothing behind when recording the plan on the signed record fails in app storage', async () => {
    await assessedAndDecided();
    const rimBefore = issuesOfProject('RIM').map((i) => i.key);
    const linksBefore = linkCount();
    const impactBefore = storedImpact();
    app.runtime.kvs.setFaults({ failOperations: [{ operation: 'transaction', status: 503, times: 1 }] });
    const answer = await plan();
    app.runtime.kvs.clearFaults();
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'STORAGE_FAILED', message: expect.stringMatching(/deleted again, so nothing was changed/i) },
    });
    expect(issuesOfProject('RIM').map((i) => i.key)).toEqual(rimBefore);
    expect(linkCount()).toBe(linksBefore);
    expect(storedImpact()).toEqual(impactBefore);
    expect(data(await plan()).created).toHaveLength(3);
  });

  it('keeps the recorded plan when only Jira’s copy cannot be written, says so, and the copy can be brought back', async () => {
    await assessedAndDecided();
    const rimBefore = issuesOfProject('RIM').length;
    app.jira.setFaults({
      failOperations: [
        {
          operation: 'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
          status: 400,
          message: 'The property value is not valid.',
          times: 1,
        },
      ],
    });
    const answer = await plan();
    app.jira.clearFaults();
    expect(answer).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('signed and in the audit trail') },
    });
    // The Submissions are recorded on the signed record, so they stay; Jira's copy is behind.
    expect(issuesOfProject('RIM')).toHaveLength(rimBefore + 3);
    const panel = data(await invoke(RITA, 'impact/get', {}));
    expect(panel).toMatchObject({ applies: true, integrity: { state: 'altered' } });
    expect(data(await invoke(QUINN, 'impact/restore-mirror', {}))).toEqual({ restored: true, version: 5 });
    expect(data(await invoke(RITA, 'impact/get', {}))).toMatchObject({ integrity: { state: 'intact' } });
    expect(signedImpact().decisions.filter((d) => d.submissionKey !== undefined)).toHaveLength(3);
    const actions = (await asApp(() => listAuditEntriesFor('QMS-1'))).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['impact/create-submission-plan', 'impact/restore-mirror']);
  });
});

describe('impact/add-commitment', () => {
  const commitment = {
    title: 'Provide 6-month stability data for blisters made with PX-210',
    description: 'Agreed with FDA in the PAS review.',
    market: 'US',
    applicationId: 'APP-NDA-CARDIOLOL',
    dueDate: '2027-05-31',
  };

  it('creates a pre-filled Commitment in RIM, with the record’s key in qmsrim.commitment, linked as implemented by the record', async () => {
    await assessedAndDecided();
    const { key } = data(await invoke(RITA, 'impact/add-commitment', commitment));
    const created = issue(key);
    expect(created.summary).toBe(commitment.title);
    expect(CommitmentPropertySchema.parse(created.properties[COMMITMENT_PROPERTY_KEY])).toEqual({
      market: 'US',
      applicationId: 'APP-NDA-CARDIOLOL',
      dueDate: '2027-05-31',
      recordKey: 'QMS-1',
    });
    const description = JSON.stringify(created.description);
    for (const text of ['Agreed with FDA', 'NDA 214455', '2027-05-31', 'QMS-1']) expect(description).toContain(text);
    await app.jira.whenEventsDelivered();
    const links = Object.values(app.jira.snapshot().links).filter((l) => l.destinationIssueId === created.id);
    expect(links).toEqual([expect.objectContaining({ sourceIssueId: issue('QMS-1').id })]);
    expect(app.jira.snapshot().linkTypes[links[0]?.typeId ?? '']?.name).toBe('Commitment');
  });

  it('refuses an application in another market, and someone who cannot create in RIM, creating nothing', async () => {
    await assessedAndDecided();
    const before = everything();
    expect(await invoke(RITA, 'impact/add-commitment', { ...commitment, market: 'EU' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('is in US') },
    });
    expect(await invoke(QUINN, 'impact/add-commitment', commitment)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(everything()).toEqual(before);
  });

  it('deletes the Commitment again when linking it fails', async () => {
    await assessedAndDecided();
    const rimBefore = issuesOfProject('RIM').map((i) => i.key);
    app.jira.setFaults({
      failOperations: [{ operation: 'POST /rest/api/3/issueLink', status: 400, message: 'Linking is disabled.' }],
    });
    const answer = await invoke(RITA, 'impact/add-commitment', commitment);
    await app.jira.whenEventsDelivered();
    app.jira.clearFaults();
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'JIRA_REJECTED', message: expect.stringContaining('deleted again') },
    });
    expect(issuesOfProject('RIM').map((i) => i.key)).toEqual(rimBefore);
  });
});
