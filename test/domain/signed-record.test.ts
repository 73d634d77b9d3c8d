/**
 * The record of truth and its mirrors, as pure functions: what Jira's copy may and may not
 * differ in, how a signature binds what it signs, and how the gates, the decision core and the
 * macro treat a record whose copy was changed outside the app.
 */
import { evaluateGate, previewGates } from '../../src/domain/gates';
import type { GateId } from '../../src/domain/gates';
import { DecisionRefused, decideApplication, reassess } from '../../src/domain/impact-decisions';
import { toImpactFieldValue, withoutSubmissionKeys } from '../../src/domain/impact-field-value';
import { emptyImpact } from '../../src/domain/model';
import type { QmsRecord, RegulatoryImpact, ReviewerDecision } from '../../src/domain/model';
import { DEFAULT_REQUIRED_FIELDS } from '../../src/domain/required-fields';
import { bindSignature, checkMirror, signatureStateOf } from '../../src/domain/signed-record';
import type { SignedRecord } from '../../src/domain/signed-record';
import { buildTraceability } from '../../src/domain/traceability';
import { aChangeControl, aRegistry, aSubmission, REVIEWER } from '../builders';

const AT = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-02T08:30:00.000Z';
const RULES = '2026.12.0';

const signedPas = (): RegulatoryImpact => {
  const record = aChangeControl('QMS-1')
    .withChange('formulation')
    .affecting({ productIds: ['PRD-1'] })
    .filingRequired({ applicationId: 'APP-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' })
    .build();
  const impact = { ...record.impact, version: 2 };
  return {
    ...impact,
    decisions: impact.decisions.map((d) => {
      if (!d.decided) return d;
      const { signature: _s, ...content } = d.decided;
      return { ...d, decided: { ...content, signature: bindSignature('QMS-1', 2, RULES, d.applicationId, content) } };
    }),
  };
};

const stored = (impact: RegulatoryImpact): SignedRecord => ({
  issueKey: 'QMS-1',
  version: impact.version,
  impact,
  recordedAt: AT,
  recordedBy: REVIEWER,
  auditSeq: 4,
});

const withCategory = (impact: RegulatoryImpact, category: ReviewerDecision['category']): RegulatoryImpact => ({
  ...impact,
  decisions: impact.decisions.map((d) => (d.decided ? { ...d, decided: { ...d.decided, category } } : d)),
});

