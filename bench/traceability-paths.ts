/**
 * Figures for the traceability paths on a site with 10,000 quality records, 1,000 Submissions
 * and 2,000 Commitments (bench/traceability-scenario.ts), at 20 ms injected latency per Jira
 * call:
 *
 * - the backfill: the admin page's "Rebuild index" (the real resolver) and the real consumer,
 *   chunk by chunk, against the consumer's `timeoutSeconds` in the manifest; this is also
 *   what builds the index the macro then reads, so the index is the app's own;
 * - the macro (`traceability/get`, `traceability/export`) as the manager: Jira calls as the
 *   viewer, storage operations, server time, answer size against Forge's 5 MB invoke limit,
 *   the peak heap during the call; the matrix build's CPU time on its own; and a naive macro
 *   that reads every issue from Jira (`bulkfetch` per 100);
 * - one trigger event of each kind, made over REST as a person: the Jira calls and storage
 *   operations of each invocation of each trigger, including the events the triggers' own
 *   writes cause.
 *
 * Storage has no injected latency: its figures are operation counts (and the time the
 * in-memory store took), see docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUser, route } from '@forge/api';
import { load } from 'js-yaml';
import { z } from 'zod';
import { createJiraHttp } from '../src/adapters/jira/jira-http';
import { JiraBulkFetchSchema } from '../src/adapters/jira/jira-schemas';
import { queryTraceEntries } from '../src/adapters/kvs/traceability-index-repository';
import { loadRegistry } from '../src/adapters/kvs/registry-repository';
import { kvsSignedRecordStore } from '../src/adapters/kvs/signed-record-repository';
import { IMPACT_PROPERTY_KEY } from '../src/config/jira-conventions';
import { DEFAULT_JIRA_CONVENTIONS } from '../src/config/jira-conventions';
import { buildTraceability } from '../src/domain/traceability';
import { TraceIndexKindSchema } from '../src/domain/traceability-index';
import { isQmsIssue, toCommitment, toQmsRecord, toSubmission } from '../src/adapters/jira/issue-mapping';
import { DEFAULT_TRACEABILITY_OPTIONS, loadTraceabilityView } from '../src/services/load-traceability';
import { APP_PROPERTY_KEYS, fieldsFor } from '../src/services/load-gate-subject';
import { searchIssueIds, traceabilityJql } from '../src/services/traceability-index';
import { DEMO_USERS } from '../sandbox/demo/seed';
import { demoRegistry } from '../sandbox/demo/registry';
import { SITE_ACCOUNTS } from '../sandbox/jira';
import type { Bench, Figure, InvocationUsage, Metrics } from './harness';
import { canForceGc, peakHeapDuring } from './harness';
import { MACRO_SCENARIO, seedTraceabilityScenario } from './traceability-scenario';
import type { Scenario } from './traceability-scenario';

const LATENCY_MS = 20;
const FORGE_INVOKE_RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;
const MB = 1024 * 1024;
const ExportPartSchema = z.looseObject({
  ok: z.literal(true),
  data: z.looseObject({ parts: z.number().int().positive() }),
});
const MACRO_CONTEXT = { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA', id: '98305' } };
const TRIGGERS = ['maintain-traceability-index', 'keep-linked-issues-consistent'] as const;
const CONSUMER = 'rebuild-traceability-index';

const emailOf = (role: string): string => {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`bench: no demo user with role ${role}`);
  return user.email;
};

/** The consumer's declared limit: the manifest function's `timeoutSeconds` (Forge's default 25 s otherwise). */
const consumerTimeoutSeconds = (): number => {
  const manifest = z
    .looseObject({
      modules: z.looseObject({
        consumer: z.array(z.looseObject({ key: z.string(), function: z.string() })),
        function: z.array(z.looseObject({ key: z.string(), timeoutSeconds: z.number().optional() })),
      }),
    })
    .parse(load(readFileSync(join(__dirname, '..', 'manifest.yml'), 'utf8')));
  const functionKey = manifest.modules.consumer.find((c) => c.key === CONSUMER)?.function;
  return manifest.modules.function.find((f) => f.key === functionKey)?.timeoutSeconds ?? 25;
};

