import {
  commitmentFulfilled,
  evaluateGate,
  evidenceComplete,
  filingPlanned,
  GateResultSchema,
  impactAssessed,
  previewGates,
  priorApprovalGranted,
} from '../../src/domain/gates';
import type { GateReason, GateResult, GateSubject } from '../../src/domain/gates';
import { DEFAULT_REQUIRED_FIELDS } from '../../src/domain/required-fields';
import { ImpactStatusSchema } from '../../src/domain/model';
import type { ApplicationDecision, RegulatoryImpact } from '../../src/domain/model';
import { aChangeControl, aCommitment, aDecision, aSubmission, aSupplierChange } from '../builders';

const reasonsOf = (result: GateResult): GateReason[] => (result.ok ? [] : result.reasons);
const codesOf = (result: GateResult): string[] => reasonsOf(result).map((r) => r.code);

/** A change control filed as PAS in the US (prior approval) and EU-IA in the EU (do and tell). */
const assessedChangeControl = () =>
  aChangeControl('QMS-1')
    .withChange('formulation')
    .affecting({ productIds: ['PRD-1'] })
    .filingRequired(
      { applicationId: 'APP-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' },
      { applicationId: 'APP-EU', market: 'EU', decided: 'EU-IA', submissionKey: 'RIM-2' },
    );

const usSubmission = () =>
  aSubmission('RIM-1').forApplication('APP-US', { market: 'US' }).category('PAS').filingFor('QMS-1');
const euSubmission = () =>
  aSubmission('RIM-2').forApplication('APP-EU', { market: 'EU' }).category('EU-IA').filingFor('QMS-1');

