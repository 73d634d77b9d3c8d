import { CATEGORY_LADDERS, isCategoryValidFor, regimeOf, type Regime } from '../../src/domain/categories';
import {
  applicableTypes,
  CATALOG,
  catalogDigest,
  CatalogSchema,
  CatalogViewSchema,
  RegimeSchema,
  RULES_VERSION,
  viewCatalogByApplicationType,
  type Catalog,
  type CatalogEntry,
} from '../../src/domain/catalog';
import { ApplicationTypeSchema } from '../../src/domain/model';

const REQUIRED_CODES = [
  'formulation.composition-change',
  'formulation.colour-only-deletion',
  'site.new-uninspected',
  'site.move-inspected',
  'site.secondary-packaging',
  'process.sterility-affecting',
  'process.technology-change',
  'process.synthesis-impurity',
  'process.other',
  'process.equipment-same-design',
  'spec.relax-or-delete',
  'spec.relax-compendial',
  'spec.tighten-or-add',
  'ccs.type-or-resin',
  'ccs.size-shape-nonsolid',
  'ccs.size-shape-solid',
  'labeling.new-indication',
  'labeling.safety-strengthening',
  'labeling.editorial',
  'stability.new-protocol',
  'stability.shelf-life-reduction',
  'stability.shelf-life-extension-approved-protocol',
  'biologic.cell-bank',
  'biologic.viral-clearance',
  'device.design-significant',
  'device.design-minor',
  'device.material-patient-contact-new',
  'device.software-cybersecurity-only',
  'device.software-new-risk',
  'device.labeling-indication-change',
  'device.manufacturing-method',
  'device.manufacturing-site',
  'device.sterilization-method',
  'device.within-pccp',
  'admin.mah-name-address',
];

const MEDICINE_REGIMES: Regime[] = ['US-DRUG', 'US-BIOLOGIC', 'EU-MEDICINE'];
const DEVICE_REGIMES: Regime[] = ['US-510K', 'US-PMA', 'EU-MDR', 'EU-LEGACY-DEVICE'];

const entry = (code: string): CatalogEntry => {
  const found = CATALOG.find((e) => e.code === code);
  if (!found) throw new Error(`no catalog entry ${code}`);
  return found;
};

const copyOfCatalog = (): Catalog => structuredClone(CATALOG);

const firstIssue = (catalog: unknown): string => {
  const result = CatalogSchema.safeParse(catalog);
  return result.success ? 'valid' : (result.error.issues[0]?.message ?? 'invalid');
};

