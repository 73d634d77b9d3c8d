/**
 * Accessibility of every Custom UI surface, in the sandbox host pages, in light and dark:
 * axe (WCAG 2.0/2.1 A and AA) finds no serious or critical violation on the page with the
 * surface's frame (and proves it looked inside the frame); Tab reaches every control of the
 * surface, each with a visible focus indicator; and each surface's main action is done with
 * the keyboard alone. One server and one browser for the file.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SandboxServer } from '../../sandbox/server';
import { DEMO_PAGE_ID } from '../../sandbox/confluence/site';
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { axeReport, enterFrame, frameOf, tabThroughFrame, tabTo, unreached } from './accessibility-checks';
import { filingRequiredPas } from '../entry/impact-fixtures';
import { closeSite, openSite, SCREENSHOTS, signInAs } from './browser';
import type { Browser } from './browser';
import { codeAt, nextCodeStep, useSigningClock } from '../support/signing';

jest.setTimeout(120_000);

let server: SandboxServer;
let browser: Browser;
/** Issues seeded for states the demo data lacks. */
const seeded = { bareSubmission: '', unassessedRecord: '' };

beforeAll(async () => {
  // The sandbox server runs in this process: faking Date moves the app's clock to each next authenticator code.
  useSigningClock();
  ({ server, browser } = await openSite());
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A Submission without the app's filing data: the readiness panel and glance do not apply.
  seeded.bareSubmission = server.app.jira.seedIssue({
    project: 'RIM',
    issueType: 'Submission',
    summary: 'Submission created by hand, without filing data',
    reporter: SITE_ACCOUNTS.regulatory,
  }).key;
  // A quality record the app has never written: no assessment in the field's edit view.
  seeded.unassessedRecord = server.app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    summary: 'Change control created before the app was installed',
    reporter: SITE_ACCOUNTS.quality,
  }).key;
});

afterAll(async () => {
  await closeSite({ server, browser });
  jest.useRealTimers();
});

type Theme = 'light' | 'dark';

interface Surface {
  name: string;
  user: string;
  path: () => string;
  /** The surface's iframe on the host page. */
  frame: string;
  /** What to do on the host page to show the surface (open a glance, a dialog...). */
  open?: (page: Page) => Promise<void>;
  /** What to do in the surface before checking it (the state to check). */
  prepare?: (page: Page) => Promise<void>;
  /** A glance shows a status and has no control of its own. */
  noControls?: true;
  /** What axe checks on the page (the frames in it included); default the surface's frame. */
  axeScope?: string[];
}

const issue = (key: string) => () => `/jira/browse/${key}`;
const macroPage = `/confluence/spaces/QARA/pages/${DEMO_PAGE_ID}`;
const validatorPage = (params: string) => () =>
  `/jira/admin/workflows/validator?project=QMS&workflow=${encodeURIComponent('QMS record workflow')}&${params}`;
/** Opens a glance from the keyboard, as the issue view's right column offers it. */
const openGlance = (key: string) => async (page: Page) => {
  const button = page.locator(`button[data-glance="${key}"]`);
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('true');
};
const frameOfModule = (key: string): string => `iframe[data-module-key="${key}"]`;

