import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';

const setUp = (sleep?: (ms: number) => Promise<void>) => {
  const site = createTestSite(sleep ? { sleep } : {});
  const issue = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Investigate hardness' });
  return { ...site, issue };
};

describe('Jira stand-in: injected faults', () => {
  it('delays every request by latencyMs', async () => {
    const slept: number[] = [];
    const site = setUp(async (ms) => {
      slept.push(ms);
    });
    site.jira.setFaults({ latencyMs: 250 });
    await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`);
    await site.call('app', 'GET', '/rest/api/3/myself');
    expect(slept).toEqual([250, 250]);
    site.jira.clearFaults();
    await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`);
    expect(slept).toHaveLength(2);
  });

  it('really waits with the default sleep', async () => {
    const site = setUp();
    site.jira.setFaults({ latencyMs: 40 });
    const started = Date.now();
    await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("answers every Nth request 429 with Retry-After, in Jira's error shape, and changes nothing", async () => {
    const site = setUp();
    site.jira.setFaults({ rateLimit: { every: 3, retryAfterSeconds: 7 } });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await site.call('quality', 'PUT', `/rest/api/3/issue/${site.issue.key}`, {
        fields: { summary: `Edit ${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers['Retry-After']).toBe('7');
        expect(res.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
      }
    }
    expect(statuses).toEqual([204, 204, 429, 204, 204, 429]);
    // Edits 3 and 6 were refused before any work: four histories, the last summary is edit 5.
    expect(site.jira.readIssue(site.issue.key)).toMatchObject({ summary: 'Edit 5', histories: { length: 4 } });
  });

  it("answers every Mth request with a 5xx in Jira's shape (503 by default, or the status asked for)", async () => {
    const site = setUp();
    site.jira.setFaults({ serverErrorEvery: 2 });
    const first = await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`);
    const second = await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`);
    expect([first.status, second.status]).toEqual([200, 503]);
    expect(second.body).toEqual({ errorMessages: [expect.any(String)], errors: {} });
    site.jira.setFaults({ serverErrorEvery: 1, serverErrorStatus: 500 });
    expect((await site.call('app', 'GET', '/rest/api/3/myself')).status).toBe(500);
  });

  it('lets a rate limit win when both faults fall on the same request', async () => {
    const site = setUp();
    site.jira.setFaults({ rateLimit: { every: 2, retryAfterSeconds: 1 }, serverErrorEvery: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await site.call('app', 'GET', '/rest/api/3/myself')).status);
    expect(statuses).toEqual([200, 429, 200, 429]);
  });

  it('fails one named operation, `times` times or every time, before any work', async () => {
    const site = setUp();
    site.jira.setFaults({
      failOperations: [
        { operation: 'POST /rest/api/3/issueLink', status: 400, message: 'No link today.', times: 1 },
        { operation: 'PUT /rest/api/3/issue/{issueIdOrKey}', status: 500 },
      ],
    });
    const link = () =>
      site.call('quality', 'POST', '/rest/api/3/issueLink', {
        type: { name: 'Relates' },
        inwardIssue: { key: site.issue.key },
        outwardIssue: { key: second.key },
      });
    const second = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Second' });
    const refused = await link();
    expect(refused).toMatchObject({ status: 400, body: { errorMessages: ['No link today.'] } });
    expect(Object.values(site.jira.snapshot().links)).toHaveLength(0);
    expect((await link()).status).toBe(201);
    for (let i = 0; i < 2; i++)
      expect(
        (await site.call('quality', 'PUT', `/rest/api/3/issue/${site.issue.key}`, { fields: { summary: 'x' } })).status,
      ).toBe(500);
    expect((await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}`)).status).toBe(200);
    expect(site.jira.readIssue(site.issue.key)?.summary).toBe('Investigate hardness');
    site.jira.setFaults({ failOperations: [{ operation: 'GET /rest/api/3/myself', status: 503, after: 2, times: 1 }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await site.call('app', 'GET', '/rest/api/3/myself')).status);
    expect(statuses).toEqual([200, 200, 503, 200]);
  });

  it('rejects nonsense fault settings at once', () => {
    const site = setUp();
    expect(() => site.jira.setFaults({ rateLimit: { every: 0, retryAfterSeconds: 1 } })).toThrow(/setFaults/);
  });
});

describe('Jira stand-in: metrics', () => {
  it('counts calls in total, per endpoint template and per account (faulted ones included)', async () => {
    const site = setUp();
    const { call, issue } = site;
    await call('quality', 'GET', `/rest/api/3/issue/${issue.key}`);
    await call('quality', 'GET', `/rest/api/3/issue/${issue.id}?fields=summary`);
    await call('regulatory', 'POST', '/rest/api/3/search/jql', { jql: 'project = QMS' });
    await call('app', 'POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: [issue.key] });
    site.jira.setFaults({ rateLimit: { every: 1, retryAfterSeconds: 1 } });
    await call('app', 'GET', `/rest/api/3/issue/${issue.key}/changelog`);
    site.jira.clearFaults();
    await call('app', 'GET', '/rest/api/3/nothing-here');
    expect(site.jira.metrics()).toEqual({
      total: 6,
      byEndpoint: {
        'GET /rest/api/3/issue/{issueIdOrKey}': 2,
        'POST /rest/api/3/search/jql': 1,
        'POST /rest/api/3/issue/bulkfetch': 1,
        'GET /rest/api/3/issue/{issueIdOrKey}/changelog': 1,
        'GET (no route)': 1,
      },
      byAccount: { [SITE_ACCOUNTS.quality]: 2, [SITE_ACCOUNTS.regulatory]: 1, app: 3 },
      rateLimited: 1,
      serverErrors: 0,
    });
    site.jira.resetMetrics();
    expect(site.jira.metrics()).toEqual({ total: 0, byEndpoint: {}, byAccount: {}, rateLimited: 0, serverErrors: 0 });
  });

  it('does not count seeding', () => {
    const site = setUp();
    site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'seeded' });
    expect(site.jira.metrics().total).toBe(0);
  });
});
