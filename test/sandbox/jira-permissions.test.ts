import { ISSUE_NOT_VISIBLE, SITE_ACCOUNTS } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';

/**
 * Quinn (quality) may browse QMS only; Rita (regulatory) may browse both. A RIM issue must
 * look to Quinn exactly like one that does not exist, everywhere.
 */
const setUp = () => {
  const site = createTestSite();
  const qms = site.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    summary: 'Replace tablet press supplier',
  });
  const rim = site.jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    summary: 'PAS: alternate tablet press supplier',
  });
  const link = site.jira.seedLink({ type: 'Regulatory filing', from: qms.key, to: rim.key });
  return { ...site, qms, rim, link };
};

const notVisible = { errorMessages: [ISSUE_NOT_VISIBLE], errors: {} };

describe('Jira stand-in: per-project permissions', () => {
  it("answers 404 with Jira's words for an issue in a project the user cannot browse, by key and by id", async () => {
    const { call, rim } = setUp();
    for (const ref of [rim.key, rim.id, rim.key.toLowerCase()]) {
      const res = await call('quality', 'GET', `/rest/api/3/issue/${ref}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notVisible);
    }
    expect((await call('quality', 'GET', '/rest/api/3/issue/RIM-999')).body).toEqual(notVisible);
    expect((await call('regulatory', 'GET', `/rest/api/3/issue/${rim.key}`)).status).toBe(200);
    expect((await call('app', 'GET', `/rest/api/3/issue/${rim.key}`)).status).toBe(200);
  });

  it('hides the same issue from every read: properties, changelog, transitions, links', async () => {
    const { call, rim, link, jira } = setUp();
    jira.seedIssueProperty({ issue: rim.key, key: 'qms-rim.summary', value: { ok: true } });
    const paths = [
      `/rest/api/3/issue/${rim.key}/properties`,
      `/rest/api/3/issue/${rim.key}/properties/qms-rim.summary`,
      `/rest/api/3/issue/${rim.key}/changelog`,
      `/rest/api/3/issue/${rim.key}/transitions`,
    ];
    for (const path of paths) expect((await call('quality', 'GET', path)).status).toBe(404);
    expect((await call('quality', 'GET', `/rest/api/3/issueLink/${link.id}`)).status).toBe(404);
    expect((await call('regulatory', 'GET', `/rest/api/3/issueLink/${link.id}`)).status).toBe(200);
  });

  it('leaves hidden issues out of search/jql, with no trace of them', async () => {
    const { call } = setUp();
    const all = await call('quality', 'POST', '/rest/api/3/search/jql', {
      jql: 'created >= "2020-01-01"',
      fields: ['key'],
    });
    expect(all.body).toEqual({ issues: [expect.objectContaining({ key: 'QMS-1' })], isLast: true });
    const rita = await call('regulatory', 'POST', '/rest/api/3/search/jql', {
      jql: 'created >= "2020-01-01"',
      fields: ['key'],
    });
    expect(rita.body).toMatchObject({ issues: [{ key: 'QMS-1' }, { key: 'RIM-1' }] });
  });

  it('says a hidden project "does not exist" in JQL, as Jira does', async () => {
    const { call } = setUp();
    const res = await call('quality', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = RIM')}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: ["The value 'RIM' does not exist for the field 'project'."],
      errors: {},
    });
  });

  it('puts hidden issues into bulkfetch issueErrors and returns the visible ones', async () => {
    const { call, qms, rim } = setUp();
    const res = await call('quality', 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [rim.key, qms.key, 'QMS-404'],
      fields: ['summary'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issues: [{ key: qms.key, fields: { summary: 'Replace tablet press supplier' } }],
      issueErrors: [
        { id: rim.key, errorMessage: ISSUE_NOT_VISIBLE },
        { id: 'QMS-404', errorMessage: ISSUE_NOT_VISIBLE },
      ],
    });
  });

  it('does not show a link to an issue the viewer cannot see on an issue they can', async () => {
    const { call, qms, rim } = setUp();
    const quinn = await call('quality', 'GET', `/rest/api/3/issue/${qms.key}?fields=issuelinks`);
    expect(quinn.body).toMatchObject({ fields: { issuelinks: [] } });
    const rita = await call('regulatory', 'GET', `/rest/api/3/issue/${qms.key}?fields=issuelinks`);
    expect(rita.body).toMatchObject({
      fields: { issuelinks: [{ type: { name: 'Regulatory filing' }, outwardIssue: { key: rim.key } }] },
    });
  });

  it('does not let a user link to, or find links through, an issue they cannot see', async () => {
    const { call, qms, rim } = setUp();
    const link = await call('quality', 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Relates' },
      inwardIssue: { key: qms.key },
      outwardIssue: { key: rim.key },
    });
    expect(link.status).toBe(404);
    const search = await call(
      'quality',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent(`issue in linkedIssues("${rim.key}")`)}`,
    );
    expect(search.status).toBe(400);
    expect(search.body).toEqual({
      errorMessages: [`Issue '${rim.key}' could not be found in function 'linkedIssues'.`],
      errors: {},
    });
  });

  it('enforces create, edit, transition and link permissions beyond browse', async () => {
    const { call, qms, jira } = setUp();
    // Max may browse QMS but change nothing.
    const create = await call('manager', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'x' },
    });
    expect(create.status).toBe(400);
    expect(create.body).toEqual({
      errorMessages: [],
      errors: { project: 'You do not have permission to create issues in this project.' },
    });
    const edit = await call('manager', 'PUT', `/rest/api/3/issue/${qms.key}`, { fields: { summary: 'renamed' } });
    expect(edit.status).toBe(400);
    expect(edit.body).toEqual({
      errorMessages: [],
      errors: { summary: "Field 'summary' cannot be set. It is not on the appropriate screen, or unknown." },
    });
    const transitions = await call('manager', 'GET', `/rest/api/3/issue/${qms.key}/transitions`);
    expect(transitions.body).toMatchObject({ transitions: [] });
    const transition = await call('manager', 'POST', `/rest/api/3/issue/${qms.key}/transitions`, {
      transition: { id: '11' },
    });
    expect(transition.status).toBe(400);
    const property = await call('manager', 'PUT', `/rest/api/3/issue/${qms.key}/properties/x`, { a: 1 });
    expect(property.status).toBe(403);
    expect(jira.readIssue(qms.key)).toMatchObject({ summary: 'Replace tablet press supplier', properties: {} });
    // Rita works QMS records but may not create them.
    const ritaCreate = await call('regulatory', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'x' },
    });
    expect(ritaCreate.status).toBe(400);
    // A project nobody granted looks absent.
    const hidden = await call('quality', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'RIM' }, issuetype: { name: 'Submission' }, summary: 'x' },
    });
    expect(hidden.body).toEqual({ errorMessages: [], errors: { project: 'Specify a valid project ID or key' } });
  });

  it('answers 401 for an unknown account, and GET /myself for a known one', async () => {
    const { jira } = setUp();
    const unknown = await jira.handle({
      method: 'GET',
      path: '/rest/api/3/myself',
      as: { kind: 'user', accountId: 'nobody' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({
      errorMessages: ['Client must be authenticated to access this resource.'],
      errors: {},
    });
    const me = await jira.handle({ method: 'GET', path: '/rest/api/3/myself', as: { kind: 'app' } });
    expect(me.body).toMatchObject({ accountId: jira.appAccountId, accountType: 'app' });
  });

  it('answers 404 for a project the user cannot browse', async () => {
    const { call } = setUp();
    expect((await call('quality', 'GET', '/rest/api/3/project/RIM')).status).toBe(404);
    const rim = await call('regulatory', 'GET', '/rest/api/3/project/RIM');
    expect(rim.status).toBe(200);
    expect(rim.body).toMatchObject({
      key: 'RIM',
      issueTypes: [{ name: 'Submission' }, { name: 'Commitment' }, { name: 'Health Authority Correspondence' }],
    });
  });
});

describe('Jira stand-in: issue security (one issue hidden, the rest of its project visible)', () => {
  it('hides an issue on a security level from everyone not on it, everywhere, as if it did not exist', async () => {
    const { call, jira, qms, rim } = setUp();
    const other = jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      summary: 'Type II variation: alternate tablet press supplier',
    });
    jira.setIssueSecurity({ issue: rim.key, accountIds: [SITE_ACCOUNTS.regulatory] });
    // Rita is on the level; the admin browses RIM but is not.
    expect((await call('regulatory', 'GET', `/rest/api/3/issue/${rim.key}`)).status).toBe(200);
    expect((await call('admin', 'GET', `/rest/api/3/issue/${rim.key}`)).body).toEqual(notVisible);
    expect((await call('admin', 'GET', `/rest/api/3/issue/${other.key}`)).status).toBe(200);
    expect((await call('admin', 'GET', `/rest/api/3/issue/${rim.key}/properties`)).status).toBe(404);
    const search = await call('admin', 'POST', '/rest/api/3/search/jql', { jql: 'project = RIM', fields: ['key'] });
    expect(search.body).toEqual({ issues: [expect.objectContaining({ key: other.key })], isLast: true });
    const bulk = await call('admin', 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [rim.key, other.key],
      fields: ['summary'],
    });
    expect(bulk.body).toMatchObject({
      issues: [{ key: other.key }],
      issueErrors: [{ id: rim.key, errorMessage: ISSUE_NOT_VISIBLE }],
    });
    expect((await call('admin', 'GET', `/rest/api/3/issue/${qms.key}?fields=issuelinks`)).body).toMatchObject({
      fields: { issuelinks: [] },
    });
    // The app is on every level, as it reads as itself.
    expect((await call('app', 'GET', `/rest/api/3/issue/${rim.key}`)).status).toBe(200);

    jira.setIssueSecurity({ issue: rim.key, accountIds: null });
    expect((await call('admin', 'GET', `/rest/api/3/issue/${rim.key}`)).status).toBe(200);
  });
});

