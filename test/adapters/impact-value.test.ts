/**
 * writeImpactValue, run as Forge runs it (real @forge/api, asUser) against the Jira
 * stand-in: the same value lands in the "Regulatory impact" field and in qmsrim.impact, a
 * failed field write leaves the record as it was, and the field takes no value the app did
 * not record. Every request and answer is held to Atlassian's OpenAPI spec.
 */
import { asUser } from '@forge/api';
import type { Route } from '@forge/api';
import type { ZodType } from 'zod';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { REGULATORY_IMPACT_FIELD, SITE_ACCOUNTS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { writeImpactValue } from '../../src/adapters/jira/impact-value';
import { createJiraHttp } from '../../src/adapters/jira/jira-http';
import type { JiraHttp, JiraRequest } from '../../src/adapters/jira/jira-http';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import { emptyImpact } from '../../src/domain/model';
import type { RegulatoryImpact } from '../../src/domain/model';
import { AppError } from '../../src/ports/app-error';
import { createContractObserver } from '../support/contract-observer';
import { filingRequiredPas } from '../entry/impact-fixtures';

const contract = createContractObserver();
const F = REGULATORY_IMPACT_FIELD.id;
let app: SandboxApp;

/** The real asUser client, failing the requests `fails` picks (a Jira answer the stand-in would not give on its own). */
const clientAs = (fails: (method: string, path: string) => boolean = () => false): JiraHttp => {
  const real = createJiraHttp(asUser().requestJira);
  const requestJira = async <S extends ZodType>(route: Route, init: JiraRequest<S>) => {
    if (fails(init.method, route.value))
      throw new AppError(
        'JIRA_REJECTED',
        `Jira rejected the request (HTTP 400): injected by the test for ${init.method} ${route.value}`,
      );
    return real.requestJira(route, init);
  };
  return { requestJira } as JiraHttp;
};

const write = (accountId: string, impact: RegulatoryImpact, fails?: (method: string, path: string) => boolean) =>
  app.runtime.runAs({ accountId, moduleKey: 'impact-panel' }, () => writeImpactValue(clientAs(fails), 'QMS-1', impact));

const stored = () => {
  const issue = app.jira.readIssue('QMS-1');
  return { field: issue?.customFields[F], property: issue?.properties[IMPACT_PROPERTY_KEY] };
};

const decidedCbe30: RegulatoryImpact = {
  ...filingRequiredPas,
  decisions: filingRequiredPas.decisions.map((d) =>
    d.decided ? { ...d, decided: { ...d.decided, category: 'CBE-30' } } : d,
  ),
  version: 4,
};

beforeEach(() => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
  app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    key: 'QMS-1',
    summary: 'Switch to wet granulation',
    status: 'Under Review',
  });
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('writeImpactValue', () => {
  it('writes the same value, with its derived search values, to the field and to qmsrim.impact', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    expect(stored()).toEqual({
      field: toImpactFieldValue(filingRequiredPas),
      property: toImpactFieldValue(filingRequiredPas),
    });
    expect(stored().field).toMatchObject({
      filingRequired: 'yes',
      filingMarkets: ['US'],
      decidedByMarket: ['US: PAS'],
    });
  });

  it('records the field change in the issue history as the person who made it', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    const history = app.jira.readIssue('QMS-1')?.histories ?? [];
    expect(history.at(-1)).toMatchObject({
      authorAccountId: SITE_ACCOUNTS.regulatory,
      items: [{ field: 'Regulatory impact', fieldId: F }],
    });
  });

  it('makes the record findable by the field alias and by the entity property alias at once', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    for (const jql of [
      '"Regulatory impact".filingMarket = US',
      'qmsrimFilingMarket = US',
      'issue.property[qmsrim.impact].productIds = PRD-CARDIOLOL',
    ]) {
      const res = await app.jira.handle({
        method: 'POST',
        path: '/rest/api/3/search/jql',
        body: { jql, fields: ['key'] },
        as: { kind: 'user', accountId: SITE_ACCOUNTS.manager },
      });
      expect({ jql, body: res.body }).toMatchObject({ jql, body: { issues: [{ key: 'QMS-1' }] } });
    }
  });

  it('leaves the property at the new value when only the field cannot be written, and says which write failed', async () => {
    // The signed record in app storage already holds the change (it is committed first), so the
    // property is not put back: it agrees with the signed record, and only the field is stale.
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    const failure = write(
      SITE_ACCOUNTS.regulatory,
      decidedCbe30,
      (method, path) => method === 'PUT' && path === '/rest/api/3/issue/QMS-1',
    );
    await expect(failure).rejects.toMatchObject({
      code: 'JIRA_REJECTED',
      message: expect.stringContaining('field of QMS-1 could not be updated'),
    });
    expect(stored()).toEqual({
      field: toImpactFieldValue(filingRequiredPas),
      property: toImpactFieldValue(decidedCbe30),
    });
  });

  it('writes nothing to the field when the property write fails', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    const before = stored();
    const failure = write(
      SITE_ACCOUNTS.regulatory,
      decidedCbe30,
      (method, path) => method === 'PUT' && path.endsWith(IMPACT_PROPERTY_KEY),
    );
    await expect(failure).rejects.toMatchObject({ code: 'JIRA_REJECTED' });
    expect(stored()).toEqual(before);
  });

  it('writes nothing for a person who may not edit the record', async () => {
    await expect(write(SITE_ACCOUNTS.manager, filingRequiredPas)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(stored()).toEqual({ field: undefined, property: undefined });
  });

  it('refuses a value the model refuses before writing anything', async () => {
    await expect(write(SITE_ACCOUNTS.regulatory, { ...emptyImpact(), version: -1 })).rejects.toThrow();
    expect(stored()).toEqual({ field: undefined, property: undefined });
  });
});

describe('the field through Edit issue', () => {
  it('refuses a value that differs from what the app recorded, so a decision cannot be set outside the panel', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    const forged = toImpactFieldValue(decidedCbe30);
    const res = await app.jira.handle({
      method: 'PUT',
      path: '/rest/api/3/issue/QMS-1',
      body: { fields: { [F]: { ...forged, version: filingRequiredPas.version } } },
      as: { kind: 'user', accountId: SITE_ACCOUNTS.quality },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: { [F]: expect.stringContaining('Regulatory impact" panel') } });
    expect(stored().field).toEqual(toImpactFieldValue(filingRequiredPas));
  });

  it('takes the recorded value again (a refresh), and refuses clearing the field of an assessed record', async () => {
    await write(SITE_ACCOUNTS.regulatory, filingRequiredPas);
    const as = { kind: 'user' as const, accountId: SITE_ACCOUNTS.quality };
    expect(
      (
        await app.jira.handle({
          method: 'PUT',
          path: '/rest/api/3/issue/QMS-1',
          body: { fields: { [F]: toImpactFieldValue(filingRequiredPas) } },
          as,
        })
      ).status,
    ).toBe(204);
    expect(
      (await app.jira.handle({ method: 'PUT', path: '/rest/api/3/issue/QMS-1', body: { fields: { [F]: null } }, as }))
        .status,
    ).toBe(400);
  });

  it('refuses a value on create: an assessment starts in the panel', async () => {
    const res = await app.jira.handle({
      method: 'POST',
      path: '/rest/api/3/issue',
      body: {
        fields: {
          project: { key: 'QMS' },
          issuetype: { name: 'CAPA' },
          summary: 'x',
          [F]: toImpactFieldValue(filingRequiredPas),
        },
      },
      as: { kind: 'user', accountId: SITE_ACCOUNTS.quality },
    });
    expect(res.status).toBe(400);
  });
});
