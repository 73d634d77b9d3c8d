/**
 * Impact search: the JQL builder quotes and validates everything it is given, and every
 * example in docs/impact-field.md's "Impact search" section is built by it and answers, against the
 * demo site, exactly the records it says, as each person may see them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { createJiraStandIn } from '../../sandbox/jira';
import type { JiraStandIn } from '../../sandbox/jira';
import { createDemoClock, seedDemoJira, RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { impactSearchJql, issueSearchUrl, quoteJql } from '../../src/services/impact-search';
import type { ImpactJqlSpelling, ImpactSearch } from '../../src/services/impact-search';

const readme = readFileSync(join(resolve(__dirname, '..', '..'), 'docs', 'impact-field.md'), 'utf8');
const OUTSIDER = '557058:olga-outsider';

let jira: JiraStandIn;
beforeAll(() => {
  jira = createJiraStandIn({ now: createDemoClock() });
  seedDemoJira(jira);
  jira.seedUser({ accountId: OUTSIDER, email: 'olga.outsider@qms-rim.example', displayName: 'Olga Outsider' });
});

const PageSchema = z.object({ issues: z.array(z.object({ key: z.string() })) });
const search = async (accountId: string, jql: string): Promise<{ status: number; keys: string[] }> => {
  const res = await jira.handle({
    method: 'POST',
    path: '/rest/api/3/search/jql',
    body: { jql, fields: ['key'], maxResults: 5000 },
    as: { kind: 'user', accountId },
  });
  return { status: res.status, keys: res.status === 200 ? PageSchema.parse(res.body).issues.map((i) => i.key) : [] };
};

describe('impactSearchJql', () => {
  it('quotes every value, so a value cannot change what the query means', () => {
    expect(quoteJql('EU')).toBe('"EU"');
    expect(quoteJql('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
    expect(impactSearchJql({ productIds: ['PRD-A', 'PRD-B'], openOnly: true })).toBe(
      'statusCategory != Done AND qmsrimProduct in ("PRD-A", "PRD-B") ORDER BY key ASC',
    );
  });

  it('refuses values that are not registry ids, markets or project keys, instead of quoting them into a query', () => {
    expect(() => impactSearchJql({ productIds: ['x" OR project = RIM OR "'] })).toThrow();
    expect(() => impactSearchJql({ markets: ['Europe'] })).toThrow();
    expect(() => impactSearchJql({ projectKeys: ['qms'], markets: ['EU'] })).toThrow();
  });

  it('refuses a search with no criterion, which Jira would refuse as unbounded', () => {
    expect(() => impactSearchJql({})).toThrow();
    expect(() => impactSearchJql({ openOnly: true })).toThrow();
    expect(() => impactSearchJql({ markets: [] })).toThrow();
  });

  it('spells the same search with the field aliases', () => {
    expect(impactSearchJql({ filingRequiredIn: ['EU'], openOnly: true }, 'field')).toBe(
      'statusCategory != Done AND "Regulatory impact".filingMarket = "EU" ORDER BY key ASC',
    );
  });

  it('links to Jira issue search on the site', () => {
    expect(issueSearchUrl('https://acme.atlassian.net/', 'qmsrimMarket = "EU"')).toBe(
      'https://acme.atlassian.net/issues/?jql=qmsrimMarket%20%3D%20%22EU%22',
    );
  });
});

/** The documented examples (docs/impact-field.md): each is built here, must appear in the doc verbatim, and is run against the demo site. */
const EXAMPLES: Array<{ what: string; search: ImpactSearch; spelling: ImpactJqlSpelling; keys: string[] }> = [
  {
    what: 'open records with a filing required for the EU',
    search: { openOnly: true, filingRequiredIn: ['EU'] },
    spelling: 'property',
    keys: ['QMS-5', 'QMS-6'],
  },
  {
    what: 'the same, with the field alias',
    search: { openOnly: true, filingRequiredIn: ['EU'] },
    spelling: 'field',
    keys: ['QMS-5', 'QMS-6'],
  },
  {
    what: 'open records affecting a product',
    search: { openOnly: true, productIds: ['PRD-CARDIOLOL'] },
    spelling: 'property',
    keys: ['QMS-3', 'QMS-4', 'QMS-5'],
  },
  {
    what: 'open records affecting a market',
    search: { openOnly: true, markets: ['EU'] },
    spelling: 'field',
    keys: ['QMS-3', 'QMS-4', 'QMS-5', 'QMS-6', 'QMS-11'],
  },
  {
    what: 'open records in QMS whose impact is filing required',
    search: { projectKeys: ['QMS'], openOnly: true, statuses: ['filing-required'] },
    spelling: 'field',
    keys: ['QMS-5', 'QMS-6', 'QMS-11'],
  },
  {
    what: 'records, open or closed, with any filing required',
    search: { filingRequired: true },
    spelling: 'property',
    keys: ['QMS-5', 'QMS-6', 'QMS-9', 'QMS-11'],
  },
  {
    what: 'records with a decision needing prior approval in the US',
    search: { categories: ['PAS', 'PMA-PANEL-TRACK', 'PMA-180-DAY', 'PMA-REAL-TIME', 'NEW-510K'] },
    spelling: 'property',
    keys: ['QMS-5'],
  },
  {
    what: 'open records touching one marketing authorisation',
    search: { openOnly: true, applicationIds: ['APP-MAA-CARDIOLOL'] },
    spelling: 'property',
    keys: ['QMS-3', 'QMS-4', 'QMS-5'],
  },
];

