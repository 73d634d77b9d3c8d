/**
 * Hosts the app the way Forge would: reads manifest.yml, resolves each module to the handler
 * src/index.ts exports for it, and wires the Jira stand-in and the Forge runtime together so
 * the stand-in's transitions call the app's real validator functions and its events reach the
 * app's real triggers. Everything here is sandbox-only; nothing in src/ knows it exists.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { createJiraProductHandler, createJiraStandIn } from './jira';
import type { JiraStandIn } from './jira';
import type { ValidatorInvocation, ValidatorVerdict } from './jira/config';
import { installForgeRuntime } from './runtime/forge-runtime';
import type { InstalledForgeRuntime } from './runtime/forge-runtime';
import { createQueueDelivery } from './runtime/queue-delivery';
import { recordSignedImpact, seededImpact } from './signed-seed';
import type { QueueDeliveryFailure } from './runtime/queue-delivery';

const root = resolve(__dirname, '..');

const ModuleSchema = z.looseObject({
  key: z.string(),
  function: z.string().optional(),
  events: z.array(z.string()).optional(),
  filter: z.looseObject({ ignoreSelf: z.boolean().optional() }).optional(),
  queue: z.string().optional(),
});
const ManifestSchema = z.looseObject({
  modules: z.record(z.string(), z.array(ModuleSchema)),
  app: z.looseObject({ storage: z.looseObject({ entities: z.unknown().optional() }).optional() }),
});
export type HostedManifest = z.infer<typeof ManifestSchema>;

type Handler = (event: unknown, context: unknown) => unknown;

const VerdictSchema = z.strictObject({ result: z.boolean(), errorMessage: z.string().optional() });

export interface HostedModule {
  key: string;
  type: string;
  functionKey: string | undefined;
  events: string[];
  /** A trigger's `filter: { ignoreSelf: true }`: Forge does not deliver events the app caused. */
  ignoreSelf: boolean;
  /** A consumer's queue. */
  queue?: string;
}

export interface SandboxApp {
  jira: JiraStandIn;
  runtime: InstalledForgeRuntime;
  modules: HostedModule[];
  /** Runs a function module (validator, trigger) with `event`, as Forge would. */
  invokeFunction(moduleKey: string, event: unknown, accountId?: string): Promise<unknown>;
  /** Resolves when every Jira event and every queued `@forge/events` event so far has been delivered, including what they caused. */
  whenIdle(): Promise<void>;
  /** Consumers that threw while handling a queued event. */
  queueDeliveryFailures(): readonly QueueDeliveryFailure[];
  /** Stops event delivery, waits for the event being delivered, and uninstalls the runtime. */
  close(): Promise<void>;
}

export const loadManifest = (path = join(root, 'manifest.yml')): HostedManifest =>
  ManifestSchema.parse(load(readFileSync(path, 'utf8')));

const loadHandlers = (): Record<string, unknown> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index: unknown = require(join(root, 'src', 'index'));
  return z.record(z.string(), z.unknown()).parse(index);
};

export interface SandboxAppOptions {
  now?: () => Date;
  manifest?: HostedManifest;
  /** Where the Jira stand-in is served, for the `self` links in its answers. */
  baseUrl?: string;
  /** Sees every Jira request the app sends through the runtime and the stand-in's answer (tests hold them to the OpenAPI spec). */
  observeJira?: (exchange: JiraExchange) => void;
}

