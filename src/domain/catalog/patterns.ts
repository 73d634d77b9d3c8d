/**
 * Questions and outcome lists that several change codes share, because filing-rules.md
 * states them once per regime (the EU variation types, the PMA supplement tracks, the MDR
 * prior-approval test). The catalog expands them, so `--catalog` shows every row in full.
 */
import type { FilingCategory } from '../model';
import type { Confidence, Outcome, Question, RegimeRule } from './schema';
import { cfr, EU_VARIATIONS_GUIDELINES, euVariations, FDCA_737_4, mdr } from './sources';

export const always = (
  category: FilingCategory,
  citations: string[],
  confidence: Confidence,
  note: string,
): RegimeRule => ({
  requires: [],
  outcomes: [{ when: {}, category, citations, confidence, note }],
});

/** `requires` is written out, not derived, so the consistency check can catch a rule that reads an undeclared question. */
export const ruleOf = (requires: string[], outcomes: Outcome[]): RegimeRule => ({ requires, outcomes });

// --- EU medicines ---------------------------------------------------------------------

export const EU_GUIDELINE_CLASSIFICATION: Question = {
  id: 'eu-guideline-classification',
  text: 'EU: how do the Variations Guidelines classify this change? IA only if every Type IA condition is met; IA-IN for immediate notification; IB; II; extension for an Annex I change; not-listed if the guidelines do not classify it.',
  answer: { kind: 'choice', options: ['IA', 'IA-IN', 'IB', 'II', 'extension', 'not-listed'] },
};

/** The variation types of Regulation 1234/2008; an unclassified change is Type IB by default. */
export const byEuGuidelineClassification = (): Outcome[] => {
  const q = EU_GUIDELINE_CLASSIFICATION.id;
  const cite = (article: string) => [euVariations(article), EU_VARIATIONS_GUIDELINES];
  return [
    {
      when: { answers: { [q]: 'IA' } },
      category: 'EU-IA',
      citations: cite('Art. 2 and Art. 3'),
      confidence: 'V',
      note: 'Type IA (do and tell): implement, then notify within 12 months in the annual update.',
    },
    {
      when: { answers: { [q]: 'IA-IN' } },
      category: 'EU-IAIN',
      citations: cite('Art. 2 and Art. 3'),
      confidence: 'V',
      note: 'Type IA_IN: implement, then notify immediately.',
    },
    {
      when: { answers: { [q]: 'IB' } },
      category: 'EU-IB',
      citations: cite('Art. 2 and Art. 3'),
      confidence: 'V',
      note: 'Type IB (tell, wait and do): implement if there is no objection 30 days after a valid notification.',
    },
    {
      when: { answers: { [q]: 'II' } },
      category: 'EU-II',
      citations: cite('Art. 2 and Art. 3'),
      confidence: 'V',
      note: 'Type II: approval before implementation (60-day timetable, 90 for some, plus clock stops).',
    },
    {
      when: { answers: { [q]: 'extension' } },
      category: 'EU-EXTENSION',
      citations: cite('Art. 19 and Annex I'),
      confidence: 'V',
      note: 'An Annex I change is an extension of the marketing authorisation.',
    },
    {
      when: { answers: { [q]: 'not-listed' } },
      category: 'EU-IB',
      citations: cite('Art. 3'),
      confidence: 'V',
      note: 'A change the guidelines do not classify is Type IB by default, unless a recommendation says otherwise.',
    },
  ];
};

export const euByClassification = (): RegimeRule =>
  ruleOf([EU_GUIDELINE_CLASSIFICATION.id], byEuGuidelineClassification());

// --- US PMA ---------------------------------------------------------------------------

export const PMA_SUPPORTING_DATA: Question = {
  id: 'us-pma-supporting-data',
  text: 'PMA: what data does the change need? clinical = substantial clinical data; preclinical = preclinical data with limited clinical data; minor = a minor change FDA can review in a meeting.',
  answer: { kind: 'choice', options: ['clinical', 'preclinical', 'minor'] },
};

export const PMA_EFFECT_AND_DATA: Question = {
  id: 'us-pma-effect-and-data',
  text: 'PMA: does the change affect safety or effectiveness, and if so what data does it need? no-effect; minor = a minor change FDA can review in a meeting; preclinical = preclinical data with limited clinical data; clinical = substantial clinical data.',
  answer: { kind: 'choice', options: ['no-effect', 'minor', 'preclinical', 'clinical'] },
};

const pmaSupplementTracks = (questionId: string, paragraph: string): Outcome[] => [
  {
    when: { answers: { [questionId]: 'clinical' } },
    category: 'PMA-PANEL-TRACK',
    citations: [cfr(paragraph), FDCA_737_4],
    confidence: 'V',
    note: 'A change affecting safety or effectiveness that needs substantial clinical data: panel-track supplement.',
  },
  {
    when: { answers: { [questionId]: 'preclinical' } },
    category: 'PMA-180-DAY',
    citations: [cfr(paragraph), FDCA_737_4],
    confidence: 'V',
    note: 'A change affecting safety or effectiveness supported by preclinical data and limited clinical data: 180-day supplement.',
  },
  {
    when: { answers: { [questionId]: 'minor' } },
    category: 'PMA-REAL-TIME',
    citations: [cfr(paragraph), FDCA_737_4],
    confidence: 'V',
    note: 'A minor change affecting safety or effectiveness, reviewable in a meeting: real-time supplement.',
  },
];