describe('gate 1: impact assessed', () => {
  it('passes a complete filing-required assessment', () => {
    expect(impactAssessed(assessedChangeControl().build(), DEFAULT_REQUIRED_FIELDS)).toEqual({ ok: true });
  });

  it('passes a no-filing assessment with a decision and rationale per affected application', () => {
    const record = aChangeControl('QMS-1')
      .withChange('editorial-label')
      .affecting({ productIds: ['PRD-1'] })
      .noFiling({ applicationId: 'APP-US', decided: 'NONE', rationale: 'editorial only' })
      .build();
    expect(impactAssessed(record, DEFAULT_REQUIRED_FIELDS)).toEqual({ ok: true });
  });

  it.each(ImpactStatusSchema.extract(['not-assessed', 'in-assessment']).options)(
    'fails while the impact is %s, naming the status',
    (status) => {
      const result = impactAssessed(aChangeControl('QMS-9').impactStatus(status).build(), DEFAULT_REQUIRED_FIELDS);
      expect(reasonsOf(result)).toEqual([
        {
          code: 'IMPACT_NOT_ASSESSED',
          message: `QMS-9: the regulatory impact is "${status}"; it must be assessed as filing-required or no-filing`,
          field: 'impact.status',
          issueKey: 'QMS-9',
        },
      ]);
    },
  );

  it('requires at least one affected application when filing is required', () => {
    const record = aChangeControl()
      .withChange('formulation')
      .affecting({ productIds: ['PRD-1'] })
      .impactStatus('filing-required')
      .build();
    const [reason] = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reason).toMatchObject({
      code: 'AFFECTED_APPLICATIONS_MISSING',
      field: 'affected.applicationIds',
      issueKey: 'QMS-1',
    });
    expect(reason?.message).toContain('no affected application');
  });

  it('requires a reviewer decision for each affected application, naming the application and market', () => {
    const record = assessedChangeControl()
      .withDecisions({ applicationId: 'APP-JP', market: 'JP', recommended: 'PAS' })
      .affecting({ applicationIds: ['APP-CA'] })
      .build();
    const reasons = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reasons.map((r) => [r.code, r.applicationId, r.market])).toEqual([
      ['DECISION_MISSING', 'APP-JP', 'JP'],
      ['DECISION_MISSING', 'APP-CA', undefined],
    ]);
    expect(reasons[0]?.message).toBe('QMS-1: Application APP-JP (JP) has no reviewer decision (recommended PAS)');
    expect(reasons[1]?.message).toBe('QMS-1: Application APP-CA is affected but has no decision');
  });

  it('requires a decision for each affected application of a no-filing assessment too', () => {
    const record = aChangeControl()
      .withChange('c')
      .affecting({ productIds: ['PRD-1'], applicationIds: ['APP-US'] })
      .noFiling()
      .build();
    expect(reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS))).toEqual([
      expect.objectContaining({ code: 'DECISION_MISSING', applicationId: 'APP-US' }),
    ]);
  });

  it('does not take a REVIEW-REQUIRED recommendation for a decision', () => {
    const record = aChangeControl()
      .withChange('c')
      .affecting({ productIds: ['PRD-1'] })
      .filingRequired({ applicationId: 'APP-US', recommended: 'REVIEW-REQUIRED' })
      .build();
    const [reason] = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reason?.code).toBe('DECISION_MISSING');
    expect(reason?.message).toContain('REVIEW-REQUIRED');
  });

  it('does not take a stored decision of category REVIEW-REQUIRED for a decision', () => {
    const record = assessedChangeControl().build();
    const decision: ApplicationDecision = record.impact.decisions[0] ?? aDecision({ applicationId: 'APP-US' });
    // Simulates a value stored before the schema excluded the category.
    const legacy = JSON.parse(
      JSON.stringify({ ...decision, decided: { ...decision.decided, category: 'REVIEW-REQUIRED' } }),
    );
    const result = impactAssessed(
      { ...record, impact: { ...record.impact, decisions: [legacy, ...record.impact.decisions.slice(1)] } },
      DEFAULT_REQUIRED_FIELDS,
    );
    expect(codesOf(result)).toEqual(['DECISION_MISSING']);
  });

  it('requires the affected suppliers of a supplier change', () => {
    const record = aSupplierChange('QMS-4').withChange('supplier-replacement').noFiling().build();
    const reasons = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reasons).toEqual([
      {
        code: 'FIELD_REQUIRED',
        message:
          'QMS-4 (supplier-change): "Affected suppliers" (affected.supplierIds) is required when the impact status is filing-required or no-filing',
        field: 'affected.supplierIds',
        issueKey: 'QMS-4',
      },
    ]);
  });

  it('requires every change to have a code', () => {
    const record = assessedChangeControl().withChange('  ').build();
    expect(reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS))).toEqual([
      {
        code: 'CHANGE_CODE_MISSING',
        message: 'QMS-1: change 2 has no change code',
        field: 'changes.1.code',
        issueKey: 'QMS-1',
      },
    ]);
  });

  it('flags a no-filing status that contradicts a decision to file', () => {
    const record = aChangeControl()
      .withChange('c')
      .affecting({ productIds: ['PRD-1'] })
      .noFiling({ applicationId: 'APP-US', decided: 'CBE-30' })
      .build();
    const [reason] = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reason).toMatchObject({ code: 'IMPACT_STATUS_MISMATCH', applicationId: 'APP-US', market: 'US' });
    expect(reason?.message).toContain('decided CBE-30');
  });

  it('flags a filing-required status whose every decision is documented in-house', () => {
    const record = aChangeControl()
      .withChange('c')
      .affecting({ productIds: ['PRD-1'] })
      .filingRequired({ applicationId: 'APP-510K', decided: 'LETTER-TO-FILE' })
      .build();
    const [reason] = reasonsOf(impactAssessed(record, DEFAULT_REQUIRED_FIELDS));
    expect(reason?.code).toBe('IMPACT_STATUS_MISMATCH');
    expect(reason?.message).toContain('LETTER-TO-FILE');
  });

  it('returns a value the gate result schema accepts', () => {
    expect(() =>
      GateResultSchema.parse(impactAssessed(aChangeControl().build(), DEFAULT_REQUIRED_FIELDS)),
    ).not.toThrow();
  });
});

