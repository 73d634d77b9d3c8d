/**
 * The scenario the app exists for, clicked through in Chromium like people would: in the
 * sandbox, the quality engineer assesses QMS-1 (Polymera's resin change reaches eight
 * applications in the US and the EU) in the "Regulatory impact" panel; the regulatory
 * reviewer sets up her authenticator and signs a decision per application with its code; the submission plan is created and linked; the
 * "Implement" transition is refused with the gate's message; the PAS Submission goes through
 * its workflow to approval; "Implement" then succeeds; the readiness panel and the evidence
 * packet show the chain. Each surface is screenshot in light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { z } from 'zod';
import type { SandboxServer } from '../../sandbox/server';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { closeSite, openSite } from './browser';
import type { Browser } from './browser';
import { codeAt, nextCodeStep, useSigningClock, wrongCodeAt } from '../support/signing';

jest.setTimeout(300_000);

const SCREENSHOTS = join(resolve(__dirname, '..', '..'), 'test-output', 'screenshots');
const QUINN = SITE_ACCOUNTS.quality;
const RITA = SITE_ACCOUNTS.regulatory;
const ADA = SITE_ACCOUNTS.admin;

let server: SandboxServer;
let browser: Browser;

/** Rita's authenticator secret, read off the set-up screen as she would type it into her authenticator app. */
let ritaSecret: string | undefined;

/** The code Rita's authenticator shows for the next 30-second step (each code signs once). */
const ritasNextCode = (): string => {
  if (ritaSecret === undefined) throw new Error('Rita has not set up her authenticator yet');
  nextCodeStep();
  return codeAt(ritaSecret);
};

beforeAll(async () => {
  // The sandbox server runs in this process: faking Date moves the app's clock to each next code.
  useSigningClock();
  mkdirSync(SCREENSHOTS, { recursive: true });
  ({ server, browser } = await openSite());
});

afterAll(async () => {
  await closeSite({ server, browser });
  jest.useRealTimers();
});

interface Opened {
  page: Page;
  panel: FrameLocator;
  errors: string[];
}

/** Opens an issue as a person and waits until the named panel has its resolver's answer. */
const open = async (accountId: string, key: string, moduleKey = 'impact-panel'): Promise<Opened> => {
  await browser.context.clearCookies();
  await browser.context.addCookies([
    { name: 'sandbox_user', value: accountId, url: server.url },
    { name: 'sandbox_theme', value: 'light', url: server.url },
  ]);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(`${server.url}/jira/browse/${key}`);
  expect(response?.status()).toBe(200);
  const panel = page.frameLocator(`iframe[data-module-key="${moduleKey}"]`);
  await panel.locator('main[aria-busy="false"]').waitFor({ timeout: 30_000 });
  return { page, panel, errors };
};

/**
 * Screenshots the page in light and dark: the design tokens switch on `data-color-mode`, which
 * is what the host sets on the page and each app frame (here without a reload, so the state
 * on screen, such as an unsaved proposal, is kept).
 */
const shootBoth = async (page: Page, name: string): Promise<void> => {
  for (const mode of ['light', 'dark'] as const) {
    for (const frame of page.frames()) {
      await frame.evaluate(`document.documentElement.setAttribute('data-color-mode', '${mode}')`);
    }
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(SCREENSHOTS, `scenario-${name}-${mode}.png`), fullPage: true });
  }
  for (const frame of page.frames())
    await frame.evaluate(`document.documentElement.setAttribute('data-color-mode', 'light')`);
};

