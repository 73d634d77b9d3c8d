/**
 * Nobody sees RIM issue data Jira hides from them. Sam Second and Quinn Quality may not browse
 * the RIM project. Every surface's output for them (the panels, the glances as they render,
 * the macro's data, chart and CSV, the evidence packet in each format, the impact search links
 * and what their JQL finds) is serialized and scanned for every RIM issue's key and summary
 * and every other string only a RIM issue carries (taken from the stand-in's state, so a new
 * RIM issue or field is covered without touching this test).
 *
 * On a surface that sits on a RIM issue, the key in its own context is the caller's (Forge
 * passes it; Jira would not show them the page), so it may be echoed; the answer must then
 * be the same, key for key, as on a RIM key that does not exist, so not even existence leaks.
 */
import { RESTRICTED_ACCOUNT_ID } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import type { JiraStandInSnapshot } from '../../sandbox/jira';
import type { Envelope } from '../../src/contract/envelope';
import type { ImpactPanel, ResolverKey } from '../../src/contract/resolvers';
import type { TraceabilityView } from '../../src/contract/traceability';
import { narrowTraceability, summarizeTraceability } from '../../src/domain/traceability-summary';
import { glanceOf } from '../../static/impact-glance/src/glance';
import { searchLinksFor } from '../../static/impact-panel/src/search-links';
import { rimGlanceOf } from '../../static/rim-glance/src/glance';
import { issueContext, startFaultSite } from './harness';
import type { FaultSite } from './harness';

jest.setTimeout(120_000);

const QUINN: string = SITE_ACCOUNTS.quality;
const SITE_URL = 'https://qms-rim.example.atlassian.net';

let site: FaultSite;
let jira: JiraStandInSnapshot;

