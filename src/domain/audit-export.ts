/**
 * The audit trail as a file for an inspector: the entries of a date range as CSV (one row per
 * entry, every cell neutralised against spreadsheet formula injection) or as JSON (the entries
 * exactly as stored, hashes and links included, so the chain can be re-checked). Pure.
 */
import type { AuditEntry } from './audit-chain';
import { canonicalJson } from './canonical';
import { neutraliseCsvCell } from './csv-safety';
import { serialiseCsv } from './registry-csv';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor name',
  'actor id',
  'action',
  'subject',
  'old value',
  'new value',
  'entry hash',
] as const;

const DAY_MS = 86_400_000;

/** The entries whose time falls on the UTC days `from` to `to` (`YYYY-MM-DD`, both included), oldest first. */
export const entriesInRange = (entries: readonly AuditEntry[], from: string, to: string): AuditEntry[] => {
  const start = Date.parse(`${from}T00:00:00.000Z`);
  const end = Date.parse(`${to}T00:00:00.000Z`) + DAY_MS;
  return entries.filter((entry) => {
    const at = Date.parse(entry.at);
    return at >= start && at < end;
  });
};

const text = (value: unknown): string => (typeof value === 'string' ? value : canonicalJson(value));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The old and new value an entry records: its payload's `before` and `after` when it has either, else (as the new value) the whole payload. */
export const changeOf = (entry: AuditEntry): { old: string; new: string } => {
  const { payload } = entry;
  if (isRecord(payload) && ('before' in payload || 'after' in payload)) {
    return {
      old: 'before' in payload ? text(payload['before']) : '',
      new: 'after' in payload ? text(payload['after']) : '',
    };
  }
  return { old: '', new: text(payload) };
};

/** RFC 4180 CSV with CRLF line ends, header first; no byte-order mark (the caller adds one). */
export const auditEntriesToCsv = (entries: readonly AuditEntry[]): string =>
  serialiseCsv([
    [...AUDIT_CSV_COLUMNS],
    ...entries.map((entry) => {
      const change = changeOf(entry);
      return [
        String(entry.seq),
        entry.at,
        entry.actor.displayName,
        entry.actor.accountId,
        entry.action,
        entry.subject,
        change.old,
        change.new,
        entry.hash,
      ].map(neutraliseCsvCell);
    }),
  ]);

export const auditEntriesToJson = (
  entries: readonly AuditEntry[],
  range: { from: string; to: string; exportedAt: string },
): string =>
  `${JSON.stringify({ format: 'qms-rim-audit-trail/1', from: range.from, to: range.to, exportedAt: range.exportedAt, entries }, null, 2)}\n`;
