/**
 * What a registry import records in the audit trail (src/domain/registry-audit.ts): the counts
 * and SHA-256 digest before and after, and which ids were added, removed or changed per kind,
 * capped so that the entry stays far below app storage's 240 KiB per value, whatever the size
 * of the registries.
 */
import { digestOf } from '../../src/domain/canonical';
import type { Registry } from '../../src/domain/model';
import { MAX_AUDITED_IDS, registryImportAudit } from '../../src/domain/registry-audit';

const registry = (overrides: Partial<Registry> = {}): Registry => ({
  products: [
    { id: 'PRD-A', name: 'Aspirin', productClass: 'drug' },
    { id: 'PRD-B', name: 'Bandage', productClass: 'device' },
  ],
  sites: [{ id: 'SITE-1', name: 'Basel', country: 'CH' }],
  suppliers: [{ id: 'SUP-1', name: 'Polymera' }],
  applications: [
    {
      id: 'APP-1',
      productId: 'PRD-A',
      market: 'US',
      type: 'NDA',
      number: 'NDA-1',
      status: 'approved',
      siteIds: ['SITE-1'],
      supplierIds: [],
    },
  ],
  ...overrides,
});

const noChange = { total: 0, ids: [] };

describe('registryImportAudit', () => {
  it('records the first import: nothing before, the counts, digest and every id added after', () => {
    const after = registry();
    const audit = registryImportAudit(undefined, after);
    expect(audit.before).toBeNull();
    expect(audit.after).toEqual({
      counts: { products: 2, sites: 1, suppliers: 1, applications: 1 },
      digest: digestOf(after),
      changes: {
        products: { added: { total: 2, ids: ['PRD-A', 'PRD-B'] }, removed: noChange, changed: noChange },
        sites: { added: { total: 1, ids: ['SITE-1'] }, removed: noChange, changed: noChange },
        suppliers: { added: { total: 1, ids: ['SUP-1'] }, removed: noChange, changed: noChange },
        applications: { added: { total: 1, ids: ['APP-1'] }, removed: noChange, changed: noChange },
      },
    });
    expect(audit.summary).toBe(
      'Imported the registry (2 products, 1 site, 1 supplier, 1 application): 5 added, 0 removed, 0 changed',
    );
  });

  it('names what was added, removed and changed (same id, other content) per kind, and leaves the rest out', () => {
    const before = registry();
    const after = registry({
      products: [
        { id: 'PRD-A', name: 'Aspirin 100 mg', productClass: 'drug' },
        { id: 'PRD-C', name: 'Catheter', productClass: 'device' },
      ],
    });
    const audit = registryImportAudit(before, after);
    expect(audit.before).toEqual({
      counts: { products: 2, sites: 1, suppliers: 1, applications: 1 },
      digest: digestOf(before),
    });
    expect(audit.after.digest).toBe(digestOf(after));
    expect(audit.after.changes.products).toEqual({
      added: { total: 1, ids: ['PRD-C'] },
      removed: { total: 1, ids: ['PRD-B'] },
      changed: { total: 1, ids: ['PRD-A'] },
    });
    expect(audit.after.changes.sites).toEqual({ added: noChange, removed: noChange, changed: noChange });
    expect(audit.summary).toMatch(/1 added, 1 removed, 1 changed$/);
  });

  it('says so when the file changed nothing: the same digest before and after', () => {
    const audit = registryImportAudit(registry(), registry());
    expect(audit.before?.digest).toBe(audit.after.digest);
    expect(audit.summary).toMatch(/0 added, 0 removed, 0 changed$/);
  });

  it(`keeps at most ${MAX_AUDITED_IDS} ids per list with the true total, so the entry of the largest registry stays small`, () => {
    // About as large as app storage takes a registry: 1,500 products with the longest ids on each side.
    const products = (prefix: string) =>
      Array.from({ length: 1500 }, (_, i) => ({
        id: `${prefix}-${String(i).padStart(5, '0')}-${'x'.repeat(64 - prefix.length - 7)}`,
        name: 'n'.repeat(80),
        productClass: 'drug' as const,
      }));
    const before = registry({ products: products('OLD'), applications: [] });
    const after = registry({ products: products('NEW'), applications: [] });
    expect(Buffer.byteLength(JSON.stringify(after), 'utf8')).toBeGreaterThan(200 * 1024);
    const audit = registryImportAudit(before, after);
    expect(audit.after.changes.products.added.total).toBe(1500);
    expect(audit.after.changes.products.added.ids).toHaveLength(MAX_AUDITED_IDS);
    expect(audit.after.changes.products.removed).toEqual({ total: 1500, ids: expect.any(Array) });
    expect(audit.after.changes.products.removed.ids).toHaveLength(MAX_AUDITED_IDS);
    expect(Buffer.byteLength(JSON.stringify(audit), 'utf8')).toBeLessThan(16 * 1024);
  });

  it('stays under 40 KiB in the worst case: every list of every kind full of the longest ids', () => {
    const id = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`.padEnd(64, 'x');
    const ids = (prefix: string) => Array.from({ length: MAX_AUDITED_IDS + 10 }, (_, i) => id(prefix, i));
    const side = (gone: string, name: string): Registry => ({
      products: [...ids(`P${gone}`), ...ids('PC')].map((i) => ({ id: i, name, productClass: 'drug' as const })),
      sites: [...ids(`S${gone}`), ...ids('SC')].map((i) => ({ id: i, name })),
      suppliers: [...ids(`U${gone}`), ...ids('UC')].map((i) => ({ id: i, name })),
      applications: [...ids(`A${gone}`), ...ids('AC')].map((i) => ({
        id: i,
        productId: id('PC', 0),
        market: 'US' as const,
        type: 'NDA' as const,
        number: name,
        status: 'approved' as const,
        siteIds: [],
        supplierIds: [],
      })),
    });
    const audit = registryImportAudit(side('old', 'before'), side('new', 'after'));
    for (const kind of ['products', 'sites', 'suppliers', 'applications'] as const) {
      for (const list of ['added', 'removed', 'changed'] as const)
        expect(audit.after.changes[kind][list]).toEqual({ total: MAX_AUDITED_IDS + 10, ids: expect.any(Array) });
    }
    expect(Buffer.byteLength(JSON.stringify(audit), 'utf8')).toBeLessThan(40 * 1024);
  });
});