describe('checkMirror: Jira’s copy against the signed record', () => {
  it('finds the copy the app writes intact, in its full form or as a bare assessment', () => {
    const impact = signedPas();
    expect(
      checkMirror({ issueKey: 'QMS-1', mirror: toImpactFieldValue(impact), signed: stored(impact), fieldChanges: [] }),
    ).toEqual({ impact, integrity: { state: 'intact' } });
    expect(
      checkMirror({
        issueKey: 'QMS-1',
        mirror: withoutSubmissionKeys(impact),
        signed: stored(impact),
        fieldChanges: [],
      }).integrity,
    ).toEqual({ state: 'intact' });
    // Jira's copy never holds the Submission keys the signed record keeps.
    expect(JSON.stringify(toImpactFieldValue(impact))).not.toContain('RIM-1');
  });

  it('answers the signed value for a changed copy, says what differs, and names who changed the field and when', () => {
    const impact = signedPas();
    const forged = withCategory(impact, 'CBE-0');
    const check = checkMirror({
      issueKey: 'QMS-1',
      mirror: toImpactFieldValue(forged),
      signed: stored(impact),
      fieldChanges: [
        // The app's own write of the signed value, and an older change: neither is the culprit.
        { at: AT, by: 'Rita Reviewer', value: toImpactFieldValue(impact) },
        { at: '2026-02-01T00:00:00.000Z', by: 'Someone Earlier', value: null },
        { at: LATER, by: 'Quinn Quality', value: toImpactFieldValue(forged) },
      ],
    });
    expect(check.impact).toEqual(impact);
    expect(check.integrity).toEqual({
      state: 'altered',
      how: 'different',
      differences: [
        'APP-US: signed PAS, signed by Rita Reviewer (approval), Jira shows CBE-0, signed by Rita Reviewer (approval)',
      ],
      changedAt: LATER,
      changedBy: 'Quinn Quality',
    });
  });

  it('reports a changed copy even when only the values derived for search were rewritten', () => {
    const impact = signedPas();
    const check = checkMirror({
      issueKey: 'QMS-1',
      mirror: { ...toImpactFieldValue(impact), filingRequired: 'no' },
      signed: stored(impact),
      fieldChanges: [],
    });
    expect(check.integrity).toMatchObject({
      state: 'altered',
      how: 'different',
      differences: ['values derived for search (filing required, markets, categories) differ'],
    });
  });

  it('reports a deleted copy, an unreadable one, and an assessment the app never recorded', () => {
    const impact = signedPas();
    expect(
      checkMirror({ issueKey: 'QMS-1', mirror: undefined, signed: stored(impact), fieldChanges: [] }).integrity,
    ).toMatchObject({ state: 'altered', how: 'deleted' });
    expect(
      checkMirror({ issueKey: 'QMS-1', mirror: { status: 'no-filing' }, signed: stored(impact), fieldChanges: [] })
        .integrity,
    ).toMatchObject({ state: 'altered', how: 'unreadable' });
    const invented = checkMirror({
      issueKey: 'QMS-1',
      mirror: toImpactFieldValue(impact),
      signed: undefined,
      fieldChanges: [],
    });
    expect(invented.impact).toEqual(emptyImpact());
    expect(invented.integrity).toMatchObject({ state: 'altered', how: 'unsigned' });
  });

  it('takes a not-assessed copy with nothing decided as it is (it can only pre-fill the form)', () => {
    const prefilled: RegulatoryImpact = {
      ...emptyImpact(),
      affected: { ...emptyImpact().affected, supplierIds: ['SUP-1'] },
    };
    expect(
      checkMirror({ issueKey: 'QMS-1', mirror: toImpactFieldValue(prefilled), signed: undefined, fieldChanges: [] }),
    ).toEqual({ impact: prefilled, integrity: { state: 'intact' } });
  });

  it('lists the applications whose signed decision no longer matches its signature', () => {
    const impact = signedPas();
    const tampered = withCategory(impact, 'CBE-30');
    expect(
      checkMirror({
        issueKey: 'QMS-1',
        mirror: toImpactFieldValue(tampered),
        signed: stored(tampered),
        fieldChanges: [],
      }).voidSignatures,
    ).toEqual(['APP-US']);
    expect(
      checkMirror({ issueKey: 'QMS-1', mirror: toImpactFieldValue(impact), signed: stored(impact), fieldChanges: [] })
        .voidSignatures,
    ).toBeUndefined();
  });
});

describe('signatures bound to what they sign (21 CFR 11.70)', () => {
  it.each<[string, (d: ReviewerDecision) => ReviewerDecision]>([
    ['the category', (d) => ({ ...d, category: 'CBE-30' })],
    ['the rationale', (d) => ({ ...d, rationale: `${d.rationale}.` })],
    ['the meaning', (d) => ({ ...d, meaning: 'review' })],
    ['the signer', (d) => ({ ...d, by: { accountId: 'someone-else', displayName: d.by.displayName } })],
    ['the time', (d) => ({ ...d, at: LATER })],
    [
      'the record version it was signed at',
      (d) => ({ ...d, signature: d.signature ? { ...d.signature, recordVersion: 3 } : undefined }),
    ],
    [
      'the rules version',
      (d) => ({ ...d, signature: d.signature ? { ...d.signature, rulesVersion: '2025.1.0' } : undefined }),
    ],
    ['the record key', (d) => ({ ...d, signature: d.signature ? { ...d.signature, recordKey: 'QMS-2' } : undefined })],
  ])('voids the signature when %s changes after signing', (_what, change) => {
    const decision = signedPas().decisions[0];
    if (!decision?.decided) throw new Error('no decision');
    expect(signatureStateOf(decision)).toBe('valid');
    expect(signatureStateOf({ ...decision, decided: change(decision.decided) })).toBe('void');
  });

  it('tells a decision recorded before signatures were bound from a void one', () => {
    const decision = signedPas().decisions[0];
    if (!decision?.decided) throw new Error('no decision');
    const { signature: _s, ...unbound } = decision.decided;
    expect(signatureStateOf({ ...decision, decided: unbound })).toBe('unbound');
    expect(signatureStateOf({ ...decision, decided: undefined })).toBeUndefined();
  });
});

