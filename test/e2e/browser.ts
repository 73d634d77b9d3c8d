/**
 * Debian's Chromium driven by playwright-core (no downloaded browser). A missing Chromium
 * fails the test with the fix, never skips it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { startSandboxServer } from '../../sandbox/server';
import type { SandboxServer } from '../../sandbox/server';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing: run \`apt-get install chromium\` (or set CHROMIUM_PATH).`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'qms-rim-e2e-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
};

/** What a browser test file runs against: its own sandbox server (demo data, a free port) and one Chromium. */
export interface Site {
  server: SandboxServer;
  browser: Browser;
}

export const openSite = async (): Promise<Site> => {
  const server = await startSandboxServer({ port: 0 });
  try {
    return { server, browser: await launchChromium() };
  } catch (error) {
    await server.close();
    throw error;
  }
};

export const closeSite = async (site: Partial<Site>): Promise<void> => {
  await site.browser?.close();
  await site.server?.close();
};

/** Where the browser tests save their screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

/** Signs the browser in to the sandbox host pages as `accountId`, in a theme (the switcher's two cookies). */
export const signInAs = async (
  browser: Browser,
  serverUrl: string,
  accountId: string,
  theme: 'light' | 'dark' = 'light',
): Promise<void> => {
  await browser.context.clearCookies();
  await browser.context.addCookies([
    { name: 'sandbox_user', value: accountId, url: serverUrl },
    { name: 'sandbox_theme', value: theme, url: serverUrl },
  ]);
};

export interface OpenedPanel {
  page: Page;
  /** The module's iframe. */
  panel: FrameLocator;
  /** Uncaught errors of the page so far (and later). */
  errors: string[];
}

/**
 * Signs in as `accountId` with `theme` (the sandbox's session cookies), opens the sandbox
 * issue view of `issueKey` and waits until the module `moduleKey` has its resolver's answer.
 */
export const openIssuePanel = async (
  browser: Browser,
  baseUrl: string,
  options: { accountId: string; issueKey: string; moduleKey: string; theme?: 'light' | 'dark' },
): Promise<OpenedPanel> => {
  await signInAs(browser, baseUrl, options.accountId, options.theme);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${baseUrl}/jira/browse/${options.issueKey}`);
  if (response?.status() !== 200)
    throw new Error(`the issue view of ${options.issueKey} answered ${response?.status() ?? 'nothing'}`);
  const panel = page.frameLocator(`iframe[data-module-key="${options.moduleKey}"]`);
  await panel.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
  return { page, panel, errors };
};
