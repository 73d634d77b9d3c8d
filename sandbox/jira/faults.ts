/**
 * Knobs for tests and benchmarks: latency on every request, a 429 with `Retry-After` on
 * every Nth request, a 5xx on every Mth. Faulted requests are refused before any work, so
 * they change nothing (a retry is always safe, as with Jira's own rate limiter).
 * Request numbers count from the last `setFaults`, so a test can predict which fails.
 */
import { z } from 'zod';
import { JiraError } from './errors';

export const FaultSettingsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).optional(),
  rateLimit: z.strictObject({ every: z.number().int().min(1), retryAfterSeconds: z.number().int().min(0) }).optional(),
  serverErrorEvery: z.number().int().min(1).optional(),
  /** The 5xx to answer with; default 503, what Jira answers when a node is overloaded. */
  serverErrorStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export interface FaultInjector {
  set(settings: FaultSettings): void;
  clear(): void;
  /** Waits out the latency, then throws the fault this request draws, if any. */
  apply(): Promise<void>;
}

export const createFaultInjector = (sleep: (ms: number) => Promise<void>): FaultInjector => {
  let settings: FaultSettings = {};
  let requestNumber = 0;
  return {
    set(next) {
      const parsed = FaultSettingsSchema.safeParse(next);
      if (!parsed.success) throw new Error(`setFaults: ${z.prettifyError(parsed.error)}`);
      settings = parsed.data;
      requestNumber = 0;
    },
    clear() {
      settings = {};
      requestNumber = 0;
    },
    async apply() {
      requestNumber += 1;
      if (settings.latencyMs) await sleep(settings.latencyMs);
      const { rateLimit, serverErrorEvery } = settings;
      if (rateLimit && requestNumber % rateLimit.every === 0) {
        throw new JiraError(429, ['Rate limit exceeded.'], {}, { 'Retry-After': String(rateLimit.retryAfterSeconds) });
      }
      if (serverErrorEvery && requestNumber % serverErrorEvery === 0) {
        const status = settings.serverErrorStatus ?? 503;
        throw new JiraError(status, [status === 503 ? 'Service Unavailable: Jira is temporarily unable to handle the request.' : 'Internal server error.']);
      }
    },
  };
};
