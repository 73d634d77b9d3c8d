/**
 * The evidence packet of a Submission: each linked quality record's key, summary, version,
 * status, approver, approval time, decision and rationale, as JSON, CSV (RFC 4180, UTF-8
 * with a BOM so spreadsheet tools read the encoding right) or a printable HTML page (every
 * value escaped, no scripts), with a SHA-256 manifest.
 *
 * Pure: the time the packet was generated is passed in, never read here.
 *
 * The manifest names the one file (its SHA-256 over the exact UTF-8 bytes of `content`,
 * BOM included, and its size in bytes) and `packetSha256`, the SHA-256 of the packet's
 * canonical JSON (canonical.ts): the same for the JSON, CSV and HTML of one packet, so the
 * three renderings can be tied to the same evidence.
 */
import { neutraliseCsvCell } from './csv-safety';
import { digestOf, sha256Hex } from './canonical';
import type { FilingCategory } from './model';

export type EvidencePacketFormat = 'json' | 'csv' | 'html';

export interface EvidencePacketRecord {
  key: string;
  summary: string;
  version: number;
  status: string;
  approvedBy?: string;
  approvedAt?: string;
  recommended?: FilingCategory;
  decided?: FilingCategory;
  rationale?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** 21 CFR 11.50: the meaning of the signature; and whether it still binds what was signed. */
  meaning?: string;
  signature?: string;
}

/** A health-authority letter linked to the Submission, as the packet lists it. */
export interface EvidencePacketCorrespondence {
  key: string;
  summary: string;
  status: string;
  authority?: string;
  reference?: string;
  receivedDate?: string;
  responseDueDate?: string;
}

export interface EvidencePacket {
  submission: { key: string; applicationId: string; market: string; category: FilingCategory; status: string };
  generatedAt: string;
  figure: { ready: number; total: number; percent: number };
  isReady: boolean;
  /** Linked records the person who exported could not see: counted, never named. */
  hiddenRecordCount: number;
  records: EvidencePacketRecord[];
  blockers: string[];
  /** Health-authority correspondence linked to the Submission that the exporter could see. */
  correspondence: EvidencePacketCorrespondence[];
}

export interface EvidencePacketFile {
  filename: string;
  mediaType: string;
  content: string;
  manifest: { files: { name: string; sha256: string; bytes: number }[]; packetSha256: string };
}

export const UTF8_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'submission',
  'record',
  'summary',
  'version',
  'status',
  'approved_by',
  'approved_at',
  'recommended',
  'decided',
  'rationale',
  'decided_by',
  'decided_at',
  'signature_meaning',
  'signature',
] as const;

/** One RFC 4180 field: quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

const rowOf = (packet: EvidencePacket, r: EvidencePacketRecord): string[] => [
  packet.submission.key,
  r.key,
  r.summary,
  String(r.version),
  r.status,
  r.approvedBy ?? '',
  r.approvedAt ?? '',
  r.recommended ?? '',
  r.decided ?? '',
  r.rationale ?? '',
  r.decidedBy ?? '',
  r.decidedAt ?? '',
  r.meaning ?? '',
  r.signature ?? '',
];

/** One exported cell: formula triggers neutralised (csv-safety.ts), then RFC 4180 quoting. */
export const safeCsvField = (value: string): string => csvField(neutraliseCsvCell(value));

/** RFC 4180: CRLF after every record, a header line, UTF-8 with a BOM; no cell a spreadsheet would run. */
export const evidencePacketCsv = (packet: EvidencePacket): string =>
  UTF8_BOM +
  [[...CSV_COLUMNS], ...packet.records.map((r) => rowOf(packet, r))]
    .map((row) => `${row.map(safeCsvField).join(',')}\r\n`)
    .join('');

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

const e = escapeHtml;

