import { z } from 'zod';
import { REGULATORY_IMPACT_FIELD } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import type { ImpactStatus } from '../../src/domain/model';

const impact = (status: ImpactStatus, markets: string[], version: number) =>
  toImpactFieldValue({
    status,
    changes: [],
    affected: { productIds: ['PRD-ASPIRIN-100'], siteIds: [], supplierIds: [], markets, applicationIds: [] },
    decisions: [],
    version,
  });

const setUp = () => {
  const site = createTestSite();
  const { jira } = site;
  const f = REGULATORY_IMPACT_FIELD.id;
  jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    summary: 'Replace tablet press supplier',
    created: '2026-01-01T12:00:00Z',
    customFields: { [f]: impact('filing-required', ['US', 'EU'], 3) },
    properties: { 'qms-rim.index': { status: 'filing-required', markets: ['US'], score: 5 } },
  });
  jira.seedIssue({
    project: 'QMS',
    issueType: 'CAPA',
    summary: 'Investigate tablet hardness deviations',
    status: 'In Assessment',
    created: '2026-01-02T12:00:00Z',
    customFields: { [f]: impact('no-filing', ['EU'], 1) },
    properties: { 'qms-rim.index': { status: 'no-filing', markets: [], score: 2 } },
  });
  jira.seedIssue({
    project: 'QMS',
    issueType: 'Deviation',
    summary: 'Cleanroom humidity excursion',
    status: 'Closed',
    created: '2026-01-03T12:00:00Z',
  });
  jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    summary: 'PAS for the alternate supplier',
    created: '2026-01-04T12:00:00Z',
  });
  jira.seedIssue({
    project: 'RIM',
    issueType: 'Commitment',
    summary: 'Post-approval stability commitment',
    created: '2026-01-05T12:00:00Z',
  });
  jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
  jira.seedLink({ type: 'Commitment', from: 'QMS-2', to: 'RIM-2' });
  jira.seedLink({ type: 'Relates', from: 'QMS-1', to: 'QMS-3' });
  return site;
};

const PageSchema = z.object({ issues: z.array(z.object({ id: z.string(), key: z.string() })), isLast: z.boolean() });