describe('gate 2: filing planned', () => {
  const impact = (): RegulatoryImpact => assessedChangeControl().build().impact;

  it('passes when every filed decision has its linked Submission for the same application', () => {
    expect(filingPlanned(impact(), [usSubmission().build(), euSubmission().build()])).toEqual({ ok: true });
  });

  it('needs no Submission for NONE or LETTER-TO-FILE', () => {
    const record = aChangeControl()
      .noFiling({ applicationId: 'APP-US', decided: 'NONE' }, { applicationId: 'APP-510K', decided: 'LETTER-TO-FILE' })
      .build();
    expect(filingPlanned(record.impact, [])).toEqual({ ok: true });
  });

  it('names the application and market whose decision has no Submission', () => {
    const record = aChangeControl().filingRequired({ applicationId: 'APP-EU', market: 'EU', decided: 'EU-II' }).build();
    expect(reasonsOf(filingPlanned(record.impact, []))).toEqual([
      {
        code: 'SUBMISSION_LINK_MISSING',
        message: 'APP-EU (EU): decided EU-II, but no Submission issue is linked for it',
        field: 'decisions.submissionKey',
        applicationId: 'APP-EU',
        market: 'EU',
      },
    ]);
  });

  it('names a Submission the decision points to that is not linked', () => {
    const [reason] = reasonsOf(filingPlanned(impact(), [usSubmission().build()]));
    expect(reason).toMatchObject({
      code: 'SUBMISSION_NOT_LINKED',
      issueKey: 'RIM-2',
      applicationId: 'APP-EU',
      market: 'EU',
    });
    expect(reason?.message).toContain('RIM-2 is not linked');
  });

  it('rejects a Submission for another application', () => {
    const wrong = aSubmission('RIM-2').forApplication('APP-UK', { market: 'EU' }).category('EU-IA').build();
    const [reason] = reasonsOf(filingPlanned(impact(), [usSubmission().build(), wrong]));
    expect(reason?.code).toBe('SUBMISSION_APPLICATION_MISMATCH');
    expect(reason?.message).toBe('APP-EU (EU): Submission RIM-2 is for application APP-UK, not APP-EU');
  });

  it('rejects a withdrawn Submission', () => {
    const [reason] = reasonsOf(
      filingPlanned(impact(), [usSubmission().build(), euSubmission().status('withdrawn').build()]),
    );
    expect(reason).toMatchObject({ code: 'SUBMISSION_INACTIVE', issueKey: 'RIM-2' });
    expect(reason?.message).toContain('withdrawn');
  });

  it('holds only the markets in scope, and always on what has no market', () => {
    // The EU Submission is missing; a gate scoped to the US does not ask for it.
    expect(codesOf(filingPlanned(impact(), [usSubmission().build()]))).toEqual(['SUBMISSION_NOT_LINKED']);
    expect(filingPlanned(impact(), [usSubmission().build()], { markets: ['US'] })).toEqual({ ok: true });
    expect(codesOf(filingPlanned(aChangeControl().build().impact, [], { markets: ['US'] }))).toEqual([
      'IMPACT_NOT_ASSESSED',
    ]);
  });

  it('fails closed on an undecided application and on an unassessed impact', () => {
    const undecided = aChangeControl().filingRequired({ applicationId: 'APP-US', recommended: 'PAS' }).build();
    expect(codesOf(filingPlanned(undecided.impact, []))).toEqual(['DECISION_MISSING']);
    expect(codesOf(filingPlanned(aChangeControl().build().impact, []))).toEqual(['IMPACT_NOT_ASSESSED']);
  });
});

describe('gate 3: prior approval granted', () => {
  const impact = (): RegulatoryImpact => assessedChangeControl().build().impact;

  it('passes when the prior-approval Submission is approved; EU-IA (do and tell) needs no approval', () => {
    expect(priorApprovalGranted(impact(), [usSubmission().approved().build(), euSubmission().build()])).toEqual({
      ok: true,
    });
  });

  it('names the market, application and Submission status while approval is pending', () => {
    expect(
      reasonsOf(priorApprovalGranted(impact(), [usSubmission().submitted().build(), euSubmission().build()])),
    ).toEqual([
      {
        code: 'PRIOR_APPROVAL_PENDING',
        message:
          'Prior approval pending in US: APP-US (US) is decided PAS, and Submission RIM-1 is "submitted", not approved',
        issueKey: 'RIM-1',
        applicationId: 'APP-US',
        market: 'US',
      },
    ]);
  });

  it('holds market by market, and only for the configured markets', () => {
    const record = aChangeControl()
      .filingRequired(
        { applicationId: 'APP-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' },
        { applicationId: 'APP-EU', market: 'EU', decided: 'EU-II', submissionKey: 'RIM-2' },
      )
      .build();
    const linked = [usSubmission().approved().build(), euSubmission().category('EU-II').status('submitted').build()];
    expect(reasonsOf(priorApprovalGranted(record.impact, linked)).map((r) => r.market)).toEqual(['EU']);
    expect(priorApprovalGranted(record.impact, linked, { markets: ['US'] })).toEqual({ ok: true });
  });

  it('fails closed on an undecided decision and on a missing Submission link', () => {
    const record = aChangeControl()
      .filingRequired(
        { applicationId: 'APP-US', recommended: 'PAS' },
        { applicationId: 'APP-CA', market: 'CA', decided: 'NEW-510K' },
      )
      .build();
    expect(codesOf(priorApprovalGranted(record.impact, []))).toEqual(['DECISION_MISSING', 'SUBMISSION_LINK_MISSING']);
  });

  it('fails closed on an unassessed impact', () => {
    expect(codesOf(priorApprovalGranted(aChangeControl().inAssessment().build().impact, []))).toEqual([
      'IMPACT_NOT_ASSESSED',
    ]);
  });
});

