/**
 * The sandbox's stand-in for the Forge runtime. @forge/api, @forge/kvs and @forge/events do
 * not talk to the network themselves: every product, storage and queue call goes through
 * `globalThis.__forge_fetch__(target, path, init)`, and they read invocation facts (app
 * context, tracing, the storage endpoint and its token) from `globalThis.__forge_runtime__`.
 * Installing those two globals lets the app's real code run unchanged against the sandbox's
 * Jira stand-in, KVS stand-in and queue.
 *
 * Everything about the current invocation (user, module, trace) comes from an
 * AsyncLocalStorage, so `__forge_runtime__` is one object whose fields are getters onto the
 * invocation in progress.
 */
import type { ForgeRuntime } from '@forge/api';
import type Resolver from '@forge/resolver';
import { randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { InMemoryKvs } from '../kvs';
import {
  bodyAsText,
  ForgeFetchInitSchema,
  ForgeFetchTargetSchema,
  KvsTargetSchema,
  normaliseHeaders,
  ProductAnswerSchema,
  ProductTargetSchema,
  QUEUE_PATHS,
  QueueJobRequestSchema,
  QueuePushRequestSchema,
  type ProductTarget,
} from './forge-fetch.schema';
import {
  currentInvocation,
  DEFAULT_INSTALLATION,
  invocationStorage,
  resolveInvocation,
  type ForgeLicense,
  type ForgeProduct,
  type InstallationConfig,
  type InvocationContext,
  type InvocationIdentity,
} from './invocation-context';
import { createInvocationUsageRecorder } from './invocation-usage';
import type { InvocationUsage, InvocationUsageRecorder, SeamCallKind } from './invocation-usage';

export {
  currentInvocation,
  DEFAULT_INSTALLATION,
  type ForgeLicense,
  type ForgeProduct,
  type InstallationConfig,
  type InvocationContext,
  type InvocationIdentity,
};
export type { InvocationUsage };

/** A Jira or Confluence REST call as the product stand-in receives it. */
export interface ProductRequest {
  provider: 'user' | 'app';
  remote: 'jira' | 'confluence';
  /** The user the call acts as: set for `asUser()`, undefined for `asApp()`. */
  accountId: string | undefined;
  method: string;
  /** Path and query string exactly as the app's `route` built them. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | undefined;
}

export interface ProductResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type ProductHandler = (request: ProductRequest) => Promise<ProductResponse>;

export interface QueuedEvent {
  body: Record<string, unknown>;
  delayInSeconds?: number | undefined;
  concurrency?: { key: string; limit: number } | undefined;
}

/** One `new Queue({ key }).push(events)` call. */
export interface QueuePush {
  queueName: string;
  jobId: string;
  events: QueuedEvent[];
  pushedAt: string;
  /** The invocation that pushed, so the consumer can later run in the same installation. */
  pushedBy: InvocationContext | undefined;
}

export interface QueueJobStats {
  success: number;
  inProgress: number;
  failed: number;
}

export interface QueueHandler {
  push(push: QueuePush): Promise<void> | void;
  /** For `queue.getJob(id).getStats()`; undefined means "no such job". */
  stats?(job: { queueName: string; jobId: string }): Promise<QueueJobStats | undefined> | QueueJobStats | undefined;
  /** For `queue.cancel(id)`; false means "no such job". */
  cancel?(job: { queueName: string; jobId: string }): Promise<boolean> | boolean;
}

export interface ForgeRuntimeOptions {
  installation?: Partial<InstallationConfig>;
  /** The Jira/Confluence REST stand-in. Without one, product calls fail with a clear error. */
  productHandler?: ProductHandler;
  queueHandler?: QueueHandler;
  /** A store to share or pre-fill; by default a new one built from `entities`. */
  kvs?: InMemoryKvs;
  /** The manifest's `app.storage.entities`, used when no `kvs` is given. */
  entities?: unknown;
  /** Epoch milliseconds, for deadlines. */
  now?: () => number;
}

/** The context object Forge passes as the second argument of every function handler. */
export interface FunctionContext {
  installContext: string;
  principal?: { accountId: string };
  license?: ForgeLicense;
  installation: {
    ari: { installationId: string; toString(): string };
    contexts: { cloudId: string; toString(): string }[];
  };
}

/** The handler `new Resolver().getDefinitions()` returns, typed by @forge/resolver itself. */
export type ResolverHandler = ReturnType<Resolver['getDefinitions']>;

export interface ResolverCall {
  functionKey: string;
  payload?: unknown;
  /** Module context the Custom UI host sends with `invoke`: the issue, project, macro config ... */
  extension?: Record<string, unknown>;
  localId?: string;
}

/** The event a `consumer` function receives for one queued event (`AsyncEvent` in @forge/events). */
export interface ConsumerEvent {
  queueName: string;
  jobId: string;
  eventId: string;
  body: Record<string, unknown>;
  delayInSeconds?: number;
  retryContext?: { retryCount: number; retryReason: string; retryData: unknown };
}

export interface SeamUsage {
  runtimeReads: number;
  /** Keyed `type:provider:remote` as far as the target has them, e.g. `fpp:user:jira`, `kvs`, `kvs:app:kvs`. */
  fetchCallsByTarget: Record<string, number>;
}

export interface InstalledForgeRuntime {
  readonly kvs: InMemoryKvs;
  readonly installation: InstallationConfig;
  /** How the app's libraries used the seam: reads of `__forge_runtime__`, calls of `__forge_fetch__` by target. */
  seamUsage(): SeamUsage;
  /** Per function invocation (resolver, trigger, validator, consumer): its Jira calls, storage operations and time, oldest first. */
  invocationUsage(): InvocationUsage[];
  resetInvocationUsage(): void;
  runAs<T>(identity: InvocationIdentity, run: () => T): T;
  invokeResolver(handler: ResolverHandler, call: ResolverCall, identity: InvocationIdentity): Promise<unknown>;
  invokeFunction<E, R>(
    handler: (event: E, context: FunctionContext) => R | Promise<R>,
    event: E,
    identity: InvocationIdentity,
  ): Promise<R>;
  invokeConsumer<R>(
    handler: (event: ConsumerEvent, context: FunctionContext) => R | Promise<R>,
    event: Omit<ConsumerEvent, 'eventId'> & { eventId?: string },
    identity: Omit<InvocationIdentity, 'accountId'>,
  ): Promise<R>;
  uninstall(): void;
}

/** Forge's limits on a frontend `invoke`: 500 KB request, 5 MB response. */
const MAX_INVOKE_PAYLOAD_BYTES = 500 * 1024;
const MAX_INVOKE_RESPONSE_BYTES = 5 * 1024 * 1024;

export class InvocationTimeoutError extends Error {
  constructor(invocation: InvocationContext) {
    super(
      `Invocation of '${invocation.functionKey}' (module '${invocation.moduleKey}') exceeded its ${Math.round((invocation.deadlineMs - invocation.startedAtMs) / 1000)} s limit`,
    );
    this.name = 'InvocationTimeoutError';
  }
}

// One token and one endpoint for the module's lifetime: @forge/kvs captures the runtime
// object when it is first imported, so they must stay valid across install/uninstall.
const PROXY_TOKEN = `sandbox-${randomBytes(12).toString('hex')}`;
const KVS_ENDPOINT = { url: 'https://kvs.forge-sandbox.invalid', host: 'kvs.forge-sandbox.invalid' };

interface ActiveRuntime {
  installation: InstallationConfig;
  kvs: InMemoryKvs;
  productHandler: ProductHandler | undefined;
  queueHandler: QueueHandler | undefined;
  now: () => number;
  /** Stands for code that runs outside any invocation, e.g. a test seeding storage. */
  outsideInvocation: InvocationContext;
  usage: SeamUsage;
  invocations: InvocationUsageRecorder;
}

let active: ActiveRuntime | undefined;

const requireActive = (): ActiveRuntime => {
  if (active === undefined)
    throw new Error('The Forge sandbox runtime is not installed: call installForgeRuntime() first');
  return active;
};

const invocationInProgress = (): InvocationContext => currentInvocation() ?? requireActive().outsideInvocation;

const installationOf = (invocation: InvocationContext): FunctionContext['installation'] => {
  const { installationId, cloudId } = invocation.installation;
  return {
    ari: { installationId, toString: () => `ari:cloud:ecosystem::installation/${installationId}` },
    contexts: [{ cloudId, toString: () => invocation.installContext }],
  };
};

const noOpMetrics: ForgeRuntime['metrics'] = {
  counter: () => ({ incr: () => undefined, incrBy: () => undefined, decr: () => undefined, decrBy: () => undefined }),
  timing: () => ({ measure: () => ({ stop: () => undefined }) }),
  gauge: () => ({ set: () => undefined }),
};

/**
 * The value of `globalThis.__forge_runtime__`. `satisfies ForgeRuntime` pins it to the type
 * @forge/api declares, so a change there fails the type check.
 */
const forgeRuntime = {
  proxy: { token: PROXY_TOKEN, url: 'https://proxy.forge-sandbox.invalid' },
  get contextAri(): string {
    return invocationInProgress().installContext;
  },
  container: { runtime: 'forge-sandbox' },
  get appContext(): ForgeRuntime['appContext'] {
    const invocation = invocationInProgress();
    const { appId, appVersion, environmentId, environmentType, installationId } = invocation.installation;
    return {
      appId,
      appVersion,
      environmentId,
      environmentType,
      installationId,
      invocationId: invocation.invocationId,
      functionKey: invocation.functionKey,
      moduleType: invocation.moduleType,
      moduleKey: invocation.moduleKey,
      ...(invocation.license === undefined ? {} : { license: invocation.license }),
      installation: installationOf(invocation),
    };
  },
  get aaid(): string | undefined {
    return invocationInProgress().accountId;
  },
  lambdaContext: {
    get awsRequestId(): string {
      return invocationInProgress().invocationId;
    },
    getRemainingTimeInMillis: (): number => Math.max(0, invocationInProgress().deadlineMs - requireActive().now()),
  },
  get tracing(): ForgeRuntime['tracing'] {
    const { traceId, spanId } = invocationInProgress();
    return { traceId, spanId };
  },
  realtime: {},
  metrics: noOpMetrics,
  kvs: KVS_ENDPOINT,
  featureFlags: (): boolean => false,
} satisfies ForgeRuntime;

const jsonHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  'content-type': 'application/json',
  ...extra,
});