/** WCAG 2 A/AA problems axe finds in the panel's frame, in light and dark ("rule: element" each). */
const accessibilityProblems = async (page: Page, moduleKey = 'impact-panel'): Promise<string[]> => {
  const problems: string[] = [];
  for (const mode of ['light', 'dark'] as const) {
    for (const frame of page.frames())
      await frame.evaluate(`document.documentElement.setAttribute('data-color-mode', '${mode}')`);
    const results = await new AxeBuilder({ page })
      .include(`iframe[data-module-key="${moduleKey}"]`)
      .withTags(['wcag2a', 'wcag2aa'])
      .analyze();
    problems.push(...results.violations.flatMap((v) => v.nodes.map((n) => `${mode} ${v.id}: ${n.target.join(' ')}`)));
    // Proof that axe looked inside the frame: the form controls' labels were checked there.
    if (!results.passes.some((p) => p.id === 'label' && p.nodes.some((n) => n.target.length > 1)))
      problems.push(`${mode}: axe did not inspect the panel's form controls`);
  }
  for (const frame of page.frames())
    await frame.evaluate(`document.documentElement.setAttribute('data-color-mode', 'light')`);
  return problems;
};

/** Picks an option in an @atlaskit/select by typing into it, as a keyboard user does. */
const choose = async (panel: FrameLocator, label: string | RegExp, text: string): Promise<void> => {
  const input = panel.getByLabel(label);
  await input.click();
  await input.pressSequentially(text);
  await input.press('Enter');
};

const notice = (panel: FrameLocator) => panel.getByTestId('notice');