const site = setUp();
const keysFor = async (jql: string): Promise<string[]> => {
  const res = await site.call('regulatory', 'POST', '/rest/api/3/search/jql', {
    jql,
    fields: ['key'],
    maxResults: 5000,
  });
  if (res.status !== 200) throw new Error(`${jql}: ${JSON.stringify(res.body)}`);
  return PageSchema.parse(res.body).issues.map((i) => i.key);
};
const refusal = async (jql: string): Promise<unknown> => {
  const res = await site.call('regulatory', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`);
  expect(res.status).toBe(400);
  return res.body;
};

const ALL = ['QMS-1', 'QMS-2', 'QMS-3', 'RIM-1', 'RIM-2'];

describe('Jira stand-in: JQL operators', () => {
  const cases: Array<[string, string[]]> = [
    // project, issuetype, status, statusCategory with =, !=, in, not in
    ['project = QMS', ['QMS-1', 'QMS-2', 'QMS-3']],
    ['project != QMS', ['RIM-1', 'RIM-2']],
    ['project in (QMS, "Regulatory Information Management")', ALL],
    ['project not in (RIM)', ['QMS-1', 'QMS-2', 'QMS-3']],
    ['issuetype = CAPA', ['QMS-2']],
    ['type in ("Change Control", Deviation)', ['QMS-1', 'QMS-3']],
    ['status = Open', ['QMS-1', 'RIM-2']],
    ['status != Open AND project = QMS', ['QMS-2', 'QMS-3']],
    ['statusCategory = Done', ['QMS-3']],
    ['statusCategory = "In Progress"', ['QMS-2']],
    ['statusCategory in (new, 3)', ['QMS-1', 'QMS-3', 'RIM-1', 'RIM-2']],
    // key / issue / id, including ordering within a project
    ['key = QMS-2', ['QMS-2']],
    ['issue in (QMS-1, rim-1)', ['QMS-1', 'RIM-1']],
    ['key > QMS-1', ['QMS-2', 'QMS-3']],
    ['issuekey >= QMS-2', ['QMS-2', 'QMS-3']],
    ['key < QMS-3', ['QMS-1', 'QMS-2']],
    ['key <= QMS-1', ['QMS-1']],
    ['key not in (QMS-1, QMS-2)', ['QMS-3', 'RIM-1', 'RIM-2']],
    // dates
    ['created > "2026-01-02"', ['QMS-2', 'QMS-3', 'RIM-1', 'RIM-2']],
    ['created >= 2026/01/03', ['QMS-3', 'RIM-1', 'RIM-2']],
    ['created < "2026-01-02"', ['QMS-1']],
    ['created <= "2026-01-02 12:00"', ['QMS-1', 'QMS-2']],
    ['updated >= "2026-01-04" AND updated < "2026-01-05"', ['RIM-1']],
    // text
    ['summary ~ tablet', ['QMS-1', 'QMS-2']],
    ['summary ~ "supplier tablet"', ['QMS-1']],
    ['summary ~ "\\"tablet press\\""', ['QMS-1']],
    ['summary ~ deviation', ['QMS-2']],
    ['summary ~ "humid*"', ['QMS-3']],
    ['summary !~ tablet', ['QMS-3', 'RIM-1', 'RIM-2']],
    // the app's custom field through its search aliases, by name and by cf[id]
    ['"Regulatory impact".status = filing-required', ['QMS-1']],
    ['"regulatory impact".status != "filing-required"', ['QMS-2']],
    ['"Regulatory impact".market = EU', ['QMS-1', 'QMS-2']],
    ['cf[10050].market in (US)', ['QMS-1']],
    ['cf[10050].market not in (US)', ['QMS-2']],
    ['"Regulatory impact".version > 1', ['QMS-1']],
    ['"Regulatory impact".version <= 1', ['QMS-2']],
    ['"Regulatory impact".status is EMPTY', ['QMS-3', 'RIM-1', 'RIM-2']],
    ['"Regulatory impact".status is not EMPTY', ['QMS-1', 'QMS-2']],
    ['"Regulatory impact".status = EMPTY', ['QMS-3', 'RIM-1', 'RIM-2']],
    // entity properties, dot paths, arrays element by element
    ['issue.property[qms-rim.index].score >= 3', ['QMS-1']],
    ['issue.property[qms-rim.index].score < 3', ['QMS-2']],
    ['issue.property[qms-rim.index].status = "no-filing"', ['QMS-2']],
    ['issue.property[qms-rim.index].markets = US', ['QMS-1']],
    ['issue.property[qms-rim.index].markets is EMPTY', ['QMS-2', 'QMS-3', 'RIM-1', 'RIM-2']],
    ['issue.property[qms-rim.index].status ~ filing', ['QMS-1', 'QMS-2']],
    // linkedIssues, with and without a link description
    ['issue in linkedIssues(QMS-1)', ['QMS-3', 'RIM-1']],
    ['issue in linkedIssues("QMS-1", "requires filing")', ['RIM-1']],
    ['issue in linkedIssues("RIM-1", "is filing for")', ['QMS-1']],
    ['issue in linkedIssues("RIM-1", "requires filing")', []],
    ['issue in linkedIssues("QMS-2", "Commitment")', ['RIM-2']],
    ['project = QMS AND issue not in linkedIssues("QMS-1")', ['QMS-1', 'QMS-2']],
    // NOT, AND, OR, parentheses and the symbolic forms
    ['project = QMS AND (status = Open OR status = Closed)', ['QMS-1', 'QMS-3']],
    ['NOT status = Open AND project = QMS', ['QMS-2', 'QMS-3']],
    ['NOT (project = RIM OR issuetype = CAPA)', ['QMS-1', 'QMS-3']],
    ['project = QMS && !(status = Open) || key = RIM-1', ['QMS-2', 'QMS-3', 'RIM-1']],
    ['not "Regulatory impact".status = "no-filing"', ['QMS-1']],
  ];

  it.each(cases)('%s', async (jql, expected) => {
    expect((await keysFor(jql)).sort()).toEqual([...expected].sort());
  });

  it('orders by ORDER BY, ties and no ORDER BY by id', async () => {
    expect(await keysFor('project = QMS ORDER BY created DESC')).toEqual(['QMS-3', 'QMS-2', 'QMS-1']);
    expect(await keysFor('created >= "2020-01-01" ORDER BY project DESC, key ASC')).toEqual([
      'RIM-1',
      'RIM-2',
      'QMS-1',
      'QMS-2',
      'QMS-3',
    ]);
    expect(await keysFor('project = QMS ORDER BY summary')).toEqual(['QMS-3', 'QMS-2', 'QMS-1']);
    expect(await keysFor('project = QMS ORDER BY status ASC, key DESC')).toEqual(['QMS-3', 'QMS-2', 'QMS-1']);
    expect(await keysFor('project in (RIM, QMS)')).toEqual(ALL);
  });
});

describe('Jira stand-in: JQL it does not understand is refused, never answered wrongly', () => {
  const refusals: Array<[string, string]> = [
    ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it."],
    ['assignee = currentUser()', "The Jira stand-in does not support the field 'assignee' in JQL."],
    ['issue in foo()', "Unable to find JQL function 'foo()'."],
    ['created > startOfDay()', "The Jira stand-in does not support the JQL function 'startOfDay()'."],
    [
      'project = ',
      'Error in the JQL Query: Expecting either a value, list or function but got the end of the query. (line 1, character 11)',
    ],
    ['project QMS', "Error in the JQL Query: Expecting operator but got 'QMS'."],
    [
      'summary ~ "tablet',
      "Error in the JQL Query: The quoted string 'tablet' has not been completed. (line 1, character 11)",
    ],
    ['project = QMS AND', 'Error in the JQL Query: Expecting a field name but got the end of the query.'],
    [
      'project = QMS extra',
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'extra'. (line 1, character 15)",
    ],
    ['(project = QMS', "Error in the JQL Query: Expecting ')' but got the end of the query."],
    ['summary = tablet', "The operator '=' is not supported by the 'summary' field."],
    ['project ~ QMS', "The operator '~' is not supported by the 'project' field."],
    ['project > QMS', "The operator '>' is not supported by the 'project' field."],
    ['project in QMS', "The operator 'IN' needs a list of values in parentheses or a function."],
    ['status is Open', "The operator 'IS' only supports the values 'EMPTY' and 'NULL'."],
    ['status WAS Open', "The Jira stand-in does not support the history operator 'WAS'."],
    ['status = Nope', "The value 'Nope' does not exist for the field 'status'."],
    ['issuetype = Bug', "The value 'Bug' does not exist for the field 'issuetype'."],
    ['key = QMS-999', "An issue with key 'QMS-999' does not exist for field 'key'."],
    ['created > yesterday', "Date value 'yesterday' for field 'created' is invalid."],
    ['created > "2026-02-31"', "Date value '2026-02-31' for field 'created' is invalid."],
    [
      '"Regulatory impact" = x',
      "The field 'Regulatory impact' holds an object and can only be searched through its search aliases",
    ],
    [
      '"Regulatory impact".nope = 1',
      `Field '"Regulatory impact".nope' does not exist or you do not have permission to view it.`,
    ],
    [
      '"Regulatory impact".version > many',
      "The value 'many' for field '\"Regulatory impact\".version' is not a valid number.",
    ],
    ['issue in linkedIssues()', "Function 'linkedIssues' expected between '1' and '2' arguments but received '0'."],
    [
      'issue in linkedIssues(QMS-1, "duplicates")',
      "Issue link type 'duplicates' could not be found in function 'linkedIssues'.",
    ],
    [
      'issue = linkedIssues(QMS-1)',
      "The function 'linkedIssues' can only be used with the operators 'IN' and 'NOT IN'.",
    ],
    ['status in linkedIssues(QMS-1)', "The function 'linkedIssues' is not supported by the field 'status'"],
    ['project = QMS ORDER BY assignee', "Not able to sort using field 'assignee'."],
    ['project = QMS ORDER BY nonsense', "Field 'nonsense' does not exist or you do not have permission to view it."],
    ['project = QMS & status = Open', "Error in the JQL Query: The character '&' is a reserved JQL character."],
  ];

  it.each(refusals)('%s', async (jql, message) => {
    const body = await refusal(jql);
    expect(body).toEqual({ errorMessages: [expect.stringContaining(message)], errors: {} });
  });

  it('accepts a one-word field name with its alias unquoted (fieldname.alias), case-insensitively', async () => {
    const local = setUp();
    local.jira.seedCustomField({
      id: 'customfield_10060',
      name: 'Readiness',
      type: 'object',
      searchAliases: [{ alias: 'score', path: 'score', type: 'number' }],
    });
    local.jira.seedIssue({
      project: 'QMS',
      issueType: 'CAPA',
      summary: 'ready',
      customFields: { customfield_10060: { score: 4 } },
    });
    for (const jql of ['Readiness.score > 2', 'readiness.SCORE = 4', 'cf[10060].score >= 4']) {
      const res = await local.call('regulatory', 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'] });
      expect(res.body).toMatchObject({ issues: [{ key: 'QMS-4' }], isLast: true });
    }
  });

  it('refuses a declared entity property path that no module indexes, and types declared ones', async () => {
    const local = setUp();
    local.jira.seedEntityPropertyIndex({
      propertyKey: 'qms-rim.index',
      values: [{ path: 'score', type: 'number', searchAlias: 'impactScore' }],
    });
    const undeclared = await local.call(
      'regulatory',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('issue.property[qms-rim.index].status = x')}`,
    );
    expect(undeclared.status).toBe(400);
    expect(undeclared.body).toMatchObject({ errorMessages: [expect.stringContaining('is not indexed')] });
    const byAlias = await local.call('regulatory', 'POST', '/rest/api/3/search/jql', {
      jql: 'impactScore > 3',
      fields: ['key'],
    });
    expect(byAlias.body).toMatchObject({ issues: [{ key: 'QMS-1' }] });
  });
});