const SURFACES: Surface[] = [
  {
    name: 'impact-panel-assessment-form',
    user: SITE_ACCOUNTS.quality,
    path: issue('QMS-1'),
    frame: frameOfModule('impact-panel'),
  },
  {
    name: 'impact-panel-decided',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('QMS-5'),
    frame: frameOfModule('impact-panel'),
  },
  {
    name: 'impact-panel-decision-form',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('QMS-11'),
    frame: frameOfModule('impact-panel'),
    prepare: async (page) =>
      page
        .frameLocator(frameOfModule('impact-panel'))
        .getByRole('button', { name: /^(Decide|Change decision) for / })
        .first()
        .click(),
  },
  {
    name: 'impact-panel-restricted',
    user: RESTRICTED_ACCOUNT_ID,
    path: issue('QMS-5'),
    frame: frameOfModule('impact-panel'),
  },
  {
    name: 'impact-glance',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('QMS-5'),
    frame: frameOfModule('impact-glance'),
    open: openGlance('impact-glance'),
    noControls: true,
    axeScope: ['.glances'],
  },
  {
    name: 'impact-field-edit',
    user: SITE_ACCOUNTS.quality,
    path: issue('QMS-5'),
    frame: frameOfModule('regulatory-impact'),
    open: async (page) => page.getByRole('button', { name: 'Edit Regulatory impact' }).click(),
    axeScope: ['.details', 'dialog[open]'],
  },
  {
    name: 'impact-field-edit-no-assessment',
    user: SITE_ACCOUNTS.quality,
    path: () => `/jira/browse/${seeded.unassessedRecord}`,
    frame: frameOfModule('regulatory-impact'),
    open: async (page) => page.getByRole('button', { name: 'Edit Regulatory impact' }).click(),
    axeScope: ['.details', 'dialog[open]'],
  },
  {
    name: 'readiness-panel',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('RIM-1'),
    frame: frameOfModule('readiness-panel'),
  },
  {
    name: 'readiness-panel-not-applicable',
    user: SITE_ACCOUNTS.regulatory,
    path: () => `/jira/browse/${seeded.bareSubmission}`,
    frame: frameOfModule('readiness-panel'),
    noControls: true,
  },
  {
    name: 'rim-glance-submission',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('RIM-1'),
    frame: frameOfModule('rim-glance'),
    open: openGlance('rim-glance'),
    noControls: true,
    axeScope: ['.glances'],
  },
  {
    name: 'rim-glance-overdue-commitment',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('RIM-7'),
    frame: frameOfModule('rim-glance'),
    open: openGlance('rim-glance'),
    noControls: true,
    axeScope: ['.glances'],
  },
  {
    name: 'rim-glance-no-data',
    user: SITE_ACCOUNTS.regulatory,
    path: () => `/jira/browse/${seeded.bareSubmission}`,
    frame: frameOfModule('rim-glance'),
    open: openGlance('rim-glance'),
    noControls: true,
    axeScope: ['.glances'],
  },
  {
    name: 'correspondence-panel',
    user: SITE_ACCOUNTS.regulatory,
    path: issue('RIM-10'),
    frame: frameOfModule('correspondence-panel'),
  },
  { name: 'admin-page', user: SITE_ACCOUNTS.admin, path: () => '/jira/admin', frame: frameOfModule('admin-page') },
  {
    name: 'gate-config-view',
    user: SITE_ACCOUNTS.admin,
    path: () => '/jira/admin/workflows',
    frame: 'iframe[data-module-key^="gate-"]',
    noControls: true,
  },
  {
    name: 'gate-config-create',
    user: SITE_ACCOUNTS.admin,
    path: validatorPage('transition=41&module=gate-prior-approval-granted'),
    frame: 'iframe[data-module-key^="gate-"]',
  },
  {
    name: 'gate-config-edit',
    user: SITE_ACCOUNTS.admin,
    path: validatorPage('transition=21&module=gate-impact-assessed&index=0'),
    frame: 'iframe[data-module-key^="gate-"]',
  },
  {
    name: 'traceability-macro',
    user: SITE_ACCOUNTS.manager,
    path: () => macroPage,
    frame: '.macro iframe[data-module-key="traceability-macro"]',
  },
  {
    name: 'traceability-macro-config',
    user: SITE_ACCOUNTS.manager,
    path: () => `${macroPage}/edit`,
    frame: 'iframe[data-config-frame]',
    open: async (page) => page.getByRole('button', { name: 'Edit macro' }).click(),
    axeScope: ['dialog[open]'],
  },
];