beforeAll(async () => {
  site = await startFaultSite();
  jira = site.app.jira.snapshot();
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

const projectKeyOf = (projectId: string) => jira.projects[projectId]?.key;
const issuesIn = (projectKey: string) =>
  Object.values(jira.issues).filter((i) => projectKeyOf(i.projectId) === projectKey);
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(stringsIn)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(stringsIn)
        : [];

/** RIM keys, summaries, and strings of RIM issues (properties, descriptions) that no QMS issue and no registry entry also holds. */
const rimOnlyStrings = (): string[] => {
  const rim = issuesIn('RIM');
  const elsewhere = JSON.stringify([
    Object.values(jira.issues).filter((i) => projectKeyOf(i.projectId) !== 'RIM'),
    site.app.runtime.kvs.snapshot().keyValues,
  ]);
  const carried = rim
    .flatMap((i) => stringsIn([i.properties, i.description]))
    .filter((s) => s.length >= 6 && !elsewhere.includes(s));
  return [...new Set([...rim.map((i) => i.key), ...rim.map((i) => i.summary), ...carried])];
};

/** Each forbidden string the output holds; a key only as a whole key (RIM-1 is not in RIM-10). */
const leaksIn = (output: unknown, allowed: readonly string[] = []): string[] => {
  const text = JSON.stringify(output);
  return rimOnlyStrings()
    .filter((s) => !allowed.includes(s))
    .filter((s) => (/^[A-Z]+-\d+$/.test(s) ? new RegExp(`\\b${s}\\b`).test(text) : text.includes(s)));
};

interface Surface {
  name: string;
  /** One output per context it is shown in, as the viewer gets it (rendered where the surface renders in the browser). */
  outputs: (viewer: string) => Promise<{ context: string; output: unknown }[]>;
  /** On RIM issues: its own context key may come back. */
  onRimIssue?: boolean;
}

const call = <K extends ResolverKey>(
  module: string,
  key: K,
  extension: Record<string, unknown>,
  accountId: string,
  payload: unknown = {},
) => site.invoke<K>({ module, key, payload, extension, accountId });
const qmsKeys = () => issuesIn('QMS').map((i) => i.key);
const rimKeys = (type?: string) =>
  issuesIn('RIM')
    .filter((i) => type === undefined || jira.issueTypes[i.issueTypeId]?.name === type)
    .map((i) => i.key);
const eachIssue = async (keys: string[], output: (key: string) => Promise<unknown>) =>
  Promise.all(keys.map(async (context) => ({ context, output: await output(context) })));
const MACRO = { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} };
const macroView = async (viewer: string): Promise<TraceabilityView> => {
  const answer = await call('traceability-macro', 'traceability/get', MACRO, viewer);
  if (!answer.ok) throw new Error(`traceability/get: ${answer.error.message}`);
  return answer.data;
};
const FILTERS = [{}, { productIds: ['PRD-CARDIOLOL'] }, { onlyWithGaps: true }, { markets: ['EU'] }];

const SURFACES: Surface[] = [
  {
    name: 'impact panel',
    outputs: (viewer) =>
      eachIssue(qmsKeys(), (key) => call('impact-panel', 'impact/get', issueContext('jira:issuePanel', key), viewer)),
  },
  {
    name: 'impact panel: letters answered',
    outputs: (viewer) =>
      eachIssue(qmsKeys(), (key) =>
        call('impact-panel', 'impact/correspondence', issueContext('jira:issuePanel', key), viewer),
      ),
  },
  {
    name: 'impact panel: decision history',
    outputs: (viewer) =>
      eachIssue(qmsKeys(), (key) =>
        call('impact-panel', 'impact/history', issueContext('jira:issuePanel', key), viewer),
      ),
  },
  {
    name: 'impact panel: form data',
    outputs: (viewer) =>
      eachIssue(['QMS-1'], (key) =>
        call('impact-panel', 'impact/form-data', issueContext('jira:issuePanel', key), viewer),
      ),
  },
  {
    name: 'impact glance',
    outputs: (viewer) =>
      eachIssue(qmsKeys(), async (key) => {
        const answer = await call('impact-glance', 'impact/get', issueContext('jira:issueGlance', key), viewer);
        return { answer, rendered: glanceOf(answer as Envelope<ImpactPanel>) };
      }),
  },
  {
    name: 'impact search links and what their JQL finds',
    outputs: (viewer) =>
      eachIssue(qmsKeys(), async (key) => {
        const answer = await call('impact-panel', 'impact/get', issueContext('jira:issuePanel', key), viewer);
        if (!answer.ok || !answer.data.applies) return { answer };
        const links = searchLinksFor(SITE_URL, answer.data.impact.affected);
        const found = await Promise.all(
          links.map(async (link) => {
            const jql = new URL(link.href).searchParams.get('jql') ?? '';
            const response = await site.app.jira.handle({
              method: 'POST',
              path: '/rest/api/3/search/jql',
              body: { jql, fields: ['summary', 'status'] },
              as: { kind: 'user', accountId: viewer },
            });
            return { jql, status: response.status, body: response.body };
          }),
        );
        return { links, found };
      }),
  },
  {
    name: 'readiness panel',
    onRimIssue: true,
    outputs: (viewer) =>
      eachIssue([...rimKeys('Submission'), 'RIM-999'], (key) =>
        call('readiness-panel', 'readiness/get', issueContext('jira:issuePanel', key), viewer),
      ),
  },
  ...(['json', 'csv', 'html'] as const).map((format): Surface => ({
    name: `evidence packet (${format})`,
    onRimIssue: true,
    outputs: (viewer) =>
      eachIssue([...rimKeys('Submission'), 'RIM-999'], (key) =>
        call('readiness-panel', 'readiness/export', issueContext('jira:issuePanel', key), viewer, { format }),
      ),
  })),
  {
    name: 'correspondence panel',
    onRimIssue: true,
    outputs: (viewer) =>
      eachIssue([...rimKeys('Health Authority Correspondence'), 'RIM-999'], (key) =>
        call('correspondence-panel', 'correspondence/get', issueContext('jira:issuePanel', key), viewer),
      ),
  },
  {
    name: 'RIM glance',
    onRimIssue: true,
    outputs: (viewer) =>
      eachIssue([...rimKeys(), 'RIM-999'], async (key) => {
        const answer = await call('rim-glance', 'rim-glance/get', issueContext('jira:issueGlance', key), viewer);
        return { answer, rendered: rimGlanceOf(answer as Parameters<typeof rimGlanceOf>[0]) };
      }),
  },
  {
    name: 'macro page data',
    outputs: async (viewer) => [
      { context: 'page', output: await macroView(viewer) },
      { context: 'options', output: await call('traceability-macro', 'traceability/options', MACRO, viewer) },
    ],
  },
  {
    // The chart is drawn in the browser from the page data, per filter, by the same functions.
    name: 'macro chart',
    outputs: async (viewer) => {
      const view = await macroView(viewer);
      return FILTERS.map((filter) => ({
        context: JSON.stringify(filter),
        output: summarizeTraceability(narrowTraceability(view.graph, filter)),
      }));
    },
  },
  {
    name: 'macro CSV',
    outputs: (viewer) =>
      Promise.all(
        FILTERS.map(async (filter) => ({
          context: JSON.stringify(filter),
          output: await call('traceability-macro', 'traceability/export', MACRO, viewer, filter),
        })),
      ),
  },
];

/** The answer with its own context key replaced, to compare a real RIM issue's answer with a missing one's. */
const withKeyAs = (output: unknown, key: string): string =>
  JSON.stringify(output).replace(new RegExp(`\\b${key}\\b`, 'g'), '<context key>');

describe.each([
  ['Sam Second (restricted)', RESTRICTED_ACCOUNT_ID],
  ['Quinn Quality', QUINN],
])('%s, who may not browse RIM', (_who, viewer) => {
  it.each(SURFACES.map((s) => [s.name, s] as const))('%s shows no RIM issue data', async (_name, surface) => {
    const outputs = await surface.outputs(viewer);
    expect(outputs.length).toBeGreaterThan(0);
    const found = outputs.map(({ context, output }) => ({
      context,
      leaks: leaksIn(output, surface.onRimIssue ? [context] : []),
    }));
    expect(found).toEqual(outputs.map(({ context }) => ({ context, leaks: [] })));
    if (surface.onRimIssue) {
      const missing = outputs.find((o) => o.context === 'RIM-999');
      if (!missing) throw new Error('no answer for a missing RIM issue');
      for (const { context, output } of outputs)
        expect({ context, answer: withKeyAs(output, context) }).toEqual({
          context,
          answer: withKeyAs(missing.output, 'RIM-999'),
        });
    }
  });
});

describe('the scan itself', () => {
  it('scans the impact panel’s health-authority approvals: Rita sees the demo’s approved Submissions on their records, so the scan above covers them', async () => {
    const approvalsOn = async (viewer: string) =>
      Promise.all(
        qmsKeys().map(async (key) => {
          const answer = (await call(
            'impact-panel',
            'impact/get',
            issueContext('jira:issuePanel', key),
            viewer,
          )) as Envelope<ImpactPanel>;
          return answer.ok && answer.data.applies
            ? answer.data.approvals.map((a) => `${key}: ${a.market} ${a.submissionKey}`)
            : [];
        }),
      ).then((lists) => lists.flat());
    expect(await approvalsOn(SITE_ACCOUNTS.regulatory)).toEqual(['QMS-6: EU RIM-3', 'QMS-9: EU RIM-5']);
    expect(await approvalsOn(QUINN)).toEqual([]);
  });

  it('finds RIM data where someone may see it: Rita, who browses RIM, gets it on every surface', async () => {
    // Keys, summaries, and more (the letters' references, authorities ...).
    expect(rimOnlyStrings().length).toBeGreaterThan(issuesIn('RIM').length * 2);
    expect(rimOnlyStrings()).toEqual(expect.arrayContaining(issuesIn('RIM').map((i) => i.summary)));
    for (const surface of SURFACES.filter(
      (s) =>
        ![
          'impact panel: form data',
          'impact panel: decision history',
          'impact glance',
          'impact search links and what their JQL finds',
          'macro chart',
        ].includes(s.name),
    )) {
      const outputs = await surface.outputs(SITE_ACCOUNTS.regulatory);
      expect({ surface: surface.name, leaks: outputs.some(({ output }) => leaksIn(output).length > 0) }).toEqual({
        surface: surface.name,
        leaks: true,
      });
    }
  });
});

describe('single issues hidden, the rest of their projects visible (issue security)', () => {
  /**
   * Rita browses QMS and RIM. QMS-5 (decisions, Submissions RIM-1 and RIM-2, Commitment RIM-7,
   * the letter RIM-10), QMS-9 (RIM-4, RIM-5, RIM-9) and the Submission RIM-3 (decided on by the
   * visible QMS-6, named by the visible Commitment RIM-8's property) go on a security level she
   * is not on. On every surface and every context, she must get exactly what she gets on a copy
   * of the site where those three issues were deleted.
   */
  const HIDDEN = ['QMS-5', 'QMS-9', 'RIM-3'];
  const RITA: string = SITE_ACCOUNTS.regulatory;

  const outputsOf = async () => {
    const all: Record<string, { context: string; output: unknown }[]> = {};
    for (const surface of SURFACES) all[surface.name] = await surface.outputs(RITA);
    return all;
  };
  const onSiteWhere = async (change: () => Promise<void>) => {
    const before = await site.state();
    // The evidence packet says when it was generated: the same instant on both copies.
    jest.useFakeTimers({
      now: new Date('2026-11-24T08:00:00.000Z'),
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
    try {
      await change();
      await site.app.whenIdle();
      return await outputsOf();
    } finally {
      jest.useRealTimers();
      site.restore(before);
    }
  };

  it('on every surface, Rita gets what she would get with those issues deleted, and no key or summary of theirs', async () => {
    const hidden = await onSiteWhere(async () => {
      for (const issue of HIDDEN)
        site.app.jira.setIssueSecurity({ issue, accountIds: [SITE_ACCOUNTS.admin, SITE_ACCOUNTS.manager] });
    });
    const deleted = await onSiteWhere(async () => {
      for (const key of HIDDEN)
        expect(
          (
            await site.app.jira.handle({
              method: 'DELETE',
              path: `/rest/api/3/issue/${key}`,
              as: { kind: 'user', accountId: SITE_ACCOUNTS.admin },
            })
          ).status,
        ).toBe(204);
    });
    expect(hidden).toEqual(deleted);

    const hiddenIssues = Object.values(jira.issues).filter((i) => HIDDEN.includes(i.key));
    const forbidden = [...HIDDEN, ...hiddenIssues.map((i) => i.summary)];
    const found = Object.entries(hidden).flatMap(([surface, outputs]) =>
      outputs.flatMap(({ context, output }) => {
        const text = JSON.stringify(output);
        // A context on a hidden issue may name itself back, as for a key that does not exist.
        return forbidden
          .filter(
            (s) => s !== context && (/^[A-Z]+-\d+$/.test(s) ? new RegExp(`\\b${s}\\b`).test(text) : text.includes(s)),
          )
          .map((s) => `${surface} on ${context}: ${s}`);
      }),
    );
    expect(found).toEqual([]);
  });

  it('the panels next to a hidden issue: what they show instead, and that the rest is still there', async () => {
    const before = await site.state();
    try {
      for (const issue of HIDDEN)
        site.app.jira.setIssueSecurity({ issue, accountIds: [SITE_ACCOUNTS.admin, SITE_ACCOUNTS.manager] });
      // QMS-6's own stored decision names RIM-3: the panel keeps the decision, flags its Submission hidden, withholds the key.
      const qms6 = await call('impact-panel', 'impact/get', issueContext('jira:issuePanel', 'QMS-6'), RITA);
      if (!qms6.ok || !qms6.data.applies) throw new Error('QMS-6 has no panel');
      expect(qms6.data.impact.decisions.filter((d) => d.submissionHidden)).toHaveLength(1);
      expect(JSON.stringify(qms6.data)).not.toMatch(/\bRIM-3\b/);
      expect(qms6.data.linkedSubmissions).toEqual([]);
      // RIM-1 is filed for the hidden QMS-5 only. Jira leaves a link to an issue she cannot see out
      // of the Submission's links, and the Submission's property names no record, so the panel has
      // nothing to count: no record, and no "N linked records you cannot see".
      const rim1 = await call('readiness-panel', 'readiness/get', issueContext('jira:issuePanel', 'RIM-1'), RITA);
      if (!rim1.ok || !rim1.data.applies) throw new Error('RIM-1 has no panel');
      expect(rim1.data).toMatchObject({ submission: { key: 'RIM-1' }, records: [], hiddenRecordCount: 0 });
      // RIM-8's property names the hidden RIM-3; its glance does not.
      const rim8 = await call('rim-glance', 'rim-glance/get', issueContext('jira:issueGlance', 'RIM-8'), RITA);
      expect(rim8.ok).toBe(true);
      expect(JSON.stringify(rim8)).not.toMatch(/\bRIM-3\b/);
      // Without the level, the same panels show what was hidden (the assertions above can fail).
      for (const issue of HIDDEN) site.app.jira.setIssueSecurity({ issue, accountIds: null });
      expect(
        JSON.stringify(await call('impact-panel', 'impact/get', issueContext('jira:issuePanel', 'QMS-6'), RITA)),
      ).toMatch(/\bRIM-3\b/);
      expect(
        await call('readiness-panel', 'readiness/get', issueContext('jira:issuePanel', 'RIM-1'), RITA),
      ).toMatchObject({ ok: true, data: { records: [{ key: 'QMS-5' }] } });
    } finally {
      site.restore(before);
    }
  });
});
