import { splitCsv } from '../../src/domain/traceability-csv';

const bytes = (text: string): number => new TextEncoder().encode(text).byteLength;

describe('splitCsv', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `trace,PRD-${i},"Produkt ${i} — Größe, µg",QMS-${i}\r\n`);
  const csv = `\uFEFFline,product_id,product,record\r\n${lines.join('')}`;

  it('cuts at line ends into parts of at most the budget, which join back to the file byte for byte', () => {
    const parts = splitCsv(csv, 300);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.join('')).toBe(csv);
    for (const part of parts) {
      expect(bytes(part)).toBeLessThanOrEqual(300);
      expect(part.endsWith('\r\n')).toBe(true);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    const wide = 'é'.repeat(100);
    const parts = splitCsv(`${wide}\r\n${wide}\r\n`, 250);
    expect(parts).toEqual([`${wide}\r\n`, `${wide}\r\n`]);
  });

  it('gives a line longer than the budget a part of its own, and keeps a small file whole', () => {
    const long = `${'x'.repeat(500)}\r\n`;
    expect(splitCsv(`a\r\n${long}b\r\n`, 100)).toEqual(['a\r\n', long, 'b\r\n']);
    expect(splitCsv(csv)).toEqual([csv]);
    expect(splitCsv('')).toEqual(['']);
  });
});
