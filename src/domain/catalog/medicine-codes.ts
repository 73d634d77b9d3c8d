/**
 * Change codes for medicines: US drugs (NDA, ANDA; 21 CFR 314.70 and the 2004 guidance),
 * US biologics (BLA; 21 CFR 601.12) and EU medicines (MAA; Regulation 1234/2008), plus the
 * administrative change that both medicines and legacy devices know.
 * A regime left out of `rules` is one filing-rules.md says nothing about for that change.
 */
import type { CatalogEntryInput, Question } from './schema';
import {
  always,
  byEuGuidelineClassification,
  EU_GUIDELINE_CLASSIFICATION,
  euByClassification,
  ruleOf,
} from './patterns';
import { cfr, EU_VARIATIONS_GUIDELINES, euVariations, MDCG_2020_3, MDR_ART_120, NDA_CHANGES_GUIDANCE } from './sources';

const nda = (paragraph: string) => [cfr(paragraph), NDA_CHANGES_GUIDANCE];

/** 601.12(b)(2)(i)–(iii) are tagged V in filing-rules.md; the other biologic PAS examples U. */
const BLA_FORMULATION_OR_SPECIFICATION = always(
  'PAS',
  [cfr('601.12(b)(2)(i)')],
  'V',
  'A change in the qualitative or quantitative formulation or in a specification of a biologic is a major change: prior approval supplement. A lower category needs a regulation or guidance that allows it (601.12(a)(3)).',
);

/**
 * 601.12 sorts a biologic's change by its potential to adversely affect identity, strength,
 * quality, purity or potency as they relate to safety or effectiveness, the same four tiers as
 * 314.70 (filing-rules.md, US biologics). For changes filing-rules.md gives no biologic example
 * of, the reviewer answers the tier and the rule files accordingly; unanswered, it stays
 * REVIEW-REQUIRED and cites these paragraphs.
 */
const BLA_POTENTIAL: Question = {
  id: 'us-biologic-potential',
  text: 'US biologic: what potential does the change have to adversely affect identity, strength, quality, purity or potency (601.12)? substantial; moderate; moderate, in a category FDA allows to distribute on receipt (601.12(c)(5)); minimal.',
  answer: { kind: 'choice', options: ['substantial', 'moderate', 'moderate-on-receipt', 'minimal'] },
};

const BLA_BY_POTENTIAL = ruleOf(
  [BLA_POTENTIAL.id],
  [
    {
      when: { answers: { [BLA_POTENTIAL.id]: 'substantial' } },
      category: 'PAS',
      citations: [cfr('601.12(b)(1)')],
      confidence: 'U',
      note: 'A substantial potential for adverse effect makes it a major change: prior approval supplement.',
    },
    {
      when: { answers: { [BLA_POTENTIAL.id]: 'moderate' } },
      category: 'CBE-30',
      citations: [cfr('601.12(c)(1)')],
      confidence: 'U',
      note: 'A moderate potential for adverse effect: supplement at least 30 days before distribution (CBE-30).',
    },
    {
      when: { answers: { [BLA_POTENTIAL.id]: 'moderate-on-receipt' } },
      category: 'CBE-0',
      citations: [cfr('601.12(c)(5)')],
      confidence: 'U',
      note: 'A moderate change FDA allows to distribute on receipt of the supplement (CBE).',
    },
    {
      when: { answers: { [BLA_POTENTIAL.id]: 'minimal' } },
      category: 'AR',
      citations: [cfr('601.12(d)(1)')],
      confidence: 'U',
      note: 'A minimal potential for adverse effect: annual report.',
    },
  ],
);

const COMPENDIUM: Question = {
  id: 'us-to-comply-with-compendium',
  text: 'US: is the test added or the limit tightened to comply with an official compendium?',
  answer: { kind: 'boolean' },
};