const toResponse = (status: number, body: string | undefined, headers: Record<string, string>): Response =>
  // A fetch Response may not carry a body with 204/304.
  new Response(status === 204 || status === 304 ? null : (body ?? null), {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers,
  });

/**
 * @forge/api reads the `forge-proxy-error` header of every product answer and throws: with
 * `NEEDS_AUTHENTICATION_ERR` a `NeedsAuthenticationError('Authentication Required')`, with any
 * other value a `ProxyRequestError` (see `handleProxyResponseErrors` in api/fetch.js).
 */
const proxyError = (status: number, reason: string): Response =>
  toResponse(status, undefined, { 'forge-proxy-error': reason });

const unsupported = (what: string): Error => new Error(`The Forge sandbox does not support ${what}`);

const routeStorage = (
  runtime: ActiveRuntime,
  target: z.infer<typeof KvsTargetSchema>,
  path: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Response => {
  // Modern target: the client authenticates with the runtime's proxy token, like on Forge.
  if (target.provider === undefined && headers['authorization'] !== `Bearer ${PROXY_TOKEN}`) {
    return toResponse(
      401,
      JSON.stringify({ code: 'UNAUTHORIZED', message: 'Missing or wrong bearer token for the storage API' }),
      jsonHeaders(),
    );
  }
  const answer = runtime.kvs.handle({ method, path, body });
  return toResponse(answer.status, answer.body, jsonHeaders({ 'x-b3-traceid': invocationInProgress().traceId }));
};

const routeProduct = async (
  runtime: ActiveRuntime,
  target: ProductTarget & { remote: 'jira' | 'confluence' },
  path: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Response> => {
  if (target.provider === 'none') {
    throw unsupported(`the bare requestJira/requestConfluence export (no asUser() or asApp()) for ${method} ${path}`);
  }
  if (target.contextAri !== undefined) throw unsupported(`withContext('${target.contextAri}')`);
  // asUser() names no user: the proxy acts as the invocation's user, and there is none in a
  // trigger, scheduled function or consumer. asUser(accountId) names one explicitly.
  const accountId = target.provider === 'user' ? (target.accountId ?? currentInvocation()?.accountId) : undefined;
  if (target.provider === 'user' && accountId === undefined) return proxyError(401, 'NEEDS_AUTHENTICATION_ERR');
  if (runtime.productHandler === undefined)
    throw unsupported(`product calls without a product handler (${method} ${path})`);
  const answer = ProductAnswerSchema.safeParse(
    await runtime.productHandler({
      provider: target.provider,
      remote: target.remote,
      accountId,
      method,
      path,
      headers,
      body,
    }),
  );
  if (!answer.success)
    throw new Error(
      `The product handler answered ${method} ${path} with an invalid response: ${z.prettifyError(answer.error)}`,
    );
  return toResponse(answer.data.status, answer.data.body, answer.data.headers ?? {});
};

/** @forge/events sends queue calls as app-authenticated product calls to `stargate`. */
const routeQueue = async (runtime: ActiveRuntime, path: string, body: string | undefined): Promise<Response> => {
  const parseJson = <S extends z.ZodType>(schema: S): z.infer<S> => {
    const parsed = schema.safeParse(body === undefined ? undefined : JSON.parse(body));
    if (!parsed.success)
      throw new Error(`Unexpected @forge/events request to ${path}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  };
  const queue = runtime.queueHandler;
  if (path.startsWith(QUEUE_PATHS.push)) {
    const request = parseJson(QueuePushRequestSchema);
    if (queue === undefined) throw unsupported(`Queue.push to '${request.queueName}' without a queue handler`);
    await queue.push({
      queueName: request.queueName,
      jobId: request.jobId,
      events: request.payload,
      pushedAt: request.time,
      pushedBy: currentInvocation(),
    });
    // validatePushAPIResponse accepts exactly 201.
    return toResponse(201, '{}', jsonHeaders());
  }
  if (path.startsWith(QUEUE_PATHS.stats)) {
    const { queueName, jobId } = parseJson(QueueJobRequestSchema);
    const stats = await queue?.stats?.({ queueName, jobId });
    return stats === undefined
      ? toResponse(404, '{}', jsonHeaders())
      : toResponse(200, JSON.stringify(stats), jsonHeaders());
  }
  if (path.startsWith(QUEUE_PATHS.cancel)) {
    const { queueName, jobId } = parseJson(QueueJobRequestSchema);
    const cancelled = (await queue?.cancel?.({ queueName, jobId })) ?? false;
    return cancelled ? toResponse(204, undefined, {}) : toResponse(404, '{}', jsonHeaders());
  }
  throw unsupported(`the platform API ${path}`);
};

const seamCallKind = (target: unknown): SeamCallKind | undefined => {
  if (KvsTargetSchema.safeParse(target).success) return 'kvs';
  const product = ProductTargetSchema.safeParse(target);
  if (!product.success) return undefined;
  if (product.data.remote === 'jira' || product.data.remote === 'confluence') return product.data.remote;
  return product.data.remote === 'stargate' ? 'queue' : undefined;
};

/** The value of `globalThis.__forge_fetch__`. */
const forgeFetch = async (target: unknown, path: unknown, init: unknown): Promise<Response> => {
  const runtime = requireActive();
  const parsedTarget = ForgeFetchTargetSchema.safeParse(target);
  if (!parsedTarget.success) {
    throw new Error(
      `__forge_fetch__ got a target of unknown shape ${JSON.stringify(target)}: has the @forge seam moved? Check the pinned @forge versions.`,
    );
  }
  const targetKey = [
    parsedTarget.data.type,
    'provider' in parsedTarget.data ? parsedTarget.data.provider : undefined,
    'remote' in parsedTarget.data ? parsedTarget.data.remote : undefined,
  ]
    .filter((part) => typeof part === 'string')
    .join(':');
  runtime.usage.fetchCallsByTarget[targetKey] = (runtime.usage.fetchCallsByTarget[targetKey] ?? 0) + 1;
  const kind = seamCallKind(target);
  if (kind !== undefined) runtime.invocations.count(currentInvocation()?.invocationId, kind);
  if (typeof path !== 'string') throw new Error(`__forge_fetch__ expects a string path, got ${typeof path}`);
  const parsedInit = ForgeFetchInitSchema.safeParse(init);
  if (!parsedInit.success)
    throw new Error(`__forge_fetch__ got an unexpected init: ${z.prettifyError(parsedInit.error)}`);
  const method = (parsedInit.data?.method ?? 'GET').toUpperCase();
  const headers = normaliseHeaders(parsedInit.data?.headers);
  const body = bodyAsText(parsedInit.data?.body);

  const storageTarget = KvsTargetSchema.safeParse(target);
  if (storageTarget.success) return routeStorage(runtime, storageTarget.data, path, method, headers, body);
  const productTarget = ProductTargetSchema.safeParse(target);
  if (!productTarget.success) throw unsupported(`fetch target type '${parsedTarget.data.type}'`);
  const { remote } = productTarget.data;
  if (remote === 'jira' || remote === 'confluence')
    return routeProduct(runtime, { ...productTarget.data, remote }, path, method, headers, body);
  if (remote === 'stargate' && productTarget.data.provider === 'app') return routeQueue(runtime, path, body);
  throw unsupported(`product remote '${remote}' as ${productTarget.data.provider} (${method} ${path})`);
};

const runAsIn = <T>(runtime: ActiveRuntime, identity: InvocationIdentity, run: () => T): T =>
  invocationStorage.run(resolveInvocation(identity, runtime.installation, runtime.now()), run);

/** Runs a handler inside a fresh invocation and rejects, as Forge would, when it overruns its limit. */
const invokeWithinLimit = async <R>(
  runtime: ActiveRuntime,
  identity: InvocationIdentity,
  run: (invocation: InvocationContext) => R | Promise<R>,
): Promise<R> =>
  runAsIn(runtime, identity, async () => {
    const invocation = invocationInProgress();
    runtime.invocations.start(invocation);
    let outcome: 'returned' | 'threw' = 'threw';
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new InvocationTimeoutError(invocation)),
        Math.max(0, invocation.deadlineMs - runtime.now()),
      );
      timer.unref();
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => run(invocation)), overrun]);
      outcome = 'returned';
      return result;
    } finally {
      clearTimeout(timer);
      runtime.invocations.finish(invocation.invocationId, outcome);
    }
  });

const functionContextOf = (invocation: InvocationContext): FunctionContext => ({
  installContext: invocation.installContext,
  ...(invocation.accountId === undefined ? {} : { principal: { accountId: invocation.accountId } }),
  ...(invocation.license === undefined ? {} : { license: invocation.license }),
  installation: installationOf(invocation),
});

/** Arguments and results cross the network on Forge: only their JSON survives. */
const overTheWire = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const jsonBytes = (value: unknown): number =>
  value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

const defineSeamGlobal = (name: '__forge_fetch__' | '__forge_runtime__', read: () => unknown): void => {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get: read,
    set: () => {
      throw new Error(`globalThis.${name} belongs to the Forge sandbox runtime; uninstall it before replacing`);
    },
  });
};

/**
 * Installs `__forge_fetch__` and `__forge_runtime__`. One runtime at a time: the globals are
 * process-wide. Install before the app's modules are imported when you can; @forge/kvs
 * chooses its request target at import and both of its targets are served.
 */
export const installForgeRuntime = (options: ForgeRuntimeOptions = {}): InstalledForgeRuntime => {
  if (active !== undefined) throw new Error('A Forge sandbox runtime is already installed: uninstall it first');
  const installation: InstallationConfig = { ...DEFAULT_INSTALLATION, ...options.installation };
  const now = options.now ?? Date.now;
  const runtime: ActiveRuntime = {
    installation,
    kvs: options.kvs ?? new InMemoryKvs({ entities: options.entities, now }),
    productHandler: options.productHandler,
    queueHandler: options.queueHandler,
    now,
    outsideInvocation: resolveInvocation({ moduleKey: 'outside-invocation', timeoutSeconds: 900 }, installation, now()),
    usage: { runtimeReads: 0, fetchCallsByTarget: {} },
    invocations: createInvocationUsageRecorder(),
  };
  active = runtime;
  defineSeamGlobal('__forge_runtime__', () => {
    runtime.usage.runtimeReads += 1;
    return forgeRuntime;
  });
  defineSeamGlobal('__forge_fetch__', () => forgeFetch);

  const invokeFunction = <E, R>(
    handler: (event: E, context: FunctionContext) => R | Promise<R>,
    event: E,
    identity: InvocationIdentity,
  ): Promise<R> => invokeWithinLimit(runtime, identity, (invocation) => handler(event, functionContextOf(invocation)));

  return {
    kvs: runtime.kvs,
    installation,
    seamUsage: () => ({
      runtimeReads: runtime.usage.runtimeReads,
      fetchCallsByTarget: { ...runtime.usage.fetchCallsByTarget },
    }),
    invocationUsage: () => runtime.invocations.read(),
    resetInvocationUsage: () => runtime.invocations.reset(),
    runAs: (identity, run) => runAsIn(runtime, identity, run),
    invokeResolver: async (handler, call, identity) => {
      const payload = overTheWire(call.payload);
      if (jsonBytes(payload) > MAX_INVOKE_PAYLOAD_BYTES) {
        throw new Error(
          `invoke('${call.functionKey}') payload exceeds Forge's ${MAX_INVOKE_PAYLOAD_BYTES / 1024} KB limit`,
        );
      }
      const result = await invokeWithinLimit(runtime, identity, (invocation) =>
        // Shape from @forge/resolver's getDefinitions(): `{ call, context }` from the frontend,
        // then the function context, whose principal becomes `context.accountId`.
        handler(
          {
            call: { functionKey: call.functionKey, payload },
            context: {
              accountId: invocation.accountId,
              cloudId: installation.cloudId,
              localId: call.localId ?? `sandbox-local-${invocation.moduleKey}`,
              moduleKey: invocation.moduleKey,
              siteUrl: installation.siteUrl,
              extension: call.extension ?? { type: invocation.moduleType },
              environmentId: installation.environmentId,
              environmentType: installation.environmentType,
              locale: installation.locale,
              timezone: installation.timezone,
            },
          },
          functionContextOf(invocation),
        ),
      );
      if (jsonBytes(result) > MAX_INVOKE_RESPONSE_BYTES) {
        throw new Error(
          `Resolver '${call.functionKey}' returned more than Forge's ${MAX_INVOKE_RESPONSE_BYTES / 1024 / 1024} MB limit`,
        );
      }
      return overTheWire(result);
    },
    invokeFunction,
    invokeConsumer: (handler, event, identity) =>
      invokeFunction(
        handler,
        { ...event, eventId: event.eventId ?? randomUUID() },
        { moduleType: 'core:consumer', ...identity, accountId: undefined },
      ),
    uninstall: () => {
      if (active !== runtime) return;
      active = undefined;
      Reflect.deleteProperty(globalThis, '__forge_runtime__');
      Reflect.deleteProperty(globalThis, '__forge_fetch__');
    },
  };
};

/** Runs `run` as one invocation of the installed runtime, with its own user, module and trace. */
export const runAs = <T>(identity: InvocationIdentity, run: () => T): T => runAsIn(requireActive(), identity, run);
