/**
 * Hostile insiders against "who may sign" (segregation of duties, 21 CFR 11.10(g)): each
 * attack runs as the person would run it, through the real resolver handlers on the sandbox
 * runtime, with Jira's REST stand-in for what Jira itself lets them change (a record's
 * reporter, a new record). The demo's rules (sandbox/demo/seed.ts) let the group
 * `regulatory-reviewers` (Rita, Ada) sign, and bar a record's reporter and assessors.
 */
import { kvs } from '@forge/kvs';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { DEMO_SIGNER_RULES, createDemoClock, seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { adminPageResolver, impactPanelResolver } from '../../src';
import { checkAuditTrail, listAuditEntriesFor } from '../../src/adapters/kvs/audit-repository';
import { SIGNER_RULES_KEY } from '../../src/adapters/kvs/signer-rules-repository';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import type { z } from 'zod';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { StoredImpactSchema } from '../../src/domain/impact-field-value';
import type { RegulatoryImpact } from '../../src/domain/model';
import { NOBODY_MAY_SIGN } from '../../src/domain/signing-policy';
import type { SignerRules } from '../../src/domain/signing-policy';
import { createContractObserver } from '../support/contract-observer';
import { enrolAndCode, useSigningClock } from '../support/signing';
import type { EnrolledSigner } from '../support/signing';

const contract = createContractObserver();
const RITA: string = SITE_ACCOUNTS.regulatory;
const QUINN: string = SITE_ACCOUNTS.quality;
const ADA: string = SITE_ACCOUNTS.admin;
const EXPRESSION = 'POST /rest/api/3/expression/evaluate';

/** The supplier change on SUP-POLYMERA: reaches the NDA (a PAS) among others. */
const DRAFT = {
  changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IB' } }],
  affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US', 'EU'] },
};

let app: SandboxApp;

const parsed = <K extends ResolverKey>(key: K, raw: unknown): Envelope<ResolverOutput<K>> => {
  const output: z.ZodType<ResolverOutput<K>> = RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>;
  return envelopeSchema(output).parse(raw) as Envelope<ResolverOutput<K>>;
};

const onIssue = async <K extends ResolverKey>(
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
      extension: { type: 'jira:issuePanel', issue: { key: issueKey }, project: { key: 'QMS' } },
    },
    { accountId, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-impact-panel' },
  );
  await app.whenIdle();
  return parsed(key, raw);
};

const onAdminPage = async <K extends ResolverKey>(
  accountId: string,
  key: K,
  payload: unknown,
): Promise<Envelope<ResolverOutput<K>>> => {
  const raw = await app.runtime.invokeResolver(
    adminPageResolver,
    { functionKey: key, payload, extension: { type: 'jira:adminPage' }, localId: 'admin-page-local' },
    { accountId, moduleKey: 'admin-page', moduleType: 'jira:adminPage', functionKey: 'fn-admin-page' },
  );
  await app.whenIdle();
  return parsed(key, raw);
};

