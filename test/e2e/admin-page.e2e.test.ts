/**
 * The admin page's production bundle in a real browser: the sandbox server's Jira admin
 * page (/jira/admin) hosts it in an iframe with the host-side bridge, as the Jira admin.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { SandboxServer } from '../../sandbox/server';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { appendAuditEntry, auditEntryKey, readAuditHead } from '../../src/adapters/kvs/audit-repository';
import { CONFIG_KEY } from '../../src/adapters/kvs/conventions-repository';
import { REGISTRY_KEY } from '../../src/adapters/kvs/registry-repository';
import { RULES_VERSION, catalogDigest } from '../../src/domain/catalog';
import { closeSite, openSite, SCREENSHOTS, signInAs } from './browser';
import type { Browser } from './browser';

jest.setTimeout(90_000);

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const signIn = (accountId: string, theme: 'light' | 'dark' = 'light'): Promise<void> =>
  signInAs(browser, server.url, accountId, theme);

const openAdmin = async (): Promise<{ page: Page; frame: FrameLocator }> => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}/jira/admin`);
  expect(response?.status()).toBe(200);
  const frame = page.frameLocator('iframe[data-module-key="admin-page"]');
  await frame.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
  expect(errors).toEqual([]);
  return { page, frame };
};

const storedRegistry = (): unknown =>
  server.app.runtime.kvs.snapshot().keyValues.find((e) => e.key === REGISTRY_KEY)?.value;
const storedConfig = (): unknown =>
  server.app.runtime.kvs.snapshot().keyValues.find((e) => e.key === CONFIG_KEY)?.value;

describe('Jira admin page (Chromium)', () => {
  it('is not shown to someone who is not a Jira admin', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const page = await browser.context.newPage();
    try {
      const response = await page.goto(`${server.url}/jira/admin`);
      expect(response?.status()).toBe(403);
      await expect(page.locator('iframe').count()).resolves.toBe(0);
    } finally {
      await page.close();
    }
  });

  it('shows the rules version and registry, and lists a bad file’s errors by line without importing it', async () => {
    await signIn(SITE_ACCOUNTS.admin);
    const { page, frame } = await openAdmin();
    try {
      await expect(frame.getByTestId('rules-version').innerText()).resolves.toBe(RULES_VERSION);
      await expect(frame.getByTestId('catalog-digest').innerText()).resolves.toBe(catalogDigest());
      await expect(
        frame.locator('table', { has: frame.locator('caption', { hasText: 'Products' }) }).innerText(),
      ).resolves.toContain('PRD-CARDIOLOL');

      const before = storedRegistry();
      const csv = [
        'kind,id,name,productClass',
        'product,PRD-A,Aspirin,drug',
        'product,PRD-B,Broken,vitamin',
        'widget,W-1,,',
      ].join('\n');
      await frame.getByLabel('CSV content').fill(csv);
      await frame.getByRole('button', { name: 'Import and replace registry' }).click();
      const list = frame.getByRole('list', { name: 'Errors by line' });
      await list.waitFor();
      const errors = await list.innerText();
      expect(errors).toMatch(/Line 3, column productClass/);
      expect(errors).toMatch(/Line 4, column kind/);
      expect(storedRegistry()).toEqual(before);
    } finally {
      await page.close();
    }
  });

  it('refuses a mapping naming what Jira does not have, with each problem, and saves a good one', async () => {
    await signIn(SITE_ACCOUNTS.admin);
    const { page, frame } = await openAdmin();
    try {
      const form = frame.getByRole('form', { name: 'Jira mapping' });
      await form.waitFor();
      await expect(frame.getByText('The app runs on its default mapping').count()).resolves.toBe(1);
      // The same link type for filings and commitments cannot work.
      await form.getByLabel('Link type: record implements Commitment').selectOption('Regulatory filing');
      await form.getByRole('button', { name: 'Save mapping' }).click();
      const problems = frame.getByRole('list', { name: 'Mapping problems' });
      await problems.waitFor();
      await expect(problems.innerText()).resolves.toContain('need different link types');
      expect(storedConfig()).toBeUndefined();

      await form.getByLabel('Link type: record implements Commitment').selectOption('Commitment');
      await form.getByLabel('Implemented means quality approval').check();
      await form.getByRole('button', { name: 'Save mapping' }).click();
      await frame.getByText('Mapping saved').waitFor();
      expect(storedConfig()).toMatchObject({
        conventions: { approvalStatusNames: ['Approved', 'Implemented'], commitmentLinkType: 'Commitment' },
        savedBy: { displayName: 'Ada Admin' },
      });
      await frame.getByTestId('mapping-saved-by').waitFor();
    } finally {
      await page.close();
    }
  });

  it('maps health-authority correspondence: a clashing link type is refused, a status mapping is saved and shown after a reload', async () => {
    await signIn(SITE_ACCOUNTS.admin);
    const before = storedConfig();
    const first = await openAdmin();
    try {
      const form = first.frame.getByRole('form', { name: 'Jira mapping' });
      await form.waitFor();
      await expect(form.getByLabel('Health-authority correspondence issue type').inputValue()).resolves.toBe(
        'Health Authority Correspondence',
      );
      await form.getByLabel('Link type: record answers correspondence').selectOption('Commitment');
      await form.getByRole('button', { name: 'Save mapping' }).click();
      const problems = first.frame.getByRole('list', { name: 'Mapping problems' });
      await problems.waitFor();
      await expect(problems.innerText()).resolves.toContain('correspondenceLinkType');
      expect(storedConfig()).toEqual(before);

      await form.getByLabel('Link type: record answers correspondence').selectOption('HA correspondence');
      await form.getByLabel('Correspondence state of In Progress').selectOption('awaiting-response');
      await form.getByRole('button', { name: 'Save mapping' }).click();
      await first.frame.getByText('Mapping saved').waitFor();
      expect(storedConfig()).toMatchObject({
        conventions: {
          correspondenceIssueType: 'Health Authority Correspondence',
          correspondenceLinkType: 'HA correspondence',
          correspondenceStatuses: {
            Received: 'awaiting-response',
            'In Progress': 'awaiting-response',
            Responded: 'responded',
          },
        },
      });
    } finally {
      await first.page.close();
    }
    const reopened = await openAdmin();
    try {
      const form = reopened.frame.getByRole('form', { name: 'Jira mapping' });
      await form.waitFor();
      await expect(form.getByLabel('Correspondence state of In Progress').inputValue()).resolves.toBe(
        'awaiting-response',
      );
      await expect(form.getByLabel('Correspondence state of Responded').inputValue()).resolves.toBe('responded');
      await expect(form.getByLabel('Correspondence state of Approved').inputValue()).resolves.toBe('');
    } finally {
      await reopened.page.close();
    }
  });

  it('verifies the audit trail (intact with its head hash, then the first altered entry) and exports a date range as CSV', async () => {
    // The registry import and mapping save of the tests above are audited too: these two come after them.
    const before = (await server.app.runtime.runAs({ moduleKey: 'e2e' }, () => readAuditHead()))?.seq ?? 0;
    await server.app.runtime.runAs({ moduleKey: 'e2e' }, async () => {
      for (const rationale of ['first', 'second']) {
        await appendAuditEntry({
          at: '2026-11-20T10:00:00.000Z',
          actor: { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' },
          action: 'impact/decide',
          subject: 'QMS-1',
          payload: { rationale },
        });
      }
    });
    await signIn(SITE_ACCOUNTS.admin);
    const { page, frame } = await openAdmin();
    try {
      await frame.getByRole('button', { name: 'Verify audit trail' }).click();
      await expect(frame.getByTestId('audit-result').innerText()).resolves.toContain(
        `All ${before + 2} entries chain to the recorded head`,
      );
      const head = await server.app.runtime.runAs({ moduleKey: 'e2e' }, () => readAuditHead());
      await expect(frame.getByTestId('audit-head-hash').innerText()).resolves.toBe(head?.hash);
      await expect(frame.getByTestId('audit-last').innerText()).resolves.toMatch(/Checked by .+ on /);

      await frame.getByLabel('First day').fill('2026-11-20');
      await frame.getByLabel('Last day').fill('2026-11-20');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        frame.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('qms-rim-audit-trail_2026-11-20_2026-11-20.csv');
      const lines = readFileSync(await download.path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe('seq,at,actor name,actor id,action,subject,old value,new value,entry hash');
      expect(lines.slice(1).map((line) => line.split(',').slice(0, 6).join(','))).toEqual(
        [before + 1, before + 2].map(
          (seq) => `${seq},2026-11-20T10:00:00.000Z,Rita Regulatory,${SITE_ACCOUNTS.regulatory},impact/decide,QMS-1`,
        ),
      );
      await expect(frame.getByTestId('audit-export-result').innerText()).resolves.toContain('2 entries');

      await server.app.runtime.runAs({ moduleKey: 'e2e' }, async () => {
        const entry = z.record(z.string(), z.unknown()).parse(await kvs.get(auditEntryKey(before + 1)));
        await kvs.set(auditEntryKey(before + 1), { ...entry, payload: { rationale: 'rewritten' } });
      });
      await frame.getByRole('button', { name: 'Verify audit trail' }).click();
      await frame.getByText(`Broken at entry ${before + 1}`).waitFor();
      await expect(frame.getByTestId('audit-result').innerText()).resolves.toContain(
        `entry ${before + 1} does not match its hash`,
      );
    } finally {
      await page.close();
    }
  });

  it('renders in light and dark themes, and saves screenshots', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await signIn(SITE_ACCOUNTS.admin, theme);
      const { page, frame } = await openAdmin();
      try {
        await expect(frame.locator('html').getAttribute('data-color-mode')).resolves.toBe(theme);
        const inner = page.frames().find((f) => f.url().includes('/host/frame/admin-page/'));
        if (!inner) throw new Error('no admin page frame');
        await inner.waitForFunction(
          `document.getElementById('sandbox-host-tokens') !== null && getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)'`,
        );
        await page.screenshot({ path: join(SCREENSHOTS, `admin-page-${theme}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
  });

  it('chooses who may sign with the keyboard: the demo group shown in force, a project role added, the save audited', async () => {
    await signIn(SITE_ACCOUNTS.admin);
    const { page, frame } = await openAdmin();
    try {
      const form = frame.getByRole('form', { name: 'Who may sign' });
      await form.waitFor();
      await expect(frame.getByTestId('signers-in-force').innerText()).resolves.toContain(
        'May sign: group regulatory-reviewers.',
      );
      await expect(form.getByRole('checkbox', { name: 'regulatory-reviewers' }).isChecked()).resolves.toBe(true);
      await expect(
        form.getByRole('checkbox', { name: /reporter \(or creator\) may not sign/ }).isChecked(),
      ).resolves.toBe(true);
      const role = form.getByRole('checkbox', { name: 'Regulatory Reviewers' });
      await role.focus();
      await page.keyboard.press('Space');
      await expect(role.isChecked()).resolves.toBe(true);
      await form.getByRole('button', { name: 'Save who may sign' }).focus();
      await page.keyboard.press('Enter');
      await frame
        .getByText(
          /May sign: group regulatory-reviewers, project role Regulatory Reviewers\. Recorded in the audit trail as entry \d+\./,
        )
        .waitFor();
      const stored = server.app.runtime.kvs.snapshot().keyValues.find((e) => e.key === 'signer-rules')?.value;
      expect(stored).toMatchObject({
        rules: {
          groups: ['regulatory-reviewers'],
          projectRoles: ['Regulatory Reviewers'],
          barReporter: true,
          barAssessors: true,
        },
        savedBy: { displayName: 'Ada Admin' },
      });
    } finally {
      await page.close();
    }
  });
});
