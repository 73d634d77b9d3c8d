import {
  deriveSearchValues,
  ImpactFieldValueSchema,
  StoredImpactSchema,
  toImpactFieldValue,
  withoutSubmissionKeys,
} from '../../src/domain/impact-field-value';
import { emptyImpact } from '../../src/domain/model';
import { aChangeControl } from '../builders';

const impactOf = (build: ReturnType<typeof aChangeControl>) => build.build().impact;

describe('deriveSearchValues', () => {
  it('says no filing and lists nothing for a record nobody assessed', () => {
    expect(deriveSearchValues(emptyImpact())).toEqual({
      filingRequired: 'no',
      filingMarkets: [],
      markets: [],
      productIds: [],
      applicationIds: [],
      categories: [],
      decidedByMarket: [],
    });
  });

  it('counts only reviewer decisions, never a recommendation, towards filing required', () => {
    const impact = impactOf(
      aChangeControl('QMS-1')
        .inAssessment()
        .withDecisions({ applicationId: 'NDA-1', market: 'US', recommended: 'PAS' }),
    );
    expect(deriveSearchValues(impact)).toMatchObject({
      filingRequired: 'no',
      filingMarkets: [],
      categories: [],
      decidedByMarket: [],
    });
  });

  it('names the markets whose decided category needs a filing, not those decided in-house', () => {
    const impact = impactOf(
      aChangeControl('QMS-1')
        .affecting({ productIds: ['PRD-B', 'PRD-A', 'PRD-B'] })
        .filingRequired(
          { applicationId: 'MAA-1', market: 'EU', decided: 'EU-IB' },
          { applicationId: 'MAA-2', market: 'EU', decided: 'EU-IA' },
          { applicationId: 'K-1', market: 'US', decided: 'LETTER-TO-FILE' },
          { applicationId: 'NDA-1', market: 'US', decided: 'NONE' },
          { applicationId: 'MAA-3', market: 'EU', decided: 'EU-IB' },
          { applicationId: 'NDA-2', market: 'US' },
        ),
    );
    expect(deriveSearchValues(impact)).toEqual({
      filingRequired: 'yes',
      filingMarkets: ['EU'],
      markets: ['EU', 'US'],
      productIds: ['PRD-A', 'PRD-B'],
      applicationIds: ['K-1', 'MAA-1', 'MAA-2', 'MAA-3', 'NDA-1', 'NDA-2'],
      categories: ['EU-IA', 'EU-IB', 'LETTER-TO-FILE', 'NONE'],
      decidedByMarket: ['EU: EU-IB, EU-IA', 'US: LETTER-TO-FILE, NONE'],
    });
  });

  it('says yes when the assessment says filing required, though no market is decided yet', () => {
    const impact = impactOf(
      aChangeControl('QMS-1').filingRequired({ applicationId: 'PMA-1', market: 'US', recommended: 'PMA-180-DAY' }),
    );
    expect(deriveSearchValues(impact)).toMatchObject({ filingRequired: 'yes', filingMarkets: [], decidedByMarket: [] });
  });

  it('says yes as soon as one decision needs a filing, while others are still open', () => {
    const impact = impactOf(
      aChangeControl('QMS-1')
        .inAssessment()
        .withDecisions(
          { applicationId: 'NDA-1', market: 'US', decided: 'CBE-30' },
          { applicationId: 'MAA-1', market: 'EU' },
        ),
    );
    expect(deriveSearchValues(impact)).toMatchObject({
      filingRequired: 'yes',
      filingMarkets: ['US'],
      decidedByMarket: ['US: CBE-30'],
    });
  });
});

describe('the stored value', () => {
  const impact = impactOf(
    aChangeControl('QMS-1').filingRequired({ applicationId: 'NDA-1', market: 'US', decided: 'PAS' }),
  );

  it('is the assessment plus its derived values, and passes its own schema', () => {
    const value = toImpactFieldValue(impact);
    expect(value).toMatchObject({ ...withoutSubmissionKeys(impact), filingRequired: 'yes', filingMarkets: ['US'] });
    expect(ImpactFieldValueSchema.parse(value)).toEqual(value);
  });

  it('leaves out which Submission files each decision: people who may not browse RIM can read it in Jira', () => {
    const filed = { ...impact, decisions: impact.decisions.map((d) => ({ ...d, submissionKey: 'RIM-42' })) };
    expect(JSON.stringify(toImpactFieldValue(filed))).not.toContain('RIM-42');
    expect(toImpactFieldValue(filed)).toEqual(toImpactFieldValue(withoutSubmissionKeys(filed)));
  });

  it('refuses an assessment the model refuses', () => {
    expect(() => toImpactFieldValue({ ...impact, version: -1 })).toThrow();
  });

  it('refuses properties it does not know', () => {
    expect(ImpactFieldValueSchema.safeParse({ ...toImpactFieldValue(impact), note: 'x' }).success).toBe(false);
  });

  it('reads back as the bare assessment, from a stored value or from a value written before the derived values existed', () => {
    expect(StoredImpactSchema.parse(toImpactFieldValue(impact))).toEqual(impact);
    expect(StoredImpactSchema.parse(impact)).toEqual(impact);
  });

  it('ignores derived values on read, so a tampered filingRequired cannot change the assessment', () => {
    const tampered = { ...toImpactFieldValue(impact), filingRequired: 'no', filingMarkets: [] };
    expect(StoredImpactSchema.parse(tampered)).toEqual(impact);
  });
});
