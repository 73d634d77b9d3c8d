/**
 * The "Regulatory traceability" macro's resolver, run as Forge runs it: the real handler from
 * src/index.ts through the sandbox runtime (asUser against the Jira stand-in, the index in the
 * KVS stand-in, built by the real consumer), every Jira request held to Atlassian's spec.
 *
 * The permission rule is proven on every output (page data, summary chart, CSV): the
 * restricted user's answers are exactly the manager's answers on a copy of the site where
 * every issue the restricted user cannot browse was deleted. Nothing about a hidden issue
 * (key, count, gap, chart bar) can survive that comparison.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import {
  DEMO_AS_OF,
  RESTRICTED_ACCOUNT_ID,
  createDemoClock,
  seedDemoJira,
  seedDemoStorage,
} from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { adminPageResolver, traceabilityMacroResolver } from '../../src';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { TraceabilityView } from '../../src/contract/traceability';
import { sha256Hex } from '../../src/domain/canonical';
import { TRACEABILITY_CSV_COLUMNS } from '../../src/domain/traceability-csv';
import { traceabilityRows } from '../../src/domain/traceability';
import { narrowTraceability, summarizeTraceability } from '../../src/domain/traceability-summary';
import type { TraceViewFilter } from '../../src/domain/traceability-summary';
import { createContractObserver } from '../support/contract-observer';
import { parseCsvRecords } from '../../src/domain/registry-csv';

const contract = createContractObserver();
const GetAnswer = envelopeSchema(RESOLVER_CONTRACT['traceability/get'].output);
const ExportAnswer = envelopeSchema(RESOLVER_CONTRACT['traceability/export'].output);
const OptionsAnswer = envelopeSchema(RESOLVER_CONTRACT['traceability/options'].output);

const macro = (config?: unknown) => ({
  type: 'macro',
  content: { id: '65537', type: 'page' },
  space: { key: 'QA' },
  ...(config === undefined ? {} : { config }),
});

const apps: SandboxApp[] = [];

const startSite = async (): Promise<SandboxApp> => {
  const app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  apps.push(app);
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
  await app.runtime.invokeResolver(
    adminPageResolver,
    { functionKey: 'admin/index/rebuild', payload: {}, extension: { type: 'jira:adminPage' } },
    { accountId: SITE_ACCOUNTS.admin, moduleKey: 'admin-page', moduleType: 'jira:adminPage' },
  );
  await app.whenIdle();
  return app;
};

const call = (
  app: SandboxApp,
  functionKey: string,
  accountId: string,
  options: { payload?: unknown; config?: unknown; extension?: Record<string, unknown> } = {},
) =>
  app.runtime.invokeResolver(
    traceabilityMacroResolver,
    { functionKey, payload: options.payload ?? {}, extension: options.extension ?? macro(options.config) },
    { accountId, moduleKey: 'traceability-macro', moduleType: 'macro', functionKey: 'fn-traceability-macro' },
  );

const view = async (app: SandboxApp, accountId: string, config?: unknown): Promise<TraceabilityView> => {
  const answer = GetAnswer.parse(await call(app, 'traceability/get', accountId, { config }));
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.data;
};

const csv = async (app: SandboxApp, accountId: string, payload: unknown = {}, config?: unknown): Promise<string> => {
  const answer = ExportAnswer.parse(await call(app, 'traceability/export', accountId, { payload, config }));
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.data.content;
};

/** Reads the CSV back with the app's RFC 4180 tokenizer (tested on its own in registry-csv.test.ts); it must find no syntax error. */
const parseCsv = (text: string): string[][] => {
  const { records, errors } = parseCsvRecords(text);
  expect(errors).toEqual([]);
  return records.map((r) => r.fields);
};

const recordKeys = (v: TraceabilityView): string[] => [...new Set(traceabilityRows(v.graph).map((r) => r.recordKey))];

/** The demo site with these issues deleted: what a viewer who may not see them should get. */
const siteWithout = async (keys: readonly string[]): Promise<SandboxApp> => {
  const app = await startSite();
  for (const key of keys) {
    const answer = await app.jira.handle({
      method: 'DELETE',
      path: `/rest/api/3/issue/${key}`,
      as: { kind: 'user', accountId: SITE_ACCOUNTS.admin },
    });
    expect(answer.status).toBe(204);
  }
  await app.whenIdle();
  return app;
};

