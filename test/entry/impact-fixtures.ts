/** Impact values shared by the handler tests. */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import type { RegulatoryImpact } from '../../src/domain/model';

export const reviewer = { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' };

/** A technology change decided PAS for the US NDA, filed by RIM-1. */
export const filingRequiredPas: RegulatoryImpact = {
  status: 'filing-required',
  changes: [{ code: 'process.technology-change' }],
  affected: {
    productIds: ['PRD-CARDIOLOL'],
    siteIds: ['SITE-BASEL'],
    supplierIds: [],
    markets: ['US'],
    applicationIds: ['APP-NDA-CARDIOLOL'],
  },
  decisions: [
    {
      applicationId: 'APP-NDA-CARDIOLOL',
      market: 'US',
      recommended: { category: 'PAS', citations: ['21 CFR 314.70(b)'], rationale: 'Technology change.' },
      decided: {
        category: 'PAS',
        rationale: 'Wet granulation replaces dry granulation.',
        by: reviewer,
        at: '2026-11-20T09:00:00.000Z',
        meaning: 'approval',
      },
      submissionKey: 'RIM-1',
    },
  ],
  version: 3,
};
