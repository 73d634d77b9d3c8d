/**
 * Health-authority correspondence in a real browser: the correspondence panel's production
 * bundle on a letter (RIM-10) in the sandbox's issue view, linking a record through its form
 * as the signed-in user, and the letter showing on the QMS record's impact panel and on the
 * Submission's readiness panel, but not to someone who may not browse RIM.
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

const openAs = (accountId: string, issueKey: string, moduleKey: string, theme: 'light' | 'dark' = 'light') =>
  openIssuePanel(browser, server.url, { accountId, issueKey, moduleKey, theme });

describe('Health-authority correspondence (Chromium)', () => {
  it('shows RIM-10 with its authority, due date and answering record, in light and dark', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const { page, panel, errors } = await openAs(SITE_ACCOUNTS.regulatory, 'RIM-10', 'correspondence-panel', theme);
      try {
        await expect(panel.getByTestId('response-timeliness').innerText()).resolves.toMatch(/Response (due|overdue)/);
        const body = await panel.locator('main').innerText();
        expect(body).toContain('FDA (US)');
        expect(body).toContain('IR-2026-0415');
        expect(body).toContain('RIM-1');
        await expect(panel.getByRole('table').innerText()).resolves.toContain('QMS-5');
        await panel.locator(`html[data-color-mode="${theme}"]`).waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, `correspondence-panel-${theme}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('links a quality record from the form, and refuses a key that is not one', async () => {
    const { page, panel } = await openAs(SITE_ACCOUNTS.regulatory, 'RIM-10', 'correspondence-panel');
    try {
      const field = panel.getByLabel('Record key');
      await field.fill('RIM-7');
      await panel.getByRole('button', { name: 'Link record' }).click();
      await expect(panel.getByRole('alert').innerText()).resolves.toContain('not a quality record');
      await field.fill('QMS-3');
      await field.press('Enter');
      await panel.getByText('QMS-3 now answers this letter.').waitFor({ timeout: 15_000 });
      await expect(panel.getByRole('table').innerText()).resolves.toContain('QMS-3');
    } finally {
      await page.close();
    }
  });

  it("shows the letter on the answering record's impact panel, and nothing of it to someone who may not browse RIM", async () => {
    const reviewer = await openAs(SITE_ACCOUNTS.regulatory, 'QMS-6', 'impact-panel');
    try {
      const list = reviewer.panel.getByRole('list', { name: 'Correspondence this record answers' });
      await list.waitFor({ timeout: 15_000 });
      await expect(list.innerText()).resolves.toContain('RIM-11');
    } finally {
      await reviewer.page.close();
    }
    const quality = await openAs(SITE_ACCOUNTS.quality, 'QMS-6', 'impact-panel');
    try {
      // The section loads on its own; give it the time it would take, then check it never appeared.
      await quality.page.waitForLoadState('networkidle');
      await expect(
        quality.panel.getByText('Health-authority correspondence this record answers').count(),
      ).resolves.toBe(0);
      await expect(quality.panel.locator('main').innerText()).resolves.not.toMatch(/RIM-11|NB-Q-2026/);
    } finally {
      await quality.page.close();
    }
  });

  it("lists the letter on the Submission's readiness panel", async () => {
    const { page, panel } = await openAs(SITE_ACCOUNTS.regulatory, 'RIM-1', 'readiness-panel');
    try {
      const list = panel.getByRole('list', { name: 'Health-authority correspondence about this Submission' });
      await expect(list.innerText()).resolves.toContain('RIM-10');
    } finally {
      await page.close();
    }
  });
});