/** For a change that by its nature affects safety or effectiveness: the data needed picks the track. */
export const pmaSupplementByData = (paragraph = '814.39(a)'): RegimeRule =>
  ruleOf([PMA_SUPPORTING_DATA.id], pmaSupplementTracks(PMA_SUPPORTING_DATA.id, paragraph));

/** For a change that may or may not affect safety or effectiveness. */
export const pmaSupplementOrPeriodicReport = (paragraph = '814.39(a)'): RegimeRule =>
  ruleOf(
    [PMA_EFFECT_AND_DATA.id],
    [
      {
        when: { answers: { [PMA_EFFECT_AND_DATA.id]: 'no-effect' } },
        category: 'PMA-PERIODIC-REPORT',
        citations: [cfr('814.39(b)')],
        confidence: 'V',
        note: 'A change that does not affect safety or effectiveness goes in the periodic report.',
      },
      ...pmaSupplementTracks(PMA_EFFECT_AND_DATA.id, paragraph),
    ],
  );

// --- US 510(k) ------------------------------------------------------------------------

export const SIGNIFICANT_EFFECT_510K: Question = {
  id: 'us-510k-significant-effect',
  text: '510(k): could the change significantly affect safety or effectiveness (per the FDA change flowcharts)?',
  answer: { kind: 'boolean' },
};

export const newOrLetterToFile = (
  questionId: string,
  paragraph: string,
  citations: string[],
  newNote: string,
  letterNote: string,
): RegimeRule =>
  ruleOf(
    [questionId],
    [
      {
        when: { answers: { [questionId]: true } },
        category: 'NEW-510K',
        citations: [cfr(paragraph), ...citations],
        confidence: 'V',
        note: newNote,
      },
      {
        when: {},
        category: 'LETTER-TO-FILE',
        citations: [cfr('807.81(a)(3)'), ...citations],
        confidence: 'V',
        note: letterNote,
      },
    ],
  );

// --- EU MDR ---------------------------------------------------------------------------

export const MDR_TYPE_EXAMINED: Question = {
  id: 'eu-mdr-type-examined',
  text: 'EU MDR: is this Class IIb device certified by EU type-examination (Annex X)?',
  answer: { kind: 'boolean' },
};

export const MDR_COULD_AFFECT: Question = {
  id: 'eu-mdr-could-affect-safety-performance',
  text: 'EU MDR: could the change affect the safety or performance of the device, or its conditions of use?',
  answer: { kind: 'boolean' },
};

const PRIOR_APPROVAL_CLASSES: Outcome['when']['deviceClass'] = ['III', 'IIb-implantable'];
const notifyNotifiedBody: Outcome = {
  when: {},
  category: 'NB-NOTIFICATION',
  citations: [mdr('Annex IX 2.4')],
  confidence: 'V',
  note: 'Inform the notified body of the change to the quality management system or the device range.',
};

/** For a change that by its nature could affect safety, performance or conditions of use. */
export const mdrPriorApprovalByClass = (): RegimeRule =>
  ruleOf(
    [MDR_TYPE_EXAMINED.id],
    [
      {
        when: { deviceClass: PRIOR_APPROVAL_CLASSES },
        category: 'NB-PRIOR-APPROVAL',
        citations: [mdr('Annex IX 4.10')],
        confidence: 'V',
        note: 'A change to an approved Class III or IIb implantable device that could affect safety, performance or conditions of use needs the notified body’s approval first.',
      },
      {
        when: { deviceClass: ['IIb'], answers: { [MDR_TYPE_EXAMINED.id]: true } },
        category: 'NB-PRIOR-APPROVAL',
        citations: [mdr('Annex X 5.1')],
        confidence: 'V',
        note: 'A change to a type-examined device that could affect safety, performance or conditions of use needs the notified body’s approval first.',
      },
      notifyNotifiedBody,
    ],
  );

/** For a change that may or may not affect safety, performance or conditions of use. */
export const mdrPriorApprovalIfItCouldAffect = (): RegimeRule =>
  ruleOf(
    [MDR_COULD_AFFECT.id, MDR_TYPE_EXAMINED.id],
    [
      {
        when: { deviceClass: PRIOR_APPROVAL_CLASSES, answers: { [MDR_COULD_AFFECT.id]: true } },
        category: 'NB-PRIOR-APPROVAL',
        citations: [mdr('Annex IX 4.10')],
        confidence: 'V',
        note: 'A change to an approved Class III or IIb implantable device that could affect safety, performance or conditions of use needs the notified body’s approval first.',
      },
      {
        when: { deviceClass: ['IIb'], answers: { [MDR_TYPE_EXAMINED.id]: true, [MDR_COULD_AFFECT.id]: true } },
        category: 'NB-PRIOR-APPROVAL',
        citations: [mdr('Annex X 5.1')],
        confidence: 'V',
        note: 'A change to a type-examined device that could affect safety, performance or conditions of use needs the notified body’s approval first.',
      },
      notifyNotifiedBody,
    ],
  );
