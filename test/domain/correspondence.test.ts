import { CorrespondencePropertySchema, answeringRecord, responseTimeliness } from '../../src/domain/correspondence';
import type { CorrespondenceProperty } from '../../src/domain/correspondence';
import { aChangeControl } from '../builders';

const letter = (overrides: Partial<CorrespondenceProperty> = {}): CorrespondenceProperty =>
  CorrespondencePropertySchema.parse({
    authority: 'FDA',
    market: 'US',
    reference: 'IR-1',
    receivedDate: '2026-10-15',
    responseDueDate: '2026-11-16',
    ...overrides,
  });

describe('the qmsrim.correspondence property', () => {
  it('accepts a letter with or without a response due date and an application', () => {
    expect(CorrespondencePropertySchema.safeParse(letter()).success).toBe(true);
    const { responseDueDate: _due, ...noDue } = letter();
    expect(CorrespondencePropertySchema.safeParse(noDue).success).toBe(true);
  });

  it.each([
    ['a response due before the letter arrived', { responseDueDate: '2026-10-14' }, 'responseDueDate'],
    ['a market that is not a code', { market: 'United States' }, 'market'],
    ['a blank authority', { authority: '  ' }, 'authority'],
    ['an unknown key', { priority: 'high' }, ''],
    ['a date that is not a date', { receivedDate: '15.10.2026' }, 'receivedDate'],
  ])('refuses %s', (_what, overrides, path) => {
    const result = CorrespondencePropertySchema.safeParse({ ...letter(), ...overrides });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('responseTimeliness', () => {
  const awaiting = (responseDueDate?: string) => ({
    state: 'awaiting-response' as const,
    property: letter(responseDueDate === undefined ? { responseDueDate: undefined } : { responseDueDate }),
  });

  it('counts the days left, with "due today" not yet overdue', () => {
    expect(responseTimeliness(awaiting('2026-11-16'), '2026-11-02')).toEqual({
      kind: 'due',
      dueDate: '2026-11-16',
      daysLeft: 14,
    });
    expect(responseTimeliness(awaiting('2026-11-16'), '2026-11-16')).toEqual({
      kind: 'due',
      dueDate: '2026-11-16',
      daysLeft: 0,
    });
  });

  it('is overdue from the day after, counting across a month end', () => {
    expect(responseTimeliness(awaiting('2026-11-16'), '2026-11-17')).toEqual({
      kind: 'overdue',
      dueDate: '2026-11-16',
      daysOverdue: 1,
    });
    expect(responseTimeliness(awaiting('2026-10-30'), '2026-12-01')).toEqual({
      kind: 'overdue',
      dueDate: '2026-10-30',
      daysOverdue: 32,
    });
  });

  it('is never overdue once responded, or without a due date', () => {
    expect(
      responseTimeliness(
        { state: 'responded', property: letter({ receivedDate: '2019-12-01', responseDueDate: '2020-01-01' }) },
        '2026-11-17',
      ),
    ).toEqual({ kind: 'responded' });
    expect(responseTimeliness(awaiting(undefined), '2026-11-17')).toEqual({ kind: 'no-due-date' });
  });
});

describe('answeringRecord', () => {
  const record = aChangeControl('QMS-5')
    .filingRequired(
      { applicationId: 'APP-NDA', market: 'US', decided: 'PAS' },
      { applicationId: 'APP-ANDA', market: 'US', recommended: 'CBE-30' },
      { applicationId: 'APP-MAA', market: 'EU', decided: 'EU-II' },
    )
    .build();

  it("keeps the decision for the letter's application only, when it names one", () => {
    expect(answeringRecord(record, letter({ applicationId: 'APP-NDA' })).decisions).toEqual([
      { applicationId: 'APP-NDA', market: 'US', category: 'PAS', decided: true },
    ]);
  });

  it("keeps the decisions in the letter's market otherwise, showing a recommendation as undecided", () => {
    expect(answeringRecord(record, letter()).decisions).toEqual([
      { applicationId: 'APP-NDA', market: 'US', category: 'PAS', decided: true },
      { applicationId: 'APP-ANDA', market: 'US', category: 'CBE-30', decided: false },
    ]);
  });

  it('keeps no decision for a letter without the app data, but still the record', () => {
    expect(answeringRecord(record, undefined)).toEqual({
      key: 'QMS-5',
      kind: 'change-control',
      summary: expect.any(String),
      status: { name: 'Open', category: 'new' },
      decisions: [],
    });
  });
});
