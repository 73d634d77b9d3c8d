import {
  DEFAULT_REQUIRED_FIELDS,
  missingRequiredFields,
  parseRequiredFieldConfig,
  RequiredFieldConfigSchema,
} from '../../src/domain/required-fields';
import type { RequiredFieldConfig, RequiredFieldRule } from '../../src/domain/required-fields';
import { QmsRecordKindSchema } from '../../src/domain/model';
import type { QmsRecordKind } from '../../src/domain/model';
import { aCapa, aChangeControl, aComplaint, aDeviation, aSupplierChange } from '../builders';

const configWith = (kind: QmsRecordKind, rules: RequiredFieldRule[]): RequiredFieldConfig => ({
  rules: { ...DEFAULT_REQUIRED_FIELDS.rules, [kind]: rules },
});

const missingFields = (...args: Parameters<typeof missingRequiredFields>): string[] =>
  missingRequiredFields(...args).map((m) => m.rule.field);

describe('the default configuration', () => {
  it('is itself a valid configuration with rules for all six kinds', () => {
    expect(parseRequiredFieldConfig(DEFAULT_REQUIRED_FIELDS)).toEqual({ ok: true, config: DEFAULT_REQUIRED_FIELDS });
    expect(Object.keys(DEFAULT_REQUIRED_FIELDS.rules).sort()).toEqual([...QmsRecordKindSchema.options].sort());
  });

  it('requires the root cause of an assessed CAPA but not of an assessed change control', () => {
    const capa = aCapa('QMS-1').noFiling().build();
    const changeControl = aChangeControl('QMS-2')
      .withChange('formulation')
      .affecting({ productIds: ['PRD-1'] })
      .noFiling()
      .build();
    expect(missingFields(capa, DEFAULT_REQUIRED_FIELDS)).toEqual(['fields.rootCause']);
    expect(missingFields(changeControl, DEFAULT_REQUIRED_FIELDS)).toEqual([]);
  });

  it('makes the change list required once filing is answered "required" (CAPA), not before', () => {
    const noFiling = aCapa().withField('rootCause', 'operator error').noFiling().build();
    const filing = aCapa()
      .withField('rootCause', 'operator error')
      .filingRequired({ applicationId: 'APP-1', decided: 'CBE-30' })
      .build();
    expect(missingFields(noFiling, DEFAULT_REQUIRED_FIELDS)).toEqual([]);
    expect(missingFields(filing, DEFAULT_REQUIRED_FIELDS)).toEqual(['changes']);
  });

  it('requires the affected suppliers of an assessed supplier change', () => {
    const record = aSupplierChange().withChange('supplier-replacement').noFiling().build();
    expect(missingFields(record, DEFAULT_REQUIRED_FIELDS)).toEqual(['affected.supplierIds']);
  });

  it('asks nothing of a record whose assessment has not started', () => {
    expect(missingFields(aDeviation().build(), DEFAULT_REQUIRED_FIELDS)).toEqual([]);
  });
});

