import { CATALOG, CatalogSchema } from '../../src/domain/catalog';
import type { Answer, ApplicationType, Change, DeviceClass } from '../../src/domain/model';
import { assessChange, recommendForApplication, recommendForCase } from '../../src/domain/recommend';
import type { RecommendApplication } from '../../src/domain/recommend.schema';

/** Builder for the application a recommendation is made for. */
const anApplication = (
  type: ApplicationType,
  overrides: { id?: string; market?: string; deviceClass?: DeviceClass } = {},
): RecommendApplication => ({
  id: overrides.id ?? `${type}-1`,
  market: overrides.market ?? (['MAA', 'CE-MDR', 'CE-MDD'].includes(type) ? 'EU' : 'US'),
  type,
  ...(overrides.deviceClass ? { deviceClass: overrides.deviceClass } : {}),
});

const aChange = (code: string, answers?: Record<string, Answer>): Change => (answers ? { code, answers } : { code });

describe('recommendForApplication', () => {
  describe('one change', () => {
    it.each([
      ['NDA', 'formulation.composition-change', 'PAS'],
      ['ANDA', 'process.other', 'CBE-30'],
      ['NDA', 'ccs.size-shape-nonsolid', 'CBE-0'],
      ['NDA', 'labeling.editorial', 'AR'],
      ['BLA', 'biologic.cell-bank', 'PAS'],
      ['BLA', 'labeling.safety-strengthening', 'CBE-0'],
      ['MAA', 'labeling.new-indication', 'EU-II'],
      ['MAA', 'admin.mah-name-address', 'EU-IAIN'],
      ['510K', 'device.software-cybersecurity-only', 'LETTER-TO-FILE'],
      ['510K', 'device.within-pccp', 'NONE'],
      ['PMA', 'device.manufacturing-site', 'PMA-180-DAY'],
      ['CE-MDD', 'device.software-new-risk', 'MDR-SIGNIFICANT-CHANGE'],
    ] satisfies [ApplicationType, string, string][])('%s × %s → %s (filing-rules.md)', (type, code, expected) => {
      const decision = recommendForApplication([aChange(code)], anApplication(type));
      expect(decision.category).toBe(expected);
      expect(decision.citations.length).toBeGreaterThan(0);
      expect(decision.rationale).toContain(code);
    });

    it('follows the answer a rule reads (compendium: AR instead of CBE-0)', () => {
      const application = anApplication('NDA');
      expect(
        recommendForApplication([aChange('spec.tighten-or-add', { 'us-to-comply-with-compendium': true })], application)
          .category,
      ).toBe('AR');
      expect(
        recommendForApplication(
          [aChange('spec.tighten-or-add', { 'us-to-comply-with-compendium': false })],
          application,
        ).category,
      ).toBe('CBE-0');
    });

    it('says in the rationale which answers decided and flags U rows for confirmation', () => {
      const { rationale } = recommendForApplication(
        [aChange('spec.tighten-or-add', { 'us-to-comply-with-compendium': true })],
        anApplication('NDA'),
      );
      expect(rationale).toContain('us-to-comply-with-compendium = yes');
      expect(rationale).toMatch(/confidence U: confirm/);
    });

    it('picks the PMA track from the data needed', () => {
      const track = (data: string) =>
        recommendForApplication(
          [aChange('device.design-significant', { 'us-pma-supporting-data': data })],
          anApplication('PMA'),
        ).category;
      expect(track('clinical')).toBe('PMA-PANEL-TRACK');
      expect(track('preclinical')).toBe('PMA-180-DAY');
      expect(track('minor')).toBe('PMA-REAL-TIME');
    });
  });

  describe('several changes for one application', () => {
    it('files at the most demanding category and names the deciding change', () => {
      const decision = recommendForApplication(
        [
          aChange('site.secondary-packaging'),
          aChange('process.other'),
          aChange('spec.tighten-or-add', { 'us-to-comply-with-compendium': false }),
        ],
        anApplication('NDA'),
      );
      expect(decision.category).toBe('CBE-30');
      expect(decision.rationale).toMatch(/most demanding of 3 changes/);
      expect(decision.rationale).toMatch(/Decided by #2 "process\.other"/);
      expect(decision.rationale).toContain('#1 "site.secondary-packaging" → AR');
      expect(decision.rationale).toContain('#3 "spec.tighten-or-add" → CBE-0');
    });

    it('cites only the deciding rules, each citation once', () => {
      const decision = recommendForApplication(
        [aChange('process.technology-change'), aChange('labeling.editorial'), aChange('site.new-uninspected')],
        anApplication('ANDA'),
      );
      expect(decision.category).toBe('PAS');
      expect(decision.citations).toEqual([
        '21 CFR 314.70(b)(1)',
        'FDA guidance: Changes to an Approved NDA or ANDA (Rev. 1, 2004)',
      ]);
      expect(decision.citations.join()).not.toContain('314.70(d)');
    });

    it('groups EU variations at the highest type', () => {
      const decision = recommendForApplication(
        [aChange('admin.mah-name-address'), aChange('labeling.new-indication')],
        anApplication('MAA'),
      );
      expect(decision.category).toBe('EU-II');
      expect(decision.rationale).toMatch(/Decided by #2 "labeling\.new-indication"/);
    });
  });

  describe('REVIEW-REQUIRED', () => {
    it('for an unknown code, naming it', () => {
      const decision = recommendForApplication(
        [aChange('process.teleportation')],
        anApplication('NDA', { id: 'NDA-77' }),
      );
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toContain('"process.teleportation" is not a change code in the catalog');
      expect(decision.rationale).toContain('NDA-77');
    });

    it('for a code that does not apply to the application type, naming code, type and application', () => {
      const decision = recommendForApplication([aChange('device.design-minor')], anApplication('NDA', { id: 'NDA-9' }));
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toMatch(/"device\.design-minor" .* does not apply to NDA applications/);
      expect(decision.rationale).toContain('NDA-9');
      expect(
        recommendForApplication(
          [aChange('formulation.composition-change')],
          anApplication('CE-MDR', { deviceClass: 'III' }),
        ).category,
      ).toBe('REVIEW-REQUIRED');
    });

    it('for a missing answer the rule needs, naming the question id and text and the application', () => {
      const decision = recommendForApplication(
        [aChange('spec.tighten-or-add')],
        anApplication('ANDA', { id: 'ANDA-5' }),
      );
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toContain('question "us-to-comply-with-compendium"');
      expect(decision.rationale).toContain('official compendium');
      expect(decision.rationale).toContain('ANDA-5');
    });

    it('files a biologic change by the 601.12 tier the reviewer answers, and cites the tiers while it is unanswered', () => {
      const tier = (answer: string) =>
        recommendForApplication(
          [aChange('site.move-inspected', { 'us-biologic-potential': answer })],
          anApplication('BLA'),
        );
      expect(tier('substantial')).toMatchObject({ category: 'PAS', citations: ['21 CFR 601.12(b)(1)'] });
      expect(tier('moderate')).toMatchObject({ category: 'CBE-30', citations: ['21 CFR 601.12(c)(1)'] });
      expect(tier('moderate-on-receipt')).toMatchObject({ category: 'CBE-0', citations: ['21 CFR 601.12(c)(5)'] });
      expect(tier('minimal')).toMatchObject({ category: 'AR', citations: ['21 CFR 601.12(d)(1)'] });
      const unanswered = recommendForApplication([aChange('process.other')], anApplication('BLA'));
      expect(unanswered.category).toBe('REVIEW-REQUIRED');
      expect(unanswered.rationale).toContain('us-biologic-potential');
      expect(unanswered.citations).toEqual([
        '21 CFR 601.12(b)(1)',
        '21 CFR 601.12(c)(1)',
        '21 CFR 601.12(c)(5)',
        '21 CFR 601.12(d)(1)',
      ]);
    });

    it('cites the sources a rule that cannot decide draws on, and none where no rule applies', () => {
      const unanswered = recommendForApplication([aChange('site.move-inspected')], anApplication('NDA'));
      expect(unanswered.category).toBe('REVIEW-REQUIRED');
      expect(unanswered.citations.join()).toContain('314.70');
      expect(unanswered.rationale).toContain('the citations are the sources the undecided rules draw on');
      const unansweredEu = recommendForApplication([aChange('site.move-inspected')], anApplication('MAA'));
      expect(unansweredEu.citations.length).toBeGreaterThan(0);
      expect(unansweredEu.citations.join()).not.toContain('314.70');
      const notApplicable = recommendForApplication([aChange('device.design-minor')], anApplication('NDA'));
      expect(notApplicable.citations).toEqual([]);
      expect(notApplicable.rationale).not.toContain('the citations are');
    });

    it('points out answers given to questions the code does not ask', () => {
      const decision = recommendForApplication(
        [aChange('spec.tighten-or-add', { 'for-compendium': true })],
        anApplication('NDA'),
      );
      expect(decision.rationale).toContain('questions this code does not ask: for-compendium');
    });

    it('for an answer of the wrong kind or outside the options', () => {
      const wrongKind = recommendForApplication(
        [aChange('spec.tighten-or-add', { 'us-to-comply-with-compendium': 'yes' })],
        anApplication('NDA'),
      );
      expect(wrongKind.category).toBe('REVIEW-REQUIRED');
      expect(wrongKind.rationale).toMatch(/must be true or false/);
      const unknownOption = recommendForApplication(
        [aChange('formulation.composition-change', { 'eu-guideline-classification': 'Type II' })],
        anApplication('MAA'),
      );
      expect(unknownOption.category).toBe('REVIEW-REQUIRED');
      expect(unknownOption.rationale).toMatch(/must be one of IA, IA-IN, IB, II, extension, not-listed/);
    });

    it('for a device-class-dependent rule without a device class', () => {
      const decision = recommendForApplication(
        [aChange('device.design-significant')],
        anApplication('CE-MDR', { id: 'MDR-3' }),
      );
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toContain('application MDR-3 has no device class');
      expect(decision.rationale).toContain('III or IIb-implantable');
    });

    it('for an empty list of changes', () => {
      const decision = recommendForApplication([], anApplication('PMA'));
      expect(decision).toMatchObject({ applicationId: 'PMA-1', category: 'REVIEW-REQUIRED', citations: [] });
      expect(decision.rationale).toContain('no change codes assessed');
    });

    it('dominates a group, and still lists what was decided', () => {
      const decision = recommendForApplication(
        [aChange('formulation.composition-change'), aChange('nope.unknown')],
        anApplication('NDA'),
      );
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toContain('cannot decide 1 of 2 changes');
      expect(decision.rationale).toContain('"nope.unknown"');
      expect(decision.rationale).toContain('#1 "formulation.composition-change" → PAS');
    });

    it('where the table itself says the rules cannot decide (same-design equipment, sterile)', () => {
      const decision = recommendForApplication(
        [aChange('process.equipment-same-design', { 'us-sterile-processing': true })],
        anApplication('NDA'),
      );
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.citations).toContain('21 CFR 314.70(d)(2)(iii)');
    });
  });

  describe('device class', () => {
    const mdrDesignMinor = (deviceClass: DeviceClass, answers: Record<string, Answer> = {}) =>
      recommendForApplication([aChange('device.design-minor', answers)], anApplication('CE-MDR', { deviceClass }));

    it('needs notified-body prior approval for Class III and IIb implantable when safety or performance could be affected', () => {
      for (const deviceClass of ['III', 'IIb-implantable'] satisfies DeviceClass[]) {
        const decision = mdrDesignMinor(deviceClass, { 'eu-mdr-could-affect-safety-performance': true });
        expect(decision.category).toBe('NB-PRIOR-APPROVAL');
        expect(decision.citations.join()).toContain('Annex IX 4.10');
      }
    });

    it('notifies the notified body when a Class III change could not affect safety or performance', () => {
      const decision = mdrDesignMinor('III', {
        'eu-mdr-could-affect-safety-performance': false,
        'eu-mdr-type-examined': false,
      });
      expect(decision.category).toBe('NB-NOTIFICATION');
      expect(decision.citations.join()).toContain('Annex IX 2.4');
    });

    it('does not ask a Class IIa device questions that cannot change its answer', () => {
      expect(mdrDesignMinor('IIa').category).toBe('NB-NOTIFICATION');
    });

    it('asks a Class III device whether the change could affect safety or performance', () => {
      const decision = mdrDesignMinor('III');
      expect(decision.category).toBe('REVIEW-REQUIRED');
      expect(decision.rationale).toContain('eu-mdr-could-affect-safety-performance');
    });

    it('uses Annex X 5.1 for a type-examined IIb device', () => {
      const decision = recommendForApplication(
        [aChange('device.design-significant', { 'eu-mdr-type-examined': true })],
        anApplication('CE-MDR', { deviceClass: 'IIb' }),
      );
      expect(decision.category).toBe('NB-PRIOR-APPROVAL');
      expect(decision.citations.join()).toContain('Annex X 5.1');
      expect(decision.rationale).toContain('device class IIb');
    });
  });

  it('judges DE-NOVO changes by the 510(k) rules', () => {
    const deviceCodes = CATALOG.filter((e) => e.rules['US-510K']);
    expect(deviceCodes.length).toBeGreaterThan(10);
    for (const e of deviceCodes) {
      for (const value of [true, false]) {
        const answers = Object.fromEntries(
          e.questions.filter((q) => q.answer.kind === 'boolean').map((q) => [q.id, value]),
        );
        const k510 = recommendForApplication([aChange(e.code, answers)], anApplication('510K'));
        const deNovo = recommendForApplication([aChange(e.code, answers)], anApplication('DE-NOVO'));
        expect(deNovo.category).toBe(k510.category);
        expect(deNovo.citations).toEqual(k510.citations);
      }
    }
    expect(recommendForApplication([aChange('device.design-significant')], anApplication('DE-NOVO')).category).toBe(
      'NEW-510K',
    );
  });

  it('uses the catalog it is given', () => {
    const tinyCatalog = CatalogSchema.parse([
      {
        code: 'test.only',
        title: 'Test only',
        questions: [],
        rules: {
          'US-DRUG': {
            requires: [],
            outcomes: [{ when: {}, category: 'AR', citations: ['test citation'], confidence: 'V', note: 'test note' }],
          },
        },
      },
    ]);
    expect(recommendForApplication([aChange('test.only')], anApplication('NDA'), tinyCatalog)).toMatchObject({
      category: 'AR',
      citations: ['test citation'],
    });
    expect(
      recommendForApplication([aChange('formulation.composition-change')], anApplication('NDA'), tinyCatalog).category,
    ).toBe('REVIEW-REQUIRED');
  });
});

describe('assessChange', () => {
  it('reports the position and category of one change', () => {
    expect(assessChange(aChange('labeling.editorial'), anApplication('BLA'), CATALOG, 4)).toMatchObject({
      position: 4,
      code: 'labeling.editorial',
      category: 'AR',
    });
  });
});

describe('recommendForCase', () => {
  it('gives one decision per application, in order, with different categories per market', () => {
    const result = recommendForCase({
      id: 'QMS-12',
      changes: [aChange('site.secondary-packaging')],
      applications: [
        anApplication('MAA', { id: 'EU-MA-1' }),
        anApplication('NDA', { id: 'US-NDA-1' }),
        anApplication('CE-MDD', { id: 'MDD-1' }),
      ],
    });
    expect(result.id).toBe('QMS-12');
    expect(result.decisions.map((d) => [d.applicationId, d.category])).toEqual([
      ['EU-MA-1', 'EU-IAIN'],
      ['US-NDA-1', 'AR'],
      ['MDD-1', 'REVIEW-REQUIRED'],
    ]);
  });

  it('treats the same labeling change differently in the US and the EU', () => {
    const result = recommendForCase({
      id: 'CC-7',
      changes: [aChange('labeling.safety-strengthening', { 'eu-authority-requested-type': 'II' })],
      applications: [anApplication('NDA'), anApplication('MAA')],
    });
    expect(result.decisions.map((d) => d.category)).toEqual(['CBE-0', 'EU-II']);
  });
});
