/**
 * Debian's Chromium driven by playwright-core (no downloaded browser). A missing Chromium
 * fails the test with the fix, never skips it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing: run \`apt-get install chromium\` (or set CHROMIUM_PATH).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'qms-rim-e2e-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
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

/** Where the browser tests save their screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

/** Signs the browser in to the sandbox host pages as `accountId`, in a theme (the switcher's two cookies). */
export const signInAs = async (browser: Browser, serverUrl: string, accountId: string, theme: 'light' | 'dark' = 'light'): Promise<void> => {
  await browser.context.clearCookies();
  await browser.context.addCookies([
    { name: 'sandbox_user', value: accountId, url: serverUrl },
    { name: 'sandbox_theme', value: theme, url: serverUrl },
  ]);
};
