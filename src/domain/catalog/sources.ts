/**
 * Citation strings, spelled once so every rule cites a source the same way. Paragraph
 * numbers follow filing-rules.md; rows tagged U there must be confirmed against the text.
 */
export const cfr = (section: string) => `21 CFR ${section}`;

export const NDA_CHANGES_GUIDANCE = 'FDA guidance: Changes to an Approved NDA or ANDA (Rev. 1, 2004)';
export const DEVICE_510K_CHANGE_GUIDANCE =
  'FDA guidance: Deciding When to Submit a 510(k) for a Change to an Existing Device (2017)';
export const SOFTWARE_510K_CHANGE_GUIDANCE =
  'FDA guidance: Deciding When to Submit a 510(k) for a Software Change to an Existing Device (2017)';
export const PMA_SITE_CHANGE_GUIDANCE =
  'FDA guidance: Manufacturing Site Change Supplements: Content and Submission (2018)';
export const FDCA_737_4 = 'FD&C Act 737(4)';

export const EU_VARIATIONS_REGULATION =
  'Regulation (EC) No 1234/2008 as amended by Delegated Regulation (EU) 2024/1701';
export const euVariations = (part: string) => `${EU_VARIATIONS_REGULATION}, ${part}`;
export const EU_VARIATIONS_GUIDELINES = 'Variations Guidelines C/2025/5045 (apply from 15 January 2026)';

export const mdr = (part: string) => `Regulation (EU) 2017/745 (MDR), ${part}`;
export const MDR_ART_120 = mdr('Art. 120(3c)(b)');
export const mdcgChart = (chart: 'A' | 'B' | 'C' | 'D' | 'E') => `MDCG 2020-3 Rev. 1, chart ${chart}`;
export const MDCG_2020_3 = 'MDCG 2020-3 Rev. 1';
