import {
  ApprovalsSchema,
  decideOverdue,
  isPastDue,
  submissionCategoryUpdates,
  withApproval,
  withoutSubmission,
} from '../../src/domain/consistency';
import type { RegulatoryImpact } from '../../src/domain/model';

const signer = { accountId: '557058:rita', displayName: 'Rita Regulatory' };

const impact = (decisions: RegulatoryImpact['decisions']): RegulatoryImpact => ({
  status: 'filing-required',
  changes: [{ code: 'process.technology-change' }],
  affected: {
    productIds: ['PRD-A'],
    siteIds: [],
    supplierIds: [],
    markets: ['US', 'EU'],
    applicationIds: ['APP-US', 'APP-EU'],
  },
  decisions,
  version: 1,
});

const decision = (
  applicationId: string,
  market: string,
  decided?: 'PAS' | 'CBE-30' | 'EU-II',
  submissionKey?: string,
): RegulatoryImpact['decisions'][number] => ({
  applicationId,
  market,
  recommended: { category: 'REVIEW-REQUIRED', citations: [], rationale: 'Needs a reviewer.' },
  ...(decided
    ? {
        decided: {
          category: decided,
          rationale: 'Decided.',
          by: signer,
          at: '2026-11-20T09:00:00.000Z',
          meaning: 'approval' as const,
        },
      }
    : {}),
  ...(submissionKey ? { submissionKey } : {}),
});

describe('submissionCategoryUpdates', () => {
  it('returns the decided category for each Submission whose category differs', () => {
    const updates = submissionCategoryUpdates(
      impact([decision('APP-US', 'US', 'CBE-30'), decision('APP-EU', 'EU', 'EU-II')]),
      [
        { key: 'RIM-1', applicationId: 'APP-US', market: 'US', category: 'PAS' },
        { key: 'RIM-2', applicationId: 'APP-EU', market: 'EU', category: 'EU-II' },
      ],
    );
    expect(updates).toEqual([{ key: 'RIM-1', category: 'CBE-30' }]);
  });

  it('changes nothing for an undecided (review-required) application or one without a decision', () => {
    const updates = submissionCategoryUpdates(impact([decision('APP-US', 'US')]), [
      { key: 'RIM-1', applicationId: 'APP-US', market: 'US', category: 'PAS' },
      { key: 'RIM-2', applicationId: 'APP-OTHER', market: 'US', category: 'PAS' },
    ]);
    expect(updates).toEqual([]);
  });

  it('prefers the decision that names the Submission by key', () => {
    const updates = submissionCategoryUpdates(
      impact([decision('APP-US', 'US', 'PAS', 'RIM-7'), decision('APP-US', 'US', 'CBE-30', 'RIM-1')]),
      [{ key: 'RIM-1', applicationId: 'APP-US', market: 'US', category: 'PAS' }],
    );
    expect(updates).toEqual([{ key: 'RIM-1', category: 'CBE-30' }]);
  });
});

describe('withApproval', () => {
  it('adds the market, keeps the others, and answers undefined when nothing changes', () => {
    const next = withApproval(
      { EU: { submissionKey: 'RIM-2', approvedAt: '2026-01-01T00:00:00.000Z' } },
      'US',
      'RIM-1',
      '2026-11-24T08:00:00.000Z',
    );
    expect(next).toEqual({
      EU: { submissionKey: 'RIM-2', approvedAt: '2026-01-01T00:00:00.000Z' },
      US: { submissionKey: 'RIM-1', approvedAt: '2026-11-24T08:00:00.000Z' },
    });
    expect(withApproval(next ?? {}, 'US', 'RIM-1', '2026-11-24T08:00:00.000Z')).toBeUndefined();
  });

  it('validates the map', () => {
    expect(() => withApproval({}, 'usa', 'RIM-1', '2026-11-24T08:00:00.000Z')).toThrow();
    expect(ApprovalsSchema.safeParse({ US: { submissionKey: 'RIM-1', approvedAt: 'yesterday' } }).success).toBe(false);
  });
});

describe('decideOverdue', () => {
  const today = '2026-11-24';
  it('flags an open commitment due before today', () => {
    expect(decideOverdue({ open: true, dueDate: '2026-11-23', current: undefined }, today)).toEqual({
      action: 'set',
      value: { overdue: true, since: '2026-11-23' },
    });
  });
  it('does not flag one due today or later, or one already flagged for that date', () => {
    expect(decideOverdue({ open: true, dueDate: '2026-11-24', current: undefined }, today)).toEqual({ action: 'none' });
    expect(
      decideOverdue({ open: true, dueDate: '2026-11-01', current: { overdue: true, since: '2026-11-01' } }, today),
    ).toEqual({ action: 'none' });
  });
  it('re-flags when the due date moved but is still past', () => {
    expect(
      decideOverdue({ open: true, dueDate: '2026-11-10', current: { overdue: true, since: '2026-11-01' } }, today),
    ).toEqual({ action: 'set', value: { overdue: true, since: '2026-11-10' } });
  });
  it('clears a flag on a fulfilled commitment or one whose due date moved into the future', () => {
    expect(
      decideOverdue({ open: false, dueDate: '2026-11-01', current: { overdue: true, since: '2026-11-01' } }, today),
    ).toEqual({ action: 'clear' });
    expect(
      decideOverdue({ open: true, dueDate: '2027-01-01', current: { overdue: true, since: '2026-11-01' } }, today),
    ).toEqual({ action: 'clear' });
    expect(decideOverdue({ open: false, dueDate: undefined, current: undefined }, today)).toEqual({ action: 'none' });
  });
});

describe('withoutSubmission', () => {
  const approvals = ApprovalsSchema.parse({
    US: { submissionKey: 'RIM-1', approvedAt: '2026-11-01T00:00:00.000Z' },
    EU: { submissionKey: 'RIM-2', approvedAt: '2026-10-01T00:00:00.000Z' },
  });

  it('drops the approvals the unlinked Submission gave, keeping the others', () => {
    expect(withoutSubmission(approvals, 'RIM-1')).toEqual({
      EU: { submissionKey: 'RIM-2', approvedAt: '2026-10-01T00:00:00.000Z' },
    });
  });

  it('says nothing changes when the Submission gave none', () => {
    expect(withoutSubmission(approvals, 'RIM-3')).toBeUndefined();
  });
});

describe('isPastDue', () => {
  it('is open and due before today; due today is not past due', () => {
    expect(isPastDue({ open: true, dueDate: '2026-11-01' }, '2026-11-02')).toBe(true);
    expect(isPastDue({ open: true, dueDate: '2026-11-02' }, '2026-11-02')).toBe(false);
    expect(isPastDue({ open: false, dueDate: '2026-11-01' }, '2026-11-02')).toBe(false);
    expect(isPastDue({ open: true, dueDate: undefined }, '2026-11-02')).toBe(false);
  });
});