describe('gates on a record whose copy was changed, or whose signature is void', () => {
  const qmsGates: GateId[] = ['impact-assessed', 'filing-planned', 'prior-approval-granted'];
  const altered = (): QmsRecord => ({
    ...aChangeControl('QMS-1')
      .withChange('editorial-label')
      .affecting({ productIds: ['PRD-1'] })
      .noFiling({ applicationId: 'APP-US', decided: 'NONE', rationale: 'editorial only' })
      .build(),
    integrity: {
      state: 'altered',
      how: 'different',
      differences: ['APP-US: …'],
      changedAt: LATER,
      changedBy: 'Quinn Quality',
    },
  });

  it.each(qmsGates)('%s refuses, naming who changed it and when, even where the signed record would pass', (gate) => {
    const record = altered();
    expect(
      evaluateGate(gate, {
        kind: 'qms-record',
        record: { ...record, integrity: { state: 'intact' } },
        linkedSubmissions: [],
        requiredFields: DEFAULT_REQUIRED_FIELDS,
      }),
    ).toEqual({ ok: true });
    expect(
      evaluateGate(gate, {
        kind: 'qms-record',
        record,
        linkedSubmissions: [],
        requiredFields: DEFAULT_REQUIRED_FIELDS,
      }),
    ).toEqual({
      ok: false,
      reasons: [
        {
          code: 'RECORD_ALTERED',
          message: `the regulatory impact of QMS-1 was changed outside the app on ${LATER} by Quinn Quality, so it no longer matches the signed record; a reviewer must re-sign in the app, or a Jira admin restore Jira's copy from the signed record`,
          issueKey: 'QMS-1',
        },
      ],
    });
  });

  it.each(qmsGates)('%s counts a void signature as no signature', (gate) => {
    const record: QmsRecord = { ...altered(), integrity: { state: 'intact' }, voidSignatures: ['APP-US'] };
    const result = evaluateGate(gate, {
      kind: 'qms-record',
      record,
      linkedSubmissions: [],
      requiredFields: DEFAULT_REQUIRED_FIELDS,
    });
    expect(result.ok ? [] : result.reasons.map((r) => [r.code, r.applicationId])).toEqual([
      ['SIGNATURE_VOID', 'APP-US'],
    ]);
  });

  it('the evidence gate refuses a Submission whose linked record was altered', () => {
    const record: QmsRecord = { ...altered(), approval: { by: 'Quinn Quality', at: AT } };
    const submission = aSubmission('RIM-1')
      .forApplication('APP-US', { market: 'US' })
      .category('PAS')
      .filingFor('QMS-1')
      .build();
    const [preview] = previewGates({ kind: 'submission', submission, linkedRecords: [record] });
    const result = preview?.result ?? { ok: true };
    expect(result.ok ? [] : result.reasons.map((r) => r.code)).toContain('RECORD_ALTERED');
  });

  it('the macro flags the altered record as a gap of its own', () => {
    const registry = aRegistry()
      .withProduct('PRD-1')
      .withApplication('APP-US', { productId: 'PRD-1', market: 'US', type: 'NDA' })
      .build();
    const view = buildTraceability({
      registry,
      records: [altered()],
      submissions: [],
      commitments: [],
      today: '2026-03-03',
      options: { letterToFileThreshold: 3, implementStatusNames: ['Implemented'] },
    });
    expect(view.gaps.filter((g) => g.code === 'RECORD_ALTERED').map((g) => g.issueKeys)).toEqual([['QMS-1']]);
  });
});

