/**
 * The traceability matrix as CSV: RFC 4180 (a header line, CRLF after every record, fields
 * quoted when they hold a quote, comma, CR or LF), UTF-8 with a byte-order mark so
 * spreadsheet tools open it as UTF-8. One line per product × record × application decision,
 * in the page's order, then one line per gap.
 */
import { csvField, UTF8_BOM } from './evidence-packet';
import type { TraceabilityGraph } from './traceability';
import { traceabilityRows } from './traceability';

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
  'submissions',
  'commitments',
  'gaps',
  'gap_message',
] as const;

const list = (values: readonly string[]): string => values.join(' ');

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
    list(row.submissionKeys),
    list(row.commitmentKeys),
    list(row.gapCodes),
    '',
  ]);
  const gaps = graph.gaps.map((gap) => ['gap', '', '', list(gap.issueKeys), '', '', '', '', gap.applicationId ?? '', gap.market ?? '', '', '', '', '', gap.code, gap.message]);
  return UTF8_BOM + [[...TRACEABILITY_CSV_COLUMNS], ...rows, ...gaps].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
};
