import { createHash } from 'node:crypto';
import { digestOf } from '../../src/domain/canonical';
import {
  CSV_COLUMNS,
  UTF8_BOM,
  csvField,
  escapeHtml,
  evidencePacketCsv,
  renderEvidencePacket,
} from '../../src/domain/evidence-packet';
import type { EvidencePacket } from '../../src/domain/evidence-packet';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const packet = (overrides: Partial<EvidencePacket> = {}): EvidencePacket => ({
  submission: { key: 'RIM-1', applicationId: 'APP-NDA-CARDIOLOL', market: 'US', category: 'PAS', status: 'submitted' },
  generatedAt: '2026-11-24T08:00:00.000Z',
  figure: { ready: 1, total: 2, percent: 50 },
  isReady: false,
  hiddenRecordCount: 1,
  records: [
    {
      key: 'QMS-5',
      summary: 'Route "B", step 4, new reagent\nsecond line',
      version: 3,
      status: 'Approved',
      approvedBy: 'Ada Admin',
      approvedAt: '2026-06-01T09:00:00.000Z',
      recommended: 'PAS',
      decided: 'PAS',
      rationale: '<script>alert("x")</script> & more',
      decidedBy: 'Rita Regulatory',
      decidedAt: '2026-06-02T09:00:00.000Z',
      meaning: 'approval',
      signature: 'void: changed after signing',
    },
    { key: 'QMS-6', summary: 'Plain', version: 0, status: 'Open' },
  ],
  blockers: ['QMS-6 is still "Open", not approved'],
  correspondence: [
    {
      key: 'RIM-10',
      summary: 'FDA <information> request',
      status: 'Received',
      authority: 'FDA',
      reference: 'IR-2026-0415',
      receivedDate: '2026-10-15',
      responseDueDate: '2026-11-16',
    },
  ],
  ...overrides,
});

/** A minimal RFC 4180 reader, to show the CSV parses back to the values written. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
};

describe('evidence packet', () => {
  it('quotes CSV fields with quotes, commas and newlines, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('writes CSV with a UTF-8 BOM, a header, CRLF line ends, and values that parse back', () => {
    const csv = evidencePacketCsv(packet());
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      'RIM-1',
      'QMS-5',
      'Route "B", step 4, new reagent\nsecond line',
      '3',
      'Approved',
      'Ada Admin',
      '2026-06-01T09:00:00.000Z',
      'PAS',
      'PAS',
      '<script>alert("x")</script> & more',
      'Rita Regulatory',
      '2026-06-02T09:00:00.000Z',
      'approval',
      'void: changed after signing',
    ]);
    expect(rows[2]).toEqual(['RIM-1', 'QMS-6', 'Plain', '0', 'Open', '', '', '', '', '', '', '', '', '']);
  });

  it('escapes every value in the HTML page and has no script', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderEvidencePacket(packet(), 'html').content;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('Route &quot;B&quot;, step 4');
    expect(html).toContain('QMS-6 is still &quot;Open&quot;, not approved');
    expect(html).toContain('1 linked record(s) could not be seen');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('lists the health-authority correspondence linked to the Submission in the HTML page, escaped', () => {
    const html = renderEvidencePacket(packet(), 'html').content;
    expect(html).toContain('<h2>Health-authority correspondence</h2>');
    expect(html).toContain(
      '<th scope="row">RIM-10</th><td>FDA &lt;information&gt; request</td><td>FDA</td><td>IR-2026-0415</td><td>2026-10-15</td><td>2026-11-16</td><td>Received</td>',
    );
    expect(renderEvidencePacket(packet({ correspondence: [] }), 'html').content).toContain(
      '<h2>Health-authority correspondence</h2>\n<p>None linked.</p>',
    );
  });

  it('writes JSON that parses back to the packet and its digest', () => {
    const file = renderEvidencePacket(packet(), 'json');
    expect(file).toMatchObject({
      filename: 'evidence-packet-RIM-1.json',
      mediaType: expect.stringMatching(/^application\/json/),
    });
    const parsed: unknown = JSON.parse(file.content);
    expect(parsed).toEqual({ ...packet(), packetSha256: digestOf(packet()) });
  });

  it.each(['json', 'csv', 'html'] as const)(
    'gives a %s manifest whose digest and size match the content bytes',
    (format) => {
      const file = renderEvidencePacket(packet(), format);
      const bytes = Buffer.from(file.content, 'utf8');
      expect(file.manifest.files).toEqual([{ name: file.filename, sha256: sha256(bytes), bytes: bytes.length }]);
      expect(file.manifest.packetSha256).toBe(digestOf(packet()));
    },
  );

  it('changes the digests when the content changes, and only then', () => {
    const a = renderEvidencePacket(packet(), 'csv');
    expect(renderEvidencePacket(packet(), 'csv')).toEqual(a);
    const changed = packet();
    const first = changed.records[0];
    if (!first) throw new Error('no record');
    changed.records[0] = { ...first, rationale: 'Another rationale' };
    const b = renderEvidencePacket(changed, 'csv');
    expect(b.manifest.files[0]?.sha256).not.toBe(a.manifest.files[0]?.sha256);
    expect(b.manifest.packetSha256).not.toBe(a.manifest.packetSha256);
  });

  it('has the same packet digest in every format, and a different file digest per format', () => {
    const digests = (['json', 'csv', 'html'] as const).map(
      (f) => renderEvidencePacket(packet(), f).manifest.packetSha256,
    );
    expect(new Set(digests).size).toBe(1);
    const files = (['json', 'csv', 'html'] as const).map(
      (f) => renderEvidencePacket(packet(), f).manifest.files[0]?.sha256,
    );
    expect(new Set(files).size).toBe(3);
  });
});
