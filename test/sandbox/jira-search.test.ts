import { z } from 'zod';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';

const PageSchema = z.object({
  issues: z.array(
    z.looseObject({ id: z.string(), key: z.string().optional(), fields: z.record(z.string(), z.unknown()).optional() }),
  ),
  isLast: z.boolean(),
  nextPageToken: z.string().optional(),
});

/** 6,003 visible QMS issues and 7 RIM issues Quinn may not see. */
const QMS_COUNT = 6003;
const bigSite = (() => {
  let site: ReturnType<typeof createTestSite> | undefined;
  return () => {
    if (!site) {
      site = createTestSite();
      for (let i = 1; i <= QMS_COUNT; i++)
        site.jira.seedIssue({ project: 'QMS', issueType: i % 2 === 0 ? 'CAPA' : 'Deviation', summary: `Record ${i}` });
      for (let i = 1; i <= 7; i++)
        site.jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: `Submission ${i}` });
    }
    return site;
  };
})();

const searchAll = async (body: Record<string, unknown>, via: 'POST' | 'GET' = 'POST') => {
  const { call } = bigSite();
  const pages: Array<z.infer<typeof PageSchema>> = [];
  let token: string | undefined;
  do {
    const res =
      via === 'POST'
        ? await call('quality', 'POST', '/rest/api/3/search/jql', {
            ...body,
            ...(token ? { nextPageToken: token } : {}),
          })
        : await call(
            'quality',
            'GET',
            `/rest/api/3/search/jql?${new URLSearchParams({ ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])), ...(token ? { nextPageToken: token } : {}) })}`,
          );
    expect(res.status).toBe(200);
    const page = PageSchema.parse(res.body);
    pages.push(page);
    token = page.nextPageToken;
    expect(page.isLast).toBe(token === undefined);
  } while (token !== undefined);
  return pages;
};

describe('Jira stand-in: search/jql paging', () => {
  it('pages ids-only searches 5,000 at a time with nextPageToken, no total and no startAt', async () => {
    const pages = await searchAll({ jql: 'project = QMS', maxResults: 5000 });
    expect(pages.map((p) => p.issues.length)).toEqual([5000, QMS_COUNT - 5000]);
    for (const page of pages) {
      expect(page).not.toHaveProperty('total');
      expect(page).not.toHaveProperty('startAt');
    }
    // The default field is `id` alone: nothing else comes back.
    expect(pages[0]?.issues[0]).toEqual({ id: expect.any(String) });
    const ids = pages.flatMap((p) => p.issues.map((i) => i.id));
    expect(new Set(ids).size).toBe(QMS_COUNT);
  });

  it('caps an ids-only page at 5,000 even when more are asked for, and allows keys alongside ids', async () => {
    const pages = await searchAll({ jql: 'project = QMS ORDER BY key DESC', maxResults: 20000, fields: ['id', 'key'] });
    expect(pages.map((p) => p.issues.length)).toEqual([5000, QMS_COUNT - 5000]);
    expect(pages[0]?.issues[0]).toEqual({ id: expect.any(String), key: `QMS-${QMS_COUNT}` });
  });

  it('caps a page at 100 when other fields are requested', async () => {
    const pages = await searchAll({
      jql: 'project = QMS AND issuetype = CAPA ORDER BY key ASC',
      maxResults: 1000,
      fields: ['summary', 'status'],
    });
    const expected = Math.floor(QMS_COUNT / 2);
    expect(pages.every((p, i) => p.issues.length === (i < pages.length - 1 ? 100 : expected % 100 || 100))).toBe(true);
    expect(pages.flatMap((p) => p.issues)).toHaveLength(expected);
    expect(pages[0]?.issues[0]).toMatchObject({
      key: 'QMS-2',
      fields: { summary: 'Record 2', status: { name: 'Open' } },
    });
  });

  it('defaults to 50 a page, over GET as over POST', async () => {
    const { call } = bigSite();
    const res = await call(
      'quality',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('project = QMS')}&fields=key`,
    );
    const page = PageSchema.parse(res.body);
    expect(page.issues).toHaveLength(50);
    expect(page.isLast).toBe(false);
    const byGet = await searchAll({ jql: 'project = QMS AND key <= QMS-120', fields: 'key' }, 'GET');
    expect(byGet.map((p) => p.issues.length)).toEqual([50, 50, 20]);
  });

  it('only ever returns issues the user may browse', async () => {
    const pages = await searchAll({ jql: 'created >= -3650d', maxResults: 5000, fields: ['key'] });
    const keys = pages.flatMap((p) => p.issues.map((i) => i.key ?? ''));
    expect(keys).toHaveLength(QMS_COUNT);
    expect(keys.every((k) => k.startsWith('QMS-'))).toBe(true);
  });

  it('refuses a token from another query', async () => {
    const { call } = bigSite();
    const first = PageSchema.parse(
      (await call('quality', 'POST', '/rest/api/3/search/jql', { jql: 'project = QMS' })).body,
    );
    const res = await call('quality', 'POST', '/rest/api/3/search/jql', {
      jql: 'project = QMS AND issuetype = CAPA',
      nextPageToken: first.nextPageToken,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorMessages: [expect.stringContaining('next page token')] });
  });

  it('refuses unbounded queries', async () => {
    const { call } = bigSite();
    for (const jql of ['', 'ORDER BY key']) {
      const res = await call('quality', 'POST', '/rest/api/3/search/jql', { jql });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
        errors: {},
      });
    }
  });
});
