/**
 * The "Regulatory impact" field and its property index in manifest.yml are exactly what
 * src/config/impact-field.ts generates from the domain's zod schema, so the stored value,
 * the field's JSON Schema and the JQL aliases cannot drift apart; and the field's Jira
 * expressions do what docs/impact-field.md says, evaluated as the sandbox evaluates them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';
import { z } from 'zod';
import { evaluateExpression, isPortableExpression } from '../../sandbox/jira/model/expressions';
import { syncedManifest } from '../../scripts/sync-impact-field';
import {
  IMPACT_FIELD_FORMATTER,
  IMPACT_FIELD_SEARCH_ALIASES,
  IMPACT_FIELD_VALIDATION,
  IMPACT_PROPERTY_INDEX,
  impactFieldJsonSchema,
  impactFieldManifestModules,
} from '../../src/config/impact-field';
import { ImpactFieldValueSchema, toImpactFieldValue } from '../../src/domain/impact-field-value';
import { emptyImpact } from '../../src/domain/model';
import { aChangeControl } from '../builders';

const root = resolve(__dirname, '..', '..');
const manifestText = readFileSync(join(root, 'manifest.yml'), 'utf8');
const manifest = z
  .looseObject({ modules: z.record(z.string(), z.array(z.looseObject({ key: z.string() }))) })
  .parse(load(manifestText));

const assessed = aChangeControl('QMS-1')
  .affecting({ productIds: ['PRD-CARDIOLOL'] })
  .filingRequired(
    { applicationId: 'MAA-1', market: 'EU', decided: 'EU-IB' },
    { applicationId: 'NDA-1', market: 'US', decided: 'CBE-30' },
    { applicationId: 'NDA-2', market: 'US', decided: 'PAS' },
  )
  .build().impact;

describe('the Regulatory impact field in manifest.yml', () => {
  it('declares exactly the generated field and property index (run `npm run -s sync:impact-field` after changing them)', () => {
    const generated = impactFieldManifestModules();
    expect(manifest.modules['jira:customField']).toEqual(generated['jira:customField']);
    expect(manifest.modules['jira:entityProperty']).toEqual(generated['jira:entityProperty']);
    expect(syncedManifest(manifestText)).toBe(manifestText);
  });

  it("has as its schema the JSON Schema of the domain's stored value", () => {
    const [field] = z
      .array(z.looseObject({ schema: z.record(z.string(), z.unknown()) }))
      .parse(manifest.modules['jira:customField']);
    const { $schema: _draft, ...fromZod } = z.toJSONSchema(ImpactFieldValueSchema, { target: 'draft-7' });
    const withoutAliases = JSON.parse(JSON.stringify(field?.schema), (key: string, value: unknown) =>
      key === 'searchAlias' ? undefined : value,
    );
    expect(withoutAliases).toEqual(fromZod);
  });

  it('accepts every value the domain stores and refuses what the domain refuses, read by a draft-07 validator', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(impactFieldJsonSchema());
    for (const impact of [emptyImpact(), assessed]) expect(validate(toImpactFieldValue(impact))).toBe(true);
    const bad = [
      { ...toImpactFieldValue(assessed), filingRequired: 'maybe' },
      { ...toImpactFieldValue(assessed), extra: 1 },
      { status: 'no-filing' },
    ];
    for (const value of bad) {
      expect(ImpactFieldValueSchema.safeParse(value).success).toBe(false);
      expect(validate(value)).toBe(false);
    }
  });

  it('puts every search alias on a top-level property, and the property aliases on paths the stored value has', () => {
    const schema = z
      .looseObject({ properties: z.record(z.string(), z.looseObject({ searchAlias: z.string().optional() })) })
      .parse(impactFieldJsonSchema());
    const aliased = Object.entries(schema.properties).flatMap(([name, p]) =>
      p.searchAlias ? [[name, p.searchAlias]] : [],
    );
    expect(Object.fromEntries(aliased)).toEqual(IMPACT_FIELD_SEARCH_ALIASES);
    const value = toImpactFieldValue(assessed);
    for (const { path } of IMPACT_PROPERTY_INDEX.values) expect(Object.keys(value)).toContain(path);
  });

  it("stays within Forge's 100 indexed entity property values over all modules", () => {
    const values = z
      .array(z.looseObject({ values: z.array(z.unknown()) }))
      .parse(manifest.modules['jira:entityProperty'] ?? [])
      .flatMap((m) => m.values);
    expect(values.length).toBeLessThanOrEqual(100);
  });
});

describe('the field formatter', () => {
  const format = (value: unknown) => evaluateExpression(IMPACT_FIELD_FORMATTER, { value });

  it('reads as the status, then the decided categories per market', () => {
    expect(format(toImpactFieldValue(assessed))).toBe('Filing required · EU: EU-IB · US: CBE-30, PAS');
    expect(format(toImpactFieldValue(emptyImpact()))).toBe('Not assessed');
    expect(format(null)).toBe('Not assessed');
    const noFiling = aChangeControl('QMS-2')
      .noFiling({ applicationId: 'K-1', market: 'US', decided: 'LETTER-TO-FILE' })
      .build().impact;
    expect(format(toImpactFieldValue(noFiling))).toBe('No filing · US: LETTER-TO-FILE');
    const open = aChangeControl('QMS-3')
      .inAssessment()
      .withDecisions({ applicationId: 'NDA-1', market: 'US' })
      .build().impact;
    expect(format(toImpactFieldValue(open))).toBe('In assessment');
  });

  it('shows a value written before the derived values existed by its status alone', () => {
    expect(format(assessed)).toBe('Filing required');
  });
});

describe("the field's Jira expressions", () => {
  it.each([
    ['formatter', IMPACT_FIELD_FORMATTER],
    ['validation', IMPACT_FIELD_VALIDATION],
  ])(
    'the %s uses only constructs that mean the same in Jira expressions and JavaScript, within 1,000 characters',
    (_name, expression) => {
      expect(isPortableExpression(expression)).toBe(true);
      expect(expression.length).toBeLessThanOrEqual(1000);
    },
  );

  it('a construct outside that subset is refused, not evaluated', () => {
    // An arrow with a `{` body is a block in JavaScript but an object literal in Jira expressions.
    expect(isPortableExpression('value.map(x => { key: x })')).toBe(false);
    expect(isPortableExpression('value.map(x => x.key)')).toBe(true);
    expect(isPortableExpression('value === 1')).toBe(false);
    expect(() => evaluateExpression('new Function("x")', {})).toThrow();
  });
});