describe('Jira stand-in: GET /user/permission/search (Find users with permissions)', () => {
  const search = (query: string) => `/rest/api/3/user/permission/search?${query}`;
  const accountIds = (body: unknown): string[] =>
    Array.isArray(body) ? body.map((u: { accountId?: unknown }) => String(u.accountId)) : [];

  it('answers the app the people holding every named permission on the issue, narrowed to one account', async () => {
    const { call, qms, rim } = setUp();
    const onQms = await call('app', 'GET', search(`issueKey=${qms.key}&permissions=BROWSE_PROJECTS,LINK_ISSUES`));
    expect(onQms.status).toBe(200);
    expect(accountIds(onQms.body)).toEqual(expect.arrayContaining([SITE_ACCOUNTS.quality, SITE_ACCOUNTS.regulatory]));
    expect(accountIds(onQms.body)).not.toContain(SITE_ACCOUNTS.manager);
    expect(
      accountIds(
        (
          await call(
            'app',
            'GET',
            search(`accountId=${SITE_ACCOUNTS.quality}&issueKey=${rim.key}&permissions=BROWSE_PROJECTS`),
          )
        ).body,
      ),
    ).toEqual([]);
    expect(
      accountIds(
        (
          await call(
            'app',
            'GET',
            search(`accountId=${SITE_ACCOUNTS.regulatory}&issueKey=${rim.key}&permissions=BROWSE_PROJECTS`),
          )
        ).body,
      ),
    ).toEqual([SITE_ACCOUNTS.regulatory]);
  });

  it('leaves out people an issue security level hides the issue from', async () => {
    const { call, qms, jira } = setUp();
    jira.setIssueSecurity({ issue: qms.key, accountIds: [SITE_ACCOUNTS.quality] });
    expect(
      accountIds((await call('app', 'GET', search(`issueKey=${qms.key}&permissions=BROWSE_PROJECTS`))).body),
    ).not.toContain(SITE_ACCOUNTS.regulatory);
  });

  it('refuses a caller who administers nothing, and a question without an issue or project', async () => {
    const { call, qms } = setUp();
    expect((await call('quality', 'GET', search(`issueKey=${qms.key}&permissions=BROWSE_PROJECTS`))).status).toBe(403);
    expect((await call('app', 'GET', search('permissions=BROWSE_PROJECTS'))).status).toBe(400);
  });
});
