/**
 * The sandbox server (`npm start`): the app's real handlers against the Jira and KVS
 * stand-ins, with demo data, over HTTP. Sandbox only; never deployed.
 *
 *   GET  /                    start page: the demo issues and people
 *   /rest/api/3/...           the Jira REST stand-in (Basic auth: a demo user's e-mail, any token)
 *   GET  /sandbox/users       the demo users
 *   POST /sandbox/reset       back to the seeded demo data
 *   POST /sandbox/invoke      run a manifest module's function as Forge would
 *   POST|DELETE /sandbox/faults   inject or clear latency, 429s and 5xx on the Jira stand-in
 *   GET|DELETE  /sandbox/metrics  REST and KVS call counters
 *   GET  /jira/browse/{key}, /host/*   Jira-like host pages for the Custom UI bundles (sandbox/host)
 *   GET  /confluence/spaces/{space}/pages/{id}[/edit]   the Confluence page with the traceability macro
 *
 * `SANDBOX_DATA=path.json` keeps the state across restarts (see persistence.ts).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { join, resolve } from 'node:path';
import { createSandboxApp, loadManifest } from './app-host';
import type { HostedManifest } from './app-host';
import type { ResolverHandler } from './runtime/forge-runtime';
import type { SandboxApp } from './app-host';
import { createJiraHttpListener } from './jira';
import { createHostRoutes } from './host';
import { FaultSettingsSchema } from './jira/faults';
import { JiraStandInStateSchema } from './jira/model/state-schema';
import { KvsSnapshotSchema } from './kvs';
import { DEMO_USERS, createDemoClock, seedDemoJira, seedDemoStorage } from './demo/seed';
import { buildDemoIndex } from './demo/traceability-index';
import {
  SANDBOX_DATA_FORMAT,
  SandboxDataError,
  createStatePersister,
  readStateFile,
  writeStateFile,
} from './persistence';
import type { SandboxState, StatePersister } from './persistence';

export const DEFAULT_PORT = 8780;

export interface SandboxServerOptions {
  /** 0 picks a free port. Default 8780. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Keep state in this JSON file (what `SANDBOX_DATA` sets). */
  dataFile?: string;
  /** The clock after seeding; default the real time. Seeding always uses the demo's fixed clock. */
  now?: () => Date;
  /** Debounce of saves to `dataFile`, in ms. */
  saveDebounceMs?: number;
  log?: (line: string) => void;
}

export interface SandboxServer {
  url: string;
  app: SandboxApp;
  close(): Promise<void>;
}

/** Function modules Forge calls with an event; anything else is a UI module called through its resolver. */
const FUNCTION_MODULE_TYPES = new Set([
  'jira:workflowValidator',
  'trigger',
  'scheduledTrigger',
  'consumer',
  'webtrigger',
]);