describe('the decision core', () => {
  const registry = () =>
    aRegistry()
      .withProduct('PRD-1')
      .withApplication('APP-US', { productId: 'PRD-1', market: 'US', type: 'NDA' })
      .build();

  it('signs a decision bound to the record, the version it makes and the rules, with an audit entry holding before and after', () => {
    const record = aChangeControl('QMS-1')
      .withChange('formulation')
      .affecting({ productIds: ['PRD-1'] })
      .build();
    const assessed = reassess({
      record,
      registry: registry(),
      draft: {
        changes: record.impact.changes,
        affected: { productIds: ['PRD-1'], siteIds: [], supplierIds: [], markets: [] },
      },
      assessor: { accountId: 'q', displayName: 'Quinn Quality' },
      now: AT,
    });
    expect(assessed.impact.assessedBy).toEqual([{ accountId: 'q', displayName: 'Quinn Quality' }]);
    const signed = decideApplication({
      record: { ...record, impact: assessed.impact },
      registry: registry(),
      signer: REVIEWER,
      now: LATER,
      rulesVersion: RULES,
      input: {
        applicationId: 'APP-US',
        decision: 'override',
        category: 'CBE-30',
        rationale: 'Moderate potential.',
        meaning: 'responsibility',
      },
    });
    const decided = signed.impact.decisions[0]?.decided;
    expect(decided).toMatchObject({
      category: 'CBE-30',
      by: REVIEWER,
      at: LATER,
      meaning: 'responsibility',
      signature: { recordKey: 'QMS-1', recordVersion: assessed.impact.version + 1, rulesVersion: RULES },
    });
    expect(signatureStateOf({ applicationId: 'APP-US', decided })).toBe('valid');
    expect(signed.audit).toMatchObject({
      action: 'impact/decide',
      subject: 'QMS-1',
      actor: REVIEWER,
      at: LATER,
      payload: { before: null, after: decided, decision: 'override' },
    });
  });

  it('voids a signed decision whose recommendation changed on re-assessment, and says so in the audit entry', () => {
    const record = aChangeControl('QMS-1')
      .withChange('formulation')
      .affecting({ productIds: ['PRD-1'] })
      .filingRequired({ applicationId: 'APP-US', market: 'US', decided: 'PAS', recommended: 'PAS' })
      .build();
    const result = reassess({
      record,
      registry: registry(),
      draft: {
        changes: record.impact.changes,
        affected: { productIds: ['PRD-1'], siteIds: [], supplierIds: [], markets: [] },
      },
      assessor: { accountId: 'q', displayName: 'Quinn Quality' },
      now: AT,
    });
    const recommended = result.impact.decisions[0]?.recommended.category;
    expect(recommended).not.toBe('PAS');
    expect(result.impact.decisions[0]?.decided).toBeUndefined();
    expect(result.audit.payload.voided).toEqual([
      expect.objectContaining({
        applicationId: 'APP-US',
        decided: expect.objectContaining({ category: 'PAS' }),
        reason: `the recommendation it was signed on changed from PAS to ${recommended}`,
      }),
    ]);
    expect(result.audit.payload.summary).toContain('1 signed decision was voided');
  });

  it('refuses what a reviewer may not sign, without a value to write', () => {
    const record = aChangeControl('QMS-1')
      .withChange('formulation')
      .affecting({ productIds: ['PRD-1'] })
      .filingRequired({ applicationId: 'APP-US', market: 'US', recommended: 'REVIEW-REQUIRED' })
      .build();
    const attempt = (input: Parameters<typeof decideApplication>[0]['input']) => () =>
      decideApplication({ record, registry: registry(), signer: REVIEWER, now: LATER, rulesVersion: RULES, input });
    expect(attempt({ applicationId: 'APP-US', decision: 'accept', rationale: '', meaning: 'approval' })).toThrow(
      DecisionRefused,
    );
    expect(
      attempt({
        applicationId: 'APP-US',
        decision: 'override',
        category: 'EU-II',
        rationale: 'x',
        meaning: 'approval',
      }),
    ).toThrow(/valid for a NDA application/);
    expect(
      attempt({ applicationId: 'APP-XX', decision: 'override', category: 'PAS', rationale: 'x', meaning: 'approval' }),
    ).toThrow(/not among the applications/);
  });
});
