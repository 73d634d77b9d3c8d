/**
 * Change codes for devices: US 510(k) and De Novo (21 CFR 807.81(a)(3)), US PMA
 * (21 CFR 814.39, FD&C Act 737(4)), EU MDR certificates (Annex IX / X) and EU legacy
 * MDD/AIMDD certificates (MDR Art. 120, MDCG 2020-3).
 */
import type { CatalogEntryInput, Question } from './schema';
import {
  always,
  MDR_COULD_AFFECT,
  MDR_TYPE_EXAMINED,
  mdrPriorApprovalByClass,
  mdrPriorApprovalIfItCouldAffect,
  newOrLetterToFile,
  PMA_EFFECT_AND_DATA,
  PMA_SUPPORTING_DATA,
  pmaSupplementByData,
  pmaSupplementOrPeriodicReport,
  ruleOf,
  SIGNIFICANT_EFFECT_510K,
} from './patterns';
import {
  cfr,
  DEVICE_510K_CHANGE_GUIDANCE,
  MDCG_2020_3,
  mdcgChart,
  mdr,
  MDR_ART_120,
  PMA_SITE_CHANGE_GUIDANCE,
  SOFTWARE_510K_CHANGE_GUIDANCE,
} from './sources';

const LEGACY_SIGNIFICANT_NOTE =
  'A significant change in design or intended purpose ends the legacy (MDD/AIMDD) status: an MDR conformity assessment is needed.';
const LEGACY_NOT_SIGNIFICANT_NOTE =
  'Not a significant change under MDCG 2020-3: inform the notified body under its arrangements; legacy status continues.';

const legacySignificant = (chart: 'A' | 'B' | 'C') =>
  always('MDR-SIGNIFICANT-CHANGE', [MDR_ART_120, mdcgChart(chart)], 'V', LEGACY_SIGNIFICANT_NOTE);
const legacyNotSignificant = (citation: string) =>
  always('NB-NOTIFICATION', [MDR_ART_120, citation], 'V', LEGACY_NOT_SIGNIFICANT_NOTE);

const legacyByChart = (question: Question, chart: 'D' | 'E') =>
  ruleOf(
    [question.id],
    [
      {
        when: { answers: { [question.id]: true } },
        category: 'MDR-SIGNIFICANT-CHANGE',
        citations: [MDR_ART_120, mdcgChart(chart)],
        confidence: 'V',
        note: LEGACY_SIGNIFICANT_NOTE,
      },
      {
        when: {},
        category: 'NB-NOTIFICATION',
        citations: [MDR_ART_120, mdcgChart(chart)],
        confidence: 'V',
        note: LEGACY_NOT_SIGNIFICANT_NOTE,
      },
    ],
  );

const notSignificantLetterToFile = (citations: string[], note: string) =>
  always('LETTER-TO-FILE', [cfr('807.81(a)(3)'), ...citations], 'V', note);

const significantBy510kQuestion = (citations: string[]) =>
  newOrLetterToFile(
    SIGNIFICANT_EFFECT_510K.id,
    '807.81(a)(3)(i)',
    citations,
    'The change could significantly affect safety or effectiveness: a new 510(k) before marketing the changed device.',
    'The change could not significantly affect safety or effectiveness: document the decision in a letter to file.',
  );

const CHART_D: Question = {
  id: 'eu-mdcg-chart-d-significant',
  text: 'EU legacy device, MDCG 2020-3 chart D: does the material change involve material of human or animal origin, a medicinal substance, a new material in contact for more than 30 days, or an absorbed material?',
  answer: { kind: 'boolean' },
};

const CHART_E: Question = {
  id: 'eu-mdcg-chart-e-significant',
  text: 'EU legacy device, MDCG 2020-3 chart E: is the change significant for sterilisation (a new sterilisation method or sterility assurance level, or packaging or shelf life under a new design)?',
  answer: { kind: 'boolean' },
};

const NEW_BIOCOMPATIBILITY_CONCERN: Question = {
  id: 'us-510k-new-biocompatibility-concern',
  text: '510(k) flowchart C: does the patient-contacting material raise a new biocompatibility concern?',
  answer: { kind: 'boolean' },
};

const LABELING_RISK_CHANGE: Question = {
  id: 'us-510k-labeling-risk-change',
  text: '510(k) flowchart A: does the labeling change add or remove a contraindication, or describe a new or significantly changed risk?',
  answer: { kind: 'boolean' },
};

const PMA_AFFECTS_SAFETY_EFFECTIVENESS: Question = {
  id: 'us-pma-affects-safety-effectiveness',
  text: 'PMA: does the change to the manufacturing procedure or method affect safety or effectiveness?',
  answer: { kind: 'boolean' },
};

