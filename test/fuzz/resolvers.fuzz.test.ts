/**
 * Every resolver key of every Custom UI surface, and every workflow validator, gets at least
 * 1,000 generated invalid or hostile payloads, through the real handlers on the sandbox
 * runtime with the demo site, as a Jira admin (so no permission check hides a write). Each
 * must answer a typed error, and the sandbox's counters must show zero Jira writes and zero
 * KVS writes. Other projects' issue keys are also tried as the module's context.
 */
import { z } from 'zod';
import { createSandboxApp, loadManifest } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { seedDemoJira, seedDemoStorage } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS, createSteppingClock } from '../../sandbox/jira';
import { DEFAULT_JIRA_CONVENTIONS } from '../../src/config/jira-conventions';
import { APP_ERROR_CODES } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverKey } from '../../src/contract/resolvers';
import { GATE_OF_MODULE, parseGateConfig } from '../../src/contract/gate-config';
import { ValidatorEventSchema } from '../../src/entry/validators/gate-validator';
import { hostilePayloads, overTheWire } from './hostile';
import { invokeUiModule, uiModulesOf } from '../support/ui-modules';
import type { UiModule } from '../support/ui-modules';

jest.setTimeout(600_000);

const PER_KEY = 1000;
/** Forge's invoke request limit; larger payloads never reach the app (the sandbox runtime refuses them too). */
const FORGE_INVOKE_LIMIT_BYTES = 500 * 1024;

/** A valid payload for each key: the starting point of the mutations (checked against its schema below). */
const VALID_EXAMPLES: Record<ResolverKey, unknown> = {
  'impact/get': {},
  'impact/save-assessment': {
    version: 0,
    changes: [{ code: 'process.other', answers: {} }],
    affected: { productIds: ['PRD-CARDIOLOL'], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US'] },
  },
  'impact/decide': {
    version: 1,
    applicationId: 'APP-NDA-CARDIOLOL',
    decision: 'override',
    category: 'CBE-30',
    rationale: 'Moderate potential; see the risk assessment.',
    meaning: 'approval',
    signatureCode: '123456',
  },
  'impact/history': {},
  'impact/restore-mirror': {},
  'impact/create-submission-plan': { version: 1, applicationIds: ['APP-NDA-CARDIOLOL'] },
  'readiness/get': {},
  'readiness/export': { format: 'json' },
  'admin/registry/get': {},
  'admin/registry/import': { csv: 'kind,id,name\nproduct,PRD-X,X' },
  'admin/registry/export': {},
  'admin/catalog/get': {},
  'admin/mapping/get': {},
  'admin/mapping/save': { conventions: DEFAULT_JIRA_CONVENTIONS },
  'admin/audit/verify': {},
  'admin/audit/status': {},
  'admin/audit/export': { from: '2026-01-01', to: '2026-12-31', format: 'csv' },
  'admin/mirror/restore': { issueKey: 'QMS-1' },
  'admin/signers/get': {},
  'admin/signers/save': {
    rules: { groups: ['regulatory-reviewers'], projectRoles: [], barReporter: true, barAssessors: true },
  },
  'gate-config/options': {},
  'admin/index/status': {},
  'admin/index/rebuild': {},
  'admin/index/check': {},
  'traceability/get': {},
  'traceability/export': { productIds: ['PRD-CARDIOLOL'], onlyWithGaps: true },
  'traceability/options': {},
  'correspondence/get': {},
  // QMS-5 already answers RIM-10, so even a valid request writes nothing.
  'correspondence/link-record': { recordKey: 'QMS-5' },
  'impact/correspondence': {},
  'rim-glance/get': {},
  'impact/form-data': {},
  'impact/propose': {
    changes: [{ code: 'process.other', answers: {} }],
    affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: [] },
  },
  'impact/add-commitment': {
    title: 'Submit 12-month stability data',
    description: 'Agreed with FDA in the approval letter.',
    market: 'US',
    dueDate: '2027-06-30',
  },
  'signing/status': {},
  'signing/enrol-start': {},
  // Ada has no confirmed authenticator here, so even a valid code confirms nothing.
  'signing/enrol-confirm': { code: '123456' },
  'admin/signing/list': {},
  // Nobody by that id has a credential: nothing to reset.
  'admin/signing/reset': { accountId: '557058:nobody-here' },
};

/**
 * Keys that concern the caller, not the issue the module is on: a valid request writes wherever
 * it is made (a new enrolment; a wrong confirmation code counted toward the lock-out).
 */
const ISSUE_INDEPENDENT_WRITES = new Set<ResolverKey>(['signing/enrol-start', 'signing/enrol-confirm']);

