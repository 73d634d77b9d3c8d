/**
 * The "Regulatory traceability" macro's production bundle in a real browser, on the sandbox's
 * Confluence page: the manager and the restricted user (who cannot browse RIM) compared, the
 * CSV export downloaded and read back, and the editor's macro configuration saved through
 * `view.submit({ config })` and then read by the view from `extension.config`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { FrameLocator, Page } from 'playwright-core';
import type { SandboxServer } from '../../sandbox/server';
import { DEMO_PAGE_ID } from '../../sandbox/confluence/site';
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { parseCsvRecords } from '../../src/domain/registry-csv';
import { TRACEABILITY_CSV_COLUMNS } from '../../src/domain/traceability-csv';
import { closeSite, openSite } from './browser';
import type { Browser } from './browser';

jest.setTimeout(120_000);

const SCREENSHOTS = join(resolve(__dirname, '..', '..'), 'test-output', 'screenshots');
const PAGE_PATH = `/confluence/spaces/QARA/pages/${DEMO_PAGE_ID}`;

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const openAs = async (
  accountId: string,
  path = PAGE_PATH,
  theme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; macro: FrameLocator; errors: string[] }> => {
  await browser.context.clearCookies();
  await browser.context.addCookies([
    { name: 'sandbox_user', value: accountId, url: server.url },
    { name: 'sandbox_theme', value: theme, url: server.url },
  ]);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status()).toBe(200);
  const macro = page.frameLocator('.macro iframe[data-module-key="traceability-macro"]');
  await macro.getByTestId('traceability-scope').waitFor({ timeout: 45_000 });
  return { page, macro, errors };
};

interface Seen {
  records: string[];
  matrix: string;
  gaps: string;
  summary: string;
  scope: string;
}

const seen = async (macro: FrameLocator): Promise<Seen> => {
  const records = await macro
    .locator('[data-testid="traceability-matrix"] tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record') ?? ''));
  return {
    records: [...new Set(records)].sort(),
    matrix: await macro.getByTestId('traceability-matrix').innerText(),
    gaps: await macro.getByTestId('gap-list').innerText(),
    summary: await macro.getByTestId('summary-table').innerText(),
    scope: await macro.getByTestId('traceability-scope').innerText(),
  };
};

const summaryCount = (summary: string, label: string): string | undefined =>
  summary
    .split('\n')
    .find((line) => line.startsWith(label))
    ?.split('\t')[1];

const exportCsv = async (page: Page, macro: FrameLocator): Promise<string[][]> => {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    macro.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^regulatory-traceability-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const bytes = readFileSync(path);
  // UTF-8 with a byte-order mark, CRLF line ends (RFC 4180).
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const { records, errors } = parseCsvRecords(text);
  expect(errors).toEqual([]);
  return records.map((r) => r.fields);
};

describe('Regulatory traceability macro on the Confluence page (Chromium)', () => {
  it('shows the manager RIM Submissions and Commitments, and the restricted user the same QMS records with no RIM issue anywhere', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const manager = await openAs(SITE_ACCOUNTS.manager);
    const restricted = await openAs(RESTRICTED_ACCOUNT_ID, PAGE_PATH, 'dark');
    try {
      const asManager = await seen(manager.macro);
      const asRestricted = await seen(restricted.macro);
      await manager.page.screenshot({
        path: join(SCREENSHOTS, 'traceability-macro-manager-light.png'),
        fullPage: true,
      });
      await restricted.page.screenshot({
        path: join(SCREENSHOTS, 'traceability-macro-restricted-dark.png'),
        fullPage: true,
      });

      expect(asManager.records).toEqual(Array.from({ length: 11 }, (_, i) => `QMS-${i + 1}`).sort());
      expect(asRestricted.records).toEqual(asManager.records);
      expect(asManager.matrix).toContain('RIM-1');
      expect(asManager.matrix).toContain('RIM-7');
      expect(asManager.gaps).toMatch(/RIM-7 .* was due 2026-09-30/);
      for (const text of Object.values(asRestricted).flat()) expect(text).not.toMatch(/RIM-\d/);
      // The chart's table: the overdue Commitment is counted for the manager only.
      expect(summaryCount(asManager.summary, 'Commitment overdue')).toBe('1 gap');
      expect(summaryCount(asRestricted.summary, 'Commitment overdue')).toBe('0 gaps');
      expect(await restricted.macro.locator('svg[role="img"]').count()).toBe(1);
      expect(await restricted.page.locator('html[data-color-mode="dark"]').count()).toBe(1);

      const violations = (
        await new AxeBuilder({ page: manager.page }).withTags(['wcag2a', 'wcag2aa']).analyze()
      ).violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
      expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect([...manager.errors, ...restricted.errors]).toEqual([]);
    } finally {
      await manager.page.close();
      await restricted.page.close();
    }
  });

  it('exports the CSV each person sees: read back, it has the matrix rows and gaps, and none of RIM for the restricted user', async () => {
    const lines: Record<string, string[][]> = {};
    for (const accountId of [SITE_ACCOUNTS.manager, RESTRICTED_ACCOUNT_ID]) {
      const { page, macro } = await openAs(accountId);
      try {
        const rows = await macro.locator('[data-testid="traceability-matrix"] tbody tr').count();
        const gaps = await macro.locator('[data-testid="gap-list"] li').count();
        const [header, ...body] = await exportCsv(page, macro);
        expect(header).toEqual([...TRACEABILITY_CSV_COLUMNS]);
        expect(body.filter((l) => l[0] === 'trace')).toHaveLength(rows);
        expect(body.filter((l) => l[0] === 'gap')).toHaveLength(gaps);
        await macro.getByText(/Downloaded regulatory-traceability-.*\.csv/).waitFor({ timeout: 15_000 });
        lines[accountId] = body;
      } finally {
        await page.close();
      }
    }
    const manager = lines[SITE_ACCOUNTS.manager] ?? [];
    const restricted = lines[RESTRICTED_ACCOUNT_ID] ?? [];
    const row = manager.find((l) => l[3] === 'QMS-5' && l[8] === 'APP-NDA-CARDIOLOL');
    // decided, then (after who signed, when, the meaning and the signature's state) the Submissions and Commitments.
    expect([row?.[11], row?.[12], row?.[16], row?.[17]]).toEqual(['PAS', 'Rita Regulatory', 'RIM-1', 'RIM-7']);
    expect(restricted.flat().join(',')).not.toMatch(/RIM-\d/);
    expect(new Set(restricted.filter((l) => l[0] === 'trace').map((l) => l[3]))).toEqual(
      new Set(manager.filter((l) => l[0] === 'trace').map((l) => l[3])),
    );
  });

  it('saves the macro configuration in the editor through view.submit, and every reader’s view then reads it from extension.config', async () => {
    const { page, errors } = await openAs(SITE_ACCOUNTS.manager, `${PAGE_PATH}/edit`);
    try {
      await page.getByRole('button', { name: 'Edit macro' }).click();
      const config = page.frameLocator('iframe[data-config-frame]');
      await config.getByRole('heading', { name: 'Configure regulatory traceability' }).waitFor({ timeout: 30_000 });
      await config.getByLabel('CAPA').check();
      await config.getByLabel('Created from').fill('2026-01-01');
      await config.getByRole('button', { name: 'Save' }).click();
      await page.waitForFunction("document.querySelector('dialog[open]') === null", undefined, { timeout: 15_000 });
      // The editor's preview renders again with the saved configuration.
      const preview = page.frameLocator('.macro iframe[data-module-key="traceability-macro"]');
      await preview.getByText(/CAPA · created 2026-01-01 to …/).waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
    for (const accountId of [SITE_ACCOUNTS.manager, RESTRICTED_ACCOUNT_ID]) {
      const { page, macro } = await openAs(accountId);
      try {
        const view = await seen(macro);
        expect(view.scope).toMatch(/CAPA · created 2026-01-01 to …/);
        expect(view.records).toEqual(['QMS-3', 'QMS-9']);
      } finally {
        await page.close();
      }
    }
    // A config view that submits something that is not `{ config }` saves nothing.
    const refused = await fetch(`${server.url}/host/bridge/submit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        moduleKey: 'traceability-macro',
        macro: { pageId: DEMO_PAGE_ID, localId: 'traceability-1', mode: 'config' },
        payload: { notConfig: 1 },
      }),
    });
    expect(refused.status).toBe(400);
    await fetch(`${server.url}/sandbox/reset`, { method: 'POST' });
    const { page: after, macro } = await openAs(SITE_ACCOUNTS.manager);
    try {
      expect((await seen(macro)).records).toHaveLength(11);
    } finally {
      await after.close();
    }
  });

  it('shows the index on the admin page as built, and a check against Jira started there finishes with no difference', async () => {
    await browser.context.clearCookies();
    await browser.context.addCookies([{ name: 'sandbox_user', value: SITE_ACCOUNTS.admin, url: server.url }]);
    const page = await browser.context.newPage();
    try {
      expect((await page.goto(`${server.url}/jira/admin`))?.status()).toBe(200);
      const admin = page.frameLocator('iframe[data-module-key="admin-page"]');
      await admin.getByRole('heading', { name: 'Traceability index' }).waitFor({ timeout: 45_000 });
      await expect(admin.getByTestId('index-state').innerText()).resolves.toMatch(/^Built from Jira on /);
      await admin.getByRole('button', { name: 'Check against Jira' }).click();
      await admin.getByText('The index agrees with Jira').waitFor({ timeout: 30_000 });
      await expect(admin.getByTestId('index-run').innerText()).resolves.toMatch(
        /Check against Jira: finished, 20 issues read in 1 chunk/,
      );
    } finally {
      await page.close();
    }
  });
});
