/**
 * The OpenAPI contract checker against Atlassian's published Jira Cloud platform REST v3
 * spec (read from `<repo>/../shared/specs/jira-platform.v3.json` or `$JIRA_OPENAPI_SPEC`).
 * Every operation below was looked up in the spec first; every "valid" payload is shaped
 * like what Jira Cloud sends or accepts, and every "invalid" one is a mistake a client or a
 * stand-in could plausibly make, so the checker is shown to be neither vacuous nor too strict.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContractChecker, defaultSpecPath, operationKey, SPEC_OVERRIDES } from '../support/openapi-contract';
import type { ContractChecker } from '../support/openapi-contract';

const checker: ContractChecker = createContractChecker();

// ---------------------------------------------------------------------------------------
// Realistic Jira payloads
// ---------------------------------------------------------------------------------------

const SITE = 'https://qms-demo.atlassian.net';

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

const avatarUrls = {
  '16x16':
    'https://secure.gravatar.com/avatar/9f1c?d=https%3A%2F%2Favatar-management--avatars.us-west-2.prod.public.atl-paas.net%2Finitials%2FQA-1.png&s=16',
  '24x24': 'https://secure.gravatar.com/avatar/9f1c?s=24',
  '32x32': 'https://secure.gravatar.com/avatar/9f1c?s=32',
  '48x48': 'https://secure.gravatar.com/avatar/9f1c?s=48',
};

const user = {
  self: `${SITE}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  avatarUrls,
  displayName: 'Quality Approver',
  active: true,
  timeZone: 'Europe/Berlin',
  accountType: 'atlassian',
};

const statusInReview = {
  self: `${SITE}/rest/api/3/status/10001`,
  description: '',
  iconUrl: `${SITE}/images/icons/statuses/generic.png`,
  name: 'In Review',
  id: '10001',
  statusCategory: {
    self: `${SITE}/rest/api/3/statuscategory/4`,
    id: 4,
    key: 'indeterminate',
    colorName: 'yellow',
    name: 'In Progress',
  },
};

const changeHistory = {
  id: '10100',
  author: user,
  created: '2024-03-05T09:20:41.512+0100',
  items: [
    {
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from: '10000',
      fromString: 'To Do',
      to: '10001',
      toString: 'In Review',
    },
    // A field set for the first time: Jira sends null for the "from" side (see SPEC_OVERRIDES).
    { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: 'capa' },
  ],
};

const issueBean = {
  expand:
    'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations,customfield_10010.requestTypePractice',
  id: '10042',
  self: `${SITE}/rest/api/3/issue/10042`,
  key: 'QMS-1',
  fields: {
    summary: 'CAPA-2024-017: sterilisation cycle deviation',
    status: statusInReview,
    issuetype: {
      self: `${SITE}/rest/api/3/issuetype/10005`,
      id: '10005',
      description: 'Corrective and preventive action',
      iconUrl: `${SITE}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`,
      name: 'CAPA',
      subtask: false,
      avatarId: 10318,
      hierarchyLevel: 0,
    },
    project: {
      self: `${SITE}/rest/api/3/project/10000`,
      id: '10000',
      key: 'QMS',
      name: 'Quality Management',
      projectTypeKey: 'software',
      simplified: false,
      avatarUrls,
    },
    labels: ['capa', 'sterilisation'],
    created: '2024-03-05T09:14:02.123+0100',
    updated: '2024-03-05T09:20:41.512+0100',
    description: adf('Cycle 4711 ran 3 minutes short.'),
    assignee: null,
    reporter: user,
    customfield_10050: null,
  },
  changelog: { startAt: 0, maxResults: 1, total: 1, histories: [changeHistory] },
};

const transitions = {
  expand: 'transitions',
  transitions: [
    {
      id: '31',
      name: 'Approve',
      to: statusInReview,
      hasScreen: false,
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    },
  ],
};

const transitionWithFields = {
  transitions: [
    {
      ...transitions.transitions[0],
      fields: {
        resolution: {
          required: true,
          schema: { type: 'resolution', system: 'resolution' },
          name: 'Resolution',
          key: 'resolution',
          operations: ['set'],
          allowedValues: [{ self: `${SITE}/rest/api/3/resolution/10000`, name: 'Done', id: '10000' }],
          hasDefaultValue: false,
        },
      },
    },
  ],
};

const jiraError = (field: string, message: string) => ({ errorMessages: [], errors: { [field]: message } });

// ---------------------------------------------------------------------------------------

describe('loading the spec', () => {
  test('reads the shared spec, not a copy in the project', () => {
    expect(checker.specPath).toBe(defaultSpecPath());
    expect(checker.specPath.endsWith(join('shared', 'specs', 'jira-platform.v3.json'))).toBe(true);
    expect(checker.specPath.startsWith(join(__dirname, '..', '..') + '/')).toBe(false);
  });

  test('knows every operation in the spec', () => {
    const doc = JSON.parse(readFileSync(defaultSpecPath(), 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected = Object.entries(doc.paths).flatMap(([template, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
        .map((m) => operationKey(m, template)),
    );
    expect(checker.operations().sort()).toEqual(expected.sort());
  });
});

describe('operationFor: concrete path to the spec template', () => {
  test.each([
    ['GET', '/rest/api/3/issue/QMS-1', '/rest/api/3/issue/{issueIdOrKey}', 'getIssue'],
    ['get', '/rest/api/3/issue/10042', '/rest/api/3/issue/{issueIdOrKey}', 'getIssue'],
    ['GET', '/rest/api/3/issue/QMS-1/transitions', '/rest/api/3/issue/{issueIdOrKey}/transitions', 'getTransitions'],
    ['POST', '/rest/api/3/issue/QMS-1/transitions', '/rest/api/3/issue/{issueIdOrKey}/transitions', 'doTransition'],
    ['GET', '/rest/api/3/issue/QMS-1/changelog', '/rest/api/3/issue/{issueIdOrKey}/changelog', 'getChangeLogs'],
    [
      'PUT',
      '/rest/api/3/issue/QMS-1/properties/qms.rim.link',
      '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
      'setIssueProperty',
    ],
    ['POST', '/rest/api/3/issue', '/rest/api/3/issue', 'createIssue'],
    ['POST', '/rest/api/3/issueLink', '/rest/api/3/issueLink', 'linkIssues'],
    ['GET', '/rest/api/3/search/jql', '/rest/api/3/search/jql', 'searchAndReconsileIssuesUsingJql'],
    ['POST', '/rest/api/3/app/field/value', '/rest/api/3/app/field/value', 'updateMultipleCustomFieldValues'],
    [
      'PUT',
      '/rest/api/3/app/field/customfield_10050/value',
      '/rest/api/3/app/field/{fieldIdOrKey}/value',
      'updateCustomFieldValue',
    ],
  ])('%s %s -> %s', (method, path, template, operationId) => {
    expect(checker.operationFor(method, path)).toMatchObject({ template, operationId });
  });

  test('a literal segment wins over a parameter', () => {
    expect(checker.operationFor('POST', '/rest/api/3/issue/bulkfetch')).toMatchObject({
      template: '/rest/api/3/issue/bulkfetch',
      operationId: 'bulkFetchIssues',
      pathParams: {},
    });
    expect(checker.operationFor('GET', '/rest/api/3/issue/createmeta')).toMatchObject({
      template: '/rest/api/3/issue/createmeta',
    });
    // "bulkfetch" is a literal template with only POST: GET does not fall back to /issue/{issueIdOrKey}.
    expect(checker.operationFor('GET', '/rest/api/3/issue/bulkfetch')).toBeUndefined();
    expect(checker.checkRequest({ method: 'GET', path: '/rest/api/3/issue/bulkfetch' })).toEqual([
      expect.stringContaining('documents only POST'),
    ]);
  });

  test('decodes path parameters, ignores the query string and an absolute URL origin', () => {
    expect(checker.operationFor('GET', `${SITE}/rest/api/3/issue/QMS-1/properties/qms%2Frim?x=1`)).toEqual({
      method: 'GET',
      template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
      operationId: 'getIssueProperty',
      pathParams: { issueIdOrKey: 'QMS-1', propertyKey: 'qms/rim' },
    });
  });

  test.each([
    ['GET', '/rest/api/3/nothing-here'],
    ['GET', '/rest/api/3/issue/QMS-1/transitions/31'],
    ['GET', '/rest/api/3/issue/QMS-1/'],
    ['GET', '/rest/api/2/issue/QMS-1'],
    ['PATCH', '/rest/api/3/issue/QMS-1'],
    ['PUT', '/rest/api/3/app/field/value'],
  ])('%s %s -> undefined', (method, path) => {
    expect(checker.operationFor(method, path)).toBeUndefined();
    expect(checker.checkRequest({ method, path })).toEqual([expect.stringContaining('unknown operation')]);
    expect(checker.checkResponse({ method, path, status: 200, body: {} })).toEqual([
      expect.stringContaining('unknown operation'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

describe('POST /rest/api/3/issue (createIssue, IssueUpdateDetails)', () => {
  const req = (body: unknown) => checker.checkRequest({ method: 'POST', path: '/rest/api/3/issue', body });

  test('accepts a realistic create', () => {
    expect(
      req({
        fields: {
          project: { key: 'QMS' },
          issuetype: { name: 'CAPA' },
          summary: 'CAPA-2024-017: sterilisation cycle deviation',
          description: adf('Cycle 4711 ran 3 minutes short.'),
          labels: ['capa'],
          customfield_10050: 'RIM-2024-0032',
        },
        update: { labels: [{ add: 'sterilisation' }] },
        properties: [{ key: 'qms.rim.link', value: { filingId: 'RIM-2024-0032' } }],
      }),
    ).toEqual([]);
    expect(
      checker.checkRequest({
        method: 'POST',
        path: '/rest/api/3/issue',
        query: { updateHistory: 'true' },
        body: { fields: { summary: 'x' } },
      }),
    ).toEqual([]);
  });

  test.each([
    ['fields not an object', { fields: 'summary=x' }, '/fields must be object'],
    ['update values not a list of operations', { update: { labels: { add: 'x' } } }, '/update/labels must be array'],
    [
      'an unknown update verb',
      { update: { labels: [{ replace: 'x' }] } },
      'must NOT have additional property "replace"',
    ],
    [
      'an entity property with extra keys',
      { fields: {}, properties: [{ key: 'k', value: 1, id: 3 }] },
      '/properties/0 must NOT have additional property "id"',
    ],
    [
      'historyMetadata.actor as a string',
      { fields: {}, historyMetadata: { actor: 'tony' } },
      '/historyMetadata/actor must be object',
    ],
  ])('rejects %s', (_name, body, message) => {
    expect(req(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('rejects a missing body, an unknown query parameter and a non-boolean flag', () => {
    expect(req(undefined)).toEqual(['POST /rest/api/3/issue missing required request body']);
    expect(
      checker.checkRequest({
        method: 'POST',
        path: '/rest/api/3/issue',
        query: { notifyUsers: 'false' },
        body: { fields: {} },
      }),
    ).toEqual([expect.stringContaining('unknown query parameter "notifyUsers"')]);
    expect(
      checker.checkRequest({ method: 'POST', path: '/rest/api/3/issue?updateHistory=yes', body: { fields: {} } }),
    ).toEqual([expect.stringContaining('query parameter "updateHistory" must be boolean (got "yes")')]);
  });
});

describe('POST /rest/api/3/issueLink (linkIssues, LinkIssueRequestJsonBean)', () => {
  const req = (body: unknown) => checker.checkRequest({ method: 'POST', path: '/rest/api/3/issueLink', body });
  const link = { type: { name: 'Relates' }, inwardIssue: { key: 'QMS-1' }, outwardIssue: { key: 'RIM-7' } };

  test('accepts a link by key, by id, with a comment', () => {
    expect(req(link)).toEqual([]);
    expect(req({ type: { id: '10003' }, inwardIssue: { id: '10042' }, outwardIssue: { id: '10077' } })).toEqual([]);
    expect(
      req({
        ...link,
        comment: { body: adf('Filed with the authority.'), visibility: { type: 'role', value: 'Administrators' } },
      }),
    ).toEqual([]);
  });

  test.each([
    [
      'no outwardIssue',
      { type: link.type, inwardIssue: link.inwardIssue },
      "must have required property 'outwardIssue'",
    ],
    ['type as a bare name', { ...link, type: 'Relates' }, '/type must be object'],
    [
      'an issue as { issueKey }',
      { ...link, inwardIssue: { issueKey: 'QMS-1' } },
      '/inwardIssue must NOT have additional property "issueKey"',
    ],
    [
      'a visibility type Jira does not know',
      { ...link, comment: { body: adf('x'), visibility: { type: 'user', value: 'x' } } },
      '/comment/visibility/type must be equal to one of the allowed values',
    ],
    ['an unknown top-level key', { ...link, linkType: 'Relates' }, 'must NOT have additional property "linkType"'],
  ])('rejects %s', (_name, body, message) => {
    expect(req(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('responses: 201 with or without a body; errors use the Jira error envelope', () => {
    const res = (status: number, body: unknown) =>
      checker.checkResponse({ method: 'POST', path: '/rest/api/3/issueLink', status, body });
    expect(res(201, undefined)).toEqual([]);
    expect(res(201, '')).toEqual([]);
    expect(
      res(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }),
    ).toEqual([]);
    expect(res(400, { message: 'No issue link type with name "Relatez" found.' })).toEqual([
      expect.stringContaining('must NOT have additional property "message"'),
    ]);
    expect(res(200, undefined)).toEqual([
      expect.stringContaining('status 200 is not documented (documented: 201, 400, 401, 404, 413)'),
    ]);
  });
});

describe('POST /rest/api/3/issue/{issueIdOrKey}/transitions (doTransition)', () => {
  const req = (body: unknown) =>
    checker.checkRequest({ method: 'POST', path: '/rest/api/3/issue/QMS-1/transitions', body });

  test('accepts a transition with fields, a comment and history metadata', () => {
    expect(req({ transition: { id: '31' } })).toEqual([]);
    expect(
      req({
        transition: { id: '31' },
        fields: { resolution: { name: 'Done' } },
        update: { comment: [{ add: { body: adf('Approved by QA.') } }] },
        historyMetadata: {
          type: 'qms-rim-bridge:gate',
          activityDescription: 'Gate passed',
          actor: { id: 'qms-rim-bridge', type: 'application' },
        },
      }),
    ).toEqual([]);
  });

  test.each([
    ['the transition id as a bare string', { transition: '31' }, '/transition must be object'],
    ['the transition id as a number', { transition: { id: 31 } }, '/transition/id must be string'],
    ['fields as a list', { transition: { id: '31' }, fields: [{ resolution: 'Done' }] }, '/fields must be object'],
  ])('rejects %s', (_name, body, message) => {
    expect(req(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('rejects a missing body; the 204 answer has no body', () => {
    expect(req(undefined)).toEqual([expect.stringContaining('missing required request body')]);
    const res = (status: number, body: unknown) =>
      checker.checkResponse({ method: 'POST', path: '/rest/api/3/issue/QMS-1/transitions', status, body });
    expect(res(204, undefined)).toEqual([]);
    expect(res(204, { ok: true })).toEqual([expect.stringContaining('response 204 must have no body')]);
    expect(res(200, undefined)).toEqual([expect.stringContaining('status 200 is not documented')]);
    expect(res(409, jiraError('transition', 'Issue is being transitioned by another request.'))).toEqual([]);
  });
});

describe('/rest/api/3/search/jql (enhanced search)', () => {
  test('POST accepts a realistic search body', () => {
    const req = (body: unknown) => checker.checkRequest({ method: 'POST', path: '/rest/api/3/search/jql', body });
    expect(
      req({
        jql: 'project = QMS AND labels = capa ORDER BY created DESC',
        maxResults: 50,
        fields: ['summary', 'status', 'labels'],
        fieldsByKeys: false,
      }),
    ).toEqual([]);
    expect(
      req({
        jql: 'project = QMS',
        nextPageToken: 'CAEaAggD',
        fields: ['*all'],
        expand: 'changelog',
        properties: ['qms.rim.link'],
      }),
    ).toEqual([]);
  });

  test.each([
    [
      'startAt paging (the old /search API)',
      { jql: 'project = QMS', startAt: 50 },
      'must NOT have additional property "startAt"',
    ],
    ['maxResults as text', { jql: 'project = QMS', maxResults: '50' }, '/maxResults must be integer'],
    ['fields as a comma string', { jql: 'project = QMS', fields: 'summary,status' }, '/fields must be array'],
    ['maxResults beyond int32', { jql: 'x', maxResults: 2 ** 31 }, '/maxResults must match format "int32"'],
  ])('POST rejects %s', (_name, body, message) => {
    expect(checker.checkRequest({ method: 'POST', path: '/rest/api/3/search/jql', body })).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
  });

  test('GET accepts jql, nextPageToken, maxResults and fields as a server reads them', () => {
    const get = (query: Record<string, string | string[]>, path = '/rest/api/3/search/jql') =>
      checker.checkRequest({ method: 'GET', path, query });
    expect(
      get({
        jql: 'project = QMS ORDER BY key',
        nextPageToken: 'CAEaAggD',
        maxResults: '100',
        fields: 'summary,status',
      }),
    ).toEqual([]);
    expect(get({ jql: 'project = QMS', fields: ['summary', 'status'] })).toEqual([]);
    expect(
      get(
        {},
        '/rest/api/3/search/jql?jql=project%20%3D%20QMS&maxResults=25&fields=summary&fields=labels&reconcileIssues=10042,10043',
      ),
    ).toEqual([]);
    expect(get({ jql: 'project = QMS', fieldsByKeys: 'TRUE', failFast: 'false' })).toEqual([]);
  });

  test.each([
    ['maxResults not a number', { maxResults: 'fifty' }, 'query parameter "maxResults" must be integer (got "fifty")'],
    ['maxResults beyond int32', { maxResults: '4294967296' }, 'query parameter "maxResults" must match format "int32"'],
    ['startAt (not on the enhanced search)', { startAt: '0' }, 'unknown query parameter "startAt"'],
    [
      'jql given twice',
      { jql: ['project = QMS', 'project = RIM'] },
      'query parameter "jql" given 2 times but is not an array',
    ],
    [
      'a reconcileIssues id that is not a number',
      { reconcileIssues: '10042,QMS-1' },
      'query parameter "reconcileIssues"[1] must be integer',
    ],
  ])('GET rejects %s', (_name, query, message) => {
    expect(checker.checkRequest({ method: 'GET', path: '/rest/api/3/search/jql', query })).toEqual([
      expect.stringContaining(message),
    ]);
  });

  test('GET has no body', () => {
    expect(checker.checkRequest({ method: 'GET', path: '/rest/api/3/search/jql', body: { jql: 'x' } })).toEqual([
      expect.stringContaining('documents no request body'),
    ]);
  });

  describe('results (SearchAndReconcileResults)', () => {
    const res = (body: unknown, status = 200, method = 'POST') =>
      checker.checkResponse({ method, path: '/rest/api/3/search/jql', status, body });

    test('accepts a page with nextPageToken and the last page', () => {
      expect(res({ issues: [issueBean], nextPageToken: 'CAEaAggD', isLast: false })).toEqual([]);
      expect(
        res(
          {
            issues: [{ id: '10043', key: 'QMS-2', self: `${SITE}/rest/api/3/issue/10043`, fields: { summary: 'x' } }],
            isLast: true,
          },
          200,
          'GET',
        ),
      ).toEqual([]);
      expect(
        res({
          issues: [],
          isLast: true,
          names: { summary: 'Summary' },
          schema: { summary: { type: 'string', system: 'summary' } },
        }),
      ).toEqual([]);
    });

    test.each([
      [
        'the old /search page shape',
        { issues: [], startAt: 0, maxResults: 50, total: 0 },
        'must NOT have additional property "total"',
      ],
      ['isLast as text', { issues: [], isLast: 'true' }, '/isLast must be boolean'],
      ['nextPageToken as a number', { issues: [], nextPageToken: 2 }, '/nextPageToken must be string'],
      ['an issue with a numeric id', { issues: [{ ...issueBean, id: 10042 }] }, '/issues/0/id must be string'],
      [
        'a schema entry without type',
        { issues: [], schema: { summary: { system: 'summary' } } },
        "/schema/summary must have required property 'type'",
      ],
    ])('rejects %s', (_name, body, message) => {
      expect(res(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
    });

    test('a 400 (bad JQL) carries the Jira error envelope', () => {
      expect(
        res(
          {
            errorMessages: ["Error in the JQL Query: Expecting ')' but got the end of the query."],
            errors: {},
            warningMessages: [],
          },
          400,
        ),
      ).toEqual([expect.stringContaining('must NOT have additional property "warningMessages"')]);
      expect(
        res(
          { errorMessages: ["Error in the JQL Query: Expecting ')' but got the end of the query."], errors: {} },
          400,
        ),
      ).toEqual([]);
    });
  });
});

describe('POST /rest/api/3/issue/bulkfetch (bulkFetchIssues)', () => {
  const req = (body: unknown) => checker.checkRequest({ method: 'POST', path: '/rest/api/3/issue/bulkfetch', body });
  const res = (body: unknown, status = 200) =>
    checker.checkResponse({ method: 'POST', path: '/rest/api/3/issue/bulkfetch', status, body });

  test('accepts a realistic request', () => {
    expect(
      req({
        issueIdsOrKeys: ['QMS-1', '10043'],
        fields: ['summary', 'status', 'labels'],
        expand: ['names'],
        properties: ['qms.rim.link'],
        fieldsByKeys: false,
      }),
    ).toEqual([]);
  });

  test.each([
    ['no issueIdsOrKeys', { fields: ['summary'] }, "must have required property 'issueIdsOrKeys'"],
    [
      'expand as a string (it is a string on search/jql, a list here)',
      { issueIdsOrKeys: ['QMS-1'], expand: 'names' },
      '/expand must be array',
    ],
    ['numeric ids', { issueIdsOrKeys: [10042] }, '/issueIdsOrKeys/0 must be string'],
    ['a jql key', { issueIdsOrKeys: ['QMS-1'], jql: 'key = QMS-1' }, 'must NOT have additional property "jql"'],
  ])('rejects %s', (_name, body, message) => {
    expect(req(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('accepts results with issues, issue errors and the top-level expand (see SPEC_OVERRIDES)', () => {
    expect(
      res({
        expand: 'names',
        issues: [issueBean],
        issueErrors: [{ id: 'QMS-404', errorMessage: 'Issue does not exist or you do not have permission to see it.' }],
      }),
    ).toEqual([]);
    expect(res({ issues: [], issueErrors: [] })).toEqual([]);
  });

  test.each([
    [
      'an issue error keyed differently',
      { issues: [], issueErrors: [{ issueIdOrKey: 'QMS-404', message: 'gone' }] },
      '/issueErrors/0 must NOT have additional property "issueIdOrKey"',
    ],
    ['expand as a list', { expand: ['names'], issues: [] }, '/expand must be string'],
    ['an unknown top-level key', { issues: [], total: 0 }, 'must NOT have additional property "total"'],
  ])('rejects %s', (_name, body, message) => {
    expect(res(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });
});

describe('custom field values set by the app (Forge/Connect app fields)', () => {
  test('POST /rest/api/3/app/field/value (the spec documents POST, not PUT)', () => {
    const req = (body: unknown, query?: Record<string, string>) =>
      checker.checkRequest({ method: 'POST', path: '/rest/api/3/app/field/value', query, body });
    expect(
      req({
        updates: [
          { customField: 'customfield_10050', issueIds: [10042, 10043], value: 'RIM-2024-0032' },
          { customField: 'customfield_10051', issueIds: [10042], value: 3 },
        ],
      }),
    ).toEqual([]);
    expect(
      req(
        { updates: [{ customField: 'customfield_10050', issueIds: [10042], value: null }] },
        { generateChangelog: 'false' },
      ),
    ).toEqual([]);
    expect(req({ updates: [{ customField: 'customfield_10050', issueIds: ['10042'], value: 'x' }] })).toEqual([
      expect.stringContaining('/updates/0/issueIds/0 must be integer'),
    ]);
    expect(req({ updates: [{ customField: 'customfield_10050', issueIds: [10042] }] })).toEqual([
      expect.stringContaining("/updates/0 must have required property 'value'"),
    ]);
    expect(req({ updates: [{ issueIds: [10042], value: 'x' }] })).toEqual([
      expect.stringContaining("/updates/0 must have required property 'customField'"),
    ]);
    expect(req({ updates: [] }, { generateChangelog: 'no' })).toEqual([
      expect.stringContaining('query parameter "generateChangelog" must be boolean'),
    ]);
    expect(checker.checkRequest({ method: 'PUT', path: '/rest/api/3/app/field/value', body: { updates: [] } })).toEqual(
      [expect.stringContaining('documents only POST')],
    );
    expect(
      checker.checkResponse({ method: 'POST', path: '/rest/api/3/app/field/value', status: 204, body: undefined }),
    ).toEqual([]);
    expect(
      checker.checkResponse({ method: 'POST', path: '/rest/api/3/app/field/value', status: 200, body: undefined }),
    ).toEqual([expect.stringContaining('status 200 is not documented')]);
  });

  test('PUT /rest/api/3/app/field/{fieldIdOrKey}/value', () => {
    const path = '/rest/api/3/app/field/customfield_10050/value';
    const req = (body: unknown) => checker.checkRequest({ method: 'PUT', path, body });
    expect(req({ updates: [{ issueIds: [10042], value: 'RIM-2024-0032' }] })).toEqual([]);
    expect(
      req({ updates: [{ issueIds: [10042, 10043], value: { gate: 'approved', filingId: 'RIM-2024-0032' } }] }),
    ).toEqual([]);
    expect(req({ updates: [{ customField: 'customfield_10050', issueIds: [10042], value: 'x' }] })).toEqual([
      expect.stringContaining('/updates/0 must NOT have additional property "customField"'),
    ]);
    expect(req({ updates: { issueIds: [10042], value: 'x' } })).toEqual([
      expect.stringContaining('/updates must be array'),
    ]);
    expect(req({ issueIds: [10042], value: 'x' })).toEqual(
      expect.arrayContaining([expect.stringContaining('must NOT have additional property "issueIds"')]),
    );
    expect(checker.checkResponse({ method: 'PUT', path, status: 204, body: undefined })).toEqual([]);
    expect(
      checker.checkResponse({
        method: 'PUT',
        path,
        status: 403,
        body: { errorMessages: ['Only the app that owns the field can update it.'], errors: {} },
      }),
    ).toEqual([]);
  });
});

describe('issue entity properties /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', () => {
  const path = '/rest/api/3/issue/QMS-1/properties/qms.rim.link';

  test('PUT takes any JSON value; 200 (updated) and 201 (created) have no body', () => {
    expect(
      checker.checkRequest({
        method: 'PUT',
        path,
        body: { filingId: 'RIM-2024-0032', gate: 'approved', decidedAt: '2024-03-05T09:20:41Z' },
      }),
    ).toEqual([]);
    expect(checker.checkRequest({ method: 'PUT', path, body: 'a bare string' })).toEqual([]);
    expect(checker.checkRequest({ method: 'PUT', path, body: null })).toEqual([]);
    expect(checker.checkRequest({ method: 'PUT', path })).toEqual([
      expect.stringContaining('missing required request body'),
    ]);
    expect(checker.checkRequest({ method: 'PUT', path, query: { overwrite: 'true' }, body: {} })).toEqual([
      expect.stringContaining('unknown query parameter "overwrite"'),
    ]);
    expect(checker.checkResponse({ method: 'PUT', path, status: 200, body: undefined })).toEqual([]);
    expect(checker.checkResponse({ method: 'PUT', path, status: 201, body: undefined })).toEqual([]);
    expect(checker.checkResponse({ method: 'PUT', path, status: 204, body: undefined })).toEqual([
      expect.stringContaining('status 204 is not documented (documented: 200, 201, 400, 401, 403, 404)'),
    ]);
  });

  test('GET answers an EntityProperty', () => {
    const res = (status: number, body: unknown) => checker.checkResponse({ method: 'GET', path, status, body });
    expect(res(200, { key: 'qms.rim.link', value: { filingId: 'RIM-2024-0032', gate: 'approved' } })).toEqual([]);
    expect(res(200, { key: 'qms.rim.link', value: 42 })).toEqual([]);
    expect(res(200, { key: 'qms.rim.link', value: {}, self: `${SITE}${path}` })).toEqual([
      expect.stringContaining('must NOT have additional property "self"'),
    ]);
    expect(res(200, { propertyKey: 'qms.rim.link', value: {} })).toEqual([
      expect.stringContaining('must NOT have additional property "propertyKey"'),
    ]);
    expect(res(200, { key: 7, value: {} })).toEqual([expect.stringContaining('/key must be string')]);
    expect(res(404, { errorMessages: ['The property with key qms.rim.link does not exist.'], errors: {} })).toEqual([]);
    expect(res(404, { errorMessages: 'The property does not exist.' })).toEqual([
      expect.stringContaining('/errorMessages must be array'),
    ]);
    expect(checker.checkRequest({ method: 'GET', path, body: {} })).toEqual([
      expect.stringContaining('documents no request body'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

describe('GET /rest/api/3/issue/{issueIdOrKey} (IssueBean)', () => {
  const res = (body: unknown, status = 200) =>
    checker.checkResponse({ method: 'GET', path: '/rest/api/3/issue/QMS-1', status, body });

  test('accepts a realistic issue, with and without the changelog expanded', () => {
    expect(res(issueBean)).toEqual([]);
    expect(
      res({ id: '10042', key: 'QMS-1', self: `${SITE}/rest/api/3/issue/10042`, fields: { summary: 'x' } }),
    ).toEqual([]);
    expect(
      checker.checkRequest({
        method: 'GET',
        path: '/rest/api/3/issue/QMS-1',
        query: { fields: 'summary,status,labels', expand: 'changelog,names', properties: 'qms.rim.link' },
      }),
    ).toEqual([]);
  });

  test.each([
    ['a numeric id', { ...issueBean, id: 10042 }, '/id must be string'],
    ['a relative self link', { ...issueBean, self: '/rest/api/3/issue/10042' }, '/self must match format "uri"'],
    ['fields flattened onto the issue', { ...issueBean, summary: 'x' }, 'must NOT have additional property "summary"'],
    ['fields as a list', { ...issueBean, fields: [] }, '/fields must be object'],
    [
      'a changelog history with a numeric change',
      { ...issueBean, changelog: { histories: [{ ...changeHistory, items: [{ field: 'status', from: 10000 }] }] } },
      '/changelog/histories/0/items/0/from must be string,null',
    ],
    [
      'a changelog created that is not a date-time',
      { ...issueBean, changelog: { histories: [{ ...changeHistory, created: '5 March 2024' }] } },
      '/changelog/histories/0/created must match format "date-time"',
    ],
  ])('rejects %s', (_name, body, message) => {
    expect(res(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('an undocumented status and a missing body are errors; a 404 carries the Jira error envelope', () => {
    expect(res({ errorMessages: ['boom'], errors: {} }, 500)).toEqual([
      'GET /rest/api/3/issue/{issueIdOrKey} status 500 is not documented (documented: 200, 401, 404)',
    ]);
    expect(res(undefined)).toEqual([expect.stringContaining('has no body, but the spec documents one')]);
    expect(
      res({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }, 404),
    ).toEqual([]);
    expect(res(undefined, 401)).toEqual([]);
  });
});

describe('GET /rest/api/3/issue/{issueIdOrKey}/transitions (Transitions)', () => {
  const res = (body: unknown) =>
    checker.checkResponse({ method: 'GET', path: '/rest/api/3/issue/QMS-1/transitions', status: 200, body });

  test('accepts transitions, with the transition screen fields expanded', () => {
    expect(res(transitions)).toEqual([]);
    expect(res(transitionWithFields)).toEqual([]);
    expect(res({ transitions: [] })).toEqual([]);
    expect(
      checker.checkRequest({
        method: 'GET',
        path: '/rest/api/3/issue/QMS-1/transitions',
        query: { expand: 'transitions.fields', includeUnavailableTransitions: 'true' },
      }),
    ).toEqual([]);
  });

  test.each([
    ['transitions as an object', { transitions: { 31: 'Approve' } }, '/transitions must be array'],
    [
      'a boolean flag as text',
      { transitions: [{ ...transitions.transitions[0], hasScreen: 'false' }] },
      '/transitions/0/hasScreen must be boolean',
    ],
    [
      'a status category id as text',
      {
        transitions: [
          {
            ...transitions.transitions[0],
            to: { ...statusInReview, statusCategory: { ...statusInReview.statusCategory, id: '4' } },
          },
        ],
      },
      '/transitions/0/to/statusCategory/id must be integer',
    ],
    [
      'a screen field without its schema',
      {
        transitions: [
          {
            ...transitions.transitions[0],
            fields: { resolution: { required: true, name: 'Resolution', key: 'resolution', operations: ['set'] } },
          },
        ],
      },
      "/transitions/0/fields/resolution must have required property 'schema'",
    ],
  ])('rejects %s', (_name, body, message) => {
    expect(res(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });
});

describe('POST /rest/api/3/issue responses (CreatedIssue, ErrorCollection)', () => {
  const res = (status: number, body: unknown) =>
    checker.checkResponse({ method: 'POST', path: '/rest/api/3/issue', status, body });

  test('201 CreatedIssue', () => {
    expect(res(201, { id: '10042', key: 'QMS-1', self: `${SITE}/rest/api/3/issue/10042` })).toEqual([]);
    expect(
      res(201, {
        id: '10042',
        key: 'QMS-1',
        self: `${SITE}/rest/api/3/issue/10042`,
        transition: { status: 200, errorCollection: { errorMessages: [], errors: {} } },
      }),
    ).toEqual([]);
    expect(res(201, { id: 10042, key: 'QMS-1' })).toEqual([expect.stringContaining('/id must be string')]);
    expect(res(201, { id: '10042', issueKey: 'QMS-1' })).toEqual([
      expect.stringContaining('must NOT have additional property "issueKey"'),
    ]);
  });

  test('400 is documented as ErrorCollection: { errorMessages: [], errors: {} }', () => {
    expect(res(400, jiraError('summary', 'You must specify a summary of the issue.'))).toEqual([]);
    expect(res(400, { errorMessages: ["Field 'priority' is required"], errors: {} })).toEqual([]);
    expect(res(400, { errorMessages: [], errors: {}, status: 400 })).toEqual([]);
    expect(res(400, { errorMessages: 'Field priority is required' })).toEqual([
      expect.stringContaining('/errorMessages must be array'),
    ]);
    expect(res(400, { errorMessages: [], errors: { summary: ['required'] } })).toEqual([
      expect.stringContaining('/errors/summary must be string'),
    ]);
    expect(res(400, { message: 'Bad Request' })).toEqual([
      expect.stringContaining('must NOT have additional property "message"'),
    ]);
  });

  test('an undocumented status is an error', () => {
    expect(res(200, { id: '10042', key: 'QMS-1' })).toEqual([
      expect.stringContaining('status 200 is not documented (documented: 201, 400, 401, 403, 422)'),
    ]);
    expect(res(404, jiraError('project', 'not found'))).toEqual([
      expect.stringContaining('status 404 is not documented'),
    ]);
  });
});

describe('GET /rest/api/3/issue/{issueIdOrKey}/changelog (PageBeanChangelog)', () => {
  const path = '/rest/api/3/issue/QMS-1/changelog';
  const res = (body: unknown, status = 200) => checker.checkResponse({ method: 'GET', path, status, body });
  const page = {
    self: `${SITE}/rest/api/3/issue/QMS-1/changelog?startAt=0&maxResults=100`,
    maxResults: 100,
    startAt: 0,
    total: 1,
    isLast: true,
    values: [changeHistory],
  };

  test('query: startAt and maxResults are integers', () => {
    expect(checker.checkRequest({ method: 'GET', path, query: { startAt: '0', maxResults: '100' } })).toEqual([]);
    expect(checker.checkRequest({ method: 'GET', path: `${path}?startAt=100` })).toEqual([]);
    expect(checker.checkRequest({ method: 'GET', path, query: { startAt: '-', maxResults: '1.5' } })).toEqual([
      expect.stringContaining('"startAt" must be integer'),
      expect.stringContaining('"maxResults" must be integer'),
    ]);
    expect(checker.checkRequest({ method: 'GET', path, query: { nextPageToken: 'x' } })).toEqual([
      expect.stringContaining('unknown query parameter "nextPageToken"'),
    ]);
  });

  test('accepts a realistic page, including the null "from"/"to" Jira sends', () => {
    expect(res(page)).toEqual([]);
    expect(
      res({ ...page, isLast: false, nextPage: `${SITE}/rest/api/3/issue/QMS-1/changelog?startAt=100&maxResults=100` }),
    ).toEqual([]);
    expect(res({ ...page, values: [] })).toEqual([]);
  });

  test.each([
    ['total as text', { ...page, total: '1' }, '/total must be integer'],
    [
      'histories instead of values (the expand=changelog shape)',
      { startAt: 0, maxResults: 100, total: 1, histories: [changeHistory] },
      'must NOT have additional property "histories"',
    ],
    [
      'a change item with an unknown key',
      { ...page, values: [{ ...changeHistory, items: [{ field: 'status', oldValue: 'To Do' }] }] },
      '/values/0/items/0 must NOT have additional property "oldValue"',
    ],
    [
      'an author with an unknown key',
      { ...page, values: [{ ...changeHistory, author: { ...user, login: 'qa' } }] },
      '/values/0/author must NOT have additional property "login"',
    ],
    [
      'a relative nextPage link',
      { ...page, nextPage: '/rest/api/3/issue/QMS-1/changelog?startAt=100' },
      '/nextPage must match format "uri"',
    ],
  ])('rejects %s', (_name, body, message) => {
    expect(res(body)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });
});

// ---------------------------------------------------------------------------------------
// The spec's own examples, and the overrides
// ---------------------------------------------------------------------------------------

describe("Atlassian's own examples for the operations above validate", () => {
  type Media = { example?: unknown };
  type Op = {
    requestBody?: { content?: Record<string, Media> };
    responses?: Record<string, { content?: Record<string, Media> }>;
  };
  const doc = JSON.parse(readFileSync(defaultSpecPath(), 'utf8')) as { paths: Record<string, Record<string, Op>> };
  const parse = (example: unknown): unknown => {
    if (typeof example !== 'string') return example;
    try {
      return JSON.parse(example) as unknown;
    } catch {
      return example;
    }
  };
  const concrete: Record<string, string> = {
    '{issueIdOrKey}': 'QMS-1',
    '{propertyKey}': 'qms.rim.link',
    '{fieldIdOrKey}': 'customfield_10050',
  };
  const operations: [string, string][] = [
    ['post', '/rest/api/3/issue'],
    ['get', '/rest/api/3/issue/{issueIdOrKey}'],
    ['post', '/rest/api/3/issueLink'],
    ['get', '/rest/api/3/issue/{issueIdOrKey}/transitions'],
    ['post', '/rest/api/3/issue/{issueIdOrKey}/transitions'],
    ['get', '/rest/api/3/search/jql'],
    ['post', '/rest/api/3/search/jql'],
    ['post', '/rest/api/3/issue/bulkfetch'],
    ['post', '/rest/api/3/app/field/value'],
    ['put', '/rest/api/3/app/field/{fieldIdOrKey}/value'],
    ['get', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}'],
    ['get', '/rest/api/3/issue/{issueIdOrKey}/changelog'],
  ];
  const cases = operations.flatMap(([method, template]) => {
    const op = doc.paths[template]?.[method];
    if (op === undefined) throw new Error(`${method} ${template} is not in the spec`);
    const path = template.replace(/\{[^}]+\}/g, (p) => concrete[p] ?? 'x');
    const request = op.requestBody?.content?.['application/json']?.example;
    const out: [string, () => string[]][] = [];
    if (request !== undefined)
      out.push([
        `${method.toUpperCase()} ${template} request`,
        () => checker.checkRequest({ method, path, body: parse(request) }),
      ]);
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const example = response.content?.['application/json']?.example;
      if (example !== undefined)
        out.push([
          `${method.toUpperCase()} ${template} ${status}`,
          () => checker.checkResponse({ method, path, status: Number(status), body: parse(example) }),
        ]);
    }
    return out;
  });

  test('there are examples to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  test.each(cases)('%s', (_name, check) => {
    expect(check()).toEqual([]);
  });
});

describe('SPEC_OVERRIDES', () => {
  const bare = createContractChecker(defaultSpecPath(), { overrides: [] });

  test('each override is documented and still applies to the current spec', () => {
    const doc = JSON.parse(readFileSync(defaultSpecPath(), 'utf8')) as {
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    expect(SPEC_OVERRIDES.map((o) => o.schema)).toEqual(['ChangeDetails', 'BulkIssueResults']);
    for (const override of SPEC_OVERRIDES) {
      expect(override.reason.length).toBeGreaterThan(80);
      const schema = structuredClone(doc.components.schemas[override.schema]);
      expect(schema).toBeDefined();
      const before = JSON.stringify(schema);
      override.apply(schema as Record<string, unknown>);
      expect(JSON.stringify(schema)).not.toBe(before);
      // Applying twice means the published schema no longer looks as the override expects.
      expect(() => override.apply(schema as Record<string, unknown>)).toThrow(/review the override/);
    }
  });

  test('ChangeDetails: without the override, a realistic changelog is rejected', () => {
    const body = { startAt: 0, maxResults: 100, total: 1, isLast: true, values: [changeHistory] };
    const check = (c: ContractChecker) =>
      c.checkResponse({ method: 'GET', path: '/rest/api/3/issue/QMS-1/changelog', status: 200, body });
    expect(check(bare)).toEqual([
      expect.stringContaining('/values/0/items/1/from must be string'),
      expect.stringContaining('/values/0/items/1/to must be string'),
    ]);
    expect(check(checker)).toEqual([]);
  });

  test('BulkIssueResults: without the override, a top-level expand is rejected; nothing else is let through', () => {
    const check = (c: ContractChecker, body: unknown) =>
      c.checkResponse({ method: 'POST', path: '/rest/api/3/issue/bulkfetch', status: 200, body });
    expect(check(bare, { expand: 'names', issues: [], issueErrors: [] })).toEqual([
      expect.stringContaining('must NOT have additional property "expand"'),
    ]);
    expect(check(checker, { expand: 'names', issues: [], issueErrors: [] })).toEqual([]);
    expect(check(checker, { expand: 'names', issues: [], names: {} })).toEqual([
      expect.stringContaining('must NOT have additional property "names"'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Coverage recording
// ---------------------------------------------------------------------------------------

describe('seen() and coverage()', () => {
  test('records every (method, template) checked, per checker', () => {
    const own = createContractChecker();
    expect(own.seen().size).toBe(0);
    own.checkRequest({ method: 'post', path: '/rest/api/3/issue/bulkfetch', body: { issueIdsOrKeys: ['QMS-1'] } });
    own.checkResponse({ method: 'GET', path: '/rest/api/3/issue/QMS-1', status: 200, body: { id: 1 } }); // invalid, still seen
    own.checkResponse({ method: 'GET', path: '/rest/api/3/issue/QMS-2', status: 404, body: undefined });
    own.checkRequest({ method: 'GET', path: '/rest/api/3/not-a-thing' }); // unknown: not recorded
    own.operationFor('GET', '/rest/api/3/issue/QMS-1/changelog'); // a lookup, not a check
    expect(own.seen()).toEqual(new Set(['POST /rest/api/3/issue/bulkfetch', 'GET /rest/api/3/issue/{issueIdOrKey}']));

    const report = own.coverage([
      'GET /rest/api/3/issue/{issueIdOrKey}',
      'post /rest/api/3/issue/bulkfetch',
      'GET /rest/api/3/issue/{issueIdOrKey}/changelog',
      'GET /rest/api/3/issue/{issueKey}',
    ]);
    expect(report).toEqual({
      seen: ['GET /rest/api/3/issue/{issueIdOrKey}', 'POST /rest/api/3/issue/bulkfetch'],
      missing: ['GET /rest/api/3/issue/{issueIdOrKey}/changelog'],
      notInSpec: ['GET /rest/api/3/issue/{issueKey}'],
    });

    own.seen().clear(); // a copy
    expect(own.seen().size).toBe(2);
    own.resetSeen();
    expect(own.seen().size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------
// The OpenAPI -> JSON Schema translation, on a small synthetic spec via $JIRA_OPENAPI_SPEC
// ---------------------------------------------------------------------------------------

describe('OpenAPI 3.0 translation rules (synthetic spec)', () => {
  const errorCollection = {
    type: 'object',
    additionalProperties: false,
    properties: {
      errorMessages: { type: 'array', items: { type: 'string' } },
      errors: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
  const spec = {
    openapi: '3.0.1',
    info: { title: 'synthetic', version: '1' },
    paths: {
      '/things/{thingId}': {
        get: {
          operationId: 'getThing',
          parameters: [
            { in: 'path', name: 'thingId', required: true, schema: { type: 'integer', format: 'int64' } },
            { in: 'query', name: 'mode', required: true, schema: { type: 'string', enum: ['full', 'lite'] } },
          ],
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorCollection' } } } },
          },
        },
        put: {
          operationId: 'putThing',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          responses: { '204': { description: 'done' } },
        },
      },
      '/things/special': {
        get: {
          operationId: 'getSpecial',
          responses: { '2XX': { content: { 'application/json': { schema: { type: 'string' } } } } },
        },
      },
      '/shapes': {
        post: {
          operationId: 'postShape',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Shape' } } },
          },
          responses: { '201': { content: { 'application/json': { schema: {} } } } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'secret', 'owner'],
          'x-atlassian-internal': true,
          example: { id: 'example only' },
          xml: { name: 'thing' },
          properties: {
            id: { type: 'string', readOnly: true, description: 'server-assigned' },
            name: { type: 'string', maxLength: 10 },
            secret: { type: 'string', writeOnly: true },
            owner: { $ref: '#/components/schemas/Owner' },
            colour: { type: 'string', enum: ['red', 'green'], nullable: true },
            parent: { allOf: [{ $ref: '#/components/schemas/Thing' }], nullable: true },
            created: { type: 'string', format: 'date-time' },
            jiraish: { type: 'string', format: 'x-jira-special' },
            count: { type: 'integer', format: 'int32' },
          },
        },
        Owner: {
          type: 'object',
          readOnly: true,
          required: ['accountId'],
          properties: { accountId: { type: 'string' } },
        },
        Shape: {
          type: 'object',
          additionalProperties: false,
          discriminator: {
            propertyName: 'kind',
            mapping: { circle: '#/components/schemas/Circle', square: '#/components/schemas/Square' },
          },
          oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }],
        },
        Circle: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'radius'],
          properties: { kind: { type: 'string', enum: ['circle'] }, radius: { type: 'number', format: 'double' } },
        },
        Square: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'side'],
          properties: { kind: { type: 'string', enum: ['square'] }, side: { type: 'number' } },
        },
        ErrorCollection: errorCollection,
      },
    },
  };

  let dir: string;
  let mini: ContractChecker;
  const saved = process.env.JIRA_OPENAPI_SPEC;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-contract-'));
    const file = join(dir, 'synthetic.json');
    writeFileSync(file, JSON.stringify(spec));
    process.env.JIRA_OPENAPI_SPEC = file;
    mini = createContractChecker(undefined, { overrides: [] });
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.JIRA_OPENAPI_SPEC;
    else process.env.JIRA_OPENAPI_SPEC = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  test('$JIRA_OPENAPI_SPEC selects the spec file', () => {
    expect(mini.specPath).toBe(join(dir, 'synthetic.json'));
    expect(mini.operations().sort()).toEqual([
      'GET /things/special',
      'GET /things/{thingId}',
      'POST /shapes',
      'PUT /things/{thingId}',
    ]);
    expect(mini.operationFor('GET', '/things/special')?.operationId).toBe('getSpecial');
    expect(mini.operationFor('GET', '/things/42')?.operationId).toBe('getThing');
  });

  test('a spec whose overrides do not apply is refused', () => {
    expect(() => createContractChecker(join(dir, 'synthetic.json'), { overrides: SPEC_OVERRIDES })).toThrow(
      /ChangeDetails: schema not found/,
    );
  });

  test('readOnly is not required in requests, writeOnly not in responses', () => {
    const put = (body: unknown) => mini.checkRequest({ method: 'PUT', path: '/things/42', body });
    const get = (body: unknown) => mini.checkResponse({ method: 'GET', path: '/things/42', status: 200, body });
    expect(put({ name: 'a', secret: 's' })).toEqual([]); // no id (readOnly), no owner (a readOnly $ref)
    expect(put({ name: 'a' })).toEqual([expect.stringContaining("must have required property 'secret'")]);
    expect(put({ id: 'x', name: 'a', secret: 's' })).toEqual([]); // readOnly is tolerated, not forbidden
    expect(get({ id: 'x', name: 'a', owner: { accountId: 'u' } })).toEqual([]); // no secret (writeOnly)
    expect(get({ name: 'a', owner: { accountId: 'u' } })).toEqual([
      expect.stringContaining("must have required property 'id'"),
    ]);
    expect(get({ id: 'x', name: 'a' })).toEqual([expect.stringContaining("must have required property 'owner'")]);
  });

  test('nullable adds null to type and enum; nullable without type wraps the schema', () => {
    const put = (extra: Record<string, unknown>) =>
      mini.checkRequest({ method: 'PUT', path: '/things/42', body: { name: 'a', secret: 's', ...extra } });
    expect(put({ colour: null })).toEqual([]);
    expect(put({ colour: 'red' })).toEqual([]);
    expect(put({ colour: 'blue' })).toEqual([
      expect.stringContaining('/colour must be equal to one of the allowed values'),
    ]);
    expect(put({ parent: null })).toEqual([]);
    expect(put({ parent: { name: 'p', secret: 's' } })).toEqual([]);
    expect(put({ parent: { name: 5 } })).not.toEqual([]);
    expect(put({ name: null })).toEqual([expect.stringContaining('/name must be string')]);
  });

  test('formats: OpenAPI ones are checked, unknown ones are no-ops; example, xml and x-* are ignored', () => {
    const put = (extra: Record<string, unknown>) =>
      mini.checkRequest({ method: 'PUT', path: '/things/42', body: { name: 'a', secret: 's', ...extra } });
    expect(put({ created: '2024-03-05T09:14:02.123+0000', jiraish: 'anything at all', count: 2 ** 31 - 1 })).toEqual(
      [],
    );
    expect(put({ created: '2024-03-05' })).toEqual([expect.stringContaining('must match format "date-time"')]);
    expect(put({ count: 2 ** 31 })).toEqual([expect.stringContaining('must match format "int32"')]);
    expect(put({ name: 'far too long a name' })).toEqual([
      expect.stringContaining('must NOT have more than 10 characters'),
    ]);
  });

  test('discriminator + oneOf: exactly one branch, the parent does not close the branches', () => {
    const post = (body: unknown) => mini.checkRequest({ method: 'POST', path: '/shapes', body });
    expect(post({ kind: 'circle', radius: 1.5 })).toEqual([]);
    expect(post({ kind: 'square', side: 2 })).toEqual([]);
    expect(post({ kind: 'circle', side: 2 })).not.toEqual([]);
    expect(post({ kind: 'triangle' })).not.toEqual([]);
  });

  test('path and query parameters are coerced and validated; status ranges and default apply', () => {
    expect(mini.checkRequest({ method: 'GET', path: '/things/42', query: { mode: 'lite' } })).toEqual([]);
    expect(mini.checkRequest({ method: 'GET', path: '/things/abc', query: { mode: 'full' } })).toEqual([
      expect.stringContaining('path parameter "thingId" must be integer (got "abc")'),
    ]);
    expect(mini.checkRequest({ method: 'GET', path: '/things/42' })).toEqual([
      expect.stringContaining('missing required query parameter "mode"'),
    ]);
    expect(mini.checkRequest({ method: 'GET', path: '/things/42?mode=verbose' })).toEqual([
      expect.stringContaining('query parameter "mode" must be equal to one of the allowed values ["full","lite"]'),
    ]);
    expect(mini.checkResponse({ method: 'GET', path: '/things/special', status: 206, body: 'partial' })).toEqual([]);
    expect(mini.checkResponse({ method: 'GET', path: '/things/special', status: 206, body: 3 })).toEqual([
      expect.stringContaining('must be string'),
    ]);
    expect(
      mini.checkResponse({ method: 'GET', path: '/things/special', status: 404, body: { errorMessages: [] } }),
    ).toEqual([expect.stringContaining('status 404 is not documented')]);
    expect(
      mini.checkResponse({
        method: 'GET',
        path: '/things/42',
        status: 503,
        body: { errorMessages: ['down'], errors: {} },
      }),
    ).toEqual([]);
    expect(mini.checkResponse({ method: 'GET', path: '/things/42', status: 503, body: { error: 'down' } })).not.toEqual(
      [],
    );
    expect(mini.checkResponse({ method: 'PUT', path: '/things/42', status: 204, body: '' })).toEqual([]);
  });
});
