/**
 * A hostile insider rewrites the signed record's mirrors in Jira. Quinn Quality may edit QMS
 * records, so Jira lets her write the `qmsrim.impact` property through its REST API, as anyone
 * with a token could. The app must not believe it anywhere: the gate refuses and says what
 * happened, the panel shows the signed record and what Jira's copy claims, the trigger pushes
 * nothing onto the Submission, the macro flags the record, and only bringing Jira's copy back
 * to the signed record (audited) clears it. Everything runs through the demo site: Jira REST
 * as the person for what Jira lets them write, the real resolvers and triggers for the rest.
 *
 * QMS-5 (demo) is a change decided PAS for the US NDA, filed as RIM-1, which the FDA has not
 * approved yet: "Implement" must stay refused until it is.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { QMS_TRANSITIONS } from '../../sandbox/jira/fixtures/qms-rim-site';
import { IMPACT_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { StoredImpactSchema, toImpactFieldValue } from '../../src/domain/impact-field-value';
import { RegulatoryImpactSchema } from '../../src/domain/model';
import type { RegulatoryImpact } from '../../src/domain/model';
import { listAuditEntriesFor } from '../../src/adapters/kvs/audit-repository';
import { startFaultSite } from '../faults/harness';
import type { FaultSite, ResolverCall, SiteState } from '../faults/harness';

jest.setTimeout(120_000);

const QUINN: string = SITE_ACCOUNTS.quality;
const RITA: string = SITE_ACCOUNTS.regulatory;
const ADA: string = SITE_ACCOUNTS.admin;
const MAX: string = SITE_ACCOUNTS.manager;

let site: FaultSite;
let base: SiteState;

beforeAll(async () => {
  site = await startFaultSite();
  base = await site.state();
});
beforeEach(() => site.restore(base));
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

const rest = (accountId: string, method: string, path: string, body?: unknown) =>
  site.app.jira.handle({ method, path, ...(body === undefined ? {} : { body }), as: { kind: 'user', accountId } });
const panelCall = <K extends 'impact/get' | 'impact/restore-mirror' = 'impact/get'>(
  accountId: string,
  key: string,
  resolverKey?: K,
): ResolverCall<K> => ({
  module: 'impact-panel',
  key: (resolverKey ?? 'impact/get') as K,
  payload: {},
  extension: { type: 'jira:issuePanel', issue: { key }, project: { key: key.split('-')[0] } },
  accountId,
});
const mirrorOf = (key: string): RegulatoryImpact =>
  StoredImpactSchema.parse(site.app.jira.readIssue(key)?.properties[IMPACT_PROPERTY_KEY]);
const transition = async (accountId: string, key: string, id: string) => {
  const res = await rest(accountId, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id } });
  await site.app.whenIdle();
  return {
    status: res.status,
    message: (res.body as { errorMessages?: string[] } | undefined)?.errorMessages?.join(' ') ?? '',
  };
};

/** QMS-5's decisions rewritten as CBE-0 (no prior approval), signatures and all left as they were. */
const forgedQms5 = (): RegulatoryImpact => {
  const impact = mirrorOf('QMS-5');
  return RegulatoryImpactSchema.parse({
    ...impact,
    decisions: impact.decisions.map((d) => (d.decided ? { ...d, decided: { ...d.decided, category: 'CBE-0' } } : d)),
  });
};