export const InvokeBodySchema = z.strictObject({
  moduleKey: z.string().min(1),
  accountId: z.string().min(1),
  functionKey: z.string().min(1).optional(),
  payload: z.unknown().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

/** The resolver function of a UI module (`resolver.function` in manifest.yml) and its handler in src/index.ts. */
const resolverOf = (
  manifest: HostedManifest,
  moduleKey: string,
): { functionKey: string; handler: ResolverHandler } | undefined => {
  const module = Object.entries(manifest.modules)
    .filter(([type]) => type !== 'function')
    .flatMap(([, list]) => list)
    .find((m) => m.key === moduleKey);
  const functionKey = z.looseObject({ resolver: z.looseObject({ function: z.string() }) }).safeParse(module);
  if (!functionKey.success) return undefined;
  const fn = (manifest.modules['function'] ?? []).find((f) => f.key === functionKey.data.resolver.function);
  const handlerName = z.looseObject({ handler: z.string() }).safeParse(fn);
  if (!handlerName.success) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index: unknown = require(join(resolve(__dirname, '..'), 'src', 'index'));
  const handler: unknown = z.record(z.string(), z.unknown()).parse(index)[handlerName.data.handler.split('.')[1] ?? ''];
  if (typeof handler !== 'function') return undefined;
  return {
    functionKey: functionKey.data.resolver.function,
    handler: (...args: Parameters<ResolverHandler>) =>
      Reflect.apply(handler, undefined, args) as ReturnType<ResolverHandler>,
  };
};

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void => {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
};

const sendNoContent = (res: ServerResponse): void => {
  res.writeHead(204);
  res.end();
};

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseBody = async <S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> => {
  const text = await readBody(req);
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new HttpProblem(
      400,
      'INVALID_BODY',
      `The request body is not valid: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  return parsed.data;
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const issueNumber = (key: string): number => Number(key.split('-')[1] ?? 0);

const startPage = (
  app: SandboxApp,
  confluencePages: ReadonlyArray<{ title: string; path: string; space: string }>,
): string => {
  const state = app.jira.snapshot();
  const issues = Object.values(state.issues).sort(
    (a, b) => a.key.split('-')[0]?.localeCompare(b.key.split('-')[0] ?? '') || issueNumber(a.key) - issueNumber(b.key),
  );
  const rows = issues
    .map(
      (issue) =>
        `<tr><td><a href="/jira/browse/${escapeHtml(issue.key)}">${escapeHtml(issue.key)}</a></td><td>${escapeHtml(state.issueTypes[issue.issueTypeId]?.name ?? '')}</td><td>${escapeHtml(issue.summary)}</td><td>${escapeHtml(state.statuses[issue.statusId]?.name ?? '')}</td></tr>`,
    )
    .join('\n');
  const users = DEMO_USERS.map(
    (u) =>
      `<tr><td>${escapeHtml(u.displayName)}</td><td>${escapeHtml(u.role)}</td><td><code>${escapeHtml(u.email)}</code></td><td>${escapeHtml(u.access)}</td></tr>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QMS–RIM bridge sandbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f4f5f7}</style>
</head><body>
<h1>QMS–RIM bridge sandbox</h1>
<p>The app's real handlers run here against local stand-ins for Jira, Forge storage and the Forge runtime, with demo data.
Each issue key opens its Jira issue view (<code>/jira/browse/KEY</code>), where QMS records show the app's Regulatory impact panel (the production Custom UI bundle) as the user chosen in the switcher.
The app's Jira admin page (registry import and export, rules version, Jira mapping, audit trail, traceability index) is at <a href="/jira/admin">/jira/admin</a>, and the workflow editor with the app's gate validators at <a href="/jira/admin/workflows">/jira/admin/workflows</a> (sign in as Ada Admin).</p>
<h2>Confluence</h2>
<p>The Regulatory traceability macro on a Confluence page; <em>Edit</em> opens the editor, where <em>Edit macro</em> opens its configuration.</p>
<ul>
${confluencePages.map((p) => `<li><a href="${escapeHtml(p.path)}">${escapeHtml(p.title)}</a> <span>(${escapeHtml(p.space)})</span></li>`).join('\n')}
</ul>
<h2>Demo issues</h2>
<table><thead><tr><th>Key</th><th>Type</th><th>Summary</th><th>Status</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>People</h2>
<p>The REST stand-in at <code>/rest/api/3/...</code> takes HTTP Basic auth with one of these e-mails and any token.</p>
<table><thead><tr><th>Name</th><th>Role</th><th>E-mail</th><th>Access</th></tr></thead><tbody>
${users}
</tbody></table>
<h2>Sandbox API</h2>
<ul>
<li><code>GET /sandbox/users</code>, <code>POST /sandbox/reset</code>, <code>POST /sandbox/invoke</code></li>
<li><code>POST|DELETE /sandbox/faults</code>, <code>GET|DELETE /sandbox/metrics</code></li>
</ul>
</body></html>
`;
};

export const startSandboxServer = async (options: SandboxServerOptions = {}): Promise<SandboxServer> => {
  const log = options.log ?? (() => undefined);
  let clock = createDemoClock();
  const manifest = loadManifest();
  const requestedPort = options.port ?? DEFAULT_PORT;
  // Jira's `self` links point at where this server answers (unknown until listening for port 0).
  const app = createSandboxApp({
    now: () => clock(),
    manifest,
    ...(requestedPort !== 0 ? { baseUrl: `http://localhost:${requestedPort}` } : {}),
  });
  let persister: StatePersister | undefined;
  let server: Server | undefined;
  try {
    seedDemoJira(app.jira);
    await seedDemoStorage(app.runtime);
    const adminPage = resolverOf(manifest, 'admin-page');
    if (adminPage) await buildDemoIndex(app, adminPage.handler);
    clock = options.now ?? (() => new Date());
    const seed: SandboxState = {
      format: SANDBOX_DATA_FORMAT,
      jira: app.jira.snapshot(),
      kvs: app.runtime.kvs.snapshot(),
    };
    const currentState = (): SandboxState => ({
      format: SANDBOX_DATA_FORMAT,
      jira: app.jira.snapshot(),
      kvs: app.runtime.kvs.snapshot(),
    });
    const restore = (state: SandboxState): void => {
      app.jira.restore(JiraStandInStateSchema.parse(state.jira));
      app.runtime.kvs.restore(KvsSnapshotSchema.parse(state.kvs));
    };

    if (options.dataFile !== undefined) {
      const file = options.dataFile;
      const saved = readStateFile(file);
      if (saved) {
        try {
          restore(saved);
        } catch (error) {
          restore(seed);
          throw new SandboxDataError(
            file,
            error instanceof z.ZodError
              ? z.prettifyError(error).replace(/\n/g, ' ')
              : error instanceof Error
                ? error.message
                : String(error),
          );
        }
        log(`Loaded sandbox state from ${file}`);
      } else {
        writeStateFile(file, seed);
        log(`Saving sandbox state to ${file} (new file, demo data)`);
      }
      persister = createStatePersister({
        file,
        read: currentState,
        ...(options.saveDebounceMs === undefined ? {} : { debounceMs: options.saveDebounceMs }),
        onError: (error) => log(`Could not save sandbox state to ${file}: ${error.message}`),
      });
    }
    app.jira.resetMetrics();
    app.runtime.kvs.resetMetrics();
    app.runtime.resetInvocationUsage();

    const changed = (): void => {
      if (!persister) return;
      const save = persister;
      // Triggers run after the request answered; save once they have had their say.
      void app.whenIdle().then(() => save.schedule());
    };

    const jiraListener = createJiraHttpListener(app.jira);
    const host = createHostRoutes({
      app,
      manifest,
      resolverOf: (moduleKey) => resolverOf(manifest, moduleKey),
      changed,
    });

    const routeSandbox = async (
      req: IncomingMessage,
      res: ServerResponse,
      method: string,
      path: string,
    ): Promise<void> => {
      const only = (...methods: string[]): void => {
        if (!methods.includes(method))
          throw new HttpProblem(
            405,
            'METHOD_NOT_ALLOWED',
            `${method} is not allowed on ${path}; use ${methods.join(' or ')}.`,
          );
      };
      switch (path) {
        case '/':
        case '/index.html': {
          only('GET');
          const html = startPage(
            app,
            host.confluence
              .pages()
              .map((p) => ({ title: p.title, path: host.confluencePath(p.id), space: p.space.name })),
          );
          res.writeHead(200, {
            'Content-Type': 'text/html;charset=UTF-8',
            'Content-Length': String(Buffer.byteLength(html)),
          });
          res.end(html);
          return;
        }
        case '/sandbox/users':
          only('GET');
          sendJson(
            res,
            200,
            DEMO_USERS.map(({ accountId, email, displayName, role }) => ({ accountId, email, displayName, role })),
          );
          return;
        case '/sandbox/reset':
          only('POST');
          await app.whenIdle();
          restore(seed);
          host.confluence.reset();
          persister?.schedule();
          sendNoContent(res);
          return;
        case '/sandbox/invoke': {
          only('POST');
          const body = await parseBody(req, InvokeBodySchema);
          const module = app.modules.find((m) => m.key === body.moduleKey);
          if (!module)
            throw new HttpProblem(404, 'MODULE_NOT_FOUND', `manifest.yml has no module '${body.moduleKey}'.`);
          if (!DEMO_USERS.some((u) => u.accountId === body.accountId))
            throw new HttpProblem(
              400,
              'UNKNOWN_ACCOUNT',
              `'${body.accountId}' is not a demo user; see GET /sandbox/users.`,
            );
          let result: unknown;
          try {
            if (FUNCTION_MODULE_TYPES.has(module.type)) {
              result = await app.invokeFunction(module.key, body.payload, body.accountId);
            } else {
              const resolver = resolverOf(manifest, module.key);
              if (!resolver)
                throw new HttpProblem(
                  400,
                  'NO_RESOLVER',
                  `Module '${module.key}' (${module.type}) has no resolver in manifest.yml, so there is nothing to invoke.`,
                );
              if (body.functionKey === undefined)
                throw new HttpProblem(
                  400,
                  'FUNCTION_KEY_REQUIRED',
                  `Module '${module.key}' is a UI module: name the resolver function to call in "functionKey".`,
                );
              result = await app.runtime.invokeResolver(
                resolver.handler,
                {
                  functionKey: body.functionKey,
                  payload: body.payload,
                  extension: { type: module.type, ...(body.context ?? {}) },
                },
                {
                  accountId: body.accountId,
                  moduleKey: module.key,
                  functionKey: resolver.functionKey,
                  moduleType: module.type,
                },
              );
            }
          } catch (error) {
            if (error instanceof HttpProblem) throw error;
            throw new HttpProblem(
              500,
              'INVOCATION_FAILED',
              `Module '${module.key}' failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          } finally {
            changed();
          }
          sendJson(res, 200, { result: result === undefined ? null : result });
          return;
        }
        case '/sandbox/faults':
          only('POST', 'DELETE');
          if (method === 'DELETE') {
            app.jira.clearFaults();
            sendNoContent(res);
            return;
          }
          {
            const faults = await parseBody(req, FaultSettingsSchema);
            app.jira.setFaults(faults);
            sendJson(res, 200, { faults });
          }
          return;
        case '/sandbox/metrics':
          only('GET', 'DELETE');
          if (method === 'DELETE') {
            app.jira.resetMetrics();
            app.runtime.kvs.resetMetrics();
            app.runtime.resetInvocationUsage();
            sendNoContent(res);
            return;
          }
          {
            const jira = app.jira.metrics();
            const kvs = app.runtime.kvs.metrics();
            sendJson(res, 200, {
              jira: { total: jira.total, byEndpoint: jira.byEndpoint, byAccount: jira.byAccount },
              kvs: {
                total: kvs.total,
                byOperation: Object.fromEntries(Object.entries(kvs.byOperation).filter(([, count]) => count > 0)),
              },
              invocations: app.runtime.invocationUsage(),
            });
          }
          return;
        default:
          if (await host.handle(req, res, method, path)) return;
          throw new HttpProblem(
            404,
            'NOT_FOUND',
            `Nothing at ${method} ${path}. The Jira REST stand-in is under /rest/api/3/, the sandbox API under /sandbox/.`,
          );
      }
    };

    server = createServer((req, res) => {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
      if (path.startsWith('/rest/')) {
        if (method !== 'GET' && method !== 'HEAD') res.on('finish', changed);
        jiraListener(req, res);
        return;
      }
      routeSandbox(req, res, method, path).catch((error: unknown) => {
        const problem =
          error instanceof HttpProblem
            ? error
            : new HttpProblem(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
        if (res.headersSent) res.end();
        else sendJson(res, problem.status, { error: { code: problem.code, message: problem.message } });
      });
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(requestedPort, options.host ?? '127.0.0.1', () => {
        listening.off('error', reject);
        resolve();
      });
    });
    const { port } = listening.address() as AddressInfo;
    const url = `http://localhost:${port}`;

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeAllConnections();
        });
        await app.close();
        persister?.close();
      })();
      return closing;
    };
    return { url, app, close };
  } catch (error) {
    server?.close();
    await app.close();
    throw error;
  }
};

const main = async (): Promise<void> => {
  const port =
    process.env['PORT'] === undefined || process.env['PORT'] === '' ? DEFAULT_PORT : Number(process.env['PORT']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not '${process.env['PORT'] ?? ''}'`);
  const dataFile = process.env['SANDBOX_DATA'] || undefined;
  const sandbox = await startSandboxServer({
    port,
    ...(process.env['HOST'] ? { host: process.env['HOST'] } : {}),
    ...(dataFile ? { dataFile } : {}),
    log: (line) => console.log(line),
  });
  console.log(`QMS–RIM sandbox listening on ${sandbox.url}`);
  console.log(
    dataFile ? `State is kept in ${dataFile}.` : 'State is in memory (set SANDBOX_DATA=path.json to keep it).',
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
