/** The host pages over HTTP, without a browser: routes, cookies, the switcher form and the bridge endpoints. */
import { startSandboxServer } from '../../sandbox/server';
import type { SandboxServer } from '../../sandbox/server';
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { injectBridge, scriptJson } from '../../sandbox/host/bridge-script';
import { parseCookies } from '../../sandbox/host/session';

let server: SandboxServer;

beforeAll(async () => {
  server = await startSandboxServer({ port: 0 });
});

afterAll(async () => {
  await server.close();
});

const as = (accountId: string, theme = 'light'): Record<string, string> => ({
  Cookie: `sandbox_user=${encodeURIComponent(accountId)}; sandbox_theme=${theme}`,
});

describe('host pages', () => {
  it('links every demo issue on the start page to its issue view', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('href="/jira/browse/QMS-1"');
    expect(html).toContain('href="/jira/admin"');
  });

  it('renders the issue view with the panel iframe for QMS issues only, as the default quality engineer', async () => {
    const qms = await fetch(`${server.url}/jira/browse/QMS-1`);
    expect(qms.status).toBe(200);
    const html = await qms.text();
    expect(html).toContain(
      '<iframe title="Regulatory impact" data-module-key="impact-panel" src="/host/frame/impact-panel/?issueKey=QMS-1"',
    );
    expect(html).toMatch(/<option value="557058:quinn-quality" selected>/);
    expect(html).toContain('<label for="sandbox-user">Signed in as</label>');
    const rim = await (
      await fetch(`${server.url}/jira/browse/RIM-1`, { headers: as(SITE_ACCOUNTS.regulatory) })
    ).text();
    // displayConditions in manifest.yml: the impact panel on QMS issue types, the readiness panel on Submissions.
    expect(rim).not.toContain('data-module-key="impact-panel"');
    expect(rim).toContain(
      '<iframe title="Submission readiness" data-module-key="readiness-panel" src="/host/frame/readiness-panel/?issueKey=RIM-1"',
    );
    expect(html).not.toContain('data-module-key="readiness-panel"');
  });

  it('shows the transitions Jira offers the user as a workflow bar, and posts one as that user', async () => {
    const post = (accountId: string, issueKey: string, transition: string) =>
      fetch(`${server.url}/host/transition`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...as(accountId), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ issueKey, transition }).toString(),
      });
    const html = await (await fetch(`${server.url}/jira/browse/QMS-5`, { headers: as(SITE_ACCOUNTS.quality) })).text();
    expect(html).toContain('<form class="workflow" method="post" action="/host/transition" aria-label="Workflow">');
    expect(html).toContain('<button type="submit" name="transition" value="41">Implement</button>');
    // The manager may not transition: Jira offers no transitions, so there is no bar.
    expect(
      await (await fetch(`${server.url}/jira/browse/QMS-5`, { headers: as(SITE_ACCOUNTS.manager) })).text(),
    ).not.toContain('class="workflow"');

    // QMS-5's PAS (RIM-1) is submitted, not approved: the prior-approval gate refuses, and the page says why.
    const refused = await post(SITE_ACCOUNTS.quality, 'QMS-5', '41');
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('role="alert" data-testid="transition-refusal"');
    expect(page).toMatch(/Prior approval[^<]*not approved/i);
    const moved = await post(SITE_ACCOUNTS.quality, 'QMS-2', '11');
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe('/jira/browse/QMS-2');
    expect(
      await (await fetch(`${server.url}/jira/browse/QMS-2`, { headers: as(SITE_ACCOUNTS.quality) })).text(),
    ).toContain('>In Assessment</span>');
    expect((await post(SITE_ACCOUNTS.quality, 'QMS-2', 'start')).status).toBe(400);
  });

  it("answers Jira's can't-view page when the signed-in user may not see the issue", async () => {
    const res = await fetch(`${server.url}/jira/browse/RIM-1`, { headers: as(RESTRICTED_ACCOUNT_ID) });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("This issue can't be viewed");
  });

  it('sets the session cookies from the switcher form and redirects back; refuses unknown users and open redirects', async () => {
    const ok = await fetch(`${server.url}/host/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        user: SITE_ACCOUNTS.manager,
        theme: 'dark',
        return: '/jira/browse/QMS-2',
      }).toString(),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/jira/browse/QMS-2');
    expect(ok.headers.getSetCookie()).toEqual([
      expect.stringContaining(`sandbox_user=${encodeURIComponent(SITE_ACCOUNTS.manager)}`),
      expect.stringContaining('sandbox_theme=dark'),
    ]);
    for (const body of [
      { user: 'nobody', theme: 'dark', return: '/' },
      { user: SITE_ACCOUNTS.manager, theme: 'dark', return: '//evil.example/' },
    ]) {
      const bad = await fetch(`${server.url}/host/session`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
      expect(bad.status).toBe(400);
    }
  });

  it('runs the resolver as the cookie user through /host/bridge/invoke', async () => {
    const call = (accountId: string) =>
      fetch(`${server.url}/host/bridge/invoke`, {
        method: 'POST',
        headers: { ...as(accountId), 'Content-Type': 'application/json' },
        body: JSON.stringify({ moduleKey: 'impact-panel', issueKey: 'QMS-5', functionKey: 'impact/get', payload: {} }),
      }).then(async (res) => ({ status: res.status, text: await res.text() }));
    const reviewer = await call(SITE_ACCOUNTS.regulatory);
    expect(reviewer.status).toBe(200);
    expect(reviewer.text).toContain('"submissionKey":"RIM-1"');
    const quality = await call(SITE_ACCOUNTS.quality);
    expect(quality.status).toBe(200);
    expect(quality.text).not.toMatch(/RIM-\d/);
    const unknownModule = await fetch(`${server.url}/host/bridge/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ moduleKey: 'nope', issueKey: 'QMS-5', functionKey: 'impact/get' }),
    });
    expect(unknownModule.status).toBe(404);
    await expect(unknownModule.json()).resolves.toMatchObject({ error: { code: 'MODULE_NOT_FOUND' } });
  });

  it('answers requestJira for jira only, as the cookie user', async () => {
    const fetchProduct = (accountId: string, product: string) =>
      fetch(`${server.url}/host/bridge/fetch-product`, {
        method: 'POST',
        headers: { ...as(accountId), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          product,
          restPath: '/rest/api/3/issue/RIM-1?fields=summary',
          fetchRequestInit: { method: 'GET', body: null, headers: [['X-Atlassian-Token', 'no-check']] },
          isMultipartFormData: false,
        }),
      });
    await expect((await fetchProduct(SITE_ACCOUNTS.regulatory, 'jira')).json()).resolves.toMatchObject({
      result: { status: 200 },
    });
    await expect((await fetchProduct(SITE_ACCOUNTS.quality, 'jira')).json()).resolves.toMatchObject({
      result: { status: 404 },
    });
    expect((await fetchProduct(SITE_ACCOUNTS.quality, 'confluence')).status).toBe(400);
  });

  it('serves the tokens, refuses paths outside the bundle, and injects the bridge first in <head>', async () => {
    expect(await (await fetch(`${server.url}/host/tokens.css`)).text()).toContain('--ds-surface');
    expect((await fetch(`${server.url}/host/frame/impact-panel/..%2F..%2F..%2Fpackage.json`)).status).toBe(404);
    const html = injectBridge('<html><head><script src="b.js"></script></head></html>', {
      context: {},
      moduleKey: 'm',
      issueKey: 'K-1',
      colorMode: 'dark',
      tokensHref: '/t.css',
    });
    expect(html.indexOf('window.__bridge')).toBeLessThan(html.indexOf('b.js'));
    expect(scriptJson({ a: '</script>' })).not.toContain('</script>');
    expect(parseCookies('a=1; sandbox_user=557058%3Ax; bad')).toEqual({ a: '1', sandbox_user: '557058:x' });
  });
});