/** Waits until the surface's frame has drawn its answer (its `main` is no longer busy, or its content is there). */
const waitForSurface = async (page: Page, frame: string): Promise<void> => {
  const content = page.frameLocator(frame).first();
  await content.locator('main:not([aria-busy="true"])').first().waitFor({ timeout: 45_000 });
  await content.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached', timeout: 45_000 });
};

const openSurface = async (surface: Surface, theme: Theme): Promise<{ page: Page; errors: string[] }> => {
  await signInAs(browser, server.url, surface.user, theme);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}${surface.path()}`);
  if (response?.status() !== 200) throw new Error(`${surface.path()} answered ${response?.status() ?? 'nothing'}`);
  await surface.open?.(page);
  await waitForSurface(page, surface.frame);
  await surface.prepare?.(page);
  return { page, errors };
};

/** Switches the host page and every frame to `theme`, as the host's bridge does on load (`data-color-mode` on each `<html>`). */
const switchTheme = async (page: Page, theme: Theme): Promise<void> => {
  for (const frame of page.frames())
    await frame.evaluate(`document.documentElement.setAttribute('data-color-mode', '${theme}')`);
  await page.waitForTimeout(100);
};

describe('the keyboard check itself', () => {
  it('flags a control Tab cannot reach and a control whose focus is invisible, and passes the others', async () => {
    const page = await browser.context.newPage();
    try {
      const frameHtml = [
        '<style>#hidden-focus:focus{outline:none;box-shadow:none}</style>',
        '<button id="fine">Fine</button>',
        '<button id="hidden-focus">No focus ring</button>',
        '<div role="button">Mouse only</div>',
        '<label><input type="radio" name="g" checked> One</label><label><input type="radio" name="g"> Two</label>',
      ].join('');
      await page.setContent(`<p>host</p><iframe data-module-key="probe" srcdoc='${frameHtml}'></iframe>`);
      await page.frameLocator('iframe').locator('#fine').waitFor();
      const walk = await tabThroughFrame(page, 'iframe[data-module-key="probe"]');
      expect(unreached(walk)).toEqual(['div "Mouse only"']);
      expect(walk.withoutIndicator).toEqual(['button "No focus ring"']);
      // The radio group is one tab stop.
      expect(walk.reached).toHaveLength(3);
    } finally {
      await page.close();
    }
  });
});

describe.each(SURFACES)('$name', (surface) => {
  let opened: { page: Page; errors: string[] };

  // Opened in dark (the theme cookie, as a person would choose it), then switched to light in place.
  beforeAll(async () => {
    opened = await openSurface(surface, 'dark');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it.each(['dark', 'light'] as const)(
    'has no serious or critical axe violation in the %s theme, checked inside its frame',
    async (theme) => {
      const { page } = opened;
      await switchTheme(page, theme);
      await expect(
        page.frameLocator(surface.frame).first().locator('html').getAttribute('data-color-mode'),
      ).resolves.toBe(theme);
      const report = await axeReport(page, surface.frame, surface.axeScope);
      await page.screenshot({ path: join(SCREENSHOTS, `a11y-${surface.name}-${theme}.png`), fullPage: true });
      expect(report.problems).toEqual([]);
      expect(report.contrastCheckedInFrame).toBeGreaterThan(0);
      expect(opened.errors).toEqual([]);
    },
  );

  it('reaches every control with Tab, each with a visible focus indicator', async () => {
    const walk = await tabThroughFrame(opened.page, surface.frame);
    if (surface.noControls) expect(walk.controls).toEqual([]);
    else expect(walk.controls.length).toBeGreaterThan(0);
    expect(unreached(walk)).toEqual([]);
    expect(walk.withoutIndicator).toEqual([]);
  });
});

/** Opens a page as `user` in the light theme and waits for the surface in `frame`. */
const openPage = async (user: string, path: string, frame: string): Promise<{ page: Page; errors: string[] }> =>
  openSurface({ name: path, user, path: () => path, frame }, 'light');

/** axe on the page in both themes, switched in place so the state on screen is kept; screenshots named `a11y-<name>-<theme>`. */
const axeInBothThemes = async (page: Page, frame: string, name: string): Promise<string[]> => {
  const problems: string[] = [];
  // A page in a background tab is not painted, and axe computes contrast from what is painted.
  await page.bringToFront();
  for (const theme of ['dark', 'light'] as const) {
    await switchTheme(page, theme);
    const report = await axeReport(page, frame);
    if (report.contrastCheckedInFrame === 0) problems.push(`${theme}: axe checked nothing inside ${frame}`);
    problems.push(...report.problems.map((p) => `${theme} ${p}`));
    await page.screenshot({ path: join(SCREENSHOTS, `a11y-${name}-${theme}.png`), fullPage: true });
  }
  return problems;
};

/** Polls `read` until it answers something other than `from` (the view re-rendered), and returns that. */
const waitForChange = async <T>(read: () => Promise<T>, from: T, timeoutMs = 10_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = await read();
    if (now !== from || Date.now() > until) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const press = async (page: Page, ...keys: string[]): Promise<void> => {
  for (const key of keys) await page.keyboard.press(key);
};

describe('the main actions, with the keyboard alone', () => {
  it('impact panel: the quality engineer proposes and saves an assessment; a panel left open meanwhile gets the conflict message', async () => {
    const panelFrame = frameOfModule('impact-panel');
    const stale = await openPage(SITE_ACCOUNTS.quality, '/jira/browse/QMS-1', panelFrame);
    const { page, errors } = await openPage(SITE_ACCOUNTS.quality, '/jira/browse/QMS-1', panelFrame);
    try {
      const frame = await enterFrame(page, panelFrame);
      const panel = page.frameLocator(panelFrame);
      await tabTo(page, frame, /Add a change code from the catalog/);
      await page.keyboard.type('ccs.type-or-resin');
      await press(page, 'Enter');
      await tabTo(page, frame, /how do the Variations Guidelines classify this change/);
      await page.keyboard.type('IB');
      await press(page, 'Enter');
      await tabTo(page, frame, /^US$/);
      await press(page, 'Space');
      await tabTo(page, frame, /^EU$/);
      await press(page, 'Space');
      await tabTo(page, frame, /^Propose affected applications$/);
      await press(page, 'Enter');
      await panel.getByTestId('proposal').getByText('Propagation reaches 8 applications').waitFor();
      expect(await axeInBothThemes(page, panelFrame, 'impact-panel-proposal')).toEqual([]);
      await switchTheme(page, 'light');

      await tabTo(page, frame, /^Save assessment$/);
      await press(page, 'Enter');
      await panel.getByTestId('notice').getByText('Saved as version 1: 8 affected applications.').waitFor();
      expect(errors).toEqual([]);

      // The panel opened before the save still holds version 0 (driven by mouse here: the keyboard was shown above).
      const stalePanel = stale.page.frameLocator(panelFrame);
      const staleForm = stalePanel.getByRole('form', { name: 'Regulatory impact assessment' });
      const codes = staleForm.getByLabel(/Add a change code from the catalog/);
      await codes.click();
      await codes.pressSequentially('site.secondary-packaging');
      await codes.press('Enter');
      await staleForm.getByLabel('US', { exact: true }).check();
      await staleForm.getByRole('button', { name: 'Propose affected applications' }).click();
      await stalePanel.getByTestId('proposal').waitFor();
      await staleForm.getByRole('button', { name: 'Save assessment' }).click();
      await stalePanel.getByText('Someone else changed this assessment').waitFor();
      expect(await axeInBothThemes(stale.page, panelFrame, 'impact-panel-conflict')).toEqual([]);
    } finally {
      await page.close();
      await stale.page.close();
    }
  });

  it('impact panel: the reviewer sets up her authenticator and signs a decision with its code', async () => {
    const panelFrame = frameOfModule('impact-panel');
    const { page, errors } = await openPage(SITE_ACCOUNTS.regulatory, '/jira/browse/QMS-1', panelFrame);
    try {
      const frame = await enterFrame(page, panelFrame);
      const panel = page.frameLocator(panelFrame);
      await tabTo(page, frame, /^Set up authenticator$/);
      await press(page, 'Enter');
      const secret = (await panel.getByTestId('enrolment-secret').innerText()).trim();
      expect(await axeInBothThemes(page, panelFrame, 'impact-panel-authenticator-setup')).toEqual([]);
      await switchTheme(page, 'light');
      await tabTo(page, frame, /^Code your authenticator shows now/);
      await page.keyboard.type(codeAt(secret));
      await tabTo(page, frame, /^Confirm set-up$/);
      await press(page, 'Enter');
      await panel.getByText(/Your authenticator is set up/).waitFor();

      await tabTo(page, frame, /^Decide for APP-NDA-CARDIOLOL$/);
      await press(page, 'Enter');
      await tabTo(page, frame, /^Authenticator code/);
      nextCodeStep();
      await page.keyboard.type(codeAt(secret));
      await tabTo(page, frame, /^Sign decision for APP-NDA-CARDIOLOL$/);
      await press(page, 'Enter');
      await page
        .frameLocator(panelFrame)
        .getByTestId('notice')
        .getByText('The decision for APP-NDA-CARDIOLOL is signed and in the audit trail.')
        .waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('admin page: lists the signers and resets one after confirming, with the keyboard alone', async () => {
    const adminFrame = frameOfModule('admin-page');
    const { page, errors } = await openPage(SITE_ACCOUNTS.admin, '/jira/admin', adminFrame);
    try {
      const frame = await enterFrame(page, adminFrame);
      const admin = page.frameLocator(adminFrame);
      await admin.getByTestId(`signing-${SITE_ACCOUNTS.regulatory}`).getByText('set up').waitFor();
      await tabTo(page, frame, /^Reset the authenticator of Rita Regulatory$/);
      await press(page, 'Enter');
      await admin.getByRole('group', { name: 'Confirm the reset for Rita Regulatory' }).waitFor();
      expect(await axeInBothThemes(page, adminFrame, 'admin-page-signing-reset')).toEqual([]);
      await switchTheme(page, 'light');
      await tabTo(page, frame, /^Confirm reset for Rita Regulatory$/);
      await press(page, 'Enter');
      await admin.getByText('Rita Regulatory’s authenticator was reset').waitFor();
      await expect(admin.getByTestId(`signing-${SITE_ACCOUNTS.regulatory}`).innerText()).resolves.toContain(
        'reset: must set up again',
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('admin page: exports the registry, shows a bad import’s errors, verifies the audit trail and exports it', async () => {
    const adminFrame = frameOfModule('admin-page');
    const { page, errors } = await openPage(SITE_ACCOUNTS.admin, '/jira/admin', adminFrame);
    try {
      const frame = await enterFrame(page, adminFrame);
      const admin = page.frameLocator(adminFrame);
      await tabTo(page, frame, /^Export registry as CSV$/);
      const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'Enter')]);
      expect(readFileSync(await download.path(), 'utf8')).toContain('PRD-CARDIOLOL');

      await tabTo(page, frame, /^CSV content$/);
      await page.keyboard.type('kind,id,name\nwidget,W-1,Widget');
      await tabTo(page, frame, /^Import and replace registry$/);
      await press(page, 'Enter');
      await admin.getByRole('list', { name: 'Errors by line' }).waitFor();

      await tabTo(page, frame, /^Verify audit trail$/);
      await press(page, 'Enter');
      await admin.getByTestId('audit-result').waitFor();

      // The audit export: both dates and both buttons by keyboard.
      await tabTo(page, frame, /^First day$/);
      await tabTo(page, frame, /^Last day$/);
      await tabTo(page, frame, /^Export JSON$/);
      const [trail] = await Promise.all([page.waitForEvent('download'), press(page, 'Enter')]);
      expect(JSON.parse(readFileSync(await trail.path(), 'utf8'))).toMatchObject({ format: 'qms-rim-audit-trail/1' });
      await admin.getByTestId('audit-export-result').waitFor();
      await tabTo(page, frame, /^Export CSV$/);
      expect(await axeInBothThemes(page, adminFrame, 'admin-page-import-errors-and-audit')).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('traceability macro: narrows the view with a filter and exports it as CSV', async () => {
    const macroFrame = '.macro iframe[data-module-key="traceability-macro"]';
    const { page, errors } = await openPage(SITE_ACCOUNTS.manager, macroPage, macroFrame);
    try {
      const macro = page.frameLocator(macroFrame);
      const rows = macro.locator('[data-testid="traceability-matrix"] tbody tr');
      const before = await rows.count();
      const frame = await enterFrame(page, macroFrame);
      await tabTo(page, frame, /^Only records with gaps$/);
      await press(page, 'Space');
      await expect(macro.getByLabel('Only records with gaps').isChecked()).resolves.toBe(true);
      const shown = await waitForChange(() => rows.count(), before);
      expect(shown).toBeLessThan(before);
      await tabTo(page, frame, /^Export CSV$/);
      const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'Enter')]);
      const traceLines = readFileSync(await download.path(), 'utf8')
        .split('\r\n')
        .filter((line) => line.startsWith('trace,'));
      expect(traceLines).toHaveLength(shown);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('traceability macro configuration: changes the record kinds and saves', async () => {
    const configFrame = 'iframe[data-config-frame]';
    const { page, errors } = await openSurface(
      {
        name: 'config',
        user: SITE_ACCOUNTS.manager,
        path: () => `${macroPage}/edit`,
        frame: configFrame,
        open: async (p) => {
          await p.getByRole('button', { name: 'Edit macro' }).focus();
          await press(p, 'Enter');
        },
      },
      'light',
    );
    try {
      const frame = await enterFrame(page, configFrame);
      await tabTo(page, frame, /^CAPA$/);
      await press(page, 'Space');
      await tabTo(page, frame, /^Save$/);
      await press(page, 'Enter');
      await page.waitForFunction("document.querySelector('dialog[open]') === null", undefined, { timeout: 15_000 });
      // The editor's preview renders again with the saved configuration.
      await page
        .frameLocator('.macro iframe[data-module-key="traceability-macro"]')
        .getByTestId('traceability-scope')
        .getByText(/CAPA/)
        .waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('readiness panel: exports the evidence packet and its SHA-256 manifest; a Jira failure is shown and checked too', async () => {
    const readinessFrame = frameOfModule('readiness-panel');
    const { page, errors } = await openPage(SITE_ACCOUNTS.regulatory, '/jira/browse/RIM-1', readinessFrame);
    try {
      const frame = await enterFrame(page, readinessFrame);
      await tabTo(page, frame, /^Export evidence packet as JSON$/);
      const [packet] = await Promise.all([page.waitForEvent('download'), press(page, 'Enter')]);
      expect(packet.suggestedFilename()).toMatch(/\.json$/);
      await tabTo(page, frame, /^Download SHA-256 manifest$/);
      const [manifest] = await Promise.all([page.waitForEvent('download'), press(page, 'Enter')]);
      expect(manifest.suggestedFilename()).toBe(`${packet.suggestedFilename()}.sha256`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
    // The panel's linked records cannot be read: it says so (the host page itself still loads).
    server.app.jira.setFaults({
      failOperations: [{ operation: 'POST /rest/api/3/issue/bulkfetch', status: 500, message: 'Jira is unavailable' }],
    });
    const failed = await openPage(SITE_ACCOUNTS.regulatory, '/jira/browse/RIM-1', readinessFrame).finally(() =>
      server.app.jira.clearFaults(),
    );
    try {
      await failed.page.frameLocator(readinessFrame).locator('[role="alert"], section').first().waitFor();
      expect(await failed.page.frameLocator(readinessFrame).locator('main').innerText()).toMatch(
        /could not be shown[\s\S]*JIRA_UNAVAILABLE/,
      );
      expect(await axeInBothThemes(failed.page, readinessFrame, 'readiness-panel-error')).toEqual([]);
    } finally {
      await failed.page.close();
    }
  });

  it('correspondence panel: links a quality record that answers the letter', async () => {
    const panelFrame = frameOfModule('correspondence-panel');
    const { page, errors } = await openPage(SITE_ACCOUNTS.regulatory, '/jira/browse/RIM-10', panelFrame);
    try {
      const frame = await enterFrame(page, panelFrame);
      await tabTo(page, frame, /^Record key$/);
      await page.keyboard.type('QMS-9');
      await tabTo(page, frame, /^Link record$/);
      await press(page, 'Enter');
      await page.frameLocator(panelFrame).getByText('QMS-9 now answers this letter.').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('workflow editor: configures a new validator (radio group by arrow keys) and adds it with the host’s button', async () => {
    const gateFrame = 'iframe[data-module-key^="gate-"]';
    const { page, errors } = await openPage(
      SITE_ACCOUNTS.admin,
      validatorPage('transition=41&module=gate-prior-approval-granted')(),
      gateFrame,
    );
    try {
      const frame = await enterFrame(page, gateFrame);
      await tabTo(page, frame, /^Every market$/);
      await press(page, 'ArrowDown');
      const gate = page.frameLocator(gateFrame);
      await expect(gate.getByLabel('Only these markets').isChecked()).resolves.toBe(true);
      await tabTo(page, frame, /^US$/);
      await press(page, 'Space');
      // Tab leaves the frame for the host's Add button.
      const add = page.getByRole('button', { name: 'Add', exact: true });
      for (
        let i = 0;
        i < 20 &&
        !(await add.evaluate(
          (el: unknown) => el === (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
        ));
        i++
      )
        await press(page, 'Tab');
      await Promise.all([page.waitForURL(/\/jira\/admin\/workflows$/), press(page, 'Enter')]);
      const saved = server.app.jira
        .workflows()
        .flatMap((w) => w.transitions)
        .find((t) => t.id === '41')
        ?.validators.map((v) => JSON.stringify(v.configuration));
      expect(saved?.some((c) => c.includes('"US"'))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Regulatory impact field: opens the edit view from the issue details and refreshes the field from the record', async () => {
    const key = server.app.jira.seedIssue({
      project: 'QMS',
      issueType: 'CAPA',
      summary: 'Assessed before the field existed',
      reporter: SITE_ACCOUNTS.quality,
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    }).key;
    const fieldFrame = frameOfModule('regulatory-impact');
    const { page, errors } = await openSurface(
      {
        name: 'field',
        user: SITE_ACCOUNTS.quality,
        path: issue(key),
        frame: fieldFrame,
        open: async (p) => {
          await p.getByRole('button', { name: 'Edit Regulatory impact' }).focus();
          await press(p, 'Enter');
        },
      },
      'light',
    );
    try {
      await expect(page.locator('[data-field-value="regulatory-impact"]').innerText()).resolves.toBe('None');
      const frame = await frameOf(page, fieldFrame);
      await tabTo(page, frame, /^Refresh from the assessment$/);
      await Promise.all([page.waitForEvent('load'), press(page, 'Enter')]);
      await expect(page.locator('[data-field-value="regulatory-impact"]').innerText()).resolves.toBe(
        'Filing required · US: PAS',
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
