/**
 * The registry (products, sites, suppliers, applications) as ONE combined CSV file
 * (RFC 4180), one row per entity, told apart by its `kind` column:
 *
 *   kind,id,name,productClass,country,productId,market,type,number,status,deviceClass,siteIds,supplierIds,lastClearanceDate
 *   product,PRD-A,Aspirin 100 mg,drug,,,,,,,,,,
 *   site,SITE-1,Plant One,,DE,,,,,,,,,
 *   supplier,SUP-1,Polymera,,,,,,,,,,,
 *   application,APP-1,,,,PRD-A,US,NDA,NDA-012345,approved,,SITE-1,SUP-1;SUP-2,2024-05-01
 *
 * One file (not four) so an import replaces the whole registry atomically and the
 * cross-references (an application's product, sites and suppliers) are checked within the
 * one file. Columns a kind does not use must be empty. `siteIds` and `supplierIds` are
 * `;`-separated. The header may list the columns in any order; `kind` and `id` are required.
 * Parsing tolerates a UTF-8 BOM, CRLF or LF line ends, quoted fields with commas, quotes
 * ("" inside quotes) and line breaks, and blank lines.
 *
 * Formula injection: the export prefixes `'` to a cell a spreadsheet would run as a formula
 * (csv-safety.ts), and to a cell that already starts with `'`; the import takes off one `'`
 * where it is followed by a formula trigger or another `'`. So export then import gives the
 * same registry, a sheet saved from a spreadsheet (which keeps the `'`) imports as exported,
 * and a hand-written `'=x` imports as `=x`, as a spreadsheet would show it.
 *
 * `parseRegistryCsv` checks every row and answers either the whole Registry (validated with
 * RegistrySchema, cross-references included) or every error with its line (the physical line
 * where the row starts, the header being line 1) and column: never a partial registry.
 * Pure: no I/O.
 */
import type { z } from 'zod';
import { neutraliseCsvCell } from './csv-safety';
import { ApplicationSchema, ProductSchema, RegistrySchema, SiteSchema, SupplierSchema } from './model';
import type { Registry } from './model';

export const REGISTRY_CSV_COLUMNS = [
  'kind',
  'id',
  'name',
  'productClass',
  'country',
  'productId',
  'market',
  'type',
  'number',
  'status',
  'deviceClass',
  'siteIds',
  'supplierIds',
  'lastClearanceDate',
] as const;
export type RegistryCsvColumn = (typeof REGISTRY_CSV_COLUMNS)[number];

export const REGISTRY_CSV_KINDS = ['product', 'site', 'supplier', 'application'] as const;
export type RegistryCsvKind = (typeof REGISTRY_CSV_KINDS)[number];

/** The columns each kind uses (besides `kind`). */
const COLUMNS_OF: Record<RegistryCsvKind, readonly RegistryCsvColumn[]> = {
  product: ['id', 'name', 'productClass'],
  site: ['id', 'name', 'country'],
  supplier: ['id', 'name'],
  application: [
    'id',
    'productId',
    'market',
    'type',
    'number',
    'status',
    'deviceClass',
    'siteIds',
    'supplierIds',
    'lastClearanceDate',
  ],
};

const LIST_COLUMNS: ReadonlySet<RegistryCsvColumn> = new Set(['siteIds', 'supplierIds']);

const COLLECTION_OF: Record<RegistryCsvKind, keyof Registry> = {
  product: 'products',
  site: 'sites',
  supplier: 'suppliers',
  application: 'applications',
};

export interface RegistryCsvError {
  /** 1-based line of the file where the offending row (or the header) starts. */
  line: number;
  /** The column the error is about, when it is about one. */
  column?: string;
  message: string;
}

