/**
 * The impact panel's production bundle in a real browser: the sandbox server's Jira issue
 * view (/jira/browse/KEY) hosts it in an iframe with the host-side bridge, and the resolver
 * runs as the user picked in the page's switcher.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { z } from 'zod';
import type { SandboxServer } from '../../sandbox/server';
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { closeSite, openSite } from './browser';
import type { Browser } from './browser';

jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
const BUILD = join(ROOT, 'static', 'impact-panel', 'build');

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const signIn = async (accountId: string, theme: 'light' | 'dark' = 'light'): Promise<void> => {
  await browser.context.clearCookies();
  await browser.context.addCookies([
    { name: 'sandbox_user', value: accountId, url: server.url },
    { name: 'sandbox_theme', value: theme, url: server.url },
  ]);
};

const panelOf = (page: Page): FrameLocator => page.frameLocator('iframe[data-module-key="impact-panel"]');

/** Opens the issue view and waits until the panel has its resolver's answer. */
const openIssue = async (key: string): Promise<{ page: Page; panel: FrameLocator }> => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}/jira/browse/${key}`);
  expect(response?.status()).toBe(200);
  const panel = panelOf(page);
  await panel.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
  expect(errors).toEqual([]);
  return { page, panel };
};

const frameText = async (panel: FrameLocator): Promise<string> => panel.locator('body').innerText();

describe('issue view host page with the impact panel (Chromium)', () => {
  it('serves the production bundle unchanged, with the bridge before its own scripts', async () => {
    const built = readFileSync(join(BUILD, 'index.html'), 'utf8');
    const bundleScript = /<script type="module"[^>]*src="\.\/assets\/([^"]+)"/.exec(built)?.[1];
    expect(bundleScript).toBeDefined();
    const served = await (await fetch(`${server.url}/host/frame/impact-panel/?issueKey=QMS-1`)).text();
    expect(served.indexOf('window.__bridge')).toBeGreaterThan(-1);
    expect(served.indexOf('window.__bridge')).toBeLessThan(served.indexOf(`./assets/${bundleScript ?? ''}`));
    for (const asset of readdirSync(join(BUILD, 'assets'))) {
      const body = Buffer.from(
        await (await fetch(`${server.url}/host/frame/impact-panel/assets/${asset}`)).arrayBuffer(),
      );
      expect(body.equals(readFileSync(join(BUILD, 'assets', asset)))).toBe(true);
    }
  });

  it('shows QMS-1 (unassessed supplier change) to the quality engineer with "Impact assessed" blocked and why', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const { page, panel } = await openIssue('QMS-1');
    try {
      await expect(page.locator('h1.summary').innerText()).resolves.toContain('Polymera replaces PX-200 resin');
      await expect(page.getByRole('heading', { name: 'Regulatory impact' }).count()).resolves.toBe(1);
      await expect(page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/in assessment/i);
      await expect(panel.getByRole('heading', { level: 2 }).innerText()).resolves.toContain('QMS-1');
      await expect(panel.getByRole('heading', { name: 'What blocks the next transition' }).count()).resolves.toBe(1);
      const gate = panel.locator('li', { has: panel.locator('strong', { hasText: /^Impact assessed$/ }) });
      await expect(gate.innerText()).resolves.toMatch(/blocked/i);
      await expect(panel.getByRole('list', { name: 'Why Impact assessed blocks' }).innerText()).resolves.toContain(
        'not-assessed',
      );
    } finally {
      await page.close();
    }
  });

  it('shows the RIM Submission of a decided PAS to the regulatory reviewer only', async () => {
    await signIn(SITE_ACCOUNTS.regulatory);
    const asReviewer = await openIssue('QMS-5');
    try {
      const text = await frameText(asReviewer.panel);
      expect(text).toContain('PAS');
      expect(text).toContain('RIM-1');
    } finally {
      await asReviewer.page.close();
    }
    for (const accountId of [SITE_ACCOUNTS.quality, RESTRICTED_ACCOUNT_ID]) {
      await signIn(accountId);
      const { page, panel } = await openIssue('QMS-5');
      try {
        const text = await frameText(panel);
        expect(text).toContain('PAS');
        expect(text).toContain('a Submission you cannot see');
        expect(text).not.toMatch(/RIM-\d/);
      } finally {
        await page.close();
      }
    }
  });

  it('disables signing for the quality engineer and says why in text, and leaves it enabled for the regulatory reviewer', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const asEngineer = await openIssue('QMS-5');
    try {
      const refused = asEngineer.panel.getByTestId('signing-refused');
      await expect(refused.innerText()).resolves.toMatch(
        /You cannot sign these decisions[\s\S]*only members of the group regulatory-reviewers to sign/,
      );
      const buttons = asEngineer.panel.getByRole('button', { name: /^(Decide|Change decision) for / });
      await buttons.first().waitFor();
      const count = await buttons.count();
      expect(count).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) await expect(buttons.nth(i).isDisabled()).resolves.toBe(true);
    } finally {
      await asEngineer.page.close();
    }
    await signIn(SITE_ACCOUNTS.regulatory);
    const asReviewer = await openIssue('QMS-5');
    try {
      const buttons = asReviewer.panel.getByRole('button', { name: /^(Decide|Change decision) for / });
      await buttons.first().waitFor();
      await expect(buttons.first().isEnabled()).resolves.toBe(true);
      await expect(asReviewer.panel.getByTestId('signing-refused').count()).resolves.toBe(0);
    } finally {
      await asReviewer.page.close();
    }
  });

  it('switches the user with the labelled switcher and re-runs the panel as them', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const { page, panel } = await openIssue('QMS-5');
    try {
      expect(await frameText(panel)).not.toMatch(/RIM-\d/);
      const select = page.getByLabel('Signed in as');
      await select.focus();
      await select.selectOption(SITE_ACCOUNTS.regulatory);
      // Keyboard only: from the user select, Tab past the theme select to "Switch" and press Enter.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(page.evaluate('document.activeElement && document.activeElement.textContent')).resolves.toBe(
        'Switch',
      );
      await Promise.all([page.waitForURL(`${server.url}/jira/browse/QMS-5`), page.keyboard.press('Enter')]);
      await panelOf(page).locator('main[aria-busy="false"]').waitFor();
      await expect(page.getByLabel('Signed in as').inputValue()).resolves.toBe(SITE_ACCOUNTS.regulatory);
      expect(await frameText(panelOf(page))).toContain('RIM-1');
    } finally {
      await page.close();
    }
  });

  it('answers getContext and requestJira as the signed-in user, and rejects unknown bridge calls', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const { page } = await openIssue('QMS-5');
    try {
      const frame = page.frames().find((f) => f.url().includes('/host/frame/impact-panel/'));
      if (!frame) throw new Error('no panel frame');
      // Runs in the iframe (a string: this project's TypeScript has no DOM types).
      const answers = z
        .object({
          context: z.unknown(),
          rim: z.unknown(),
          qms: z.unknown(),
          submitted: z.unknown(),
          unknown: z.string(),
        })
        .parse(
          await frame.evaluate(`(async () => {
            const bridge = window.__bridge;
            const context = await bridge.callBridge('getContext');
            const rim = await bridge.callBridge('fetchProduct', { product: 'jira', restPath: '/rest/api/3/issue/RIM-1', fetchRequestInit: { method: 'GET', headers: [] } });
            const qms = await bridge.callBridge('fetchProduct', { product: 'jira', restPath: '/rest/api/3/issue/QMS-5?fields=summary', fetchRequestInit: { method: 'GET', headers: [] } });
            const submitted = await bridge.callBridge('submit', { config: {} });
            const unknown = await bridge.callBridge('openModal', {}).then(() => 'resolved', (error) => error.message);
            return { context, rim, qms, submitted, unknown };
          })()`),
        );
      expect(answers.context).toMatchObject({
        accountId: SITE_ACCOUNTS.quality,
        moduleKey: 'impact-panel',
        extension: {
          type: 'jira:issuePanel',
          issue: { key: 'QMS-5', type: 'Change Control' },
          project: { key: 'QMS' },
        },
        theme: { colorMode: 'light' },
      });
      expect(answers.rim).toMatchObject({ status: 404 });
      expect(answers.qms).toMatchObject({ status: 200 });
      expect(answers.submitted).toBe(true);
      expect(answers.unknown).toContain("does not implement the Forge bridge call 'openModal'");
    } finally {
      await page.close();
    }
  });

  it('renders the panel in dark mode when the theme is dark, and saves screenshots', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const look = async (
      theme: 'light' | 'dark',
    ): Promise<{ background: string; text: string; mode: string | null }> => {
      await signIn(SITE_ACCOUNTS.regulatory, theme);
      const { page, panel } = await openIssue('QMS-5');
      try {
        // The bundle calls view.theme.enable(); the host then applies the token themes.
        await panel.locator('html[data-color-mode]').waitFor();
        const frame = page.frames().find((f) => f.url().includes('/host/frame/impact-panel/'));
        if (!frame) throw new Error('no panel frame');
        await frame.waitForFunction(
          `document.getElementById('sandbox-host-tokens') !== null && getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)'`,
        );
        await page.screenshot({ path: join(SCREENSHOTS, `issue-view-${theme}.png`), fullPage: true });
        const mode = await panel.locator('html').getAttribute('data-color-mode');
        const background = z.string().parse(await frame.evaluate('getComputedStyle(document.body).backgroundColor'));
        const text = z.string().parse(await frame.evaluate("getComputedStyle(document.querySelector('main')).color"));
        return { background, text, mode };
      } finally {
        await page.close();
      }
    };
    const light = await look('light');
    const dark = await look('dark');
    expect(light.mode).toBe('light');
    expect(dark.mode).toBe('dark');
    expect(dark.background).not.toBe(light.background);
    expect(dark.text).not.toBe(light.text);
  });
});
