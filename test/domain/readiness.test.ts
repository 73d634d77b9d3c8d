import { evidenceComplete } from '../../src/domain/gates';
import { submissionReadiness, SubmissionReadinessSchema } from '../../src/domain/readiness';
import { aChangeControl, aDeviation, aSubmission, AT, QUALITY_APPROVER, REVIEWER } from '../builders';
import type { DecisionSpec } from '../builders';

const submission = () => aSubmission('RIM-1').forApplication('APP-US', { market: 'US' }).category('PAS');
const decidedPas: DecisionSpec = { applicationId: 'APP-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' };

const ready = () => aChangeControl('QMS-1').closedAndApproved().filingRequired(decidedPas).build();
const open = () => aDeviation('QMS-2').inProgress('In Review').filingRequired(decidedPas).build();
const undecided = () =>
  aChangeControl('QMS-3').closedAndApproved().filingRequired({ applicationId: 'APP-US', recommended: 'PAS' }).build();

describe('submissionReadiness', () => {
  it('refuses bad input with an error naming the path of the first bad value', () => {
    const badRecord = { ...ready(), status: { name: 'Closed', category: 'finished' } } as unknown as ReturnType<
      typeof ready
    >;
    expect(() => submissionReadiness(submission().filingFor('QMS-1').build(), [ready(), badRecord])).toThrow(
      /The list of linked quality records is not valid: .*\[1\]\.status\.category/,
    );
    const badSubmission = { ...submission().build(), market: '' } as unknown as ReturnType<
      ReturnType<typeof submission>['build']
    >;
    expect(() => submissionReadiness(badSubmission, [ready()])).toThrow(/The Submission is not valid: .*market/);
  });

  it('is ready at 100% when every linked record is evidence', () => {
    const readiness = submissionReadiness(submission().filingFor('QMS-1').build(), [ready()]);
    expect(readiness.isReady).toBe(true);
    expect(readiness.figure).toEqual({ ready: 1, total: 1, percent: 100 });
    expect(readiness.blockers).toEqual([]);
    expect(readiness.records).toEqual([
      {
        key: 'QMS-1',
        kind: 'change-control',
        summary: 'change-control QMS-1',
        status: { name: 'Closed', category: 'done' },
        approvedBy: QUALITY_APPROVER,
        approvedAt: AT,
        decision: {
          recommended: 'PAS',
          decided: 'PAS',
          rationale: 'decided PAS',
          decidedBy: REVIEWER,
          decidedAt: AT,
          meaning: 'approval',
          signatureState: 'unbound',
        },
        ready: true,
        blockers: [],
      },
    ]);
  });

  it('counts ready records, rounds down, and lists each blocker under its record', () => {
    const readiness = submissionReadiness(submission().filingFor('QMS-1', 'QMS-2', 'QMS-3').build(), [
      ready(),
      open(),
      undecided(),
    ]);
    expect(readiness.figure).toEqual({ ready: 1, total: 3, percent: 33 });
    expect(readiness.isReady).toBe(false);
    expect(readiness.records.map((r) => [r.key, r.ready, r.blockers.map((b) => b.code)])).toEqual([
      ['QMS-1', true, []],
      ['QMS-2', false, ['EVIDENCE_OPEN']],
      ['QMS-3', false, ['DECISION_MISSING']],
    ]);
    expect(readiness.records[2]?.decision).toEqual({
      recommended: 'PAS',
      decided: undefined,
      rationale: undefined,
      decidedBy: undefined,
      decidedAt: undefined,
    });
  });

  it('has exactly the blockers of the evidence gate, so the panel and the validator agree', () => {
    const sub = submission().filingFor('QMS-1', 'QMS-2', 'QMS-9').build();
    const records = [ready(), open()];
    const gate = evidenceComplete(sub, records);
    const readiness = submissionReadiness(sub, records);
    expect(readiness.isReady).toBe(gate.ok);
    expect(readiness.blockers).toEqual(gate.ok ? [] : gate.reasons);
  });

  it('counts a linked record it could not read in the total, never as ready', () => {
    const readiness = submissionReadiness(submission().filingFor('QMS-1', 'QMS-9').build(), [ready()]);
    expect(readiness.unavailableRecordKeys).toEqual(['QMS-9']);
    expect(readiness.figure).toEqual({ ready: 1, total: 2, percent: 50 });
    expect(readiness.blockers.map((b) => [b.code, b.issueKey])).toEqual([['EVIDENCE_RECORD_MISSING', 'QMS-9']]);
  });

  it('is not ready, at 0 of 0, without linked records', () => {
    const readiness = submissionReadiness(submission().build(), []);
    expect(readiness.figure).toEqual({ ready: 0, total: 0, percent: 0 });
    expect(readiness.isReady).toBe(false);
    expect(readiness.blockers.map((b) => b.code)).toEqual(['EVIDENCE_MISSING']);
  });

  it('returns a value its schema accepts', () => {
    expect(() =>
      SubmissionReadinessSchema.parse(submissionReadiness(submission().filingFor('QMS-1').build(), [ready(), open()])),
    ).not.toThrow();
  });
});