describe('gate 4: evidence complete', () => {
  const submission = () => usSubmission().build();
  const evidence = () => assessedChangeControl().closedAndApproved();

  it('passes when every linked record is closed, approved and decided as filed', () => {
    expect(evidenceComplete(submission(), [evidence().build()])).toEqual({ ok: true });
  });

  it('accepts a record decided lower on the same ladder in a grouped filing', () => {
    const lower = aChangeControl('QMS-2')
      .closedAndApproved()
      .filingRequired({ applicationId: 'APP-US', decided: 'CBE-30', submissionKey: 'RIM-1' })
      .build();
    const grouped = usSubmission().filingFor('QMS-2').build();
    expect(evidenceComplete(grouped, [evidence().build(), lower])).toEqual({ ok: true });
  });

  it('fails with no linked record', () => {
    expect(reasonsOf(evidenceComplete(aSubmission('RIM-7').build(), []))).toEqual([
      { code: 'EVIDENCE_MISSING', message: 'RIM-7 has no linked quality record', issueKey: 'RIM-7' },
    ]);
  });

  it('names a record not yet approved, and one closed without a quality approval', () => {
    const open = aChangeControl('QMS-1')
      .inProgress('In Review')
      .filingRequired({ applicationId: 'APP-US', decided: 'PAS', submissionKey: 'RIM-1' })
      .build();
    const unapproved = aChangeControl('QMS-1')
      .closed()
      .filingRequired({ applicationId: 'APP-US', decided: 'PAS' })
      .build();
    expect(reasonsOf(evidenceComplete(submission(), [open]))).toEqual([
      { code: 'EVIDENCE_OPEN', message: 'QMS-1 is still "In Review", not yet approved', issueKey: 'QMS-1' },
    ]);
    expect(reasonsOf(evidenceComplete(submission(), [unapproved]))).toEqual([
      {
        code: 'EVIDENCE_NOT_APPROVED',
        message: 'QMS-1 was closed as "Closed" without a recorded quality approval',
        field: 'approval',
        issueKey: 'QMS-1',
      },
    ]);
  });

  it('accepts an approved record that is not yet implemented: a prior-approval change waits for the authority before it can close', () => {
    const approvedNotImplemented = evidence().inProgress('Approved').build();
    expect(evidenceComplete(submission(), [approvedNotImplemented])).toEqual({ ok: true });
  });

  it("names a record whose decision for the submission's application disagrees with the filing", () => {
    const higher = aChangeControl('QMS-1')
      .closedAndApproved()
      .filingRequired({ applicationId: 'APP-US', decided: 'PAS' })
      .build();
    const cbe = usSubmission().category('CBE-30').build();
    expect(reasonsOf(evidenceComplete(cbe, [higher]))).toEqual([
      {
        code: 'DECISION_MISMATCH',
        message: 'QMS-1 is decided PAS for APP-US (US), which does not agree with RIM-1 filing CBE-30',
        issueKey: 'QMS-1',
        applicationId: 'APP-US',
        market: 'US',
      },
    ]);
    const none = aChangeControl('QMS-1')
      .closedAndApproved()
      .noFiling({ applicationId: 'APP-US', decided: 'NONE' })
      .build();
    expect(codesOf(evidenceComplete(submission(), [none]))).toEqual(['DECISION_MISMATCH']);
  });

  it("names a record without a decision for the submission's application", () => {
    const elsewhere = aChangeControl('QMS-1')
      .closedAndApproved()
      .filingRequired({ applicationId: 'APP-EU', market: 'EU', decided: 'EU-II' })
      .build();
    expect(reasonsOf(evidenceComplete(submission(), [elsewhere]))).toEqual([
      expect.objectContaining({
        code: 'DECISION_MISSING',
        message: 'QMS-1 has no reviewer decision for application APP-US (US)',
        issueKey: 'QMS-1',
      }),
    ]);
  });

  it('names a linked record that was not provided', () => {
    const result = evidenceComplete(usSubmission().filingFor('QMS-5').build(), [evidence().build()]);
    expect(reasonsOf(result)).toEqual([
      expect.objectContaining({ code: 'EVIDENCE_RECORD_MISSING', issueKey: 'QMS-5' }),
    ]);
  });
});

