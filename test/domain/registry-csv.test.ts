import { parseCsvRecords, parseRegistryCsv, registryToCsv, serialiseCsv } from '../../src/domain/registry-csv';
import type { Registry } from '../../src/domain/model';

const HEADER =
  'kind,id,name,productClass,country,productId,market,type,number,status,deviceClass,siteIds,supplierIds,lastClearanceDate';

const REGISTRY: Registry = {
  products: [
    { id: 'PRD-A', name: 'Aspirin 100 mg, "film-coated"', productClass: 'drug' },
    { id: 'PRD-PUMP', name: 'Infusion pump\nmodel X', productClass: 'device' },
  ],
  sites: [
    { id: 'SITE-1', name: 'Plant One', country: 'DE' },
    { id: 'SITE-2', name: 'Plant Two' },
  ],
  suppliers: [
    { id: 'SUP-1', name: 'Polymera' },
    { id: 'SUP-2', name: 'Résines Ünïcode' },
  ],
  applications: [
    {
      id: 'APP-1',
      productId: 'PRD-A',
      market: 'US',
      type: 'NDA',
      number: 'NDA-012345',
      status: 'approved',
      siteIds: ['SITE-1', 'SITE-2'],
      supplierIds: ['SUP-1'],
      lastClearanceDate: '2024-05-01',
    },
    {
      id: 'APP-2',
      productId: 'PRD-PUMP',
      market: 'EU',
      type: 'CE-MDR',
      number: 'CE 0123',
      status: 'pending',
      deviceClass: 'IIb',
      siteIds: [],
      supplierIds: ['SUP-1', 'SUP-2'],
    },
  ],
};

describe('RFC 4180 tokenizer', () => {
  it('handles quotes, doubled quotes, commas, line breaks in fields, CRLF and LF, a BOM and blank lines', () => {
    const { records, errors } = parseCsvRecords(
      '\uFEFFa,"b,c","d ""e"""\r\n\r\n"multi\nline",x,\nlast,,"" \n'.replace('"" \n', '""\n'),
    );
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b,c', 'd "e"'] },
      { line: 3, fields: ['multi\nline', 'x', ''] },
      { line: 5, fields: ['last', '', ''] },
    ]);
  });

  it('accepts a last record without a line end', () => {
    expect(parseCsvRecords('a,b\n1,2').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reports an unclosed quote and a stray quote with their lines', () => {
    expect(parseCsvRecords('a,b\nx"y,1\n"open,2\n').errors).toEqual([
      { line: 2, message: expect.stringContaining('quote inside an unquoted field') },
      { line: 3, message: expect.stringContaining('never closed') },
    ]);
  });

  it('serialises with CRLF and quotes only where needed', () => {
    expect(serialiseCsv([['a', 'b,c', 'd"e', 'f\ng', ' h']])).toBe('a,"b,c","d""e","f\ng"," h"\r\n');
  });
});

