/**
 * Shared by the fault tests: the demo site on the sandbox runtime with the app's real
 * handlers, calls to any resolver key as a person, the Jira operations a call made as that
 * person, the retry waits the Jira client asked for, and Jira and app storage as comparable
 * snapshots, so a test can say exactly what a failed call left behind.
 */
import { createSandboxApp, loadManifest } from '../../sandbox/app-host';
import type { JiraExchange, SandboxApp } from '../../sandbox/app-host';
import { createDemoClock, seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { buildDemoIndex } from '../../sandbox/demo/traceability-index';
import { adminPageResolver } from '../../src';
import type { JiraStandInSnapshot } from '../../sandbox/jira';
import type { KvsSnapshot } from '../../sandbox/kvs';
import { defaultRetryPolicy } from '../../src/adapters/jira/jira-http';
import { envelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey, ResolverOutput } from '../../src/contract/resolvers';
import { createContractObserver } from '../support/contract-observer';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { enrolAndCode, useSigningClock } from '../support/signing';
import type { EnrolledSigner } from '../support/signing';
import { invokeUiModule, uiModulesOf } from '../support/ui-modules';
import type { UiModule } from '../support/ui-modules';

export interface FaultSite {
  app: SandboxApp;
  contract: ReturnType<typeof createContractObserver>;
  /** `"METHOD /template"` of each Jira request made as a person (not the app) since the last `clearCalls`. */
  personCalls(): string[];
  /** `"METHOD /template"` of each Jira request made as the app (triggers, consumers, undo) since the last `clearCalls`. */
  appCalls(): string[];
  /** Every Jira request and answer (the person's and the app's) since the last `clearCalls`. */
  exchanges(): readonly JiraExchange[];
  clearCalls(): void;
  invoke<K extends ResolverKey>(call: ResolverCall<K>): Promise<Envelope<ResolverOutput<K>>>;
  /** Jira and app storage at rest (every trigger and queued event delivered). */
  state(): Promise<SiteState>;
  restore(state: SiteState): void;
  /** A fresh authenticator code of a demo signer enrolled when the site started (Rita, Ada); moves the faked clock one step. */
  code(accountId: string): string;
}

export interface ResolverCall<K extends ResolverKey = ResolverKey> {
  module: string;
  key: K;
  payload: unknown;
  extension: Record<string, unknown>;
  accountId: string;
}

export interface SiteState {
  jira: JiraStandInSnapshot;
  kvs: KvsSnapshot;
}

/** Issue panel context on `key`, as Jira gives it. */
export const issueContext = (type: 'jira:issuePanel' | 'jira:issueGlance', key: string): Record<string, unknown> => ({
  type,
  issue: { key },
  project: { key: key.split('-')[0] },
});

const templateMatcher = (operation: string): { method: string; pattern: RegExp; params: number } => {
  const [method = '', template = ''] = operation.split(' ');
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return { method, pattern: new RegExp(`^${escaped}$`), params: (template.match(/\{/g) ?? []).length };
};

/** The stand-in's `"METHOD /template"` for a request, the most specific template first (as its router matches). */
export const operationNamer = (operations: readonly string[]) => {
  const matchers = operations
    .map((operation) => ({ operation, ...templateMatcher(operation) }))
    .sort((a, b) => a.params - b.params);
  return (method: string, path: string): string => {
    const pathname = path.split('?')[0] ?? '';
    return (
      matchers.find((m) => m.method === method.toUpperCase() && m.pattern.test(pathname))?.operation ??
      `${method} (no route)`
    );
  };
};

/**
 * With `triggers`, only those of the manifest's triggers receive Jira events, so a test of one
 * background job sees only that job's Jira calls (the others are tested on their own).
 */
export const startFaultSite = async (options: { triggers?: readonly string[] } = {}): Promise<FaultSite> => {
  const contract = createContractObserver();
  const calls: JiraExchange[] = [];
  const manifest = loadManifest();
  const { triggers } = options;
  const app = createSandboxApp({
    ...(triggers
      ? {
          manifest: {
            ...manifest,
            modules: {
              ...manifest.modules,
              trigger: (manifest.modules['trigger'] ?? []).filter((m) => triggers.includes(m.key)),
            },
          },
        }
      : {}),
    now: createDemoClock(),
    observeJira: (exchange) => {
      contract.observe(exchange);
      calls.push(exchange);
    },
  });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
  await buildDemoIndex(app, adminPageResolver);
  const modules = new Map<string, UiModule>(uiModulesOf().map((m) => [m.key, m]));
  const nameOf = operationNamer(app.jira.operations);
  const signers = new Map<string, EnrolledSigner>();
  const site: FaultSite = {
    app,
    contract,
    personCalls: () => calls.filter((c) => c.accountId !== undefined).map((c) => nameOf(c.method, c.path)),
    appCalls: () => calls.filter((c) => c.accountId === undefined).map((c) => nameOf(c.method, c.path)),
    exchanges: () => [...calls],
    clearCalls: () => void calls.splice(0),
    async invoke<K extends ResolverKey>(call: ResolverCall<K>) {
      const module = modules.get(call.module);
      if (!module) throw new Error(`no UI module ${call.module}`);
      const raw = await invokeUiModule(app, module, call);
      // What the call caused (triggers, queued index work) runs before anyone looks again.
      await app.whenIdle();
      return envelopeSchema(RESOLVER_CONTRACT[call.key].output).parse(raw) as Envelope<ResolverOutput<K>>;
    },
    async state() {
      await app.whenIdle();
      return { jira: app.jira.snapshot(), kvs: app.runtime.kvs.snapshot() };
    },
    restore(state) {
      app.jira.restore(state.jira);
      app.runtime.kvs.restore(state.kvs);
    },
    code(accountId) {
      const signer = signers.get(accountId);
      if (!signer) throw new Error(`${accountId} was not enrolled when the fault site started`);
      return signer.code();
    },
  };
  // The people who sign decisions in the fault tests enrol first, so every snapshot holds their credentials.
  useSigningClock();
  const panelModule = modules.get('impact-panel');
  if (!panelModule) throw new Error('no impact-panel module');
  for (const accountId of [SITE_ACCOUNTS.regulatory, SITE_ACCOUNTS.admin]) {
    signers.set(
      accountId,
      await enrolAndCode((key, payload) =>
        invokeUiModule(app, panelModule, {
          key,
          payload,
          extension: issueContext('jira:issuePanel', 'QMS-1'),
          accountId,
        }),
      ),
    );
  }
  await app.whenIdle();
  calls.splice(0);
  return site;
};

/**
 * The production retry policy's waits, recorded instead of slept: the tests assert the waits
 * the client asks for (Retry-After, backoff, budget) without spending them. Only `sleep` is
 * replaced; attempts, budget and backoff are the production defaults.
 */
export const recordRetryWaits = (): { waits: number[]; restore(): void } => {
  const waits: number[] = [];
  const spy = jest.spyOn(defaultRetryPolicy, 'sleep').mockImplementation(async (ms) => {
    waits.push(ms);
  });
  return { waits, restore: () => spy.mockRestore() };
};

export const dataOf = <T>(answer: Envelope<T>): T => {
  if (!answer.ok) throw new Error(`expected success, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
};

/** Paths (`jira.issues.10001.properties.qmsrim.impact`) at which two JSON values differ, shallowest first. */
export const differences = (a: unknown, b: unknown, path = ''): string[] => {
  if (Object.is(a, b)) return [];
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return [path || '(root)'];
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return [`${path}.length`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
  );
};

/** Timestamps and digests differ between two runs of the same write (the signer's clock, the audit chain's hashes). */
export const scrubbed = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})/g, '<instant>')
      .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'),
  );

const omit = (value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));

/**
 * What a person or a gate could tell apart, with the bookkeeping a failed and undone write
 * leaves by design taken out: Jira's id counters and clock (an issue created and deleted
 * again used up its number), each issue's `updated` instant and the Link entries Jira's own
 * history records for a link made and removed again (both are checked by `historiesOnlyGainedLinks`),
 * the traceability index's `indexedAt` and storage timestamps (the index recomputed the same
 * entry), the version claims (a lock, checked by `claimsFree`), and the signers' credentials (a
 * decision refused after its authenticator code was checked has spent that code, by design).
 */
export const contentOf = (state: SiteState): unknown => ({
  jira: {
    ...omit(state.jira as unknown as Record<string, unknown>, ['counters', 'lastInstantMs', 'projects', 'issues']),
    projects: Object.fromEntries(
      Object.entries(state.jira.projects).map(([id, p]) => [id, omit(p, ['nextIssueNumber'])]),
    ),
    issues: Object.fromEntries(
      Object.entries(state.jira.issues).map(([, i]) => [i.key, omit(i, ['updated', 'histories'])]),
    ),
  },
  kvs: {
    keyValues: state.kvs.keyValues.map((e) => ({ key: e.key, value: e.value })),
    secrets: state.kvs.secrets.map((e) => ({ key: e.key, value: e.value })),
    entities: Object.fromEntries(
      Object.entries(state.kvs.entities)
        .filter(([name]) => name !== 'impact-claim' && name !== 'signing-credential')
        .map(([name, entries]) => [
          name,
          entries.map((e) => ({
            key: e.key,
            value:
              name === 'traceability-entry' &&
              typeof e.value === 'object' &&
              e.value !== null &&
              !Array.isArray(e.value)
                ? omit(e.value, ['indexedAt'])
                : e.value,
          })),
        ]),
    ),
  },
});

/** Issue keys whose history gained anything but Link entries (an issue gone since `before` counts as a difference elsewhere). */
export const historiesOnlyGainedLinks = (before: SiteState, after: SiteState): string[] =>
  Object.values(after.jira.issues).flatMap((issue) => {
    const earlier = before.jira.issues[issue.id]?.histories ?? [];
    const gained = issue.histories.slice(earlier.length);
    const prefixKept = JSON.stringify(issue.histories.slice(0, earlier.length)) === JSON.stringify(earlier);
    return prefixKept && gained.every((h) => h.items.every((item) => item.field === 'Link')) ? [] : [issue.key];
  });