export const evidencePacketHtml = (packet: EvidencePacket, packetSha256: string): string => {
  const { submission } = packet;
  const rows = packet.records
    .map(
      (r) =>
        `<tr><th scope="row">${e(r.key)}</th><td>${e(r.summary)}</td><td>${e(String(r.version))}</td><td>${e(r.status)}</td><td>${e(r.approvedBy ?? '—')}</td><td>${e(r.approvedAt ?? '—')}</td><td>${e(r.decided ?? r.recommended ?? '—')}${r.decided === undefined && r.recommended !== undefined ? ' (recommended, not decided)' : ''}</td><td>${e(r.rationale ?? '—')}${r.decidedBy ? `<br><small>Signed by ${e(r.decidedBy)}${r.decidedAt ? `, ${e(r.decidedAt)}` : ''}${r.meaning ? `, meaning: ${e(r.meaning)}` : ''}${r.signature && r.signature !== 'valid' ? ` — <strong>${e(r.signature)}</strong>` : ''}</small>` : ''}</td></tr>`,
    )
    .join('\n');
  const blockers =
    packet.blockers.length === 0
      ? '<p>None.</p>'
      : `<ul>${packet.blockers.map((b) => `<li>${e(b)}</li>`).join('')}</ul>`;
  const letters =
    packet.correspondence.length === 0
      ? '<p>None linked.</p>'
      : `<table>
<thead><tr><th scope="col">Letter</th><th scope="col">Summary</th><th scope="col">Authority</th><th scope="col">Reference</th><th scope="col">Received</th><th scope="col">Response due</th><th scope="col">Status</th></tr></thead>
<tbody>
${packet.correspondence.map((c) => `<tr><th scope="row">${e(c.key)}</th><td>${e(c.summary)}</td><td>${e(c.authority ?? '—')}</td><td>${e(c.reference ?? '—')}</td><td>${e(c.receivedDate ?? '—')}</td><td>${e(c.responseDueDate ?? '—')}</td><td>${e(c.status)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  const hidden =
    packet.hiddenRecordCount > 0
      ? `<p>${e(String(packet.hiddenRecordCount))} linked record(s) could not be seen by the person who exported this packet and are not listed; they count as not ready.</p>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Evidence packet ${e(submission.key)}</title>
<style>
body { font: 12px/1.4 system-ui, sans-serif; color: #172b4d; margin: 24px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c1c7d0; padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: #f4f5f7; }
@media print { body { margin: 0; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Evidence packet: ${e(submission.key)}</h1>
<dl>
<dt>Application</dt><dd>${e(submission.applicationId)} (${e(submission.market)})</dd>
<dt>Category</dt><dd>${e(submission.category)}</dd>
<dt>Submission status</dt><dd>${e(submission.status)}</dd>
<dt>Readiness</dt><dd>${e(String(packet.figure.ready))} of ${e(String(packet.figure.total))} records ready (${e(String(packet.figure.percent))}%)${packet.isReady ? ', ready to file' : ', not ready'}</dd>
<dt>Generated at</dt><dd>${e(packet.generatedAt)}</dd>
<dt>Packet SHA-256</dt><dd><code>${e(packetSha256)}</code></dd>
</dl>
<h2>Quality records</h2>
<table>
<thead><tr><th scope="col">Record</th><th scope="col">Summary</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Approved by</th><th scope="col">Approved at</th><th scope="col">Decision</th><th scope="col">Rationale</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${hidden}
<h2>Blockers</h2>
${blockers}
<h2>Health-authority correspondence</h2>
${letters}
</body>
</html>
`;
};

const MEDIA_TYPES: Record<EvidencePacketFormat, string> = {
  json: 'application/json;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
  html: 'text/html;charset=utf-8',
};

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/** The packet in one format, with its SHA-256 manifest. */
export const renderEvidencePacket = (packet: EvidencePacket, format: EvidencePacketFormat): EvidencePacketFile => {
  const packetSha256 = digestOf(packet);
  const content =
    format === 'json'
      ? `${JSON.stringify({ ...packet, packetSha256 }, null, 2)}\n`
      : format === 'csv'
        ? evidencePacketCsv(packet)
        : evidencePacketHtml(packet, packetSha256);
  const filename = `evidence-packet-${packet.submission.key}.${format}`;
  return {
    filename,
    mediaType: MEDIA_TYPES[format],
    content,
    manifest: { files: [{ name: filename, sha256: sha256Hex(content), bytes: utf8Bytes(content) }], packetSha256 },
  };
};