describe('rules conditional on earlier answers', () => {
  const sterileRule: RequiredFieldRule = {
    field: 'fields.sterilityAssessment',
    label: 'Sterility assessment',
    when: { answers: { 'affects-sterility': true } },
  };

  it("requires a field only when a change's answer makes it required", () => {
    const config = configWith('change-control', [sterileRule]);
    const affectsSterility = aChangeControl().withChange('process', { 'affects-sterility': true }).build();
    const doesNot = aChangeControl().withChange('process', { 'affects-sterility': false }).build();
    expect(missingFields(affectsSterility, config)).toEqual(['fields.sterilityAssessment']);
    expect(missingFields(doesNot, config)).toEqual([]);
  });

  it('matches change codes and other fields of the issue, all parts together', () => {
    const config = configWith('complaint', [
      { field: 'fields.reportNumber', when: { fields: { reportable: true }, changeCodes: ['labeling'] } },
    ]);
    const both = aComplaint().withField('reportable', true).withChange('labeling').build();
    const onlyReportable = aComplaint().withField('reportable', true).withChange('process').build();
    expect(missingFields(both, config)).toEqual(['fields.reportNumber']);
    expect(missingFields(onlyReportable, config)).toEqual([]);
  });

  it('is configured per record kind: the same record data needs different fields as a CAPA and as a deviation', () => {
    const config: RequiredFieldConfig = {
      rules: {
        ...DEFAULT_REQUIRED_FIELDS.rules,
        capa: [{ field: 'fields.effectivenessCheck' }],
        deviation: [{ field: 'fields.batchNumbers' }],
      },
    };
    expect(missingFields(aCapa().build(), config)).toEqual(['fields.effectivenessCheck']);
    expect(missingFields(aDeviation().build(), config)).toEqual(['fields.batchNumbers']);
  });

  it('treats false as an answer, but an empty string, an empty list or null as missing', () => {
    const config = configWith('capa', [
      { field: 'fields.a' },
      { field: 'fields.b' },
      { field: 'fields.c' },
      { field: 'fields.d' },
    ]);
    const record = aCapa().withField('a', false).withField('b', '  ').withField('c', []).withField('d', null).build();
    expect(missingFields(record, config)).toEqual(['fields.b', 'fields.c', 'fields.d']);
  });

  it('keeps the supplier rule of a supplier change even when the configuration leaves it out', () => {
    const config = configWith('supplier-change', []);
    const record = aSupplierChange().noFiling().build();
    expect(missingFields(record, config)).toEqual(['affected.supplierIds']);
  });

  it('describes the condition so a message can say why the field is required', () => {
    const [missing] = missingRequiredFields(aCapa().noFiling().build(), DEFAULT_REQUIRED_FIELDS);
    expect(missing?.label).toBe('Root cause');
    expect(missing?.condition).toBe('when the impact status is filing-required or no-filing');
  });
});

describe('parseRequiredFieldConfig', () => {
  const errorsOf = (input: unknown): string[] => {
    const parsed = parseRequiredFieldConfig(input);
    return parsed.ok ? [] : parsed.errors;
  };

  it('rejects an unknown field path, naming where it is and what is allowed', () => {
    const errors = errorsOf(configWith('capa', [{ field: 'rootCause' }]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^rules\.capa\.0\.field: unknown field "rootCause": use one of affected\.productIds, .*fields\.<name>/,
    );
  });

  it('rejects a configuration missing a kind', () => {
    const { capa: _capa, ...rest } = DEFAULT_REQUIRED_FIELDS.rules;
    expect(errorsOf({ rules: rest })).toEqual([expect.stringMatching(/^rules\.capa: /)]);
  });

  it('rejects an unknown kind, an unknown status and an unknown condition', () => {
    const errors = errorsOf({
      rules: {
        ...DEFAULT_REQUIRED_FIELDS.rules,
        'change-control': [
          { field: 'changes', when: { status: ['done'] } },
          { field: 'changes', when: { kind: 'capa' } },
        ],
        incident: [],
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.change-control\.0\.when\.status\.0: /),
        expect.stringMatching(/^rules\.change-control\.1\.when: .*kind/),
        expect.stringMatching(/incident/),
      ]),
    );
  });

  it('rejects an empty condition and a duplicated rule with messages that say what to do', () => {
    const errors = errorsOf(
      configWith('capa', [
        { field: 'changes', when: {} },
        { field: 'fields.rootCause' },
        { field: 'fields.rootCause' },
      ]),
    );
    expect(errors).toEqual([
      'rules.capa.0.when: a condition must name at least one of status, changeCodes, answers or fields (leave out "when" to require the field always)',
      'rules.capa.2: duplicates rule 1 (same field fields.rootCause and condition)',
    ]);
  });

  it('rejects something that is not a configuration at all', () => {
    expect(errorsOf('rules')).toEqual([expect.stringMatching(/^\(config\): /)]);
    expect(() => RequiredFieldConfigSchema.parse(null)).toThrow();
  });
});