/**
 * A viewer's page data, chart and CSV for three configurations and three page filters. One
 * sandbox runtime at a time (its globals are process-wide): collect one site's answers, close
 * it, then the other's.
 */
const answersOf = async (app: SandboxApp, accountId: string) => {
  const configs = [
    undefined,
    { kinds: ['change-control', 'supplier-change', 'capa'] },
    {
      productIds: ['PRD-CARDIOLOL', 'PRD-GLUCOPEN', 'PRD-IMMUNOMAB'],
      markets: ['US', 'EU'],
      from: '2026-01-01',
      to: '2026-12-31',
    },
  ];
  const filters: TraceViewFilter[] = [
    {},
    { onlyWithGaps: true },
    { gapCodes: ['SUBMISSION_MISSING', 'COMMITMENT_OVERDUE', 'EVIDENCE_OPEN'] },
  ];
  const answers = [];
  for (const config of configs) {
    const data = await view(app, accountId, config);
    answers.push({
      view: data,
      // The chart is drawn in the browser from the page data, per filter, by these functions.
      chart: filters.map((filter) => summarizeTraceability(narrowTraceability(data.graph, filter))),
      csv: await Promise.all(filters.map((filter) => csv(app, accountId, filter, config))),
    });
  }
  await app.close();
  apps.splice(apps.indexOf(app), 1);
  return answers;
};

