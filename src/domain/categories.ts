/**
 * Filing categories per regulatory regime, ordered most demanding first, as in
 * `filing-rules.md`. The order decides grouping: several changes for one application
 * file at the most demanding category among them.
 */
import type { ApplicationType, FilingCategory } from './model';

export type Regime = 'US-DRUG' | 'US-BIOLOGIC' | 'US-510K' | 'US-PMA' | 'EU-MEDICINE' | 'EU-MDR' | 'EU-LEGACY-DEVICE';

/**
 * De Novo devices: once granted, modifications are judged by the 510(k) rules
 * (21 CFR 807.81(a)(3)); the granted device is then a legally marketed predicate.
 */
export const regimeOf = (type: ApplicationType): Regime => {
  switch (type) {
    case 'NDA':
    case 'ANDA':
      return 'US-DRUG';
    case 'BLA':
      return 'US-BIOLOGIC';
    case '510K':
    case 'DE-NOVO':
      return 'US-510K';
    case 'PMA':
      return 'US-PMA';
    case 'MAA':
      return 'EU-MEDICINE';
    case 'CE-MDR':
      return 'EU-MDR';
    case 'CE-MDD':
      return 'EU-LEGACY-DEVICE';
  }
};

/** Most demanding first; `NONE` last. `REVIEW-REQUIRED` is outside every ladder. */
export const CATEGORY_LADDERS: Readonly<Record<Regime, readonly FilingCategory[]>> = {
  'US-DRUG': ['PAS', 'CBE-30', 'CBE-0', 'AR', 'NONE'],
  'US-BIOLOGIC': ['PAS', 'CBE-30', 'CBE-0', 'AR', 'NONE'],
  'US-510K': ['NEW-510K', 'LETTER-TO-FILE', 'NONE'],
  'US-PMA': [
    'PMA-PANEL-TRACK',
    'PMA-180-DAY',
    'PMA-REAL-TIME',
    'PMA-SPECIAL-CBE',
    'PMA-30-DAY-NOTICE',
    'PMA-PERIODIC-REPORT',
    'NONE',
  ],
  'EU-MEDICINE': ['EU-EXTENSION', 'EU-II', 'EU-IB', 'EU-IAIN', 'EU-IA', 'NONE'],
  'EU-MDR': ['NB-PRIOR-APPROVAL', 'NB-NOTIFICATION', 'NONE'],
  'EU-LEGACY-DEVICE': ['MDR-SIGNIFICANT-CHANGE', 'NB-NOTIFICATION', 'NONE'],
};

export const categoriesFor = (type: ApplicationType): readonly FilingCategory[] => CATEGORY_LADDERS[regimeOf(type)];

export const isCategoryValidFor = (category: FilingCategory, type: ApplicationType): boolean =>
  category === 'REVIEW-REQUIRED' || categoriesFor(type).includes(category);

/**
 * Categories that need the authority's (or notified body's) approval before the change
 * is implemented. Gate 3 ("prior approval granted") holds these.
 */
export const PRIOR_APPROVAL_CATEGORIES: ReadonlySet<FilingCategory> = new Set<FilingCategory>([
  'PAS',
  'NEW-510K',
  'PMA-PANEL-TRACK',
  'PMA-180-DAY',
  'PMA-REAL-TIME',
  'EU-EXTENSION',
  'EU-II',
  'NB-PRIOR-APPROVAL',
  'MDR-SIGNIFICANT-CHANGE',
]);

export const needsPriorApproval = (category: FilingCategory): boolean => PRIOR_APPROVAL_CATEGORIES.has(category);

/** Categories documented in-house only: no submission to an authority is made. */
export const IN_HOUSE_CATEGORIES: ReadonlySet<FilingCategory> = new Set<FilingCategory>(['NONE', 'LETTER-TO-FILE']);

/**
 * The most demanding of several categories for one application. `REVIEW-REQUIRED`
 * dominates: when any change cannot be decided, neither can the group.
 */
export const mostDemanding = (type: ApplicationType, categories: readonly FilingCategory[]): FilingCategory => {
  if (categories.length === 0) return 'REVIEW-REQUIRED';
  if (categories.includes('REVIEW-REQUIRED')) return 'REVIEW-REQUIRED';
  const ladder = categoriesFor(type);
  let best = ladder.length;
  for (const c of categories) {
    const rank = ladder.indexOf(c);
    if (rank < 0) return 'REVIEW-REQUIRED';
    best = Math.min(best, rank);
  }
  return ladder[best] ?? 'REVIEW-REQUIRED';
};