describe('parseRegistryCsv / registryToCsv', () => {
  it('round-trips the registry, with or without a BOM and with LF line ends', () => {
    const csv = registryToCsv(REGISTRY);
    expect(csv.split('\r\n')[0]).toBe(HEADER);
    expect(parseRegistryCsv(csv)).toEqual({ ok: true, registry: REGISTRY });
    expect(parseRegistryCsv(`\uFEFF${csv}`)).toEqual({ ok: true, registry: REGISTRY });
    expect(parseRegistryCsv(csv.replace(/\r\n/g, '\n'))).toEqual({ ok: true, registry: REGISTRY });
    expect(registryToCsv((parseRegistryCsv(csv) as { registry: Registry }).registry)).toBe(csv);
  });

  it('accepts the columns in any order, and missing optional columns', () => {
    const csv = ['id,kind,name,productClass', 'PRD-A,product,Aspirin,drug'].join('\n');
    expect(parseRegistryCsv(csv)).toEqual({
      ok: true,
      registry: {
        products: [{ id: 'PRD-A', name: 'Aspirin', productClass: 'drug' }],
        sites: [],
        suppliers: [],
        applications: [],
      },
    });
  });

  it('answers an empty registry for a header alone', () => {
    expect(parseRegistryCsv(`${HEADER}\r\n`)).toEqual({
      ok: true,
      registry: { products: [], sites: [], suppliers: [], applications: [] },
    });
  });

  it('checks every row and reports each error with its line and column, never a partial registry', () => {
    const lines = [
      HEADER, // 1
      'product,PRD-A,Aspirin,drug,,,,,,,,,,', // 2
      'product,PRD-B,Bad class,vitamin,,,,,,,,,,', // 3: bad productClass
      'site,SITE-1,Plant One,,DE,,,,,,,,,', // 4
      'supplier,SUP-1,Polymera,,,,,,,,,,,', // 5
      'application,APP-1,,,,PRD-A,US,NDA,N-1,approved,,SITE-1,SUP-1,2024-05-01', // 6
      'application,APP-2,,,,PRD-NONE,US,NDA,N-2,approved,,SITE-1,SUP-9,', // 7: unknown product and supplier
      'application,APP-3,,,,PRD-B,US,NDA,N-3,approved,,,,', // 8: refers to the invalid PRD-B: not reported again
      'widget,W-1,,,,,,,,,,,,', // 9: unknown kind
      'supplier,SUP-1,Again,,,,,,,,,,,', // 10: duplicate id
      'site,SITE-2,Plant,drug,,,,,,,,,,', // 11: a column sites do not have
      'application,APP-4,,,,PRD-A,US,NDA,N-4,approved,IIa,,,', // 12: device class on an NDA
      'product,PRD-C', // 13: wrong field count
      'application,APP-5,,,,PRD-A,US,NDA,N-5,approved,,,,2024-13-45', // 14: bad date
    ];
    const result = parseRegistryCsv(lines.join('\r\n'));
    if (result.ok) throw new Error('expected errors');
    const at = (line: number) => result.errors.filter((e) => e.line === line);
    expect(at(3)).toEqual([{ line: 3, column: 'productClass', message: expect.stringContaining('productClass') }]);
    expect(
      at(7)
        .map((e) => e.column)
        .sort(),
    ).toEqual(['productId', 'supplierIds']);
    expect(
      at(7)
        .map((e) => e.message)
        .join(' '),
    ).toMatch(/unknown product PRD-NONE.*unknown supplier SUP-9|unknown supplier SUP-9.*unknown product PRD-NONE/);
    expect(at(8)).toEqual([]);
    expect(at(9)).toEqual([{ line: 9, column: 'kind', message: expect.stringContaining('widget') }]);
    expect(at(10)).toEqual([{ line: 10, column: 'id', message: expect.stringContaining('duplicate id SUP-1') }]);
    expect(at(11)).toEqual([
      { line: 11, column: 'productClass', message: expect.stringContaining('a site has no productClass') },
    ]);
    expect(at(12)).toEqual([{ line: 12, column: 'deviceClass', message: expect.stringContaining('no device class') }]);
    expect(at(13)).toEqual([{ line: 13, message: expect.stringContaining('2 fields') }]);
    expect(at(14)).toEqual([{ line: 14, column: 'lastClearanceDate', message: expect.any(String) }]);
    expect(result.errors.map((e) => e.line)).toEqual([...result.errors.map((e) => e.line)].sort((a, b) => a - b));
    expect([...new Set(result.errors.map((e) => e.line))]).toEqual([3, 7, 9, 10, 11, 12, 13, 14]);
  });

  it('counts the line of a row after a quoted field with a line break', () => {
    const csv = [HEADER, 'product,PRD-A,"Two\nlines",drug,,,,,,,,,,', 'product,PRD-B,X,nope,,,,,,,,,,'].join('\n');
    const result = parseRegistryCsv(csv);
    expect(result).toEqual({ ok: false, errors: [{ line: 4, column: 'productClass', message: expect.any(String) }] });
  });

  it('reports header problems on line 1', () => {
    expect(parseRegistryCsv('')).toEqual({
      ok: false,
      errors: [{ line: 1, message: expect.stringContaining('empty') }],
    });
    const result = parseRegistryCsv('kind,name,colour\nproduct,A,red\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { line: 1, column: 'colour', message: expect.stringContaining('unknown column') },
      { line: 1, column: 'id', message: expect.stringContaining('no "id" column') },
    ]);
  });
});
