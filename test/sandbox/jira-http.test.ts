import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import {
  SITE_ACCOUNTS,
  SITE_EMAILS,
  basicAuthEmail,
  createJiraHttpListener,
  createJiraProductHandler,
} from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';

const basic = (email: string, token = 'any-token') => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

describe('Jira stand-in over HTTP', () => {
  const site = createTestSite();
  site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Hardness out of trend' });
  site.jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: 'Annual report' });
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer(createJiraHttpListener(site.jira));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  it('authenticates a seeded person by e-mail with any token and answers as them', async () => {
    const me = await fetch(`${base}/rest/api/3/myself`, { headers: { Authorization: basic(SITE_EMAILS.quality) } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ accountId: SITE_ACCOUNTS.quality, emailAddress: SITE_EMAILS.quality });
    const hidden = await fetch(`${base}/rest/api/3/issue/RIM-1`, {
      headers: { Authorization: basic(SITE_EMAILS.quality) },
    });
    expect(hidden.status).toBe(404);
    const visible = await fetch(`${base}/rest/api/3/issue/RIM-1?fields=summary`, {
      headers: { Authorization: basic(SITE_EMAILS.regulatory.toUpperCase()) },
    });
    expect(await visible.json()).toMatchObject({ fields: { summary: 'Annual report' } });
  });

  it("answers 401 in Jira's shape without credentials or for an unknown e-mail", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: basic('stranger@example.com') },
      { Authorization: 'Bearer abc' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${base}/rest/api/3/myself`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        errorMessages: ['Client must be authenticated to access this resource.'],
        errors: {},
      });
    }
  });

  it('carries JSON bodies both ways, and refuses text that is not JSON', async () => {
    const created = await fetch(`${base}/rest/api/3/issue`, {
      method: 'POST',
      headers: { Authorization: basic(SITE_EMAILS.quality), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        fields: { project: { key: 'QMS' }, issuetype: { name: 'Deviation' }, summary: 'Temperature excursion' },
      }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ key: 'QMS-2' });
    const edited = await fetch(`${base}/rest/api/3/issue/QMS-2`, {
      method: 'PUT',
      headers: { Authorization: basic(SITE_EMAILS.quality) },
      body: JSON.stringify({ fields: { summary: 'Temperature excursion in room 4' } }),
    });
    expect(edited.status).toBe(204);
    expect(await edited.text()).toBe('');
    const garbage = await fetch(`${base}/rest/api/3/issue`, {
      method: 'POST',
      headers: { Authorization: basic(SITE_EMAILS.quality) },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ errorMessages: [expect.stringContaining('not valid JSON')] });
  });

  it('passes Retry-After through on a 429', async () => {
    site.jira.setFaults({ rateLimit: { every: 1, retryAfterSeconds: 3 } });
    const res = await fetch(`${base}/rest/api/3/myself`, { headers: { Authorization: basic(SITE_EMAILS.quality) } });
    site.jira.clearFaults();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('reads the e-mail out of a basic auth header', () => {
    expect(basicAuthEmail(basic('a@b.c', 'tok:en'))).toBe('a@b.c');
    expect(basicAuthEmail('Basic !!!')).toBeUndefined();
    expect(basicAuthEmail(undefined)).toBeUndefined();
  });
});

describe("Jira stand-in as the Forge runtime's product handler", () => {
  it('answers asUser() calls as the user and asApp() calls as the app, with text bodies', async () => {
    const site = createTestSite();
    site.jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: 'Annual report' });
    const handler = createJiraProductHandler(site.jira);
    const asUser = await handler({
      provider: 'user',
      remote: 'jira',
      accountId: SITE_ACCOUNTS.quality,
      method: 'GET',
      path: '/rest/api/3/issue/RIM-1',
      headers: {},
      body: undefined,
    });
    expect(asUser.status).toBe(404);
    const asApp = await handler({
      provider: 'app',
      remote: 'jira',
      accountId: undefined,
      method: 'GET',
      path: '/rest/api/3/issue/RIM-1?fields=summary',
      headers: {},
      body: undefined,
    });
    expect(asApp.status).toBe(200);
    expect(JSON.parse(asApp.body ?? '')).toMatchObject({ fields: { summary: 'Annual report' } });
    const search = await handler({
      provider: 'app',
      remote: 'jira',
      accountId: undefined,
      method: 'POST',
      path: '/rest/api/3/search/jql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jql: 'project = RIM', fields: ['key'] }),
    });
    expect(JSON.parse(search.body ?? '')).toMatchObject({ issues: [{ key: 'RIM-1' }], isLast: true });
    const noUser = await handler({
      provider: 'user',
      remote: 'jira',
      accountId: undefined,
      method: 'GET',
      path: '/rest/api/3/myself',
      headers: {},
      body: undefined,
    });
    expect(noUser.status).toBe(401);
    const confluence = await handler({
      provider: 'app',
      remote: 'confluence',
      accountId: undefined,
      method: 'GET',
      path: '/wiki/api/v2/pages',
      headers: {},
      body: undefined,
    });
    expect(confluence.status).toBe(404);
    expect(site.jira.metrics().byAccount).toEqual({ [SITE_ACCOUNTS.quality]: 1, app: 2, '(anonymous)': 1 });
  });
});
