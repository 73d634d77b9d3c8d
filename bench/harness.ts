/**
 * What every benchmark figure is built from: the sandbox server started in-process and
 * spoken to over HTTP, as docs/sandbox.md's HTTP interface describes (`/sandbox/faults`,
 * `/sandbox/metrics`, `/sandbox/invoke`), and a table of figures against their targets.
 *
 * Scenario data is seeded straight into the stand-in (`server.app.jira.seed*`): creating
 * thousands of issues over REST would measure the seeding, not the app.
 */
import { request as httpRequest } from 'node:http';
import { z } from 'zod';
import { startSandboxServer } from '../sandbox/server';
import type { SandboxServer } from '../sandbox/server';

export const InvocationUsageSchema = z.looseObject({
  moduleKey: z.string(),
  outcome: z.enum(['running', 'returned', 'threw']),
  durationMs: z.number().optional(),
  jira: z.number(),
  kvs: z.number(),
  queue: z.number(),
});
export type InvocationUsage = z.infer<typeof InvocationUsageSchema>;

export const MetricsSchema = z.looseObject({
  jira: z.looseObject({
    total: z.number(),
    byEndpoint: z.record(z.string(), z.number()),
    byAccount: z.record(z.string(), z.number()),
  }),
  kvs: z.looseObject({ total: z.number(), byOperation: z.record(z.string(), z.number()) }),
  invocations: z.array(InvocationUsageSchema),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export interface Bench {
  server: SandboxServer;
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  /** A Jira REST call over HTTP as a demo person (HTTP Basic with their e-mail), as a browser or script would make it. */
  rest(email: string, method: string, path: string, body?: unknown): Promise<unknown>;
  resetMetrics(): Promise<void>;
  metrics(): Promise<Metrics>;
  setLatency(latencyMs: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** `POST /sandbox/invoke`; throws on a 4xx/5xx with the sandbox's error message. */
  invoke(body: {
    moduleKey: string;
    accountId: string;
    functionKey?: string;
    payload?: unknown;
    context?: Record<string, unknown>;
  }): Promise<unknown>;
  close(): Promise<void>;
}

export const startBench = async (): Promise<Bench> => {
  const server = await startSandboxServer({ port: 0, log: () => undefined });
  // One connection per request (no keep-alive): the server may close an idle kept-alive socket
  // while the bench is busy computing, and a request sent on it would fail with ECONNRESET.
  const send = (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<unknown> =>
    new Promise((resolvePromise, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        `${server.url}${path}`,
        {
          method,
          agent: false,
          headers: {
            ...headers,
            ...(text === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const answer = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300)
              reject(new Error(`${method} ${path} answered ${status}: ${answer.slice(0, 500)}`));
            else resolvePromise(answer === '' ? undefined : JSON.parse(answer));
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  const request = (method: string, path: string, body?: unknown): Promise<unknown> => send(method, path, body, {});
  return {
    server,
    request,
    rest: (email, method, path, body) =>
      send(method, path, body, { Authorization: `Basic ${Buffer.from(`${email}:bench`).toString('base64')}` }),
    resetMetrics: async () => {
      await request('DELETE', '/sandbox/metrics');
    },
    metrics: async () => MetricsSchema.parse(await request('GET', '/sandbox/metrics')),
    setLatency: async (latencyMs) => {
      await request('POST', '/sandbox/faults', { latencyMs });
    },
    clearFaults: async () => {
      await request('DELETE', '/sandbox/faults');
    },
    invoke: async (body) =>
      z.looseObject({ result: z.unknown() }).parse(await request('POST', '/sandbox/invoke', body)).result,
    close: () => server.close(),
  };
};

/** One row of the printed table. `better` says which way the target points. */
export interface Figure {
  path: string;
  figure: string;
  measured: number;
  unit: string;
  /** Absent for a figure that is reported for information only. */
  target?: number;
  better: 'lower' | 'higher';
  /** The naive variant's measurement (one call per linked issue), where there is one. */
  naive?: number;
}

export const withinTarget = (f: Figure): boolean =>
  f.target === undefined || (f.better === 'lower' ? f.measured <= f.target : f.measured >= f.target);

const round = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));

export const formatTable = (figures: readonly Figure[]): string => {
  const rows = figures.map((f) => [
    f.path,
    f.figure,
    `${round(f.measured)} ${f.unit}`,
    f.target === undefined ? 'reported' : `${f.better === 'lower' ? '≤' : '≥'} ${round(f.target)} ${f.unit}`,
    f.target === undefined
      ? ''
      : round(f.better === 'lower' ? f.measured / f.target : f.target / Math.max(f.measured, Number.EPSILON)),
    f.naive === undefined
      ? ''
      : `${round(f.naive)} ${f.unit} (${round(f.naive / Math.max(f.measured, Number.EPSILON))}×)`,
    f.target === undefined ? '' : withinTarget(f) ? 'yes' : 'NO',
  ]);
  const header = ['path', 'figure', 'measured', 'floor or target', 'ratio', 'naive variant', 'within'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

/** The median of `values` (the mean of the middle two for an even count). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with `--expose-gc` (what `npm run bench` does), so heap figures start from a collected heap. */
export const canForceGc = (): boolean => gc !== undefined;

/**
 * The peak `heapUsed` while `run` runs, above a baseline taken after a forced GC. Sampled every
 * millisecond the event loop is free and once at the end: growth inside one synchronous step is
 * seen at its end, since nothing is collected within it unless V8 must.
 */
export const peakHeapDuring = async <T>(
  run: () => Promise<T>,
): Promise<{ baselineBytes: number; peakBytes: number; value: T }> => {
  gc?.();
  const baselineBytes = process.memoryUsage().heapUsed;
  let peakBytes = baselineBytes;
  const sample = (): void => {
    peakBytes = Math.max(peakBytes, process.memoryUsage().heapUsed);
  };
  const sampler = setInterval(sample, 1);
  try {
    const value = await run();
    sample();
    return { baselineBytes, peakBytes, value };
  } finally {
    clearInterval(sampler);
  }
};

/** Wall time of `run` in milliseconds. */
export const timed = async <T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const start = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
};
