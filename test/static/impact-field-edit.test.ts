/**
 * The field's edit view, without a browser: what it shows and may submit, and its calls
 * through its bridge port to the Jira stand-in as the person, where Jira's own validation
 * of the field then decides, as it would for `view.submit`.
 */
import './host-bridge';
import { REGULATORY_IMPACT_FIELD } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';
import type { TestSite } from '../../sandbox/jira/fixtures/test-site';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import { emptyImpact } from '../../src/domain/model';
import { createFieldEditApi } from '../../static/impact-field-edit/src/api';
import { fieldEditViewOf } from '../../static/impact-field-edit/src/field-edit';
import { filingRequiredPas } from '../entry/impact-fixtures';

const F = REGULATORY_IMPACT_FIELD.id;

describe('fieldEditViewOf', () => {
  it('shows the recorded status and categories, and offers nothing to submit when the field is in step', () => {
    const value = toImpactFieldValue(filingRequiredPas);
    expect(fieldEditViewOf(value, value)).toEqual({
      kind: 'in-step',
      status: 'filing-required',
      decidedByMarket: ['US: PAS'],
    });
  });

  it('offers the recorded value when the field is empty or differs, from a record stored before the derived values existed too', () => {
    expect(fieldEditViewOf(null, filingRequiredPas)).toEqual({
      kind: 'out-of-step',
      status: 'filing-required',
      decidedByMarket: ['US: PAS'],
      refresh: toImpactFieldValue(filingRequiredPas),
    });
    const stale = toImpactFieldValue({ ...filingRequiredPas, version: 2, status: 'in-assessment' });
    expect(fieldEditViewOf(stale, toImpactFieldValue(filingRequiredPas))).toMatchObject({
      kind: 'out-of-step',
      refresh: toImpactFieldValue(filingRequiredPas),
    });
  });

  it('never offers a value the record does not hold: a field with a forged decision is refreshed from the record', () => {
    const forged = toImpactFieldValue({ ...filingRequiredPas, status: 'no-filing' });
    const view = fieldEditViewOf(forged, filingRequiredPas);
    expect(view).toMatchObject({ kind: 'out-of-step', status: 'filing-required' });
  });

  it('has nothing to show without an assessment, and says so when the record is unreadable', () => {
    expect(fieldEditViewOf(null, undefined)).toEqual({ kind: 'no-assessment' });
    expect(fieldEditViewOf(null, { status: 'no-filing' })).toMatchObject({ kind: 'unreadable' });
  });
});

describe('the edit view against Jira', () => {
  let site: TestSite;
  const submitted: unknown[] = [];
  const apiAs = (actor: 'quality' | 'manager', fieldValue: unknown) =>
    createFieldEditApi({
      getContext: async () => ({ extension: { type: 'jira:customField', issue: { key: 'QMS-1' }, fieldValue } }),
      requestJira: async (path) => {
        const res = await site.call(actor, 'GET', path);
        return { status: res.status, json: async () => res.body };
      },
      // What Jira does with view.submit: set the field as the person, running the field's validation.
      submit: async (value) => {
        submitted.push(value);
        const res = await site.call(actor, 'PUT', '/rest/api/3/issue/QMS-1', { fields: { [F]: value } });
        if (res.status !== 204) throw new Error(JSON.stringify(res.body));
      },
      close: async () => undefined,
    });

  beforeEach(() => {
    site = createTestSite();
    submitted.length = 0;
    // Assessed before the field existed: the property holds the bare assessment, the field nothing.
    site.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Switch to wet granulation',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
  });

  it('reads the record as the person, refreshes the field with exactly the recorded value, and is then in step', async () => {
    const api = apiAs('quality', null);
    const context = await api.context();
    const view = fieldEditViewOf(context.fieldValue, await api.storedImpact(context.issueKey));
    if (view.kind !== 'out-of-step') throw new Error(`expected out-of-step, got ${view.kind}`);
    await api.submit(view.refresh);
    const field = site.jira.readIssue('QMS-1')?.customFields[F];
    expect(field).toEqual(toImpactFieldValue(filingRequiredPas));
    expect(fieldEditViewOf(field, await api.storedImpact('QMS-1'))).toMatchObject({ kind: 'in-step' });
  });

  it('finds no assessment on a record the app has not written', async () => {
    site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', key: 'QMS-2', summary: 'x' });
    expect(await apiAs('quality', null).storedImpact('QMS-2')).toBeUndefined();
  });

  it('refuses to submit a value that is not a stored impact value', async () => {
    await expect(
      apiAs('quality', null).submit({ ...toImpactFieldValue(emptyImpact()), version: -1 }),
    ).rejects.toThrow();
    expect(submitted).toEqual([]);
  });

  it('cannot refresh for a person who may not edit the record: Jira refuses the field', async () => {
    const api = apiAs('manager', null);
    await expect(api.submit(toImpactFieldValue(filingRequiredPas))).rejects.toThrow();
    expect(site.jira.readIssue('QMS-1')?.customFields[F]).toBeUndefined();
  });

  it('is refused by Jira when the value differs from the record, whatever the browser sends', async () => {
    await expect(
      apiAs('quality', null).submit(toImpactFieldValue({ ...filingRequiredPas, status: 'no-filing' })),
    ).rejects.toThrow(/Regulatory impact/);
  });
});