describe('a decision forged in Jira (the qmsrim.impact property rewritten by someone who may edit the record)', () => {
  it('keeps "Implement" refused: the gate names the forgery instead of believing it', async () => {
    const before = await transition(QUINN, 'QMS-5', QMS_TRANSITIONS.implement);
    expect(before).toMatchObject({
      status: 400,
      message: expect.stringContaining('is decided PAS, and its Submission is not approved'),
    });

    const forged = await rest(
      QUINN,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(forgedQms5()),
    );
    expect(forged.status).toBeLessThan(300);
    await site.app.whenIdle();

    const after = await transition(QUINN, 'QMS-5', QMS_TRANSITIONS.implement);
    expect(after.status).toBe(400);
    expect(after.message).toContain('the regulatory impact of QMS-5 was changed outside the app');
    expect(after.message).toContain('a reviewer must re-sign');
  });

  it('shows the signed record on the panel, with what Jira’s copy claims, and pushes nothing onto the Submission', async () => {
    const rim1Before = site.app.jira.readIssue('RIM-1')?.properties[SUBMISSION_PROPERTY_KEY];
    await rest(
      QUINN,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(forgedQms5()),
    );
    await site.app.whenIdle();

    const panel = await site.invoke(panelCall(RITA, 'QMS-5'));
    if (!panel.ok || !panel.data.applies) throw new Error(`no panel: ${JSON.stringify(panel)}`);
    expect(panel.data.integrity).toMatchObject({ state: 'altered', how: 'different' });
    const differences = panel.data.integrity.state === 'altered' ? panel.data.integrity.differences.join(' | ') : '';
    expect(differences).toMatch(/APP-NDA-CARDIOLOL: signed PAS, signed by .*, Jira shows CBE-0/);
    // The panel's own values are the signed ones, and its gate preview refuses too.
    expect(panel.data.impact.decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided?.category).toBe(
      'PAS',
    );
    expect(panel.data.gates.every((g) => !g.ok && g.reasons.some((r) => r.code === 'RECORD_ALTERED'))).toBe(true);
    // The consistency trigger saw the property change and propagated nothing.
    expect(site.app.jira.readIssue('RIM-1')?.properties[SUBMISSION_PROPERTY_KEY]).toEqual(rim1Before);
  });

  it('flags the record in the traceability macro, for the manager who reads it', async () => {
    await rest(
      QUINN,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(forgedQms5()),
    );
    await site.app.whenIdle();
    const answer = await site.invoke({
      module: 'traceability-macro',
      key: 'traceability/export',
      payload: { onlyWithGaps: true },
      extension: { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} },
      accountId: MAX,
    });
    if (!answer.ok) throw new Error(answer.error.message);
    const csv = JSON.stringify(answer.data);
    expect(csv).toContain('RECORD_ALTERED');
    expect(csv).toMatch(/QMS-5[^\n]*RECORD_ALTERED|RECORD_ALTERED[^\n]*QMS-5/);
  });

  it('is reported by the audit verification, on the admin page and by the daily check, until the copy is restored', async () => {
    const verify = () =>
      site.invoke({
        module: 'admin-page',
        key: 'admin/audit/verify',
        payload: {},
        extension: { type: 'jira:adminPage' },
        accountId: ADA,
      });
    expect(await verify()).toMatchObject({ ok: true, data: { alteredCopies: [] } });
    await rest(
      QUINN,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(forgedQms5()),
    );
    await site.app.whenIdle();
    expect(await verify()).toMatchObject({
      ok: true,
      data: { result: { intact: true }, alteredCopies: [{ issueKey: 'QMS-5', how: 'different' }] },
    });
    const daily = await site.app.invokeFunction('verify-audit-trail', {});
    expect(daily).toMatchObject({ outcome: 'done', run: { trigger: 'daily', alteredCopies: [{ issueKey: 'QMS-5' }] } });
    await site.invoke(panelCall(QUINN, 'QMS-5', 'impact/restore-mirror'));
    await site.app.whenIdle();
    expect(await verify()).toMatchObject({ ok: true, data: { alteredCopies: [] } });
  });

  it('is cleared only by bringing Jira’s copy back to the signed record, which is audited and leaves the real gate in force', async () => {
    await rest(
      QUINN,
      'PUT',
      `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`,
      toImpactFieldValue(forgedQms5()),
    );
    await site.app.whenIdle();
    const restored = await site.invoke({
      module: 'admin-page',
      key: 'admin/mirror/restore',
      payload: { issueKey: 'QMS-5' },
      extension: { type: 'jira:adminPage' },
      accountId: ADA,
    });
    expect(restored).toMatchObject({ ok: true, data: { restored: true } });
    expect(mirrorOf('QMS-5').decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided?.category).toBe(
      'PAS',
    );
    const panel = await site.invoke(panelCall(RITA, 'QMS-5'));
    expect(panel).toMatchObject({ ok: true, data: { integrity: { state: 'intact' } } });
    const entries = await site.app.runtime.runAs({ moduleKey: 'test' }, () => listAuditEntriesFor('QMS-5'));
    expect(entries.at(-1)).toMatchObject({
      action: 'impact/restore-mirror',
      actor: { accountId: ADA },
      payload: { summary: expect.stringContaining('APP-NDA-CARDIOLOL: signed PAS') },
    });
    // The truth is back in force: still no implementing before the FDA approves the PAS.
    expect(await transition(QUINN, 'QMS-5', QMS_TRANSITIONS.implement)).toMatchObject({
      status: 400,
      message: expect.stringContaining('is decided PAS, and its Submission is not approved'),
    });
  });
});