describe('the documented impact search examples, against the demo site', () => {
  it.each(EXAMPLES.map((e) => [e.what, e]))('%s', async (_what, example) => {
    const jql = impactSearchJql(example.search, example.spelling);
    expect(readme).toContain(jql);
    expect(await search(SITE_ACCOUNTS.manager, jql)).toEqual({ status: 200, keys: example.keys });
  });

  it('answers the brief\'s spelling, "Regulatory impact".status = "filing-required", combined with project and an open status', async () => {
    const jql = 'project = QMS AND statusCategory != Done AND "Regulatory impact".status = "filing-required"';
    expect(readme).toContain(jql);
    expect(await search(SITE_ACCOUNTS.quality, jql)).toEqual({ status: 200, keys: ['QMS-5', 'QMS-6', 'QMS-11'] });
  });

  it('finds records nobody has assessed: no value at all, or not-assessed', async () => {
    const jql =
      'project = QMS AND statusCategory != Done AND (qmsrimImpactStatus is EMPTY OR qmsrimImpactStatus = "not-assessed")';
    expect(readme).toContain(jql);
    jira.seedIssue({ project: 'QMS', issueType: 'CAPA', key: 'QMS-50', summary: 'Never touched by the app' });
    expect(await search(SITE_ACCOUNTS.manager, jql)).toEqual({
      status: 200,
      keys: ['QMS-1', 'QMS-2', 'QMS-10', 'QMS-50'],
    });
  });

  it('shows each person only what Jira lets them browse: nothing, not even a count, to someone without QMS access', async () => {
    const jql = impactSearchJql({ openOnly: true, filingRequiredIn: ['EU'] });
    expect(await search(RESTRICTED_ACCOUNT_ID, jql)).toEqual({ status: 200, keys: ['QMS-5', 'QMS-6'] });
    expect(await search(OUTSIDER, jql)).toEqual({ status: 200, keys: [] });
    // Naming a project the person cannot browse is refused as Jira refuses it, not answered empty.
    expect((await search(OUTSIDER, impactSearchJql({ projectKeys: ['QMS'], markets: ['EU'] }))).status).toBe(400);
  });

  it('refuses JQL the stand-in does not support with a 400, never a wrong answer', async () => {
    for (const jql of [
      'qmsrimFilingMarket = EU AND assignee = currentUser()',
      '"Regulatory impact" = x',
      'qmsrimFilingMarket ~ EU',
      'issue.property[qmsrim.impact].decidedByMarket = "EU: PAS"',
    ]) {
      expect({ jql, status: (await search(SITE_ACCOUNTS.manager, jql)).status }).toEqual({ jql, status: 400 });
    }
  });
});