describe('change catalog', () => {
  it.each(REQUIRED_CODES)('has the code %s', (code) => {
    expect(CATALOG.map((e) => e.code)).toContain(code);
  });

  it('passes its own schema and consistency rules', () => {
    expect(CatalogSchema.safeParse(CATALOG).success).toBe(true);
  });

  it('knows exactly the regimes of the category ladders', () => {
    expect([...RegimeSchema.options].sort()).toEqual(Object.keys(CATEGORY_LADDERS).sort());
  });

  it('cites at least one source and tags V or U for every outcome of every regime a code applies to', () => {
    for (const e of CATALOG) {
      const regimes = RegimeSchema.options.filter((r) => e.rules[r]);
      expect(regimes.length).toBeGreaterThan(0);
      for (const regime of regimes) {
        for (const outcome of e.rules[regime]?.outcomes ?? []) {
          expect(outcome.citations.length).toBeGreaterThan(0);
          expect(['V', 'U']).toContain(outcome.confidence);
        }
      }
    }
  });

  it('puts every category on the ladder of each application type of its regime', () => {
    for (const e of CATALOG) {
      for (const type of applicableTypes(e)) {
        for (const outcome of e.rules[regimeOf(type)]?.outcomes ?? [])
          expect(isCategoryValidFor(outcome.category, type)).toBe(true);
      }
    }
  });

  it('keeps medicine codes off device regimes and device codes off medicine regimes', () => {
    for (const e of CATALOG) {
      if (e.code.startsWith('device.')) MEDICINE_REGIMES.forEach((r) => expect(e.rules[r]).toBeUndefined());
      if (/^(formulation|site|process|spec|ccs|labeling|stability|biologic|equivalence|product)\./.test(e.code)) {
        DEVICE_REGIMES.forEach((r) => expect(e.rules[r]).toBeUndefined());
      }
    }
  });

  it('covers every regime of filing-rules.md somewhere', () => {
    for (const regime of RegimeSchema.options) expect(CATALOG.some((e) => e.rules[regime])).toBe(true);
  });

  it('tags the US drug guidance examples U and the 807.81(a)(3) rows V, as filing-rules.md does', () => {
    const drugOutcomes = CATALOG.flatMap((e) => e.rules['US-DRUG']?.outcomes ?? []);
    expect(drugOutcomes.length).toBeGreaterThan(20);
    expect(drugOutcomes.every((o) => o.confidence === 'U')).toBe(true);
    const k510Outcomes = CATALOG.flatMap((e) => e.rules['US-510K']?.outcomes ?? []);
    expect(k510Outcomes.every((o) => o.confidence === 'V')).toBe(true);
  });

  it('cites the paragraph filing-rules.md names for the key rows', () => {
    expect(entry('formulation.composition-change').rules['US-DRUG']?.outcomes[0]?.citations).toEqual([
      '21 CFR 314.70(b)(2)(i)',
      'FDA guidance: Changes to an Approved NDA or ANDA (Rev. 1, 2004)',
    ]);
    const mdrDesign = entry('device.design-minor').rules['EU-MDR']?.outcomes ?? [];
    expect(
      mdrDesign
        .find((o) => o.category === 'NB-PRIOR-APPROVAL' && o.when.deviceClass?.includes('III'))
        ?.citations.join(),
    ).toContain('Annex IX 4.10');
    expect(mdrDesign.find((o) => o.category === 'NB-NOTIFICATION')?.citations.join()).toContain('Annex IX 2.4');
    expect(entry('device.within-pccp').rules['US-510K']?.outcomes[0]?.citations).toContain('21 CFR 807.81(b)(1)(ii)');
  });

  it('expresses the MDR device-class condition as data, not code', () => {
    const rule = entry('device.design-minor').rules['EU-MDR'];
    expect(rule?.requires).toEqual(expect.arrayContaining(['eu-mdr-could-affect-safety-performance']));
    expect(rule?.outcomes[0]?.when).toEqual({
      deviceClass: ['III', 'IIb-implantable'],
      answers: { 'eu-mdr-could-affect-safety-performance': true },
    });
  });

  describe('consistency rules are not vacuous', () => {
    it('rejects a category that is not on the regime ladder', () => {
      const catalog = copyOfCatalog();
      const outcome = catalog[0]?.rules['US-DRUG']?.outcomes[0];
      if (!outcome) throw new Error('fixture');
      outcome.category = 'NEW-510K';
      expect(firstIssue(catalog)).toMatch(/NEW-510K is not on the US-DRUG ladder/);
    });

    it('rejects an outcome that reads an undeclared question', () => {
      const catalog = copyOfCatalog();
      const rule = catalog.find((e) => e.code === 'spec.tighten-or-add')?.rules['US-DRUG'];
      const outcome = rule?.outcomes[0];
      if (!rule || !outcome) throw new Error('fixture');
      outcome.when = { answers: { 'not-a-question': true } };
      rule.requires = ['not-a-question'];
      expect(firstIssue(catalog)).toMatch(/question not-a-question is not declared/);
    });

    it('rejects a rule whose requires does not list the questions it reads', () => {
      const catalog = copyOfCatalog();
      const rule = catalog.find((e) => e.code === 'spec.tighten-or-add')?.rules['US-DRUG'];
      if (!rule) throw new Error('fixture');
      rule.requires = [];
      expect(firstIssue(catalog)).toMatch(/requires \[\] but the outcomes read \[us-to-comply-with-compendium\]/);
    });

    it('rejects a rule where some answers reach no outcome', () => {
      const catalog = copyOfCatalog();
      const rule = catalog.find((e) => e.code === 'spec.tighten-or-add')?.rules['US-DRUG'];
      if (!rule) throw new Error('fixture');
      rule.outcomes = rule.outcomes.slice(0, 1);
      expect(firstIssue(catalog)).toMatch(/no outcome decides/);
    });

    it('rejects an outcome without a citation', () => {
      const catalog = copyOfCatalog();
      const outcome = catalog[0]?.rules['US-DRUG']?.outcomes[0];
      if (!outcome) throw new Error('fixture');
      outcome.citations = [];
      expect(CatalogSchema.safeParse(catalog).success).toBe(false);
    });

    it('rejects a duplicate code', () => {
      const catalog = copyOfCatalog();
      const first = catalog[0];
      if (!first) throw new Error('fixture');
      catalog.push(structuredClone(first));
      expect(firstIssue(catalog)).toMatch(/duplicate code/);
    });
  });

  describe('version and digest', () => {
    it('has a semver-shaped rules version', () => {
      expect(RULES_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it('digests the table with SHA-256, and any edit changes the digest', () => {
      expect(catalogDigest()).toMatch(/^[0-9a-f]{64}$/);
      expect(catalogDigest(copyOfCatalog())).toBe(catalogDigest());
      const edited = copyOfCatalog();
      const first = edited[0];
      if (!first) throw new Error('fixture');
      first.title = `${first.title} (edited)`;
      expect(catalogDigest(edited)).not.toBe(catalogDigest());
    });
  });

  describe('view per application type', () => {
    const view = viewCatalogByApplicationType();

    it('is well formed and lists every application type for every code', () => {
      expect(CatalogViewSchema.safeParse(view).success).toBe(true);
      for (const code of view.codes)
        expect(Object.keys(code.byApplicationType).sort()).toEqual([...ApplicationTypeSchema.options].sort());
    });

    it('shows DE-NOVO with the 510(k) rules and REVIEW-REQUIRED where a code does not apply', () => {
      const design = view.codes.find((c) => c.code === 'device.design-significant');
      expect(design?.byApplicationType['DE-NOVO']).toEqual(design?.byApplicationType['510K']);
      expect(design?.byApplicationType.NDA).toMatchObject({ applicable: false, categories: ['REVIEW-REQUIRED'] });
      const pccp = view.codes.find((c) => c.code === 'device.within-pccp');
      expect(pccp?.byApplicationType['510K'].categories).toEqual(['NONE']);
    });

    it('lists the categories a code can lead to per type', () => {
      const tighten = view.codes.find((c) => c.code === 'spec.tighten-or-add');
      expect([...(tighten?.byApplicationType.ANDA.categories ?? [])].sort()).toEqual(['AR', 'CBE-0']);
      expect(tighten?.byApplicationType.ANDA.requires).toEqual(['us-to-comply-with-compendium']);
      const design = view.codes.find((c) => c.code === 'device.design-minor');
      expect(design?.byApplicationType['CE-MDR'].dependsOnDeviceClass).toBe(true);
    });
  });
});
