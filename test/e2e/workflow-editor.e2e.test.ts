/**
 * The gate validators' configuration views (static/gate-config, the production bundle) in the
 * sandbox's workflow editor, in Chromium: a Jira admin edits and adds validators, and the Jira
 * stand-in then runs them on the transitions with exactly that configuration.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SandboxServer } from '../../sandbox/server';
import { QMS_TRANSITIONS, SITE_ACCOUNTS } from '../../sandbox/jira';
import { closeSite, openSite, SCREENSHOTS, signInAs } from './browser';
import type { Browser } from './browser';

jest.setTimeout(120_000);

let server: SandboxServer;
let browser: Browser;

beforeAll(async () => {
  ({ server, browser } = await openSite());
});

afterAll(() => closeSite({ server, browser }));

const signIn = (accountId: string, theme: 'light' | 'dark' = 'light'): Promise<void> =>
  signInAs(browser, server.url, accountId, theme);

const transition = (key: string, id: string) =>
  server.app.jira.handle({
    method: 'POST',
    path: `/rest/api/3/issue/${key}/transitions`,
    body: { transition: { id } },
    as: { kind: 'user', accountId: SITE_ACCOUNTS.quality },
  });

const openPage = async (path: string): Promise<Page> => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status()).toBe(200);
  expect(errors).toEqual([]);
  return page;
};

const row = (page: Page, workflow: string, transitionId: string) =>
  page
    .locator('section', { has: page.getByRole('heading', { name: new RegExp(workflow) }) })
    .locator(`tr[data-transition="${transitionId}"]`);

describe('workflow editor with the gate configuration views (Chromium)', () => {
  it('is for Jira admins only', async () => {
    await signIn(SITE_ACCOUNTS.quality);
    const page = await browser.context.newPage();
    try {
      expect((await page.goto(`${server.url}/jira/admin/workflows`))?.status()).toBe(403);
    } finally {
      await page.close();
    }
  });

  it('edits a validator, adds one, and the stand-in runs each with its saved configuration', async () => {
    await signIn(SITE_ACCOUNTS.admin);
    // Baseline: the demo's prior-approval gate on "Implement" refuses QMS-5 (its PAS is not approved).
    expect((await transition('QMS-5', QMS_TRANSITIONS.implement)).status).toBe(400);

    const list = await openPage('/jira/admin/workflows');
    const implement = row(list, 'QMS record workflow', QMS_TRANSITIONS.implement);
    const view = implement.frameLocator('iframe[data-module-key="gate-prior-approval-granted"]');
    await expect(view.getByRole('list', { name: 'Gate configuration' }).innerText()).resolves.toContain(
      'Holds on every transition it is put on.',
    );

    await implement.getByRole('link', { name: 'Edit' }).click();
    await list.waitForURL(/\/jira\/admin\/workflows\/validator\?/);
    const form = list.frameLocator('iframe[data-module-key="gate-prior-approval-granted"]');
    await form.locator('main[aria-busy="false"]').waitFor();
    // A half-filled form is refused by the app's own schema: Jira keeps the form open.
    await form.getByLabel('Only transitions into these statuses').check();
    await list.getByRole('button', { name: 'Update' }).click();
    await expect(form.getByRole('alert').innerText()).resolves.toMatch(/implementStatusIds: pick at least one status/);
    expect(list.url()).toMatch(/\/validator\?/);

    await form.getByLabel('Closed', { exact: true }).check();
    await list.getByRole('button', { name: 'Update' }).click();
    await list.waitForURL(`${server.url}/jira/admin/workflows`);
    const updated = row(list, 'QMS record workflow', QMS_TRANSITIONS.implement).frameLocator(
      'iframe[data-module-key="gate-prior-approval-granted"]',
    );
    await expect(updated.getByRole('list', { name: 'Gate configuration' }).innerText()).resolves.toContain(
      'Holds only on transitions into Closed',
    );
    // The stand-in stored what the view handed it, and runs the gate with it: "Implement" leads to Implemented, not Closed.
    const stored = server.app.jira
      .workflows()
      .find((w) => w.name === 'QMS record workflow')
      ?.transitions.find((t) => t.id === QMS_TRANSITIONS.implement)?.validators;
    const closedId = Object.values(server.app.jira.snapshot().statuses).find((s) => s.name === 'Closed')?.id;
    expect(stored).toEqual([
      { moduleKey: 'gate-prior-approval-granted', configuration: { failClosed: true, implementStatusIds: [closedId] } },
    ]);
    expect((await transition('QMS-5', QMS_TRANSITIONS.implement)).status).toBe(204);

    // Add the gate, with its defaults, to "Close": now it holds there.
    const close = row(list, 'QMS record workflow', QMS_TRANSITIONS.close);
    await close.getByLabel('Add validator to Close').selectOption('gate-prior-approval-granted');
    await close.getByRole('button', { name: 'Add validator' }).click();
    await list.waitForURL(/\/validator\?/);
    const create = list.frameLocator('iframe[data-module-key="gate-prior-approval-granted"]');
    await create.locator('main[data-entry-point="create"]').waitFor();
    await expect(create.getByLabel('Refuse the transition (fail closed, recommended)').isChecked()).resolves.toBe(true);
    await list.getByRole('button', { name: 'Add' }).click();
    await list.waitForURL(`${server.url}/jira/admin/workflows`);
    await expect(
      row(list, 'QMS record workflow', QMS_TRANSITIONS.close)
        .frameLocator('iframe')
        .getByRole('list', { name: 'Gate configuration' })
        .innerText(),
    ).resolves.toContain('fail closed');
    const refused = await transition('QMS-5', QMS_TRANSITIONS.close);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('Prior approval not granted');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await list.screenshot({ path: join(SCREENSHOTS, 'workflow-editor-light.png'), fullPage: true });
    await list.close();
  });

  it('renders the configuration form in the dark theme', async () => {
    await signIn(SITE_ACCOUNTS.admin, 'dark');
    const page = await openPage(
      `/jira/admin/workflows/validator?project=RIM&workflow=${encodeURIComponent('Submission workflow')}&transition=21&module=gate-evidence-complete&index=0`,
    );
    const frame = page.frameLocator('iframe[data-module-key="gate-evidence-complete"]');
    await frame.locator('main[data-entry-point="edit"]').waitFor();
    await expect(frame.locator('html').getAttribute('data-color-mode')).resolves.toBe('dark');
    await expect(frame.getByLabel('Every market').isChecked()).resolves.toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'gate-config-dark.png'), fullPage: true });
    await page.close();
  });
});
