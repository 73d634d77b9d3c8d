/**
 * The impact panel's links to impact search in a real browser: on QMS-5 the panel links
 * to Jira's issue search for all open quality records affecting each product and market,
 * on the site from the Forge context, and the query each link carries answers, as the
 * person, the records docs/impact-field.md says.
 */
import type { Page } from 'playwright-core';
import { z } from 'zod';
import type { SandboxServer } from '../../sandbox/server';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { closeSite, openSite } from './browser';
import type { Browser } from './browser';

jest.setTimeout(90_000);

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const PageSchema = z.object({ issues: z.array(z.object({ key: z.string() })) });

describe('impact panel search links (Chromium)', () => {
  it('links QMS-5 to all open records affecting its product and each market, and the links find them', async () => {
    await browser.context.clearCookies();
    await browser.context.addCookies([{ name: 'sandbox_user', value: SITE_ACCOUNTS.manager, url: server.url }]);
    const page: Page = await browser.context.newPage();
    try {
      await page.goto(`${server.url}/jira/browse/QMS-5`);
      const panel = page.frameLocator('iframe[data-module-key="impact-panel"]');
      const nav = panel.getByRole('navigation', { name: 'Related quality records' });
      await nav.waitFor({ timeout: 30_000 });
      const links = nav.getByRole('link');
      await expect(links.allInnerTexts()).resolves.toEqual([
        'All open quality records affecting product PRD-CARDIOLOL',
        'All open quality records affecting market EU',
        'All open quality records affecting market US',
      ]);
      const href = await links.first().getAttribute('href');
      const url = new URL(href ?? '');
      expect(`${url.origin}${url.pathname}`).toBe(`${server.app.runtime.installation.siteUrl}/issues/`);
      const jql = url.searchParams.get('jql') ?? '';
      const res = await fetch(`${server.url}/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=key`, {
        headers: { Authorization: `Basic ${Buffer.from('max.manager@qms-rim.example:any').toString('base64')}` },
      });
      expect(res.status).toBe(200);
      expect(PageSchema.parse(await res.json()).issues.map((i) => i.key)).toEqual(['QMS-3', 'QMS-4', 'QMS-5']);
    } finally {
      await page.close();
    }
  });
});