describe('gate 5: commitment fulfilled', () => {
  it('passes when every implementing record is closed', () => {
    const commitment = aCommitment('RIM-100').implementedBy('QMS-1').build();
    expect(commitmentFulfilled(commitment, [aChangeControl('QMS-1').closed().build()])).toEqual({ ok: true });
  });

  it('lets a Commitment for a market out of scope through', () => {
    const commitment = aCommitment('RIM-100').build();
    expect(commitmentFulfilled(commitment, [], { markets: [commitment.market === 'EU' ? 'US' : 'EU'] })).toEqual({
      ok: true,
    });
    expect(codesOf(commitmentFulfilled(commitment, [], { markets: [commitment.market] }))).toEqual([
      'COMMITMENT_NOT_IMPLEMENTED',
    ]);
  });

  it('fails with no implementing record', () => {
    expect(reasonsOf(commitmentFulfilled(aCommitment('RIM-100').build(), []))).toEqual([
      {
        code: 'COMMITMENT_NOT_IMPLEMENTED',
        message: 'RIM-100 has no implementing quality record',
        issueKey: 'RIM-100',
      },
    ]);
  });

  it('names an implementing record that is still open, and one that was not provided', () => {
    const commitment = aCommitment('RIM-100').implementedBy('QMS-1', 'QMS-2').build();
    expect(reasonsOf(commitmentFulfilled(commitment, [aChangeControl('QMS-1').inProgress().build()]))).toEqual([
      expect.objectContaining({ code: 'COMMITMENT_RECORD_MISSING', issueKey: 'QMS-2' }),
      {
        code: 'COMMITMENT_RECORD_OPEN',
        message: 'QMS-1, implementing RIM-100, is still "In Progress", not closed',
        issueKey: 'QMS-1',
      },
    ]);
  });
});

describe('previewGates', () => {
  const subject = (): GateSubject => ({
    kind: 'qms-record',
    record: assessedChangeControl().build(),
    linkedSubmissions: [usSubmission().submitted().build(), euSubmission().build()],
    requiredFields: DEFAULT_REQUIRED_FIELDS,
  });

  it('shows every gate of a QMS record with the same result the validator gets', () => {
    const preview = previewGates(subject());
    expect(preview.map((p) => [p.gate, p.result.ok])).toEqual([
      ['impact-assessed', true],
      ['filing-planned', true],
      ['prior-approval-granted', false],
    ]);
    for (const { gate, result } of preview) expect(result).toEqual(evaluateGate(gate, subject()));
  });

  it('shows only the gates on the next transition when told which', () => {
    expect(previewGates(subject(), ['prior-approval-granted']).map((p) => p.title)).toEqual(['Prior approval granted']);
  });

  it('previews the RIM gates on a Submission and a Commitment', () => {
    const submissionPreview = previewGates({
      kind: 'submission',
      submission: aSubmission('RIM-1').build(),
      linkedRecords: [],
    });
    const commitmentPreview = previewGates({
      kind: 'commitment',
      commitment: aCommitment().build(),
      implementingRecords: [],
    });
    expect(submissionPreview.map((p) => [p.gate, codesOf(p.result)])).toEqual([
      ['evidence-complete', ['EVIDENCE_MISSING']],
    ]);
    expect(commitmentPreview.map((p) => [p.gate, codesOf(p.result)])).toEqual([
      ['commitment-fulfilled', ['COMMITMENT_NOT_IMPLEMENTED']],
    ]);
  });

  it('refuses bad input with an error naming the path of the first bad value, never evaluating it', () => {
    const base = subject();
    if (base.kind !== 'qms-record') throw new Error('a QMS record subject');
    const badDecision = {
      ...base,
      record: {
        ...base.record,
        impact: { ...base.record.impact, decisions: [{ ...base.record.impact.decisions[0], market: 'Mars' }] },
      },
    } as unknown as GateSubject;
    expect(() => evaluateGate('filing-planned', badDecision)).toThrow(
      /The gate subject is not valid: .*record\.impact\.decisions\[0\]\.market/,
    );
    const badSubmission = {
      ...base,
      linkedSubmissions: [{ ...base.linkedSubmissions[0], status: 'lost' }],
    } as unknown as GateSubject;
    expect(() => previewGates(badSubmission)).toThrow(/linkedSubmissions\[0\]\.status/);
    expect(() => evaluateGate('no-such-gate' as never, base)).toThrow(/The gate is not valid/);
    expect(() => previewGates({ kind: 'release' } as unknown as GateSubject)).toThrow(/kind/);
    expect(() => previewGates({ ...base, extra: true } as unknown as GateSubject)).toThrow(/extra/);
  });

  it('fails closed when a gate is put on a workflow it does not apply to', () => {
    const [reason] = reasonsOf(evaluateGate('evidence-complete', subject()));
    expect(reason).toMatchObject({ code: 'GATE_NOT_APPLICABLE', issueKey: 'QMS-1' });
    expect(reason?.message).toContain('"Evidence complete" gate does not apply to a qms-record');
  });
});