/** The Forge extension each UI module runs in, on the demo site. */
const EXTENSIONS: Record<string, Record<string, unknown>> = {
  'impact-panel': { type: 'jira:issuePanel', issue: { key: 'QMS-1' }, project: { key: 'QMS' } },
  'impact-glance': { type: 'jira:issueGlance', issue: { key: 'QMS-1' }, project: { key: 'QMS' } },
  'readiness-panel': { type: 'jira:issuePanel', issue: { key: 'RIM-1' }, project: { key: 'RIM' } },
  'admin-page': { type: 'jira:adminPage' },
  'correspondence-panel': { type: 'jira:issuePanel', issue: { key: 'RIM-10' }, project: { key: 'RIM' } },
  'rim-glance': { type: 'jira:issueGlance', issue: { key: 'RIM-1' }, project: { key: 'RIM' } },
  'traceability-macro': { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} },
  ...Object.fromEntries(
    [
      'gate-impact-assessed',
      'gate-filing-planned',
      'gate-prior-approval-granted',
      'gate-evidence-complete',
      'gate-commitment-fulfilled',
    ].map((key) => [key, { type: 'jira:workflowValidator', entryPoint: 'edit' }]),
  ),
};

/** Issue contexts a module was never meant for: other projects, missing issues, odd keys. */
const FOREIGN_ISSUES = ['RIM-1', 'RIM-10', 'QMS-1', 'QMS-9999', 'HR-1'];

const READ_POSTS = new Set([
  'POST /rest/api/3/issue/bulkfetch',
  'POST /rest/api/3/search/jql',
  'POST /rest/api/3/expression/eval',
  'POST /rest/api/3/expression/evaluate',
]);
const KVS_WRITES = [
  'set',
  'delete',
  'secretSet',
  'secretDelete',
  'entitySet',
  'entityDelete',
  'batchSet',
  'batchDelete',
  'transaction',
] as const;

const EnvelopeShape = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.enum(APP_ERROR_CODES), message: z.string().min(1) }),
  }),
]);
const VerdictShape = z.strictObject({ result: z.boolean(), errorMessage: z.string().min(1).optional() });

const manifest = loadManifest();
const uiModules: UiModule[] = uiModulesOf(manifest);

const validatorKeys = (manifest.modules['jira:workflowValidator'] ?? []).map((m) => m.key);

let app: SandboxApp;

beforeAll(async () => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1) });
  seedDemoJira(app.jira);
  await seedDemoStorage(app.runtime);
});
afterAll(async () => {
  await app.close();
});

const writesSince = (): { jira: Record<string, number>; kvs: Record<string, number> } => {
  const jira = Object.fromEntries(
    Object.entries(app.jira.metrics().byEndpoint).filter(
      ([endpoint]) => !endpoint.startsWith('GET ') && !READ_POSTS.has(endpoint),
    ),
  );
  const byOperation = app.runtime.kvs.metrics().byOperation;
  const kvs = Object.fromEntries(KVS_WRITES.map((op) => [op, byOperation[op]]).filter(([, n]) => Number(n) > 0));
  return { jira, kvs };
};

const resetCounters = (): void => {
  app.jira.resetMetrics();
  app.runtime.kvs.resetMetrics();
};

const invoke = async (
  module: UiModule,
  functionKey: string,
  payload: unknown,
  extension: Record<string, unknown>,
): Promise<unknown> =>
  invokeUiModule(app, module, { key: functionKey, payload, extension, accountId: SITE_ACCOUNTS.admin });

/** The resolver keys a module's handler defines (@forge/resolver throws for any other). */
const keysOf = async (module: UiModule): Promise<ResolverKey[]> => {
  const keys: ResolverKey[] = [];
  for (const key of Object.keys(RESOLVER_CONTRACT) as ResolverKey[]) {
    try {
      await invoke(module, key, {}, EXTENSIONS[module.key] ?? {});
      keys.push(key);
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('has no definition'))) throw error;
    }
  }
  return keys;
};

describe('fuzz set-up', () => {
  it('has a valid example for every resolver key, and an extension for every UI module', () => {
    for (const [key, example] of Object.entries(VALID_EXAMPLES)) {
      expect({ key, valid: RESOLVER_CONTRACT[key as ResolverKey].input.safeParse(example).success }).toEqual({
        key,
        valid: true,
      });
    }
    expect(Object.keys(VALID_EXAMPLES).sort()).toEqual(Object.keys(RESOLVER_CONTRACT).sort());
    expect(uiModules.map((m) => m.key).sort()).toEqual(Object.keys(EXTENSIONS).sort());
    expect(validatorKeys.length).toBeGreaterThanOrEqual(5);
  });

  it('reaches every contract key through some module', async () => {
    const reached = new Set<string>();
    for (const module of uiModules) for (const key of await keysOf(module)) reached.add(key);
    expect([...reached].sort()).toEqual(Object.keys(RESOLVER_CONTRACT).sort());
  });
});