/** Runs `run` at LATENCY_MS per Jira call with fresh counters, waits until every event and queued chunk it caused is delivered, and returns the counters. */
const measured = async <T>(
  bench: Bench,
  run: () => Promise<T>,
): Promise<{ ms: number; metrics: Metrics; value: T | undefined; error?: string }> => {
  await bench.resetMetrics();
  await bench.setLatency(LATENCY_MS);
  try {
    const start = process.hrtime.bigint();
    let value: T | undefined;
    let error: string | undefined;
    try {
      value = await run();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    await bench.server.app.whenIdle();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { ms, metrics: await bench.metrics(), value, ...(error === undefined ? {} : { error }) };
  } finally {
    await bench.clearFaults();
  }
};

const of = (metrics: Metrics, moduleKey: string): InvocationUsage[] =>
  metrics.invocations.filter((i) => i.moduleKey === moduleKey);
const max = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0);

const backfillFigures = async (bench: Bench, issues: number): Promise<Figure[]> => {
  const run = await measured(bench, () =>
    bench.invoke({
      moduleKey: 'admin-page',
      accountId: SITE_ACCOUNTS.admin,
      functionKey: 'admin/index/rebuild',
      payload: {},
    }),
  );
  if (run.error !== undefined) throw new Error(`bench: the rebuild could not start: ${run.error}`);
  const status = z
    .looseObject({
      ok: z.literal(true),
      data: z.looseObject({ run: z.looseObject({ phase: z.string(), processed: z.number(), chunks: z.number() }) }),
    })
    .parse(
      await bench.invoke({
        moduleKey: 'admin-page',
        accountId: SITE_ACCOUNTS.admin,
        functionKey: 'admin/index/status',
        payload: {},
      }),
    );
  if (status.data.run.phase !== 'done') throw new Error(`bench: the rebuild ended ${status.data.run.phase}`);
  const chunks = of(run.metrics, CONSUMER);
  const failed = chunks.filter((c) => c.outcome !== 'returned');
  if (failed.length > 0) throw new Error(`bench: ${failed.length} backfill chunk(s) did not return`);
  const limitMs = consumerTimeoutSeconds() * 1000;
  const path = `backfill, ${status.data.run.processed.toLocaleString('en-US')} issues`;
  if (status.data.run.processed < issues)
    throw new Error(`bench: the rebuild read ${status.data.run.processed} issues, expected at least ${issues}`);
  return [
    { path, figure: 'queue chunks (consumer invocations)', measured: chunks.length, unit: 'chunks', better: 'lower' },
    {
      path,
      figure: `slowest chunk at ${LATENCY_MS} ms/call (limit: timeoutSeconds)`,
      measured: max(chunks.map((c) => c.durationMs ?? 0)),
      unit: 'ms',
      target: limitMs,
      better: 'lower',
    },
    {
      path,
      figure: 'slowest chunk against a function’s default 25 s',
      measured: max(chunks.map((c) => c.durationMs ?? 0)),
      unit: 'ms',
      target: 25_000,
      better: 'lower',
    },
    {
      path,
      figure: 'Jira calls per chunk (max)',
      measured: max(chunks.map((c) => c.jira)),
      unit: 'calls',
      better: 'lower',
    },
    {
      path,
      figure: 'storage operations per chunk (max)',
      measured: max(chunks.map((c) => c.kvs)),
      unit: 'ops',
      better: 'lower',
    },
    { path, figure: 'total, start to index built', measured: run.ms, unit: 'ms', better: 'lower' },
  ];
};

const invokeMacro = (bench: Bench, functionKey: 'traceability/get' | 'traceability/export') => () =>
  bench.invoke({
    moduleKey: 'traceability-macro',
    accountId: SITE_ACCOUNTS.manager,
    functionKey,
    payload: {},
    context: MACRO_CONTEXT,
  });

/** The same work as `traceability/get` minus the answer's size check, to size the answer even when it is over Forge's limit. */
const viewAnswerBytes = async (bench: Bench, scenario: Scenario): Promise<number> => {
  const view = await bench.server.app.runtime.runAs(
    { accountId: SITE_ACCOUNTS.manager, moduleKey: 'traceability-macro', moduleType: 'macro' },
    () =>
      loadTraceabilityView(
        {},
        {},
        {
          jira: createJiraHttp(asUser().requestJira),
          conventions: DEFAULT_JIRA_CONVENTIONS,
          today: new Date().toISOString().slice(0, 10),
        },
      ),
  );
  if (view.summary.records < scenario.size.records)
    throw new Error(
      `bench: the view holds ${view.summary.records} records, expected at least ${scenario.size.records}`,
    );
  return Buffer.byteLength(JSON.stringify({ ok: true, data: view }), 'utf8');
};