describe('an assessment written into Jira for a record the app never assessed', () => {
  it('does not count as assessed: "Submit for review" is refused, naming it', async () => {
    const qms1 = mirrorOf('QMS-1');
    expect(qms1.status).toBe('not-assessed');
    const invented = RegulatoryImpactSchema.parse({
      ...qms1,
      status: 'no-filing',
      changes: [{ code: 'ccs.type-or-resin', answers: {} }],
      version: 1,
    });
    expect(
      (
        await rest(
          QUINN,
          'PUT',
          `/rest/api/3/issue/QMS-1/properties/${IMPACT_PROPERTY_KEY}`,
          toImpactFieldValue(invented),
        )
      ).status,
    ).toBeLessThan(300);
    const answer = await transition(QUINN, 'QMS-1', QMS_TRANSITIONS.submitForReview);
    expect(answer.status).toBe(400);
    expect(answer.message).toContain('holds an assessment the app never recorded');
  });

  it('deleting Jira’s copy of a signed record is noticed too', async () => {
    expect((await rest(QUINN, 'DELETE', `/rest/api/3/issue/QMS-5/properties/${IMPACT_PROPERTY_KEY}`)).status).toBe(204);
    await site.app.whenIdle();
    const panel = await site.invoke(panelCall(QUINN, 'QMS-5'));
    expect(panel).toMatchObject({ ok: true, data: { integrity: { state: 'altered', how: 'deleted' } } });
    // Quinn may edit QMS-5, so she may bring the copy back herself; it can only agree with what was signed.
    expect(await site.invoke(panelCall(QUINN, 'QMS-5', 'impact/restore-mirror'))).toMatchObject({
      ok: true,
      data: { restored: true },
    });
    expect(await site.invoke(panelCall(QUINN, 'QMS-5'))).toMatchObject({
      ok: true,
      data: { integrity: { state: 'intact' } },
    });
  });
});

describe('the signature as the macro exports it (21 CFR 11.50)', () => {
  it('carries the signer’s name, the time with its offset, the meaning and the signature’s state on every decided row', async () => {
    const answer = await site.invoke({
      module: 'traceability-macro',
      key: 'traceability/export',
      payload: { productIds: ['PRD-CARDIOLOL'], onlyWithGaps: false },
      extension: { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} },
      accountId: MAX,
    });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.parts).toBe(1);
    const csv = answer.data.content;
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const column = (name: string) => header.indexOf(name);
    const qms5 = lines
      .map((l) => l.split(','))
      .find(
        (cells) => cells[0] === 'trace' && cells[column('record')] === 'QMS-5' && cells[column('decided')] === 'PAS',
      );
    expect(qms5).toBeDefined();
    expect(qms5?.[column('signed_by')]).toBe('Rita Regulatory');
    expect(qms5?.[column('signed_at')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    expect(qms5?.[column('signature_meaning')]).toMatch(/^(review|approval|responsibility)$/);
    expect(qms5?.[column('signature')]).toBe('valid');
  });
});