export const DEVICE_CODES: CatalogEntryInput[] = [
  {
    code: 'device.design-significant',
    title:
      'Design change that could significantly affect safety or effectiveness (control mechanism, operating principle, energy source, alarms, performance)',
    questions: [PMA_SUPPORTING_DATA, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': always(
        'NEW-510K',
        [cfr('807.81(a)(3)(i)'), DEVICE_510K_CHANGE_GUIDANCE],
        'V',
        'A design change that could significantly affect safety or effectiveness: a new 510(k) before marketing the changed device.',
      ),
      'US-PMA': pmaSupplementByData('814.39(a)(6)'),
      'EU-MDR': mdrPriorApprovalByClass(),
      'EU-LEGACY-DEVICE': legacySignificant('B'),
    },
  },
  {
    code: 'device.design-minor',
    title: 'Design change that could not significantly affect safety or effectiveness',
    questions: [PMA_EFFECT_AND_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': notSignificantLetterToFile(
        [DEVICE_510K_CHANGE_GUIDANCE],
        'A design change that could not significantly affect safety or effectiveness: document the decision in a letter to file.',
      ),
      'US-PMA': pmaSupplementOrPeriodicReport('814.39(a)(6)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(mdcgChart('B')),
    },
  },
  {
    code: 'device.material-patient-contact-new',
    title: 'New or changed patient-contacting material',
    questions: [NEW_BIOCOMPATIBILITY_CONCERN, PMA_EFFECT_AND_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED, CHART_D],
    rules: {
      'US-510K': newOrLetterToFile(
        NEW_BIOCOMPATIBILITY_CONCERN.id,
        '807.81(a)(3)(i)',
        [DEVICE_510K_CHANGE_GUIDANCE],
        'A patient-contacting material with a new biocompatibility concern could significantly affect safety: a new 510(k).',
        'A patient-contacting material change without a new biocompatibility concern: document the decision in a letter to file.',
      ),
      'US-PMA': pmaSupplementOrPeriodicReport('814.39(a)(6)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyByChart(CHART_D, 'D'),
    },
  },
  {
    code: 'device.software-cybersecurity-only',
    title: 'Software change for cybersecurity only, or restoring the cleared specification',
    questions: [PMA_EFFECT_AND_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': notSignificantLetterToFile(
        [SOFTWARE_510K_CHANGE_GUIDANCE],
        'A cybersecurity-only or restore-to-specification software change does not by itself need a 510(k): document the decision in a letter to file.',
      ),
      'US-PMA': pmaSupplementOrPeriodicReport('814.39(a)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(mdcgChart('C')),
    },
  },
  {
    code: 'device.software-new-risk',
    title:
      'Software change with a new risk of significant harm, a new or changed risk control, or a significant change to clinical functionality',
    questions: [PMA_SUPPORTING_DATA, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': always(
        'NEW-510K',
        [cfr('807.81(a)(3)(i)'), SOFTWARE_510K_CHANGE_GUIDANCE],
        'V',
        'A software change with a new risk of significant harm, a new or changed risk control, or a significant change to clinical functionality: a new 510(k).',
      ),
      'US-PMA': pmaSupplementByData('814.39(a)'),
      'EU-MDR': mdrPriorApprovalByClass(),
      'EU-LEGACY-DEVICE': legacySignificant('C'),
    },
  },
  {
    code: 'device.labeling-indication-change',
    title: 'Labeling: new or extended indication for use or intended purpose, or a new patient population',
    questions: [PMA_SUPPORTING_DATA, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': always(
        'NEW-510K',
        [cfr('807.81(a)(3)(ii)'), DEVICE_510K_CHANGE_GUIDANCE],
        'V',
        'A major change in intended use or indications: a new 510(k).',
      ),
      'US-PMA': pmaSupplementByData('814.39(a)(1)'),
      'EU-MDR': mdrPriorApprovalByClass(),
      'EU-LEGACY-DEVICE': legacySignificant('A'),
    },
  },
  {
    code: 'device.labeling-indication-limitation',
    title: 'Labeling: limitation of the indication for use or intended purpose',
    questions: [SIGNIFICANT_EFFECT_510K, PMA_EFFECT_AND_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': significantBy510kQuestion([DEVICE_510K_CHANGE_GUIDANCE]),
      'US-PMA': pmaSupplementOrPeriodicReport('814.39(a)(2)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(mdcgChart('A')),
    },
  },
  {
    code: 'device.labeling-safety',
    title:
      'Labeling: add or strengthen a contraindication, warning, precaution or adverse-event information, or an instruction for safe use',
    questions: [LABELING_RISK_CHANGE, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': newOrLetterToFile(
        LABELING_RISK_CHANGE.id,
        '807.81(a)(3)',
        [DEVICE_510K_CHANGE_GUIDANCE],
        'A labeling change that adds or removes a contraindication or describes a new or significantly changed risk: a new 510(k).',
        'A safety labeling change without a contraindication change or a new risk: document the decision in a letter to file.',
      ),
      'US-PMA': always(
        'PMA-SPECIAL-CBE',
        [cfr('814.39(d)')],
        'V',
        'A labeling change that enhances safety may be made on submission of a special PMA supplement (changes being effected).',
      ),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(mdcgChart('A')),
    },
  },
  {
    code: 'device.quality-control-added',
    title: 'Added quality control, specification or test method that gives more assurance',
    questions: [MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': notSignificantLetterToFile(
        [DEVICE_510K_CHANGE_GUIDANCE],
        'An added quality control could not significantly affect safety or effectiveness: document the decision in a letter to file.',
      ),
      'US-PMA': always(
        'PMA-SPECIAL-CBE',
        [cfr('814.39(d)')],
        'V',
        'An added quality control that enhances safety may be made on submission of a special PMA supplement (changes being effected).',
      ),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(MDCG_2020_3),
    },
  },
  {
    code: 'device.manufacturing-method',
    title: 'Change to a manufacturing procedure or method of manufacture',
    questions: [SIGNIFICANT_EFFECT_510K, PMA_AFFECTS_SAFETY_EFFECTIVENESS, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': significantBy510kQuestion([DEVICE_510K_CHANGE_GUIDANCE]),
      'US-PMA': ruleOf(
        [PMA_AFFECTS_SAFETY_EFFECTIVENESS.id],
        [
          {
            when: { answers: { [PMA_AFFECTS_SAFETY_EFFECTIVENESS.id]: true } },
            category: 'PMA-30-DAY-NOTICE',
            citations: [cfr('814.39(f)')],
            confidence: 'V',
            note: 'A manufacturing procedure or method change that affects safety or effectiveness: 30-day notice (a 135-day supplement if FDA finds the notice inadequate).',
          },
          {
            when: {},
            category: 'PMA-PERIODIC-REPORT',
            citations: [cfr('814.39(b)')],
            confidence: 'V',
            note: 'A manufacturing change that does not affect safety or effectiveness goes in the periodic report.',
          },
        ],
      ),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(MDCG_2020_3),
    },
  },
  {
    code: 'device.manufacturing-site',
    title: 'New or changed manufacturing site',
    questions: [SIGNIFICANT_EFFECT_510K],
    rules: {
      'US-510K': significantBy510kQuestion([DEVICE_510K_CHANGE_GUIDANCE]),
      'US-PMA': always(
        'PMA-180-DAY',
        [cfr('814.39(a)(3)'), PMA_SITE_CHANGE_GUIDANCE],
        'V',
        'A manufacturing site change for a PMA device: 180-day site-change supplement.',
      ),
      'EU-MDR': always(
        'NB-NOTIFICATION',
        [mdr('Annex IX 2.4')],
        'V',
        'A new manufacturing site changes the quality management system: inform the notified body.',
      ),
      'EU-LEGACY-DEVICE': legacyNotSignificant(MDCG_2020_3),
    },
  },
  {
    code: 'device.supplier-same-spec',
    title: 'New supplier of a component or material to the same specification',
    questions: [SIGNIFICANT_EFFECT_510K, PMA_EFFECT_AND_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED],
    rules: {
      'US-510K': significantBy510kQuestion([DEVICE_510K_CHANGE_GUIDANCE]),
      'US-PMA': pmaSupplementOrPeriodicReport('814.39(a)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyNotSignificant(MDCG_2020_3),
    },
  },
  {
    code: 'device.sterilization-method',
    title: 'Change of sterilization method, sterility assurance level or sterile packaging',
    questions: [SIGNIFICANT_EFFECT_510K, PMA_SUPPORTING_DATA, MDR_COULD_AFFECT, MDR_TYPE_EXAMINED, CHART_E],
    rules: {
      'US-510K': significantBy510kQuestion([DEVICE_510K_CHANGE_GUIDANCE]),
      'US-PMA': pmaSupplementByData('814.39(a)(4)'),
      'EU-MDR': mdrPriorApprovalIfItCouldAffect(),
      'EU-LEGACY-DEVICE': legacyByChart(CHART_E, 'E'),
    },
  },
  {
    code: 'device.within-pccp',
    title: 'Change implemented within a cleared predetermined change control plan (PCCP)',
    questions: [],
    rules: {
      'US-510K': always(
        'NONE',
        [cfr('807.81(b)(1)(ii)')],
        'V',
        'A change within a cleared predetermined change control plan needs no new 510(k); document it as the plan requires.',
      ),
    },
  },
];