/**
 * The matrix build alone, as the resolver runs it (visibility, analysis, the first page and
 * the summary), on what it reads, in CPU time: one cold run, then, after five warm-up runs, the
 * median of five. Timed in
 * a child process holding only that input (bench/matrix-build-child.ts), as the function would
 * on Forge, not beside the sandbox's own heap.
 */
const matrixBuildCpu = async (bench: Bench): Promise<{ coldMs: number; medianMs: number }> => {
  const input = await bench.server.app.runtime.runAs(
    { accountId: SITE_ACCOUNTS.manager, moduleKey: 'traceability-macro', moduleType: 'macro' },
    async () => ({
      entries: (await Promise.all(TraceIndexKindSchema.options.map((kind) => queryTraceEntries(kind))))
        .flat()
        .map((s) => s.entry),
      visible: [
        ...(await searchIssueIds(createJiraHttp(asUser().requestJira), traceabilityJql(DEFAULT_JIRA_CONVENTIONS))),
      ],
      registry: (await loadRegistry()) ?? demoRegistry,
      today: new Date().toISOString().slice(0, 10),
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'qms-rim-bench-'));
  try {
    const file = join(dir, 'matrix-input.json');
    writeFileSync(file, JSON.stringify(input));
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'matrix-build-child.ts'), file], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`bench: the matrix build child failed: ${child.stderr}`);
    return z.strictObject({ coldMs: z.number(), medianMs: z.number() }).parse(JSON.parse(child.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * The naive macro: ask Jira which issues the viewer may see, then read every one of them
 * (`bulkfetch` per 100, with the fields, properties and changelog the index derives from)
 * and build the graph from that, with no index.
 */
const naiveMacro = (bench: Bench) => async (): Promise<number> =>
  bench.server.app.runtime.runAs(
    { accountId: SITE_ACCOUNTS.manager, moduleKey: 'traceability-macro', moduleType: 'macro' },
    async () => {
      const jira = createJiraHttp(asUser().requestJira);
      const conventions = DEFAULT_JIRA_CONVENTIONS;
      const ids = [...(await searchIssueIds(jira, traceabilityJql(conventions)))];
      const records = [];
      const submissions = [];
      const commitments = [];
      for (let i = 0; i < ids.length; i += 100) {
        const page = await jira.requestJira(route`/rest/api/3/issue/bulkfetch`, {
          method: 'POST',
          read: true,
          schema: JiraBulkFetchSchema,
          body: {
            issueIdsOrKeys: ids.slice(i, i + 100),
            fields: fieldsFor(conventions),
            properties: APP_PROPERTY_KEYS,
            expand: ['changelog'],
          },
        });
        for (const issue of page.issues) {
          if (isQmsIssue(issue, conventions))
            records.push(
              toQmsRecord(issue, conventions, (await kvsSignedRecordStore.getMany([issue.key])).get(issue.key)),
            );
          else {
            const submission = toSubmission(issue, conventions);
            if (submission) submissions.push(submission);
            const commitment = toCommitment(issue, conventions);
            if (commitment) commitments.push(commitment);
          }
        }
      }
      buildTraceability({
        registry: (await loadRegistry()) ?? demoRegistry,
        records,
        submissions,
        commitments,
        today: new Date().toISOString().slice(0, 10),
        options: DEFAULT_TRACEABILITY_OPTIONS,
      });
      return records.length;
    },
  );

const macroFigures = async (bench: Bench, scenario: Scenario): Promise<Figure[]> => {
  const figures: Figure[] = [];
  const path = `macro, ${scenario.size.records.toLocaleString('en-US')} records / ${scenario.size.submissions.toLocaleString('en-US')} Submissions / ${scenario.size.commitments.toLocaleString('en-US')} Commitments`;
  const naive = await measured(bench, naiveMacro(bench));
  for (const functionKey of ['traceability/get', 'traceability/export'] as const) {
    const heap = await peakHeapDuring(() => measured(bench, invokeMacro(bench, functionKey)));
    const run = heap.value;
    const [invocation] = of(run.metrics, 'traceability-macro');
    const viewer = run.metrics.jira.byAccount[SITE_ACCOUNTS.manager] ?? 0;
    const key = `${path}, ${functionKey}`;
    figures.push(
      {
        path: key,
        figure: 'Jira calls as the viewer',
        measured: viewer,
        unit: 'calls',
        target: 4,
        better: 'lower',
        naive: naive.metrics.jira.total,
      },
      {
        path: key,
        figure: 'Jira calls as the app',
        measured: run.metrics.jira.byAccount['app'] ?? 0,
        unit: 'calls',
        better: 'lower',
      },
      {
        path: key,
        figure: 'index reads (storage operations)',
        measured: run.metrics.kvs.total,
        unit: 'ops',
        better: 'lower',
      },
      {
        path: key,
        figure: `server time at ${LATENCY_MS} ms/call`,
        measured: invocation?.durationMs ?? run.ms,
        unit: 'ms',
        target: 2000,
        better: 'lower',
        naive: naive.ms,
      },
      {
        path: key,
        figure: `peak heap above baseline${canForceGc() ? ' (after forced GC)' : ' (no --expose-gc)'}`,
        measured: (heap.peakBytes - heap.baselineBytes) / MB,
        unit: 'MB',
        target: 256,
        better: 'lower',
      },
    );
    if (functionKey === 'traceability/get') {
      const bytes =
        run.error === undefined
          ? Buffer.byteLength(JSON.stringify(run.value), 'utf8')
          : await viewAnswerBytes(bench, scenario);
      figures.push({
        path: key,
        figure: 'answer size (Forge invoke limit 5 MB)',
        measured: bytes / MB,
        unit: 'MB',
        target: FORGE_INVOKE_RESPONSE_LIMIT_BYTES / MB,
        better: 'lower',
      });
    } else if (run.error !== undefined) {
      figures.push({
        path: key,
        figure: 'answered (1) or failed (0)',
        measured: 0,
        unit: '',
        target: 1,
        better: 'higher',
      });
    } else {
      // The page asks for every part in turn; each answer must fit Forge's limit on its own.
      const first = ExportPartSchema.parse(run.value);
      const sizes = [Buffer.byteLength(JSON.stringify(run.value), 'utf8')];
      for (let part = 1; part < first.data.parts; part++) {
        const answer = await bench.invoke({
          moduleKey: 'traceability-macro',
          accountId: SITE_ACCOUNTS.manager,
          functionKey,
          payload: { part },
          context: MACRO_CONTEXT,
        });
        sizes.push(Buffer.byteLength(JSON.stringify(answer), 'utf8'));
      }
      figures.push(
        {
          path: key,
          figure: 'parts of the CSV (one answer each)',
          measured: first.data.parts,
          unit: '',
          better: 'lower',
        },
        {
          path: key,
          figure: 'largest part (Forge invoke limit 5 MB)',
          measured: max(sizes) / MB,
          unit: 'MB',
          target: FORGE_INVOKE_RESPONSE_LIMIT_BYTES / MB,
          better: 'lower',
        },
      );
    }
  }
  const cpu = await matrixBuildCpu(bench);
  figures.push(
    {
      path: `${path}, matrix build`,
      figure: 'CPU time, median of 5 warm runs',
      measured: cpu.medianMs,
      unit: 'ms',
      target: 200,
      better: 'lower',
    },
    {
      path: `${path}, matrix build`,
      figure: 'CPU time, first (cold) run',
      measured: cpu.coldMs,
      unit: 'ms',
      better: 'lower',
    },
  );
  return figures;
};

interface TriggerEvent {
  name: string;
  run: () => Promise<unknown>;
}

const IssueLinksSchema = z.looseObject({
  fields: z.looseObject({
    issuelinks: z.array(
      z.looseObject({
        id: z.string(),
        type: z.looseObject({ name: z.string() }),
        outwardIssue: z.looseObject({ key: z.string() }).optional(),
      }),
    ),
  }),
});

const triggerEvents = (bench: Bench, scenario: Scenario): TriggerEvent[] => {
  const quality = emailOf('quality-engineer');
  const regulatory = emailOf('regulatory-reviewer');
  const admin = emailOf('admin');
  const created: { key?: string } = {};
  const createdKey = (): string => {
    if (created.key === undefined) throw new Error('bench: the created issue is missing');
    return created.key;
  };
  return [
    {
      name: 'issue created',
      run: async () => {
        const answer = z.looseObject({ key: z.string() }).parse(
          await bench.rest(quality, 'POST', '/rest/api/3/issue', {
            fields: {
              project: { key: 'QMS' },
              issuetype: { name: 'Deviation' },
              summary: 'Bench trigger: a deviation raised',
            },
          }),
        );
        created.key = answer.key;
      },
    },
    {
      name: 'issue updated',
      run: () =>
        bench.rest(quality, 'PUT', `/rest/api/3/issue/${scenario.filingRecordKey}`, {
          fields: { summary: 'Bench trigger: summary changed' },
        }),
    },
    {
      name: 'issue property set (decision changed)',
      run: async () => {
        const current = z
          .looseObject({
            value: z.looseObject({
              decisions: z.array(
                z.looseObject({
                  submissionKey: z.string().optional(),
                  decided: z.looseObject({ category: z.string() }).optional(),
                }),
              ),
            }),
          })
          .parse(
            await bench.rest(
              quality,
              'GET',
              `/rest/api/3/issue/${scenario.filingRecordKey}/properties/${IMPACT_PROPERTY_KEY}`,
            ),
          ).value;
        // A reviewer's changed decision on the filed application: the linked Submission's category must follow.
        const decisions = current.decisions.map((d) =>
          d.submissionKey === scenario.filingSubmissionKey && d.decided
            ? { ...d, decided: { ...d.decided, category: d.decided.category === 'CBE-30' ? 'PAS' : 'CBE-30' } }
            : d,
        );
        await bench.rest(
          quality,
          'PUT',
          `/rest/api/3/issue/${scenario.filingRecordKey}/properties/${IMPACT_PROPERTY_KEY}`,
          { ...current, decisions },
        );
      },
    },
    {
      name: 'issue link created',
      run: () =>
        bench.rest(regulatory, 'POST', '/rest/api/3/issueLink', {
          type: { name: DEFAULT_JIRA_CONVENTIONS.filingLinkType },
          inwardIssue: { key: createdKey() },
          outwardIssue: { key: scenario.filingSubmissionKey },
        }),
    },
    {
      name: 'issue link deleted',
      run: async () => {
        const issue = IssueLinksSchema.parse(
          await bench.rest(regulatory, 'GET', `/rest/api/3/issue/${createdKey()}?fields=issuelinks`),
        );
        const link = issue.fields.issuelinks.find(
          (l) =>
            l.type.name === DEFAULT_JIRA_CONVENTIONS.filingLinkType &&
            l.outwardIssue?.key === scenario.filingSubmissionKey,
        );
        if (!link) throw new Error('bench: the link made before is missing');
        await bench.rest(regulatory, 'DELETE', `/rest/api/3/issueLink/${link.id}`);
      },
    },
    { name: 'issue deleted', run: () => bench.rest(admin, 'DELETE', `/rest/api/3/issue/${createdKey()}`) },
  ];
};

const triggerFigures = async (bench: Bench, scenario: Scenario): Promise<Figure[]> => {
  const figures: Figure[] = [];
  for (const event of triggerEvents(bench, scenario)) {
    const run = await measured(bench, event.run);
    if (run.error !== undefined) throw new Error(`bench: trigger event "${event.name}" failed: ${run.error}`);
    for (const trigger of TRIGGERS) {
      const invocations = of(run.metrics, trigger);
      // keep-linked-issues-consistent does not take every event (no deleted:issue); nothing delivered, nothing to report.
      if (invocations.length === 0) continue;
      const path = `trigger ${trigger}, ${event.name}${invocations.length > 1 ? ` (${invocations.length} invocations)` : ''}`;
      figures.push(
        {
          path,
          figure: 'Jira calls per invocation (max)',
          measured: max(invocations.map((i) => i.jira)),
          unit: 'calls',
          target: 3,
          better: 'lower',
        },
        {
          path,
          figure: 'storage operations per invocation (max)',
          measured: max(invocations.map((i) => i.kvs)),
          unit: 'ops',
          target: 3,
          better: 'lower',
        },
      );
    }
  }
  return figures;
};

export const traceabilityFigures = async (bench: Bench): Promise<Figure[]> => {
  const scenario = seedTraceabilityScenario(bench.server.app.jira, demoRegistry, MACRO_SCENARIO);
  const issues = scenario.recordKeys.length + scenario.submissionKeys.length + scenario.commitmentKeys.length;
  const figures = await backfillFigures(bench, issues);
  figures.push(...(await macroFigures(bench, scenario)));
  figures.push(...(await triggerFigures(bench, scenario)));
  return figures;
};