/** Clicks a transition in the host's workflow bar and waits for the page Jira's answer leads to. */
const transition = async (opened: Opened, name: string): Promise<void> => {
  const { page } = opened;
  await Promise.all([
    page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()),
    page.getByRole('form', { name: 'Workflow' }).getByRole('button', { name, exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
};

describe('a supplier change from assessment to implementation (Chromium)', () => {
  const submissions: Record<string, string> = {};

  it('the quality engineer assesses QMS-1: propagation proposes eight applications in two markets with their recommendations', async () => {
    const opened = await open(QUINN, 'QMS-1');
    const { page, panel } = opened;
    try {
      const form = panel.getByRole('form', { name: 'Regulatory impact assessment' });
      await expect(form.getByText('Polymera GmbH (polymer resins) (SUP-POLYMERA)').count()).resolves.toBe(1);
      await choose(panel, /Add a change code from the catalog/, 'ccs.type-or-resin');
      await choose(panel, /how do the Variations Guidelines classify this change/, 'IB');
      await form.getByLabel('US', { exact: true }).check();
      await form.getByLabel('EU', { exact: true }).check();
      await form.getByRole('button', { name: 'Propose affected applications' }).click();
      const proposal = panel.getByTestId('proposal');
      await proposal.getByText('Propagation reaches 8 applications').waitFor();
      const rows = await proposal.locator('tbody tr').allInnerTexts();
      expect(rows).toHaveLength(8);
      expect(rows.find((r) => r.includes('APP-NDA-CARDIOLOL'))).toMatch(
        /names supplier SUP-POLYMERA[\s\S]*PAS[\s\S]*21 CFR 314\.70\(b\)\(2\)\(vi\)/,
      );
      expect(rows.find((r) => r.includes('APP-MAA-CARDIOLOL'))).toContain('EU-IB');
      await shootBoth(page, '1-assessment-proposed');
      expect(await accessibilityProblems(page)).toEqual([]);

      await form.getByRole('button', { name: 'Save assessment' }).click();
      await notice(panel).getByText('Saved as version 1: 8 affected applications.').waitFor();
      await expect(panel.getByTestId('decision-APP-NDA-CARDIOLOL').innerText()).resolves.toContain('Not decided');
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the regulatory reviewer sets up her authenticator: QR code and key shown once, confirmed with its current code', async () => {
    const opened = await open(RITA, 'QMS-1');
    const { page, panel } = opened;
    try {
      const area = panel.getByRole('region', { name: 'Authenticator for signing' });
      await area.getByRole('button', { name: 'Set up authenticator' }).click();
      const setup = panel.getByRole('form', { name: 'Set up your authenticator' });
      await expect(
        setup.getByRole('img', { name: /QR code that adds the QMS-RIM bridge/ }).getAttribute('src'),
      ).resolves.toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
      ritaSecret = (await setup.getByTestId('enrolment-secret').innerText()).trim();
      expect(ritaSecret).toMatch(/^[A-Z2-7]{32}$/);
      await shootBoth(page, '2-authenticator-setup');
      expect(await accessibilityProblems(page)).toEqual([]);
      await setup.getByLabel('Code your authenticator shows now (6 digits)').fill(codeAt(ritaSecret));
      await setup.getByRole('button', { name: 'Confirm set-up' }).click();
      await area.getByText(/Your authenticator is set up/).waitFor();
      // The key is not shown again.
      await expect(panel.getByTestId('enrolment-secret').count()).resolves.toBe(0);
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the regulatory reviewer signs a decision per application with her authenticator code: accepts three, overrides five with a rationale', async () => {
    const opened = await open(RITA, 'QMS-1');
    const { page, panel } = opened;
    try {
      // A wrong code signs nothing and says how many attempts are left.
      await panel.getByRole('button', { name: 'Decide for APP-NDA-CARDIOLOL' }).click();
      const first = panel.getByRole('form', { name: 'Decision for APP-NDA-CARDIOLOL' });
      nextCodeStep();
      await first.getByLabel(/^Authenticator code/).fill(wrongCodeAt(ritaSecret ?? ''));
      await first.getByRole('button', { name: 'Sign decision for APP-NDA-CARDIOLOL' }).click();
      await notice(panel)
        .getByText(/not correct.*4 attempts left/)
        .waitFor();
      await expect(panel.getByTestId('decision-APP-NDA-CARDIOLOL').innerText()).resolves.toContain('Not decided');
      await first.getByRole('button', { name: 'Cancel' }).click();

      const decisions: Array<[string, 'accept'] | [string, 'override', string, string]> = [
        ['APP-NDA-CARDIOLOL', 'accept'],
        ['APP-MAA-CARDIOLOL', 'accept'],
        ['APP-MAA-IMMUNOMAB', 'accept'],
        [
          'APP-BLA-IMMUNOMAB',
          'override',
          'CBE-30',
          'Syringe plunger resin in contact with the product: moderate potential, CBE-30 (21 CFR 601.12(c)).',
        ],
        [
          'APP-510K-GLUCOPEN',
          'override',
          'LETTER-TO-FILE',
          'Housing resin, no patient contact; no significant effect: letter to file.',
        ],
        [
          'APP-DENOVO-CARDIOSENSE',
          'override',
          'LETTER-TO-FILE',
          'Patch liner resin; biocompatibility unchanged per ISO 10993-1 assessment: letter to file.',
        ],
        [
          'APP-CEMDR-GLUCOPEN',
          'override',
          'NB-NOTIFICATION',
          'Not a substantial change to the design: inform the notified body.',
        ],
        [
          'APP-CEMDD-CARDIOSENSE',
          'override',
          'NONE',
          'Liner is not a device component under the certificate; no notification.',
        ],
      ];
      for (const [applicationId, decision, category, rationale] of decisions) {
        await panel.getByRole('button', { name: `Decide for ${applicationId}` }).click();
        const form = panel.getByRole('form', { name: `Decision for ${applicationId}` });
        await expect(form.getByText('You sign as Rita Regulatory.').count()).resolves.toBe(1);
        if (decision === 'override') {
          await form.getByLabel('Override with another category').check();
          await choose(panel, 'Filing category', category ?? '');
          await form.getByLabel(/Rationale \(required/).fill(rationale ?? '');
        }
        await expect(form.getByLabel('Approval: I approve this filing decision').isChecked()).resolves.toBe(true);
        await expect(
          form.getByRole('button', { name: `Sign decision for ${applicationId}` }).isDisabled(),
        ).resolves.toBe(true);
        await form.getByLabel(/^Authenticator code/).fill(ritasNextCode());
        if (applicationId === 'APP-BLA-IMMUNOMAB') {
          await shootBoth(page, '2-decision-override');
          expect(await accessibilityProblems(page)).toEqual([]);
        }
        await form.getByRole('button', { name: `Sign decision for ${applicationId}` }).click();
        await notice(panel).getByText(`The decision for ${applicationId} is signed and in the audit trail.`).waitFor();
      }
      const nda = await panel.getByTestId('decision-APP-NDA-CARDIOLOL').innerText();
      expect(nda).toMatch(/Signed by Rita Regulatory, .+, meaning: approval/);
      const history = await panel
        .getByRole('list', { name: 'History, newest first' })
        .locator(':scope > li')
        .allInnerTexts();
      // Eight signatures, newest first, then Quinn's saved assessment.
      expect(history).toHaveLength(9);
      expect(history[0]).toContain('Signed NONE for APP-CEMDD-CARDIOSENSE');
      expect(history[0]).toContain('overriding the recommended REVIEW-REQUIRED');
      expect(history[0]).toMatch(/Signed Rita Regulatory, \d{4}-\d{2}-\d{2}T\S+ \(.+\), meaning: /);
      expect(history[7]).toContain('Signed PAS for APP-NDA-CARDIOLOL');
      expect(history[8]).toContain('Saved the assessment as version 1');
      await shootBoth(page, '3-decided');
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the reviewer creates the submission plan in one step (and a commitment), linked to QMS-1', async () => {
    const opened = await open(RITA, 'QMS-1');
    const { page, panel } = opened;
    try {
      const planned = await panel.getByRole('list', { name: 'Submissions to create' }).locator('li').allInnerTexts();
      expect(planned.sort()).toEqual([
        'CBE-30 for APP-BLA-IMMUNOMAB (US)',
        'EU-IB for APP-MAA-CARDIOLOL (EU)',
        'EU-IB for APP-MAA-IMMUNOMAB (EU)',
        'NB-NOTIFICATION for APP-CEMDR-GLUCOPEN (EU)',
        'PAS for APP-NDA-CARDIOLOL (US)',
      ]);
      await panel.getByRole('button', { name: 'Create submission plan' }).click();
      await notice(panel)
        .getByText(/^Created RIM-\d+, .* in RIM and linked them to QMS-1\.$/)
        .waitFor();
      for (const applicationId of ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL']) {
        const cells = await panel.getByTestId(`decision-${applicationId}`).locator('td').allInnerTexts();
        const key = /RIM-\d+/.exec(cells.at(-1) ?? '')?.[0];
        if (!key) throw new Error(`no Submission recorded for ${applicationId}`);
        submissions[applicationId] = key;
      }
      const linked = await panel
        .getByRole('table')
        .filter({ has: panel.getByRole('columnheader', { name: 'Issue' }) })
        .innerText();
      expect(linked).toContain(submissions['APP-NDA-CARDIOLOL']);
      expect(linked).toMatch(/planned/i);

      await panel.getByRole('button', { name: 'Add commitment' }).click();
      const commitment = panel.getByRole('form', { name: 'Add commitment' });
      await commitment
        .getByLabel(/What was committed/)
        .fill('Provide 6-month stability data for blisters made with PX-210');
      await commitment.getByLabel('Description').fill('Agreed with FDA in the PAS review.');
      await choose(panel, 'Market', 'US');
      await choose(panel, 'Application (optional)', 'APP-NDA-CARDIOLOL');
      await commitment.getByLabel('Due date').fill('2027-05-31');
      await shootBoth(page, '4-plan-and-commitment');
      expect(await accessibilityProblems(page)).toEqual([]);
      await commitment.getByRole('button', { name: 'Create commitment' }).click();
      await notice(panel)
        .getByText(/^Created the Commitment RIM-\d+ and linked it to QMS-1\.$/)
        .waitFor();
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
    // The Submission carries what the plan filled in, for whoever opens it in Jira.
    const nda = await fetch(
      `${server.url}/rest/api/3/issue/${submissions['APP-NDA-CARDIOLOL'] ?? ''}?fields=summary,issuelinks&properties=qmsrim.submission`,
      {
        headers: { Authorization: `Basic ${Buffer.from('rita.regulatory@qms-rim.example:any').toString('base64')}` },
      },
    ).then((r) => r.json());
    expect(nda).toMatchObject({
      fields: {
        summary: 'PAS: Cardiolol 50 mg tablets, NDA 214455 (US), for QMS-1',
        issuelinks: [
          expect.objectContaining({
            type: expect.objectContaining({ name: 'Regulatory filing' }),
            inwardIssue: expect.objectContaining({ key: 'QMS-1' }),
          }),
        ],
      },
      properties: {
        'qmsrim.submission': {
          applicationId: 'APP-NDA-CARDIOLOL',
          productId: 'PRD-CARDIOLOL',
          market: 'US',
          category: 'PAS',
        },
      },
    });
  });

  it('QMS-1 goes to review and is approved; "Implement" is refused with the prior-approval gate’s message', async () => {
    const quinn = await open(QUINN, 'QMS-1');
    try {
      await transition(quinn, 'Submit for review');
      await expect(quinn.page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/under review/i);
    } finally {
      await quinn.page.close();
    }
    const ada = await open(ADA, 'QMS-1');
    try {
      await transition(ada, 'Approve');
      await expect(ada.page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/approved/i);
    } finally {
      await ada.page.close();
    }
    const again = await open(QUINN, 'QMS-1');
    try {
      await transition(again, 'Implement');
      const refusal = await again.page.getByTestId('transition-refusal').innerText();
      expect(refusal).toContain('Jira refused the transition.');
      expect(refusal).toMatch(/APP-NDA-CARDIOLOL[\s\S]*PAS[\s\S]*not approved/i);
      await expect(again.page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/approved/i);
      // The panel's preview says the same as the gate.
      const panel = again.page.frameLocator('iframe[data-module-key="impact-panel"]');
      await panel.locator('main[aria-busy="false"]').waitFor();
      await expect(panel.getByRole('list', { name: 'Why Prior approval granted blocks' }).innerText()).resolves.toMatch(
        /APP-NDA-CARDIOLOL/,
      );
      await shootBoth(again.page, '5-implement-refused');
    } finally {
      await again.page.close();
    }
  });

  it('the PAS Submission is approved; its readiness panel and evidence packet show the chain back to QMS-1', async () => {
    const key = submissions['APP-NDA-CARDIOLOL'] ?? '';
    let opened = await open(RITA, key, 'readiness-panel');
    for (const step of ['Start preparation', 'Ready to file', 'Submit to health authority', 'Record approval']) {
      await transition(opened, step);
      await expect(opened.page.getByTestId('transition-refusal').count()).resolves.toBe(0);
    }
    await opened.page.close();
    opened = await open(RITA, key, 'readiness-panel');
    const { page, panel } = opened;
    try {
      await expect(page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/ha approved/i);
      const table = await panel.getByRole('table').innerText();
      expect(table).toContain('QMS-1');
      expect(table).toContain('Ada Admin');
      expect(table).toContain('PAS');
      await shootBoth(page, '6-readiness-approved');

      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        panel.getByRole('button', { name: 'Export evidence packet as printable HTML' }).click(),
      ]);
      const path = await download.path();
      const packetPage = await browser.context.newPage();
      try {
        await packetPage.goto(`file://${path}`);
        const packet = await packetPage.locator('body').innerText();
        for (const text of ['QMS-1', 'Ada Admin', 'PAS', 'Accepted the recommendation']) expect(packet).toContain(text);
        expect(packet).toMatch(/[0-9a-f]{64}/);
        await shootBoth(packetPage, '7-evidence-packet');
      } finally {
        await packetPage.close();
      }
      expect(opened.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('"Implement" now succeeds, and the reviewer sees every gate passing', async () => {
    const quinn = await open(QUINN, 'QMS-1');
    try {
      await transition(quinn, 'Implement');
      await expect(quinn.page.getByTestId('transition-refusal').count()).resolves.toBe(0);
      await expect(quinn.page.getByTestId('status-lozenge').innerText()).resolves.toMatch(/implemented/i);
      // Quinn cannot browse RIM: his panel names no RIM key, and says it cannot check those Submissions.
      const panel = quinn.page.frameLocator('iframe[data-module-key="impact-panel"]');
      await panel.locator('main[aria-busy="false"]').waitFor();
      const text = z.string().parse(await panel.locator('body').innerText());
      expect(text).not.toMatch(/RIM-\d/);
      expect(text).toContain('a Submission you cannot see');
      expect(text).toContain('No approval by a health authority recorded that you can see.');
    } finally {
      await quinn.page.close();
    }
    const rita = await open(RITA, 'QMS-1');
    try {
      const gates = await rita.panel.getByRole('region', { name: 'What blocks the next transition' }).innerText();
      expect(gates).not.toMatch(/blocked/i);
      expect(gates.match(/\bok\b/g)).toHaveLength(3);
      // The trigger recorded the Submission's approval on QMS-1; the panel shows it for its market.
      const approvals = await rita.panel.getByRole('table', { name: 'Health-authority approvals' }).innerText();
      expect(approvals).toMatch(new RegExp(`US\\s+${submissions['APP-NDA-CARDIOLOL'] ?? 'no NDA Submission'}\\s+\\S`));
      await shootBoth(rita.page, '8-implemented');
      expect(rita.errors).toEqual([]);
    } finally {
      await rita.page.close();
    }
  });

  it('a reviewer deciding on a stale panel gets a conflict naming the current version, and can reload', async () => {
    const first = await open(RITA, 'QMS-1');
    const second = await first.page.context().newPage();
    try {
      await second.goto(`${server.url}/jira/browse/QMS-1`);
      const other = second.frameLocator('iframe[data-module-key="impact-panel"]');
      await other.locator('main[aria-busy="false"]').waitFor();
      const sign = async (panel: FrameLocator, rationale: string) => {
        await panel.getByRole('button', { name: 'Change decision for APP-CEMDD-CARDIOSENSE' }).click();
        const form = panel.getByRole('form', { name: 'Decision for APP-CEMDD-CARDIOSENSE' });
        await form.getByLabel('Override with another category').check();
        await choose(panel, 'Filing category', 'NONE');
        await form.getByLabel(/Rationale \(required/).fill(rationale);
        await form.getByLabel(/^Authenticator code/).fill(ritasNextCode());
        await form.getByRole('button', { name: 'Sign decision for APP-CEMDD-CARDIOSENSE' }).click();
      };
      await sign(other, 'Confirmed after the notified body call.');
      await notice(other)
        .getByText('The decision for APP-CEMDD-CARDIOSENSE is signed and in the audit trail.')
        .waitFor();
      await sign(first.panel, 'Signed from a panel opened before that.');
      const conflict = notice(first.panel);
      await conflict.getByText('Someone else changed this assessment').waitFor();
      await expect(conflict.innerText()).resolves.toMatch(
        /it is now at version (\d+), and your change was based on version (\d+)/,
      );
      await shootBoth(first.page, '9-conflict');
      await conflict.getByRole('button', { name: 'Reload the current version' }).click();
      await conflict.getByText('Someone else changed this assessment').waitFor({ state: 'detached' });
      await expect(first.panel.getByTestId('decision-APP-CEMDD-CARDIOSENSE').innerText()).resolves.toContain(
        'Confirmed after the notified body call.',
      );
    } finally {
      await second.close();
      await first.page.close();
    }
  });
});