describe.each(uiModules.map((m) => [m.key, m] as const))('resolver of %s', (_name, module) => {
  it(`answers ${PER_KEY} hostile payloads per key with INVALID_INPUT and writes nothing`, async () => {
    const extension = EXTENSIONS[module.key] ?? {};
    const keys = await keysOf(module);
    expect(keys.length).toBeGreaterThan(0);
    resetCounters();
    for (const [k, key] of keys.entries()) {
      const schema = RESOLVER_CONTRACT[key].input;
      let tried = 0;
      for (let seed = 1; tried < PER_KEY; seed++) {
        for (const [n, raw] of hostilePayloads(seed * 7919 + k, VALID_EXAMPLES[key], 250).entries()) {
          const payload = overTheWire(raw);
          // @forge/resolver hands a resolver `payload || {}`: a falsy payload arrives as {}.
          if (schema.safeParse(payload || {}).success) continue; // a mutation that happened to stay valid
          if (Buffer.byteLength(JSON.stringify(payload) ?? '') > FORGE_INVOKE_LIMIT_BYTES) continue; // Forge refuses it before the app runs
          tried += 1;
          const answer = EnvelopeShape.safeParse(await invoke(module, key, payload, extension));
          const where = `${module.key} ${key} seed ${seed} case ${n}`;
          expect({ where, answer: answer.success ? answer.data : answer.error.message }).toEqual({
            where,
            answer: { ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } },
          });
          if (tried >= PER_KEY) break;
        }
      }
    }
    expect(writesSince()).toEqual({ jira: {}, kvs: {} });
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('answers a typed envelope, and writes nothing, when run on an issue it was not meant for', async () => {
    const extension = EXTENSIONS[module.key] ?? {};
    if (extension['issue'] === undefined) return;
    // keysOf calls every key with {}, which is a valid enrolment start: before the counters start.
    const keys = (await keysOf(module)).filter((k) => !ISSUE_INDEPENDENT_WRITES.has(k));
    resetCounters();
    for (const key of keys) {
      for (const issueKey of FOREIGN_ISSUES.filter((k) => k !== (extension['issue'] as { key: string }).key)) {
        const answer = EnvelopeShape.safeParse(
          await invoke(module, key, VALID_EXAMPLES[key], { ...extension, issue: { key: issueKey } }),
        );
        expect({ key, issueKey, typed: answer.success }).toEqual({ key, issueKey, typed: true });
      }
    }
    expect(writesSince()).toEqual({ jira: {}, kvs: {} });
  });
});

/**
 * What makes an event one the validator must refuse before it reads anything: not an event
 * Jira sends (no valid issue key), or a configuration the gate does not accept. An event that
 * is validly shaped (a foreign issue key included) is a real question for the gate; those are
 * checked too, but never counted toward the 1,000.
 */
const invalidityOf = (moduleKey: string, event: unknown): 'event' | 'configuration' | undefined => {
  const parsed = ValidatorEventSchema.safeParse(event);
  if (!parsed.success) return 'event';
  const gate = GATE_OF_MODULE[moduleKey];
  if (gate === undefined) throw new Error(`no gate for ${moduleKey}`);
  return parseGateConfig(gate, parsed.data.configuration).ok ? undefined : 'configuration';
};

/** The refusal each kind of invalid event gets: `{ result: false }` with the message saying why. */
const REFUSAL_WORDING = {
  event: /Jira sent no valid issue key/,
  configuration: /this validator's configuration is invalid/,
} as const;

describe.each(validatorKeys.map((k) => [k]))('validator %s', (moduleKey) => {
  it(`refuses ${PER_KEY} invalid or hostile events with a typed refusal and writes nothing`, async () => {
    const example = { issue: { key: 'QMS-1' }, configuration: {}, transition: { from: { id: '1' }, to: { id: '21' } } };
    resetCounters();
    let invalid = 0;
    let validlyShaped = 0;
    const kinds = { pollution: 0, huge: 0, foreignKey: 0 };
    for (let seed = 1; invalid < PER_KEY; seed++) {
      for (const [n, raw] of hostilePayloads(seed * 104729, example, 250).entries()) {
        const event = overTheWire(raw);
        const why = invalidityOf(moduleKey, event);
        const verdict = VerdictShape.safeParse(await app.invokeFunction(moduleKey, event));
        const where = `${moduleKey} seed ${seed} case ${n}`;
        expect({ where, typed: verdict.success }).toEqual({ where, typed: true });
        if (!verdict.success) continue;
        if (why === undefined) {
          // A validly shaped event (another project's issue, a missing one): any answer, but a refusal says why.
          validlyShaped += 1;
          if (!verdict.data.result) expect(verdict.data.errorMessage).toBeDefined();
          continue;
        }
        expect({ where, verdict: verdict.data }).toEqual({
          where,
          verdict: { result: false, errorMessage: expect.stringMatching(REFUSAL_WORDING[why]) },
        });
        invalid += 1;
        const text = JSON.stringify(event) ?? '';
        if (/"(__proto__|constructor|prototype)"/.test(text)) kinds.pollution += 1;
        if (text.length > 100_000) kinds.huge += 1;
        if (/"(RIM-\d+|HR-1|ADMIN-1|QMS-9999)"/.test(text)) kinds.foreignKey += 1;
        if (invalid >= PER_KEY) break;
      }
    }
    expect(invalid).toBe(PER_KEY);
    // The 1,000 are hostile in each of the ways the issue names, not only in one.
    expect(Object.values(kinds).every((n) => n >= 10)).toBe(true);
    // The uncounted, validly shaped events are a minority the generator happens to make.
    expect(validlyShaped).toBeLessThan(invalid);
    expect(writesSince()).toEqual({ jira: {}, kvs: {} });
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