export const MEDICINE_CODES: CatalogEntryInput[] = [
  {
    code: 'formulation.composition-change',
    title: 'Qualitative or quantitative formulation change, inactive ingredients included',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(i)'),
        'U',
        'A qualitative or quantitative formulation change, inactive ingredients included, has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'US-BIOLOGIC': BLA_FORMULATION_OR_SPECIFICATION,
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'formulation.colour-only-deletion',
    title: 'Deleting or reducing an ingredient that only affects colour',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'AR',
        nda('314.70(d)(2)(ii)'),
        'U',
        'Deleting or reducing an ingredient that only affects colour has minimal potential for adverse effect: annual report.',
      ),
      'US-BIOLOGIC': BLA_FORMULATION_OR_SPECIFICATION,
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'site.new-uninspected',
    title:
      'Drug substance, drug product or primary packaging site never inspected for that operation, or with an unsatisfactory cGMP status',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(1)'),
        'U',
        'A site never inspected for the operation, or with an unsatisfactory cGMP status, has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'site.move-inspected',
    title: 'Move of a drug substance, drug product or primary packaging operation to another site',
    questions: [
      {
        id: 'us-aseptic-processing-moved',
        text: 'US: is aseptic processing moved to a different area?',
        answer: { kind: 'boolean' },
      },
      EU_GUIDELINE_CLASSIFICATION,
      BLA_POTENTIAL,
    ],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': ruleOf(
        ['us-aseptic-processing-moved'],
        [
          {
            when: { answers: { 'us-aseptic-processing-moved': true } },
            category: 'PAS',
            citations: nda('314.70(b)(1)'),
            confidence: 'U',
            note: 'Moving aseptic processing to a different area has a substantial potential for adverse effect: prior approval supplement.',
          },
          {
            when: {},
            category: 'CBE-30',
            citations: nda('314.70(c)(1)'),
            confidence: 'U',
            note: 'Moving a drug substance, drug product or primary packaging operation to another inspected site has a moderate potential for adverse effect: CBE-30 supplement.',
          },
        ],
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'site.secondary-packaging',
    title: 'Addition or replacement of a secondary packaging or labelling site',
    questions: [BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'AR',
        nda('314.70(d)(1)'),
        'U',
        'A secondary packaging or labelling site has minimal potential for adverse effect: annual report.',
      ),
      'EU-MEDICINE': always(
        'EU-IAIN',
        [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
        'U',
        'Adding or replacing a secondary packaging site is a Type IA_IN variation: notify immediately after implementing.',
      ),
    },
  },
  {
    code: 'process.sterility-affecting',
    title: 'Process change that may affect sterility assurance',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(iii)'),
        'U',
        'A process change that may affect sterility assurance has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'US-BIOLOGIC': always(
        'PAS',
        [cfr('601.12(b)(2)')],
        'U',
        'A change that may affect the sterility assurance of a biologic is a major change: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'process.technology-change',
    title: 'Manufacturing technology change (for example dry to wet granulation)',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(1)'),
        'U',
        'A change of manufacturing technology has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'process.synthesis-impurity',
    title: 'Drug substance synthesis change that may affect the impurity profile',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(iv)'),
        'U',
        'A synthesis change that may affect the impurity profile of the drug substance has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'process.other',
    title: 'Other process, process parameter or equipment change',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'CBE-30',
        nda('314.70(c)(1)'),
        'U',
        'Another process, parameter or equipment change has a moderate potential for adverse effect: CBE-30 supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'process.equipment-same-design',
    title: 'Replacing equipment with equipment of the same design and operating principle',
    questions: [
      {
        id: 'us-sterile-processing',
        text: 'US: is the equipment used to process a sterile product?',
        answer: { kind: 'boolean' },
      },
      EU_GUIDELINE_CLASSIFICATION,
      BLA_POTENTIAL,
    ],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': ruleOf(
        ['us-sterile-processing'],
        [
          {
            when: { answers: { 'us-sterile-processing': true } },
            category: 'REVIEW-REQUIRED',
            citations: nda('314.70(d)(2)(iii)'),
            confidence: 'U',
            note: 'The annual-report route for same-design equipment covers non-sterile processing only; assess the change as process.sterility-affecting or process.other.',
          },
          {
            when: {},
            category: 'AR',
            citations: nda('314.70(d)(2)(iii)'),
            confidence: 'U',
            note: 'Equipment of the same design and operating principle for non-sterile processing has minimal potential for adverse effect: annual report.',
          },
        ],
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'spec.relax-or-delete',
    title: 'Relaxing an acceptance criterion, deleting a test, or a less assuring method',
    questions: [
      {
        id: 'eu-spec-relaxation',
        text: 'EU: is this a change outside the approved specification limits, the deletion of a non-significant specification parameter, or another change?',
        answer: { kind: 'choice', options: ['outside-approved-limits', 'delete-non-significant-parameter', 'other'] },
      },
      EU_GUIDELINE_CLASSIFICATION,
    ],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(i)'),
        'U',
        'Relaxing an acceptance criterion, deleting a test or using a less assuring method has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'US-BIOLOGIC': BLA_FORMULATION_OR_SPECIFICATION,
      'EU-MEDICINE': ruleOf(
        ['eu-spec-relaxation', EU_GUIDELINE_CLASSIFICATION.id],
        [
          {
            when: { answers: { 'eu-spec-relaxation': 'outside-approved-limits' } },
            category: 'EU-II',
            citations: [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
            confidence: 'U',
            note: 'A change outside the approved specification limits is a Type II variation: approval before implementation.',
          },
          {
            when: { answers: { 'eu-spec-relaxation': 'delete-non-significant-parameter' } },
            category: 'EU-IA',
            citations: [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
            confidence: 'U',
            note: 'Deleting a non-significant specification parameter is a Type IA variation: do and tell.',
          },
          ...byEuGuidelineClassification(),
        ],
      ),
    },
  },
  {
    code: 'spec.relax-compendial',
    title: 'Relaxing an acceptance criterion or deleting a test to comply with an official compendium',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'CBE-30',
        nda('314.70(c)(2)(iii)'),
        'U',
        'Relaxing or deleting to comply with an official compendium has a moderate potential for adverse effect: CBE-30 supplement.',
      ),
      'US-BIOLOGIC': BLA_FORMULATION_OR_SPECIFICATION,
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'spec.tighten-or-add',
    title: 'Adding a test or tightening an acceptance limit',
    questions: [
      COMPENDIUM,
      {
        id: 'eu-spec-tightening',
        text: 'EU: is this the tightening of a specification limit, or the addition of a parameter?',
        answer: { kind: 'choice', options: ['tighten-limit', 'add-parameter'] },
      },
      EU_GUIDELINE_CLASSIFICATION,
    ],
    rules: {
      'US-DRUG': ruleOf(
        [COMPENDIUM.id],
        [
          {
            when: { answers: { [COMPENDIUM.id]: true } },
            category: 'AR',
            citations: nda('314.70(d)(2)(i)'),
            confidence: 'U',
            note: 'Adding a test or tightening a limit to comply with an official compendium: annual report.',
          },
          {
            when: {},
            category: 'CBE-0',
            citations: nda('314.70(c)(6)(i)'),
            confidence: 'U',
            note: 'Adding a test or tightening a limit gives more assurance: CBE-0 supplement, distribution on receipt.',
          },
        ],
      ),
      'US-BIOLOGIC': BLA_FORMULATION_OR_SPECIFICATION,
      'EU-MEDICINE': ruleOf(
        ['eu-spec-tightening', EU_GUIDELINE_CLASSIFICATION.id],
        [
          {
            when: { answers: { 'eu-spec-tightening': 'tighten-limit' } },
            category: 'EU-IA',
            citations: [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
            confidence: 'U',
            note: 'Tightening a specification limit is a Type IA variation: do and tell.',
          },
          ...byEuGuidelineClassification(),
        ],
      ),
    },
  },
  {
    code: 'ccs.type-or-resin',
    title: 'Container closure: new type, or a resin change that may change the impurity profile',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(vi)'),
        'U',
        'A new container closure type, or a resin that may change the impurity profile, has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'ccs.dose-or-sterility-critical',
    title: 'Container closure that controls the delivered dose, or a sterile closure change that affects sterility',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(vi)'),
        'U',
        'A closure that controls the delivered dose, or a sterile closure change affecting sterility, has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'ccs.size-shape-nonsolid',
    title: 'Container size or shape, non-sterile non-solid dosage form, same materials',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'CBE-0',
        nda('314.70(c)(6)(ii)'),
        'U',
        'A container size or shape change for a non-sterile, non-solid product with the same materials: CBE-0 supplement, distribution on receipt.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'ccs.size-shape-solid',
    title: 'Container size or shape, non-sterile solid dosage form, same count and closure',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'AR',
        nda('314.70(d)(2)(iv)'),
        'U',
        'A container size or shape change for a non-sterile solid product with the same count and closure has minimal potential for adverse effect: annual report.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'labeling.new-indication',
    title: 'Labeling: new indication or patient population',
    questions: [],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(v)'),
        'U',
        'A new indication or population needs an efficacy supplement approved before distribution: prior approval supplement.',
      ),
      'US-BIOLOGIC': always(
        'PAS',
        [cfr('601.12(f)(1)')],
        'U',
        'A labeling change that needs approval before distribution: prior approval supplement.',
      ),
      'EU-MEDICINE': always(
        'EU-II',
        [euVariations('Art. 2 and Annex II'), EU_VARIATIONS_GUIDELINES],
        'U',
        'A new therapeutic indication is a Type II variation: approval before implementation.',
      ),
    },
  },
  {
    code: 'labeling.safety-strengthening',
    title: 'Labeling: add or strengthen a contraindication, warning, precaution or adverse reaction',
    questions: [
      {
        id: 'eu-authority-requested-type',
        text: 'EU: does the update follow a PRAC or authority request, and which variation type did the authority state (IB or II)? not-requested if no authority asked for it.',
        answer: { kind: 'choice', options: ['IB', 'II', 'not-requested'] },
      },
      EU_GUIDELINE_CLASSIFICATION,
    ],
    rules: {
      'US-DRUG': always(
        'CBE-0',
        nda('314.70(c)(6)(iii)(A)'),
        'U',
        'Adding or strengthening a contraindication, warning, precaution or adverse reaction: CBE-0 supplement, distribution on receipt.',
      ),
      'US-BIOLOGIC': always(
        'CBE-0',
        [cfr('601.12(f)(2)')],
        'U',
        'A safety labeling change FDA allows on receipt: changes-being-effected supplement.',
      ),
      'EU-MEDICINE': ruleOf(
        ['eu-authority-requested-type', EU_GUIDELINE_CLASSIFICATION.id],
        [
          {
            when: { answers: { 'eu-authority-requested-type': 'IB' } },
            category: 'EU-IB',
            citations: [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
            confidence: 'U',
            note: 'A safety labeling update the authority asked for as Type IB.',
          },
          {
            when: { answers: { 'eu-authority-requested-type': 'II' } },
            category: 'EU-II',
            citations: [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
            confidence: 'U',
            note: 'A safety labeling update the authority asked for as Type II.',
          },
          ...byEuGuidelineClassification(),
        ],
      ),
    },
  },
  {
    code: 'labeling.editorial',
    title: 'Labeling: editorial or layout change, distributor name',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'AR',
        nda('314.70(d)(2)(x)'),
        'U',
        'An editorial, layout or distributor-name labeling change: annual report.',
      ),
      'US-BIOLOGIC': always(
        'AR',
        [cfr('601.12(f)(3)')],
        'U',
        'A labeling change with minimal potential for adverse effect: annual report.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'stability.new-protocol',
    title: 'New stability protocol',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)'),
        'U',
        'A new stability protocol needs approval before use: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'stability.shelf-life-reduction',
    title: 'Shelf-life reduction',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'CBE-0',
        nda('314.70(c)(6)'),
        'U',
        'Reducing the shelf life: CBE-0 supplement, distribution on receipt.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'stability.shelf-life-extension-approved-protocol',
    title: 'Shelf-life extension with full-scale data under the approved stability protocol',
    questions: [EU_GUIDELINE_CLASSIFICATION, BLA_POTENTIAL],
    rules: {
      'US-BIOLOGIC': BLA_BY_POTENTIAL,
      'US-DRUG': always(
        'AR',
        nda('314.70(d)(2)(vi)'),
        'U',
        'Extending the shelf life with full-scale data under the approved protocol: annual report.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'equivalence.study-needed',
    title: 'Change that needs a bioequivalence study (drugs) or a human equivalence study (biologics)',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-DRUG': always(
        'PAS',
        nda('314.70(b)(2)(ii)'),
        'U',
        'A change that needs a bioequivalence study has a substantial potential for adverse effect: prior approval supplement.',
      ),
      'US-BIOLOGIC': always(
        'PAS',
        [cfr('601.12(b)(2)(ii)')],
        'V',
        'A change that needs a human study to show equivalence is a major change: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'biologic.cell-bank',
    title: 'New master cell bank or seed, or a change of source material or cell line',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-BIOLOGIC': always(
        'PAS',
        [cfr('601.12(b)(2)')],
        'U',
        'A new master cell bank or seed, or a change of source material or cell line, is a major change: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'biologic.viral-clearance',
    title: 'Change to the virus or adventitious-agent removal or inactivation method',
    questions: [EU_GUIDELINE_CLASSIFICATION],
    rules: {
      'US-BIOLOGIC': always(
        'PAS',
        [cfr('601.12(b)(2)(iii)')],
        'V',
        'A change to virus or adventitious-agent removal or inactivation is a major change: prior approval supplement.',
      ),
      'EU-MEDICINE': euByClassification(),
    },
  },
  {
    code: 'product.line-extension',
    title: 'New strength, pharmaceutical form or route of administration, or a change of the active substance',
    questions: [],
    rules: {
      'EU-MEDICINE': always(
        'EU-EXTENSION',
        [euVariations('Art. 19 and Annex I')],
        'V',
        'An Annex I change (new strength, pharmaceutical form or route, active substance change) is an extension of the marketing authorisation.',
      ),
    },
  },
  {
    code: 'admin.mah-name-address',
    title: 'Change of the name or address of the marketing authorisation holder or manufacturer',
    questions: [],
    rules: {
      'EU-MEDICINE': always(
        'EU-IAIN',
        [euVariations('Art. 2 and Art. 3'), EU_VARIATIONS_GUIDELINES],
        'U',
        'A change of the MAH name or address is a Type IA_IN variation: notify immediately after implementing.',
      ),
      'EU-LEGACY-DEVICE': always(
        'NB-NOTIFICATION',
        [MDR_ART_120, MDCG_2020_3],
        'V',
        'An administrative change is outside Art. 120 significance: inform the notified body under its arrangements; legacy status continues.',
      ),
    },
  },
];
