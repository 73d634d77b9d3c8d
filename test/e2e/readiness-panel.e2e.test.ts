/**
 * The "Submission readiness" panel's production bundle in a real browser: the sandbox
 * server's issue view of a RIM Submission hosts it (manifest displayConditions) in an
 * iframe with the host-side bridge, and the resolver runs as the signed-in user.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxServer } from '../../sandbox/server';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { closeSite, openIssuePanel, openSite } from './browser';
import type { Browser } from './browser';

jest.setTimeout(90_000);

const SCREENSHOTS = join(resolve(__dirname, '..', '..'), 'test-output', 'screenshots');

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const openAs = (accountId: string, issueKey: string, theme: 'light' | 'dark') =>
  openIssuePanel(browser, server.url, { accountId, issueKey, moduleKey: 'readiness-panel', theme });

describe('Submission readiness panel (Chromium)', () => {
  it('shows RIM-1 to the regulatory reviewer with its figure, records and export buttons, in light and dark', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const { page, panel, errors } = await openAs(SITE_ACCOUNTS.regulatory, 'RIM-1', theme);
      try {
        await expect(page.locator('iframe[data-module-key="impact-panel"]').count()).resolves.toBe(0);
        await expect(panel.getByTestId('readiness-figure').innerText()).resolves.toMatch(
          /\d+% ready: \d+ of 1 linked record/,
        );
        const table = await panel.getByRole('table').innerText();
        expect(table).toContain('QMS-5');
        expect(table).toContain('Ada Admin');
        expect(table).toContain('PAS');
        for (const label of ['JSON', 'CSV', 'printable HTML']) {
          await expect(panel.getByRole('button', { name: `Export evidence packet as ${label}` }).count()).resolves.toBe(
            1,
          );
        }
        await panel.locator(`html[data-color-mode="${theme}"]`).waitFor();
        const frame = page.frames().find((f) => f.url().includes('/host/frame/readiness-panel/'));
        if (!frame) throw new Error('no panel frame');
        await frame.waitForFunction(
          `document.getElementById('sandbox-host-tokens') !== null && getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)'`,
        );
        await page.screenshot({ path: join(SCREENSHOTS, `readiness-panel-${theme}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('offers the evidence packet as a CSV download from the button', async () => {
    const { page, panel } = await openAs(SITE_ACCOUNTS.regulatory, 'RIM-1', 'light');
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        panel.getByRole('button', { name: 'Export evidence packet as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('evidence-packet-RIM-1.csv');
      await panel.getByText(/Downloaded evidence-packet-RIM-1\.csv/).waitFor({ timeout: 15_000 });
      const [manifest] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        panel.getByRole('button', { name: 'Download SHA-256 manifest' }).click(),
      ]);
      expect(manifest.suggestedFilename()).toBe('evidence-packet-RIM-1.csv.sha256');
    } finally {
      await page.close();
    }
  });
});