export interface JiraExchange {
  /** Who the request acts as: the user for `asUser()`, undefined for `asApp()`. */
  accountId?: string | undefined;
  method: string;
  path: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

const parseJsonText = (text: string | undefined): unknown => {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const createSandboxApp = (options: SandboxAppOptions = {}): SandboxApp => {
  const manifest = options.manifest ?? loadManifest();
  const handlers = loadHandlers();
  const functionHandler = new Map<string, Handler>();
  for (const fn of manifest.modules['function'] ?? []) {
    const handlerName = z.looseObject({ handler: z.string() }).parse(fn).handler.split('.')[1] ?? '';
    const handler = handlers[handlerName];
    if (typeof handler !== 'function')
      throw new Error(`manifest function ${fn.key} names ${handlerName}, which src/index.ts does not export`);
    functionHandler.set(fn.key, (event, context) => Reflect.apply(handler, undefined, [event, context]));
  }
  const modules: HostedModule[] = Object.entries(manifest.modules)
    .filter(([type]) => type !== 'function')
    .flatMap(([type, list]) =>
      list.map((m) => ({
        key: m.key,
        type,
        functionKey: m.function,
        events: m.events ?? [],
        ignoreSelf: m.filter?.ignoreSelf === true,
        ...(m.queue !== undefined ? { queue: m.queue } : {}),
      })),
    );

  const handlerOf = (moduleKey: string): { module: HostedModule; handler: Handler } => {
    const module = modules.find((m) => m.key === moduleKey);
    if (!module) throw new Error(`no module ${moduleKey} in manifest.yml`);
    const handler = module.functionKey ? functionHandler.get(module.functionKey) : undefined;
    if (!handler) throw new Error(`module ${moduleKey} has no function handler`);
    return { module, handler };
  };

  // The stand-in and the runtime refer to each other; bind late.
  const bound: { runtime?: InstalledForgeRuntime } = {};
  const requireRuntime = (): InstalledForgeRuntime => {
    if (!bound.runtime) throw new Error('sandbox runtime not installed');
    return bound.runtime;
  };

  const invokeFunction = async (moduleKey: string, event: unknown, accountId?: string): Promise<unknown> => {
    const { module, handler } = handlerOf(moduleKey);
    return requireRuntime().invokeFunction(handler, event, {
      moduleKey,
      moduleType: module.type,
      ...(module.functionKey ? { functionKey: module.functionKey } : {}),
      ...(accountId ? { accountId } : {}),
    });
  };

  const runValidator = async (invocation: ValidatorInvocation): Promise<ValidatorVerdict> => {
    const verdict = VerdictSchema.parse(
      await invokeFunction(invocation.moduleKey, {
        issue: invocation.issue,
        configuration: invocation.configuration,
        transition: invocation.transition,
        modifiedFields: invocation.modifiedFields,
      }),
    );
    return verdict.errorMessage === undefined ? { result: verdict.result } : verdict;
  };

  // Events still queued when the app closes are dropped, as an uninstalled app gets none.
  let closed = false;
  const emit = async (
    eventType: string,
    event: Record<string, unknown>,
    origin: { selfGenerated: boolean },
  ): Promise<void> => {
    if (closed) return;
    for (const trigger of modules.filter((m) => m.type === 'trigger' && m.events.includes(eventType))) {
      if (trigger.ignoreSelf && origin.selfGenerated) continue;
      await invokeFunction(trigger.key, { ...event, eventType });
    }
  };

  const queues = createQueueDelivery(async (queueName, event) => {
    for (const consumer of modules.filter((m) => m.type === 'consumer' && m.queue === queueName)) {
      const { handler } = handlerOf(consumer.key);
      await requireRuntime().invokeConsumer(handler, event, {
        moduleKey: consumer.key,
        ...(consumer.functionKey ? { functionKey: consumer.functionKey } : {}),
      });
    }
  });

  const jira = createJiraStandIn({
    runValidator,
    emit,
    ...(options.now ? { now: options.now } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const jiraProductHandler = createJiraProductHandler(jira);
  const runtime = installForgeRuntime({
    productHandler: async (request) => {
      const response = await jiraProductHandler(request);
      options.observeJira?.({
        accountId: request.accountId,
        method: request.method,
        path: request.path,
        requestBody: parseJsonText(request.body),
        status: response.status,
        responseBody: parseJsonText(response.body),
      });
      return response;
    },
    ...(manifest.app.storage?.entities ? { entities: manifest.app.storage.entities } : {}),
    queueHandler: queues.handler,
  });
  bound.runtime = runtime;

  // A seeded issue stands for a state the app got to: its assessment is recorded as signed too.
  const seedIssue = jira.seedIssue.bind(jira);
  jira.seedIssue = (input) => {
    const { input: asInJira, signed } = seededImpact(input);
    const seeded = seedIssue(asInJira);
    if (signed)
      recordSignedImpact(
        runtime.kvs,
        seeded.key,
        signed,
        new Date(input.updated ?? input.created ?? options.now?.() ?? new Date()).toISOString(),
      );
    return seeded;
  };

  // A trigger may queue work and a consumer may cause Jira events: wait until a whole pass
  // over both finds nothing more happening (no call through the Forge seam meanwhile).
  const seamCalls = (): number => Object.values(runtime.seamUsage().fetchCallsByTarget).reduce((sum, n) => sum + n, 0);
  const whenIdle = async (): Promise<void> => {
    for (;;) {
      const before = seamCalls();
      await jira.whenEventsDelivered();
      await queues.idle();
      if (seamCalls() === before) return;
    }
  };

  return {
    jira,
    runtime,
    modules,
    invokeFunction,
    whenIdle,
    queueDeliveryFailures: () => queues.failures(),
    close: async () => {
      closed = true;
      queues.stop();
      await whenIdle();
      requireRuntime().uninstall();
    },
  };
};