beforeAll(() => {
  // The view's "today" comes from the clock; the demo's today is DEMO_AS_OF (RIM-7 is overdue then).
  jest.useFakeTimers({
    now: new Date(DEMO_AS_OF),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
});
afterAll(() => jest.useRealTimers());
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close();
    expect(app.queueDeliveryFailures()).toEqual([]);
  }
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('traceability/get for the manager', () => {
  it('answers product → record → decision → submission → commitment with the gaps, from the index and one ids-only search/jql as the viewer', async () => {
    const app = await startSite();
    app.jira.resetMetrics();
    const data = await view(app, SITE_ACCOUNTS.manager);
    expect(app.jira.metrics()).toMatchObject({
      total: 1,
      byEndpoint: { 'POST /rest/api/3/search/jql': 1 },
      byAccount: { [SITE_ACCOUNTS.manager]: 1 },
    });

    const cardiolol = data.graph.products.find((p) => p.productId === 'PRD-CARDIOLOL');
    const qms5 = cardiolol?.records.find((r) => r.key === 'QMS-5');
    expect(qms5?.decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')).toMatchObject({
      decided: 'PAS',
      submissions: [{ key: 'RIM-1', status: 'submitted', commitments: [{ key: 'RIM-7', overdue: true }] }],
    });
    const codes = new Set(data.graph.gaps.map((g) => g.code));
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['ASSESSMENT_MISSING', 'COMMITMENT_OVERDUE', 'EVIDENCE_OPEN']),
    );
    expect(data.graph.gaps.find((g) => g.code === 'COMMITMENT_OVERDUE')?.issueKeys).toEqual(['RIM-7']);
    expect(data.summary.records).toBe(recordKeys(data).length);
    expect(data.summary.byGap.find((g) => g.code === 'COMMITMENT_OVERDUE')?.gaps).toBe(1);
    expect(data.index).toMatchObject({ state: 'ready' });
  });

  it('applies the macro configuration from the Forge context: kinds, products, markets and the creation-date range', async () => {
    const app = await startSite();
    expect(recordKeys(await view(app, SITE_ACCOUNTS.manager, { kinds: ['capa'] }))).toEqual(['QMS-3', 'QMS-9']);
    expect(recordKeys(await view(app, SITE_ACCOUNTS.manager, { from: '2026-09-01', to: '2026-10-31' })).sort()).toEqual(
      ['QMS-1', 'QMS-10', 'QMS-11', 'QMS-3', 'QMS-2'].sort(),
    );
    const glucopen = await view(app, SITE_ACCOUNTS.manager, { productIds: ['PRD-GLUCOPEN'], markets: ['EU'] });
    expect(glucopen.graph.products.map((p) => p.productId)).toEqual(['PRD-GLUCOPEN']);
    expect(traceabilityRows(glucopen.graph).every((r) => r.market === undefined || r.market === 'EU')).toBe(true);
  });

  it('refuses a configuration that is not valid, and a context that is not a macro, with a typed error', async () => {
    const app = await startSite();
    expect(
      GetAnswer.parse(
        await call(app, 'traceability/get', SITE_ACCOUNTS.manager, {
          config: { from: '2026-12-01', to: '2026-01-01' },
        }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(
      GetAnswer.parse(
        await call(app, 'traceability/get', SITE_ACCOUNTS.manager, { extension: { type: 'jira:issuePanel' } }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(
      ExportAnswer.parse(
        await call(app, 'traceability/export', SITE_ACCOUNTS.manager, { payload: { gapCodes: ['NOT_A_GAP'] } }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('makes one ids-only search per 5,000 visible issues, whatever the number of records', async () => {
    const app = await startSite();
    for (let i = 0; i < 5000; i++)
      app.jira.seedIssue({ project: 'QMS', issueType: 'Deviation', summary: `Deviation ${i}`, status: 'Open' });
    app.jira.resetMetrics();
    await view(app, SITE_ACCOUNTS.manager);
    expect(app.jira.metrics()).toMatchObject({ total: 2, byEndpoint: { 'POST /rest/api/3/search/jql': 2 } });
  });

  it('offers the registry’s products and markets and the record kinds to the configuration view', async () => {
    const app = await startSite();
    const answer = OptionsAnswer.parse(await call(app, 'traceability/options', SITE_ACCOUNTS.manager));
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    expect(answer.data.markets).toEqual(['EU', 'US']);
    expect(answer.data.products.map((p) => p.id)).toContain('PRD-CARDIOLOL');
    expect(answer.data.kinds).toHaveLength(6);
  });
});

describe('permission-true: the restricted user (cannot browse RIM)', () => {
  it('gets exactly what the manager gets on a site without the RIM issues: page data, chart and CSV', async () => {
    const restricted = await answersOf(await startSite(), RESTRICTED_ACCOUNT_ID);
    const reference = await answersOf(
      await siteWithout(Array.from({ length: 10 }, (_, i) => `RIM-${i + 1}`)),
      SITE_ACCOUNTS.manager,
    );
    expect(restricted).toEqual(reference);
    // Not a comparison of two empty answers: the restricted user sees QMS records, gaps and chart bars.
    expect(restricted[0]?.view.summary.records).toBe(11);
    expect(restricted[0]?.view.graph.gaps.length).toBeGreaterThan(0);
  });

  it('never sees a RIM key, a Submission, a Commitment or a RIM-only gap in any output, where the manager does', async () => {
    const site = await startSite();
    const manager = await view(site, SITE_ACCOUNTS.manager);
    const restricted = await view(site, RESTRICTED_ACCOUNT_ID);
    expect(JSON.stringify(manager)).toMatch(/RIM-\d/);
    expect(JSON.stringify(restricted)).not.toMatch(/RIM-\d/);
    expect(traceabilityRows(restricted.graph).flatMap((r) => [...r.submissionKeys, ...r.commitmentKeys])).toEqual([]);
    expect(restricted.summary.byGap.find((g) => g.code === 'COMMITMENT_OVERDUE')?.gaps).toBe(0);
    expect(restricted.summary.byGap.find((g) => g.code === 'EVIDENCE_OPEN')?.gaps).toBe(0);
    expect(manager.summary.byGap.find((g) => g.code === 'EVIDENCE_OPEN')?.gaps).toBeGreaterThan(0);
    expect(await csv(site, RESTRICTED_ACCOUNT_ID)).not.toMatch(/RIM-\d/);
    expect(await csv(site, SITE_ACCOUNTS.manager)).toMatch(/RIM-7/);
    // The QMS records are the same for both: the restricted user may browse QMS.
    expect(recordKeys(restricted).sort()).toEqual(recordKeys(manager).sort());
  });
});

describe('permission-true per issue: single records and one Submission hidden, the rest of their projects visible', () => {
  /**
   * QMS-5 (decisions for two applications, Submissions RIM-1 and RIM-2, Commitment RIM-7, a
   * letter) and QMS-9 (CAPA with RIM-4, RIM-5, RIM-9) go on an issue security level the
   * manager is not on, and so does the Submission RIM-3, which the visible QMS-6 decided on
   * and the visible Commitment RIM-8 names in its property. The manager still browses both
   * projects: everything else stays in view.
   */
  const HIDDEN = ['QMS-5', 'QMS-9', 'RIM-3'];
  const withHidden = async (): Promise<SandboxApp> => {
    const app = await startSite();
    for (const issue of HIDDEN)
      app.jira.setIssueSecurity({
        issue,
        accountIds: [SITE_ACCOUNTS.admin, SITE_ACCOUNTS.quality, SITE_ACCOUNTS.regulatory],
      });
    return app;
  };
  it('gets exactly what they get on a copy of the site with those issues deleted: page data, chart and CSV', async () => {
    const hidden = await answersOf(await withHidden(), SITE_ACCOUNTS.manager);
    const reference = await answersOf(await siteWithout(HIDDEN), SITE_ACCOUNTS.manager);
    expect(hidden).toEqual(reference);
    // Not two empty answers: nine records, their gaps, and RIM issues the manager may see.
    expect(hidden[0]?.view.summary.records).toBe(9);
    expect(hidden[0]?.view.graph.gaps.length).toBeGreaterThan(0);
    expect(JSON.stringify(hidden[0]?.csv)).toMatch(/\bRIM-8\b/);
  });

  it('shows no hidden key, while the same view for someone on the level has them, and keeps everything else', async () => {
    const site = await withHidden();
    const manager = await view(site, SITE_ACCOUNTS.manager);
    const rita = await view(site, SITE_ACCOUNTS.regulatory);
    const hiddenKey = new RegExp(`\\b(${HIDDEN.join('|')})\\b`);
    expect(JSON.stringify(rita)).toMatch(hiddenKey);
    expect(JSON.stringify(manager)).not.toMatch(hiddenKey);
    expect(await csv(site, SITE_ACCOUNTS.manager)).not.toMatch(hiddenKey);
    expect(await csv(site, SITE_ACCOUNTS.regulatory)).toMatch(hiddenKey);
    // The rest of both projects is still there: every other record is counted, and RIM-8 (whose Submission is hidden) is shown.
    expect(recordKeys(manager).sort()).toEqual(
      recordKeys(rita)
        .filter((k) => !HIDDEN.includes(k))
        .sort(),
    );
    expect(manager.summary.records).toBe(rita.summary.records - 2);
    expect(JSON.stringify(manager)).toMatch(/\bRIM-8\b/);
    // QMS-6 decided on RIM-3: for the manager that decision has no Submission, so it is a gap of its own.
    const qms6 = (v: TraceabilityView) => traceabilityRows(v.graph).filter((r) => r.recordKey === 'QMS-6');
    expect(qms6(rita).flatMap((r) => r.submissionKeys)).toContain('RIM-3');
    expect(qms6(manager).flatMap((r) => r.submissionKeys)).not.toContain('RIM-3');
  });
});

describe('traceability/export', () => {
  it('is RFC 4180 CSV in UTF-8 with a BOM, one line per row of the page then one per gap, narrowed by the page filters', async () => {
    const app = await startSite();
    const data = await view(app, SITE_ACCOUNTS.manager);
    const answer = ExportAnswer.parse(await call(app, 'traceability/export', SITE_ACCOUNTS.manager));
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    expect(answer.data).toMatchObject({
      filename: `regulatory-traceability-${DEMO_AS_OF.slice(0, 10)}.csv`,
      mediaType: 'text/csv;charset=utf-8',
    });
    const content = answer.data.content;
    expect(content.startsWith('\uFEFF')).toBe(true);
    expect(content.endsWith('\r\n')).toBe(true);
    expect(content.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const [header, ...lines] = parseCsv(content.slice(1));
    expect(header).toEqual([...TRACEABILITY_CSV_COLUMNS]);
    const traces = lines.filter((l) => l[0] === 'trace');
    expect(traces).toHaveLength(traceabilityRows(data.graph).length);
    expect(lines.filter((l) => l[0] === 'gap')).toHaveLength(data.graph.gaps.length);
    // A summary with a comma is quoted and reads back whole.
    expect(traces.find((l) => l[3] === 'QMS-4')?.[5]).toBe('Basel granulation room humidity excursion (batch 24B117)');

    const onlyOverdue = parseCsv(
      (await csv(app, SITE_ACCOUNTS.manager, { gapCodes: ['COMMITMENT_OVERDUE'] })).slice(1),
    ).slice(1);
    expect(onlyOverdue.filter((l) => l[0] === 'gap').map((l) => l[18])).toEqual(['COMMITMENT_OVERDUE']);
    expect([...new Set(onlyOverdue.filter((l) => l[0] === 'trace').map((l) => l[3]))]).toEqual(['QMS-5']);
  });
});

describe('traceability/get pages the view, and the export comes in parts that fit one answer', () => {
  const page = async (app: SandboxApp, payload: unknown) => {
    const answer = GetAnswer.parse(await call(app, 'traceability/get', SITE_ACCOUNTS.manager, { payload }));
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.data;
  };
  const entriesOf = (v: TraceabilityView): string[] => [
    ...v.graph.products.flatMap((p) => p.records.map((r) => `${p.productId}/${r.key}`)),
    ...v.graph.unassignedRecords.map((r) => `-/${r.key}`),
  ];

  it('walks the whole view a few records at a time: same entries in the same order, the summary always over the whole view', async () => {
    const app = await startSite();
    const whole = await page(app, {});
    expect(whole.page).toMatchObject({ offset: 0, shown: whole.page.entries, gaps: whole.graph.gaps.length });
    const walked: string[] = [];
    for (let offset = 0; offset < whole.page.entries; offset += 4) {
      const slice = await page(app, { offset, limit: 4 });
      expect(slice.page).toEqual({
        offset,
        limit: 4,
        entries: whole.page.entries,
        shown: Math.min(4, whole.page.entries - offset),
        gaps: whole.page.gaps,
      });
      expect(slice.summary).toEqual(whole.summary);
      expect(slice.productsInView).toEqual(whole.productsInView);
      // The gaps a page carries are those about its own issues.
      const onPage = new Set(
        traceabilityRows(slice.graph).flatMap((r) => [r.recordKey, ...r.submissionKeys, ...r.commitmentKeys]),
      );
      expect(slice.graph.gaps.every((g) => g.issueKeys.some((k) => onPage.has(k)))).toBe(true);
      walked.push(...entriesOf(slice));
    }
    expect(walked).toEqual(entriesOf(whole));
    expect((await page(app, { offset: whole.page.entries + 10 })).page.shown).toBe(0);
  });

  it('filters on the server: the summary and the entries are those of the narrowed view, the product list is not narrowed', async () => {
    const app = await startSite();
    const whole = await page(app, {});
    const cardiolol = await page(app, { productIds: ['PRD-CARDIOLOL'], onlyWithGaps: true });
    expect(cardiolol.graph.products.map((p) => p.productId)).toEqual(['PRD-CARDIOLOL']);
    expect(cardiolol.graph.unassignedRecords).toEqual([]);
    expect(cardiolol.summary.records).toBeLessThan(whole.summary.records);
    expect(cardiolol.productsInView).toEqual(whole.productsInView);
  });

  it.each([
    ['a page larger than 500', { limit: 501 }],
    ['a negative offset', { offset: -1 }],
    ['an unknown key', { page: 2 }],
  ])('refuses %s with INVALID_INPUT', async (_what, payload) => {
    const app = await startSite();
    expect(GetAnswer.parse(await call(app, 'traceability/get', SITE_ACCOUNTS.manager, { payload }))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('answers the file in one part for the demo, with the SHA-256 of the whole file, and refuses a part that is not there', async () => {
    const app = await startSite();
    const answer = ExportAnswer.parse(await call(app, 'traceability/export', SITE_ACCOUNTS.manager));
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data).toMatchObject({ part: 0, parts: 1, sha256: sha256Hex(answer.data.content) });
    expect(
      ExportAnswer.parse(await call(app, 'traceability/export', SITE_ACCOUNTS.manager, { payload: { part: 1 } })),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('no part 2') } });
  });
});
