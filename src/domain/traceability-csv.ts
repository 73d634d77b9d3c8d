/**
 * The traceability matrix as CSV: RFC 4180 (a header line, CRLF after every record, fields
 * quoted when they hold a quote, comma, CR or LF), UTF-8 with a byte-order mark so
 * spreadsheet tools open it as UTF-8. One line per product × record × application decision,
 * in the page's order, then one line per gap. No cell starts a formula (csv-safety.ts), and the
 * SHA-256 the export carries is of this neutralised text.
 */
import { safeCsvField, UTF8_BOM } from './evidence-packet';
import type { TraceabilityGraph } from './traceability';
import { traceabilityRows } from './traceability';
import type { SignatureState } from './model';

export const TRACEABILITY_CSV_COLUMNS = [
  'line',
  'product_id',
  'product',
  'record',
  'record_kind',
  'record_summary',
  'record_status',
  'impact_status',
  'application',
  'market',
  'recommended',
  'decided',
  'signed_by',
  'signed_at',
  'signature_meaning',
  'signature',
  'submissions',
  'commitments',
  'gaps',
  'gap_message',
] as const;

const list = (values: readonly string[]): string => values.join(' ');

/** How a signature reads in an export: valid, void (changed after signing), or recorded before signatures were bound. */
export const signatureWords = (state: SignatureState | undefined): string =>
  state === undefined
    ? ''
    : state === 'valid'
      ? 'valid'
      : state === 'void'
        ? 'void: changed after signing'
        : 'recorded before signatures were bound';

export const traceabilityCsv = (graph: TraceabilityGraph): string => {
  const rows = traceabilityRows(graph).map((row) => [
    'trace',
    row.productId ?? '',
    row.productName ?? '',
    row.recordKey,
    row.recordKind,
    row.recordSummary,
    row.recordStatus,
    row.impactStatus,
    row.applicationId ?? '',
    row.market ?? '',
    row.recommendedCategory ?? '',
    row.decidedCategory ?? '',
    row.decidedBy ?? '',
    row.decidedAt ?? '',
    row.meaning ?? '',
    signatureWords(row.signatureState),
    list(row.submissionKeys),
    list(row.commitmentKeys),
    list(row.gapCodes),
    '',
  ]);
  const gaps = graph.gaps.map((gap) => [
    'gap',
    '',
    '',
    list(gap.issueKeys),
    '',
    '',
    '',
    '',
    gap.applicationId ?? '',
    gap.market ?? '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    gap.code,
    gap.message,
  ]);
  return (
    UTF8_BOM +
    [[...TRACEABILITY_CSV_COLUMNS], ...rows, ...gaps].map((row) => `${row.map(safeCsvField).join(',')}\r\n`).join('')
  );
};

/** Each part of an export stays well under Forge's 5 MB invoke answer, with room for the envelope. */
export const MAX_CSV_PART_BYTES = 3 * 1024 * 1024;

/**
 * A CSV cut into parts at line ends, each at most `maxBytes` of UTF-8 (a single longer line
 * gets a part of its own). Joined in order, the parts are the CSV again, byte for byte.
 */
export const splitCsv = (csv: string, maxBytes: number = MAX_CSV_PART_BYTES): string[] => {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const line of csv.split(/(?<=\r\n)/)) {
    const bytes = encoder.encode(line).byteLength;
    if (currentBytes > 0 && currentBytes + bytes > maxBytes) {
      parts.push(current);
      current = '';
      currentBytes = 0;
    }
    current += line;
    currentBytes += bytes;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
};
