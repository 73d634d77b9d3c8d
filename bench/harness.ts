/**
 * What every benchmark figure is built from: the sandbox server started in-process and
 * spoken to over HTTP, as the README's interface describes (`/sandbox/faults`,
 * `/sandbox/metrics`, `/sandbox/invoke`), and a table of figures against their targets.
 *
 * Scenario data is seeded straight into the stand-in (`server.app.jira.seed*`): creating
 * thousands of issues over REST would measure the seeding, not the app.
 */
import { z } from 'zod';
import { startSandboxServer } from '../sandbox/server';
import type { SandboxServer } from '../sandbox/server';

export const MetricsSchema = z.looseObject({
  jira: z.looseObject({ total: z.number(), byEndpoint: z.record(z.string(), z.number()), byAccount: z.record(z.string(), z.number()) }),
  kvs: z.looseObject({ total: z.number(), byOperation: z.record(z.string(), z.number()) }),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export interface Bench {
  server: SandboxServer;
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  resetMetrics(): Promise<void>;
  metrics(): Promise<Metrics>;
  setLatency(latencyMs: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** `POST /sandbox/invoke`; throws on a 4xx/5xx with the sandbox's error message. */
  invoke(body: { moduleKey: string; accountId: string; functionKey?: string; payload?: unknown; context?: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

export const startBench = async (): Promise<Bench> => {
  const server = await startSandboxServer({ port: 0, log: () => undefined });
  const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    server,
    request,
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
    invoke: async (body) => z.looseObject({ result: z.unknown() }).parse(await request('POST', '/sandbox/invoke', body)).result,
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

export const withinTarget = (f: Figure): boolean => f.target === undefined || (f.better === 'lower' ? f.measured <= f.target : f.measured >= f.target);

const round = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));

export const formatTable = (figures: readonly Figure[]): string => {
  const rows = figures.map((f) => [
    f.path,
    f.figure,
    `${round(f.measured)} ${f.unit}`,
    f.target === undefined ? 'reported' : `${f.better === 'lower' ? '≤' : '≥'} ${round(f.target)} ${f.unit}`,
    f.target === undefined ? '' : round(f.better === 'lower' ? f.measured / f.target : f.target / Math.max(f.measured, Number.EPSILON)),
    f.naive === undefined ? '' : `${round(f.naive)} ${f.unit} (${round(f.naive / Math.max(f.measured, Number.EPSILON))}×)`,
    f.target === undefined ? '' : withinTarget(f) ? 'yes' : 'NO',
  ]);
  const header = ['path', 'figure', 'measured', 'floor or target', 'ratio', 'naive variant', 'within'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

/** Wall time of `run` in milliseconds. */
export const timed = async <T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const start = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
};