const data = <T>(answer: Envelope<T>): T => {
  if (!answer.ok) throw new Error(`expected success, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
};

const storedImpact = (key = 'QMS-1'): RegulatoryImpact =>
  StoredImpactSchema.parse(app.jira.readIssue(key)?.properties[IMPACT_PROPERTY_KEY]);
const asTheApp = <T>(run: () => Promise<T>) => app.runtime.runAs({ moduleKey: 'test' }, run);
const everything = () => ({ jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() });

/** A REST request as the person, as Jira's own UI or API would make it; what it triggers runs before anyone looks again. */
const jiraAs = async (accountId: string, method: string, path: string, body?: unknown) => {
  const answer = await app.jira.handle({ method, path, body, as: { kind: 'user', accountId } });
  await app.whenIdle();
  return answer;
};

const assess = (accountId: string, key = 'QMS-1') =>
  onIssue(accountId, 'impact/save-assessment', { version: storedImpact(key).version, ...DRAFT }, key);
/** The permitted signers enrol an authenticator when the site starts; anyone else's code is never looked at (segregation comes first). */
const authenticators = new Map<string, EnrolledSigner>();
const codeOf = (accountId: string): string => authenticators.get(accountId)?.code() ?? '000000';
const decide = (accountId: string, key = 'QMS-1') =>
  onIssue(
    accountId,
    'impact/decide',
    {
      version: storedImpact(key).version,
      applicationId: 'APP-NDA-CARDIOLOL',
      decision: 'accept',
      rationale: '',
      meaning: 'approval',
      signatureCode: codeOf(accountId),
    },
    key,
  );
const signing = async (accountId: string, key = 'QMS-1') => {
  const panel = data(await onIssue(accountId, 'impact/get', {}, key));
  if (!panel.applies) throw new Error(`${key} is not a quality record`);
  return panel.signing;
};
const saveRules = (accountId: string, rules: SignerRules) => onAdminPage(accountId, 'admin/signers/save', { rules });

/** A refused signature leaves Jira, app storage and the audit trail exactly as they were. */
const expectRefusedWithoutTrace = async (attempt: () => Promise<Envelope<unknown>>, reason: RegExp) => {
  const before = everything();
  const answer = await attempt();
  expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(reason) } });
  expect(answer.ok ? '' : answer.error.message).toMatch(/Nothing was recorded\.$/);
  expect(everything()).toEqual(before);
};

/** Each of `by` saves the assessment through the panel: the app records every saver as an assessor on the signed record. */
const recordAssessedBy = async (key: string, by: readonly { accountId: string; displayName: string }[]) => {
  for (const person of by) data(await assess(person.accountId, key));
  await app.whenIdle();
};

beforeEach(async () => {
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
  useSigningClock();
  authenticators.clear();
  for (const signer of [RITA, ADA])
    authenticators.set(signer, await enrolAndCode((key, payload) => onIssue(signer, key, payload)));
  data(await assess(QUINN));
});
afterEach(async () => {
  jest.useRealTimers();
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('who may sign a regulatory decision', () => {
  it('refuses the quality engineer who may edit the record but is no permitted signer, and writes nothing', async () => {
    const entries = await asTheApp(() => listAuditEntriesFor('QMS-1'));
    await expectRefusedWithoutTrace(
      () => decide(QUINN),
      /only members of the group regulatory-reviewers to sign, and Jira does not list you among them/,
    );
    await expect(asTheApp(() => listAuditEntriesFor('QMS-1'))).resolves.toEqual(entries);
    expect(storedImpact().decisions.every((d) => d.decided === undefined)).toBe(true);
    await expect(signing(QUINN)).resolves.toEqual({
      allowed: false,
      reason: expect.stringContaining('regulatory-reviewers'),
    });
  });

  it('lets the regulatory reviewer sign a record she neither raised nor assessed, and asks Jira once who she is', async () => {
    await expect(signing(RITA)).resolves.toEqual({ allowed: true });
    app.jira.resetMetrics();
    const written = data(await decide(RITA));
    expect(written.decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided).toMatchObject({
      by: { accountId: RITA },
      category: 'PAS',
    });
    expect(app.jira.metrics().byEndpoint[EXPRESSION]).toBe(1);
    const entries = await asTheApp(() => listAuditEntriesFor('QMS-1'));
    expect(entries.map((e) => [e.action, e.actor.accountId])).toEqual([
      ['impact/save-assessment', QUINN],
      ['impact/decide', RITA],
    ]);
  });

  it('refuses the reviewer on a record she reported, with the reason, and writes nothing', async () => {
    // A Jira admin makes Rita the reporter, as Jira lets them.
    await expect(
      jiraAs(ADA, 'PUT', '/rest/api/3/issue/QMS-1', { fields: { reporter: { accountId: RITA } } }),
    ).resolves.toMatchObject({ status: 204 });
    await expectRefusedWithoutTrace(
      () => decide(RITA),
      /^You raised QMS-1 \(you are its reporter\), and the app’s signing rules bar a record’s reporter from signing its decisions\./,
    );
    await expect(signing(RITA)).resolves.toEqual({
      allowed: false,
      reason: expect.stringContaining('You raised QMS-1 (you are its reporter)'),
    });
  });

  it('refuses a signer who raised a record and then handed its reporter field to someone else: the creator stays barred', async () => {
    const created = await jiraAs(ADA, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'QMS' },
        issuetype: { name: 'Supplier Change' },
        summary: 'Second resin source for blister lidding',
      },
    });
    const key = (created.body as { key: string }).key;
    await expect(
      jiraAs(ADA, 'PUT', `/rest/api/3/issue/${key}`, { fields: { reporter: { accountId: QUINN } } }),
    ).resolves.toMatchObject({ status: 204 });
    data(await onIssue(QUINN, 'impact/save-assessment', { version: 0, ...DRAFT }, key));
    await expectRefusedWithoutTrace(() => decide(ADA, key), new RegExp(`^You raised ${key} \\(you created it\\)`));
    data(await decide(RITA, key));
  });

  it('refuses the reviewer on a record she assessed, with the reason, and writes nothing', async () => {
    await recordAssessedBy('QMS-1', [
      { accountId: QUINN, displayName: 'Quinn Quality' },
      { accountId: RITA, displayName: 'Rita Regulatory' },
    ]);
    await expectRefusedWithoutTrace(
      () => decide(RITA),
      /^You assessed QMS-1 \(you saved its regulatory impact assessment\), and the app’s signing rules bar a record’s assessors from signing its decisions\./,
    );
    // Another permitted signer may.
    data(await decide(ADA));
  });

  it('lets the reporter and an assessor sign once an admin turns the bars off, and refuses again when they are back on', async () => {
    await jiraAs(ADA, 'PUT', '/rest/api/3/issue/QMS-1', { fields: { reporter: { accountId: RITA } } });
    await recordAssessedBy('QMS-1', [{ accountId: RITA, displayName: 'Rita Regulatory' }]);
    await expect(signing(RITA)).resolves.toMatchObject({ allowed: false });
    data(await saveRules(ADA, { ...DEMO_SIGNER_RULES, barReporter: false }));
    await expect(signing(RITA)).resolves.toEqual({
      allowed: false,
      reason: expect.stringContaining('You assessed QMS-1'),
    });
    data(await saveRules(ADA, { ...DEMO_SIGNER_RULES, barReporter: false, barAssessors: false }));
    await expect(signing(RITA)).resolves.toEqual({ allowed: true });
    data(await decide(RITA));
    data(await saveRules(ADA, DEMO_SIGNER_RULES));
    await expectRefusedWithoutTrace(
      () =>
        onIssue(RITA, 'impact/decide', {
          version: storedImpact().version,
          applicationId: 'APP-MAA-CARDIOLOL',
          decision: 'accept',
          rationale: '',
          meaning: 'approval',
          signatureCode: codeOf(RITA),
        }),
      /^You raised QMS-1/,
    );
  });

  it('grants by project role on the record’s project when the rules name one', async () => {
    data(
      await saveRules(ADA, {
        groups: [],
        projectRoles: ['Regulatory Reviewers'],
        barReporter: true,
        barAssessors: true,
      }),
    );
    // Ada is in the signers' group but not in the role: groups no longer grant.
    await expectRefusedWithoutTrace(() => decide(ADA), /only people in the project role Regulatory Reviewers to sign/);
    data(await decide(RITA));
  });

  it('costs the panel exactly one Jira call more than without signing rules: the viewer’s groups and roles', async () => {
    const callsOfPanel = async () => {
      app.jira.resetMetrics();
      await signing(RITA);
      return app.jira.metrics().byEndpoint;
    };
    const withRules = await callsOfPanel();
    await asTheApp(() => kvs.delete(SIGNER_RULES_KEY));
    const withoutRules = await callsOfPanel();
    expect(withRules).toEqual({ ...withoutRules, [EXPRESSION]: 1 });
  });

  it('lets nobody sign on a fresh install until an admin chooses who may, without asking Jira', async () => {
    await asTheApp(() => kvs.delete(SIGNER_RULES_KEY));
    app.jira.resetMetrics();
    await expectRefusedWithoutTrace(
      () => decide(RITA),
      new RegExp(`^${NOBODY_MAY_SIGN.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}`),
    );
    await expect(signing(RITA)).resolves.toEqual({ allowed: false, reason: NOBODY_MAY_SIGN });
    expect(app.jira.metrics().byEndpoint[EXPRESSION]).toBeUndefined();
  });
});

describe('the signing rules on the admin page', () => {
  it('are for Jira admins only: a quality engineer and a reviewer can neither read nor save them, and nothing changes', async () => {
    for (const person of [QUINN, RITA]) {
      const before = everything();
      await expect(onAdminPage(person, 'admin/signers/get', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      await expect(
        saveRules(person, { groups: ['quality-engineers'], projectRoles: [], barReporter: false, barAssessors: false }),
      ).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(everything()).toEqual(before);
    }
    // Nor from another module's frame, even as the admin.
    const raw = await app.runtime.invokeResolver(
      adminPageResolver,
      {
        functionKey: 'admin/signers/save',
        payload: { rules: { ...DEMO_SIGNER_RULES, groups: ['quality-engineers'] } },
        extension: { type: 'jira:issuePanel', issue: { key: 'QMS-1' } },
      },
      { accountId: ADA, moduleKey: 'impact-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-admin-page' },
    );
    expect(parsed('admin/signers/save', raw)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await expect(signing(QUINN)).resolves.toMatchObject({ allowed: false });
  });

  it('show the admin the rules in force and the groups and project roles Jira has', async () => {
    const view = data(await onAdminPage(ADA, 'admin/signers/get', {}));
    expect(view).toMatchObject({ rules: DEMO_SIGNER_RULES, stored: true, savedBy: { accountId: ADA } });
    expect(view.choices.groups).toEqual(expect.arrayContaining(['regulatory-reviewers', 'quality-engineers']));
    expect(view.choices.groupsComplete).toBe(true);
    expect(view.choices.projectRoles).toEqual(expect.arrayContaining(['Regulatory Reviewers', 'Quality Engineers']));
  });

  it('audits every save with the rules before and after, in the same chain as the decisions', async () => {
    const after: SignerRules = {
      groups: ['regulatory-reviewers'],
      projectRoles: ['Regulatory Reviewers'],
      barReporter: true,
      barAssessors: false,
    };
    const saved = data(await saveRules(ADA, after));
    const entries = await asTheApp(() => listAuditEntriesFor('app:signers'));
    expect(entries).toEqual([
      expect.objectContaining({
        seq: saved.auditSeq,
        action: 'admin/signers/save',
        subject: 'app:signers',
        actor: { accountId: ADA, displayName: 'Ada Admin' },
        payload: { summary: 'Changed who may sign regulatory decisions', before: DEMO_SIGNER_RULES, after },
      }),
    ]);
    await expect(asTheApp(() => checkAuditTrail())).resolves.toMatchObject({ intact: true });
    expect(data(await onAdminPage(ADA, 'admin/signers/get', {})).rules).toEqual(after);
  });

  it('refuse rules naming a group or role Jira does not have, or naming one twice, and change nothing', async () => {
    const before = everything();
    await expect(
      saveRules(ADA, { ...DEMO_SIGNER_RULES, groups: ['regulatory-reviewers', 'everyone-in-qa'] }),
    ).resolves.toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('Jira has no group named “everyone-in-qa”') },
    });
    await expect(saveRules(ADA, { ...DEMO_SIGNER_RULES, projectRoles: ['Signers'] })).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('no project role named “Signers”') },
    });
    await expect(
      saveRules(ADA, { ...DEMO_SIGNER_RULES, groups: ['regulatory-reviewers', 'Regulatory-Reviewers'] }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(everything()).toEqual(before);
  });
});