export type RegistryCsvResult = { ok: true; registry: Registry } | { ok: false; errors: RegistryCsvError[] };

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/** RFC 4180 tokenizer. Answers the records (blank lines dropped) and any syntax errors. */
export const parseCsvRecords = (input: string): { records: CsvRecord[]; errors: RegistryCsvError[] } => {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const errors: RegistryCsvError[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteOpenedAt = 0;
  let fieldWasQuoted = false;
  const endField = () => {
    fields.push(field);
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '' && !fieldWasQuoted)) records.push({ line: recordLine, fields });
    fields = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          errors.push({ line, message: 'a closing quote must be followed by a comma or the end of the line' });
          // Skip to the end of the field to keep going.
          while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i += 1;
        }
        continue;
      }
      if (c === '\n') line += 1;
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field === '') {
        quoted = true;
        fieldWasQuoted = true;
        quoteOpenedAt = line;
      } else {
        errors.push({
          line,
          message: 'a quote inside an unquoted field: quote the whole field and double the quote ("")',
        });
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === ',') {
      endField();
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += c;
    i += 1;
  }
  if (quoted) errors.push({ line: quoteOpenedAt, message: 'a quoted field is never closed' });
  else if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();
  return { records, errors };
};

const needsQuotes = /[",\r\n]|^\s|\s$/;
const csvField = (value: string): string => (needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** RFC 4180 serialisation: CRLF line ends, fields quoted only when they must be. */
export const serialiseCsv = (rows: readonly (readonly string[])[]): string =>
  rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';

const describe = (issue: z.core.$ZodIssue): string => issue.message;

type RowCells = Partial<Record<RegistryCsvColumn, string>>;

/** The export's guard on one cell: see the top of this file. */
const guardCell = (value: string): string => (value.startsWith("'") ? `'${value}` : neutraliseCsvCell(value));
const unguardCell = (value: string): string =>
  value.startsWith("'") && guardCell(value.slice(1)) === value ? value.slice(1) : value;

const rowObject = (kind: RegistryCsvKind, cells: RowCells): Record<string, unknown> => {
  const object: Record<string, unknown> = {};
  for (const column of COLUMNS_OF[kind]) {
    const raw = unguardCell((cells[column] ?? '').trim());
    if (LIST_COLUMNS.has(column)) {
      object[column] =
        raw === ''
          ? []
          : raw
              .split(';')
              .map((s) => s.trim())
              .filter((s) => s !== '');
    } else if (raw !== '') {
      object[column] = raw;
    }
  }
  return object;
};

const SCHEMA_OF = {
  product: ProductSchema,
  site: SiteSchema,
  supplier: SupplierSchema,
  application: ApplicationSchema,
} as const;

/** Parses and validates a registry CSV: the whole registry, or every error with its line. */
export const parseRegistryCsv = (text: string): RegistryCsvResult => {
  const { records, errors } = parseCsvRecords(text);
  const header = records[0];
  if (!header)
    return {
      ok: false,
      errors: [
        ...errors,
        { line: 1, message: `the file is empty: it needs a header row (${REGISTRY_CSV_COLUMNS.join(',')})` },
      ],
    };

  const columns: (RegistryCsvColumn | undefined)[] = [];
  const known = new Set<string>(REGISTRY_CSV_COLUMNS);
  const seenColumns = new Set<string>();
  header.fields.forEach((rawName) => {
    const name = rawName.trim();
    if (!known.has(name)) {
      errors.push({
        line: header.line,
        column: name,
        message: `unknown column "${name}"; the columns are ${REGISTRY_CSV_COLUMNS.join(', ')}`,
      });
      columns.push(undefined);
    } else if (seenColumns.has(name)) {
      errors.push({ line: header.line, column: name, message: `column "${name}" appears twice` });
      columns.push(undefined);
    } else {
      seenColumns.add(name);
      columns.push(name as RegistryCsvColumn);
    }
  });
  for (const required of ['kind', 'id'] as const) {
    if (!seenColumns.has(required))
      errors.push({ line: header.line, column: required, message: `the header has no "${required}" column` });
  }
  if (!seenColumns.has('kind') || !seenColumns.has('id'))
    return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const registry: Registry = { products: [], sites: [], suppliers: [], applications: [] };
  const lineOf: Record<keyof Registry, number[]> = { products: [], sites: [], suppliers: [], applications: [] };
  /** Ids declared by rows that are themselves invalid: a reference to one is not reported again. */
  const invalidIds: Record<keyof Registry, Set<string>> = {
    products: new Set(),
    sites: new Set(),
    suppliers: new Set(),
    applications: new Set(),
  };

  for (const record of records.slice(1)) {
    const { line } = record;
    if (record.fields.length !== header.fields.length) {
      errors.push({
        line,
        message: `the row has ${record.fields.length} fields; the header has ${header.fields.length}`,
      });
      continue;
    }
    const cells: RowCells = {};
    columns.forEach((column, i) => {
      if (column) cells[column] = record.fields[i] ?? '';
    });
    const kindText = (cells.kind ?? '').trim();
    if (!(REGISTRY_CSV_KINDS as readonly string[]).includes(kindText)) {
      errors.push({
        line,
        column: 'kind',
        message: `kind must be one of ${REGISTRY_CSV_KINDS.join(', ')} (got "${kindText}")`,
      });
      continue;
    }
    const kind = kindText as RegistryCsvKind;
    const collection = COLLECTION_OF[kind];
    let rowOk = true;
    for (const column of REGISTRY_CSV_COLUMNS) {
      if (column === 'kind' || COLUMNS_OF[kind].includes(column)) continue;
      if ((cells[column] ?? '').trim() !== '') {
        errors.push({ line, column, message: `a ${kind} has no ${column}: leave the cell empty` });
        rowOk = false;
      }
    }
    const parsed = SCHEMA_OF[kind].safeParse(rowObject(kind, cells));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
        errors.push({
          line,
          ...(column === undefined ? {} : { column }),
          message: `${column ?? kind}: ${describe(issue)}`,
        });
      }
      rowOk = false;
    }
    if (!rowOk || !parsed.success) {
      const id = (cells.id ?? '').trim();
      if (id !== '') invalidIds[collection].add(id);
      continue;
    }
    (registry[collection] as unknown[]).push(parsed.data);
    lineOf[collection].push(line);
  }

  const whole = RegistrySchema.safeParse(registry);
  if (!whole.success) {
    for (const issue of whole.error.issues) {
      const [collection, index, column, item] = issue.path;
      if (typeof collection !== 'string' || typeof index !== 'number' || !(collection in lineOf)) {
        errors.push({ line: header.line, message: describe(issue) });
        continue;
      }
      const key = collection as keyof Registry;
      const entity = registry[key][index] as Record<string, unknown> | undefined;
      const referenced = typeof column === 'string' ? entity?.[column] : undefined;
      const value = Array.isArray(referenced) && typeof item === 'number' ? referenced[item] : referenced;
      const target: keyof Registry | undefined =
        column === 'productId'
          ? 'products'
          : column === 'siteIds'
            ? 'sites'
            : column === 'supplierIds'
              ? 'suppliers'
              : undefined;
      // A reference to a row that is itself in error is already reported on that row's line.
      if (target && typeof value === 'string' && invalidIds[target].has(value)) continue;
      errors.push({
        line: lineOf[key][index] ?? header.line,
        ...(typeof column === 'string' ? { column } : {}),
        message: `${typeof column === 'string' ? `${column}: ` : ''}${describe(issue)}`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  if (!whole.success) return { ok: false, errors: [{ line: header.line, message: 'the registry is not valid' }] };
  return { ok: true, registry: whole.data };
};

const cellsOf = (kind: RegistryCsvKind, entity: Record<string, unknown>): string[] =>
  REGISTRY_CSV_COLUMNS.map((column) => {
    if (column === 'kind') return kind;
    if (!COLUMNS_OF[kind].includes(column)) return '';
    const value = entity[column];
    if (Array.isArray(value)) return guardCell(value.join(';'));
    return typeof value === 'string' ? guardCell(value) : '';
  });

/** The registry as one CSV (header first, then products, sites, suppliers, applications), without a BOM. */
export const registryToCsv = (registry: Registry): string =>
  serialiseCsv([
    REGISTRY_CSV_COLUMNS,
    ...registry.products.map((e) => cellsOf('product', e)),
    ...registry.sites.map((e) => cellsOf('site', e)),
    ...registry.suppliers.map((e) => cellsOf('supplier', e)),
    ...registry.applications.map((e) => cellsOf('application', e)),
  ]);
