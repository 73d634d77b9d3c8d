import { ZodError } from 'zod';
import { affectedFrom, propagateImpact, PropagationSchema } from '../../src/domain/propagation';
import { aRegistry } from '../builders';

/**
 * Two products in two markets. SUP-ACME supplies the API for both products; SITE-BOS makes
 * PRD-ASPIRIN for the US and EU; a withdrawn EU application also names SUP-ACME.
 */
const portfolio = () =>
  aRegistry()
    .withApplication('APP-ASP-US', {
      productId: 'PRD-ASPIRIN',
      market: 'US',
      type: 'NDA',
      siteIds: ['SITE-BOS'],
      supplierIds: ['SUP-ACME'],
    })
    .withApplication('APP-ASP-EU', {
      productId: 'PRD-ASPIRIN',
      market: 'EU',
      type: 'MAA',
      siteIds: ['SITE-BOS', 'SITE-DUB'],
      supplierIds: ['SUP-ACME'],
    })
    .withApplication('APP-IBU-US', {
      productId: 'PRD-IBU',
      market: 'US',
      type: 'ANDA',
      siteIds: ['SITE-DUB'],
      supplierIds: ['SUP-ACME', 'SUP-OTHER'],
    })
    .withApplication('APP-IBU-EU', {
      productId: 'PRD-IBU',
      market: 'EU',
      type: 'MAA',
      status: 'withdrawn',
      siteIds: ['SITE-DUB'],
      supplierIds: ['SUP-ACME'],
    })
    .withApplication('APP-PUMP-US', {
      productId: 'PRD-PUMP',
      market: 'US',
      type: '510K',
      siteIds: ['SITE-BOS'],
      supplierIds: [],
    })
    .withSupplier('SUP-IDLE')
    .build();

describe('propagateImpact', () => {
  it('follows a shared supplier to every application that names it, in both markets', () => {
    const result = propagateImpact(portfolio(), { supplierIds: ['SUP-ACME'] });
    expect(result.applications.map((a) => [a.applicationId, a.reasons.map((r) => r.text)])).toEqual([
      ['APP-ASP-EU', ['names supplier SUP-ACME']],
      ['APP-ASP-US', ['names supplier SUP-ACME']],
      ['APP-IBU-US', ['names supplier SUP-ACME']],
    ]);
    expect(result.productIds).toEqual(['PRD-ASPIRIN', 'PRD-IBU']);
    expect(result.markets).toEqual(['EU', 'US']);
  });

  it('reports a withdrawn application as skipped, not affected', () => {
    const result = propagateImpact(portfolio(), { supplierIds: ['SUP-ACME'] });
    expect(result.skipped).toEqual([
      expect.objectContaining({
        applicationId: 'APP-IBU-EU',
        skippedBecause: 'withdrawn',
        reasons: [expect.objectContaining({ text: 'names supplier SUP-ACME' })],
      }),
    ]);
  });

  it('gives every reason an application is reached: a site, a supplier and its product', () => {
    const result = propagateImpact(portfolio(), {
      siteIds: ['SITE-BOS'],
      supplierIds: ['SUP-ACME'],
      productIds: ['PRD-ASPIRIN'],
    });
    const aspirinUs = result.applications.find((a) => a.applicationId === 'APP-ASP-US');
    expect(aspirinUs?.reasons).toEqual([
      { via: 'supplier', id: 'SUP-ACME', text: 'names supplier SUP-ACME' },
      { via: 'site', id: 'SITE-BOS', text: 'names site SITE-BOS' },
      { via: 'product', id: 'PRD-ASPIRIN', text: 'is an application of product PRD-ASPIRIN' },
    ]);
    expect(result.productIds).toEqual(['PRD-ASPIRIN', 'PRD-IBU', 'PRD-PUMP']);
  });

  it('follows a shared site to a drug and a device application', () => {
    const result = propagateImpact(portfolio(), { siteIds: ['SITE-BOS'] });
    expect(result.applications.map((a) => [a.applicationId, a.type])).toEqual([
      ['APP-ASP-EU', 'MAA'],
      ['APP-ASP-US', 'NDA'],
      ['APP-PUMP-US', '510K'],
    ]);
  });

  it('keeps only the selected markets and says which applications it left out', () => {
    const result = propagateImpact(portfolio(), { supplierIds: ['SUP-ACME'], markets: ['US'] });
    expect(result.applications.map((a) => a.applicationId)).toEqual(['APP-ASP-US', 'APP-IBU-US']);
    expect(result.markets).toEqual(['US']);
    expect(result.skipped.map((s) => [s.applicationId, s.skippedBecause])).toEqual([
      ['APP-ASP-EU', 'market-not-selected'],
      ['APP-IBU-EU', 'withdrawn'],
    ]);
  });

  it('reports unknown ids instead of dropping them, and a known id that reaches nothing is not unknown', () => {
    const result = propagateImpact(portfolio(), {
      supplierIds: ['SUP-ACME', 'SUP-TYPO', 'SUP-IDLE'],
      siteIds: ['SITE-X'],
      productIds: ['PRD-Y'],
    });
    expect(result.unknown).toEqual([
      { kind: 'supplier', id: 'SUP-TYPO' },
      { kind: 'site', id: 'SITE-X' },
      { kind: 'product', id: 'PRD-Y' },
    ]);
    expect(result.applications).toHaveLength(3);
  });

  it('does not depend on the order of the input ids or of the registry', () => {
    const registry = portfolio();
    const reversed = { ...registry, applications: [...registry.applications].reverse() };
    expect(propagateImpact(reversed, { siteIds: ['SITE-DUB', 'SITE-BOS'] })).toEqual(
      propagateImpact(registry, { siteIds: ['SITE-BOS', 'SITE-DUB', 'SITE-BOS'] }),
    );
  });

  it('returns a value its schema accepts', () => {
    expect(() => PropagationSchema.parse(propagateImpact(portfolio(), { supplierIds: ['SUP-ACME'] }))).not.toThrow();
  });

  it('rejects a malformed id with a ZodError naming the field', () => {
    expect(() => propagateImpact(portfolio(), { supplierIds: ['not an id!'] })).toThrow(ZodError);
    expect(() => propagateImpact(portfolio(), { markets: ['usa'] })).toThrow(/markets/);
  });
});

describe('affectedFrom', () => {
  it('fills the affected part of an impact from the propagation, leaving out unknown ids', () => {
    const source = { supplierIds: ['SUP-ACME', 'SUP-TYPO'], siteIds: ['SITE-DUB'] };
    expect(affectedFrom(source, propagateImpact(portfolio(), source))).toEqual({
      productIds: ['PRD-ASPIRIN', 'PRD-IBU'],
      siteIds: ['SITE-DUB'],
      supplierIds: ['SUP-ACME'],
      markets: ['EU', 'US'],
      applicationIds: ['APP-ASP-EU', 'APP-ASP-US', 'APP-IBU-US'],
    });
  });
});
