/**
 * Knobs for tests and benchmarks: latency on every request, a 429 with `Retry-After` on
 * every Nth request, a 5xx on every Mth. Faulted requests are refused before any work, so
 * they change nothing (a retry is always safe, as with Jira's own rate limiter).
 * Request numbers count from the last `setFaults`, so a test can predict which fails.
 * `failOperations` refuses one operation (by its `"METHOD /template"`, as metrics count it),
 * so a test can make exactly one step of a multi-step write fail: after `after` requests of it
 * went through, every time or `times` times; with `account`, only requests made as that account
 * (`"app"` for the app), so a test can fail the person's step but not the app's undo, or the reverse.
 */
import { z } from 'zod';
import { JiraError } from './errors';

export const FaultSettingsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).optional(),
  rateLimit: z.strictObject({ every: z.number().int().min(1), retryAfterSeconds: z.number().int().min(0) }).optional(),
  serverErrorEvery: z.number().int().min(1).optional(),
  /** The 5xx to answer with; default 503, what Jira answers when a node is overloaded. */
  serverErrorStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  failOperations: z
    .array(
      z.strictObject({
        /** e.g. `POST /rest/api/3/issueLink`. */
        operation: z
          .string()
          .regex(/^(GET|POST|PUT|DELETE) \/rest\//, 'must be "METHOD /rest/..." as the metrics name it'),
        status: z.number().int().min(400).max(599),
        message: z.string().min(1).optional(),
        /** How many matching requests go through before the first one fails. */
        after: z.number().int().min(0).optional(),
        /** How many matching requests fail; every one when absent. */
        times: z.number().int().min(1).optional(),
        /** Only requests made as this account (`"app"` for the app, as metrics name it); any account when absent. */
        account: z.string().min(1).optional(),
        /** With status 429: the `Retry-After` header to send. */
        retryAfterSeconds: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export interface FaultInjector {
  set(settings: FaultSettings): void;
  clear(): void;
  /** Waits out the latency, then throws the fault this request (`"METHOD /template"`, made as `account`) draws, if any. */
  apply(operation: string, account?: string): Promise<void>;
}

export const createFaultInjector = (sleep: (ms: number) => Promise<void>): FaultInjector => {
  let settings: FaultSettings = {};
  let requestNumber = 0;
  let failuresLeft: (number | undefined)[] = [];
  let passesLeft: number[] = [];
  return {
    set(next) {
      const parsed = FaultSettingsSchema.safeParse(next);
      if (!parsed.success) throw new Error(`setFaults: ${z.prettifyError(parsed.error)}`);
      settings = parsed.data;
      requestNumber = 0;
      failuresLeft = (settings.failOperations ?? []).map((f) => f.times);
      passesLeft = (settings.failOperations ?? []).map((f) => f.after ?? 0);
    },
    clear() {
      settings = {};
      requestNumber = 0;
      failuresLeft = [];
      passesLeft = [];
    },
    async apply(operation, account) {
      requestNumber += 1;
      if (settings.latencyMs) await sleep(settings.latencyMs);
      const { rateLimit, serverErrorEvery } = settings;
      if (rateLimit && requestNumber % rateLimit.every === 0) {
        throw new JiraError(429, ['Rate limit exceeded.'], {}, { 'Retry-After': String(rateLimit.retryAfterSeconds) });
      }
      if (serverErrorEvery && requestNumber % serverErrorEvery === 0) {
        const status = settings.serverErrorStatus ?? 503;
        throw new JiraError(status, [
          status === 503
            ? 'Service Unavailable: Jira is temporarily unable to handle the request.'
            : 'Internal server error.',
        ]);
      }
      const index = (settings.failOperations ?? []).findIndex(
        (f, i) =>
          f.operation === operation && (f.account === undefined || f.account === account) && failuresLeft[i] !== 0,
      );
      const rule = settings.failOperations?.[index];
      if (rule && (passesLeft[index] ?? 0) > 0) {
        passesLeft[index] = (passesLeft[index] ?? 0) - 1;
      } else if (rule) {
        const left = failuresLeft[index];
        if (left !== undefined) failuresLeft[index] = left - 1;
        const headers =
          rule.status === 429 && rule.retryAfterSeconds !== undefined
            ? { 'Retry-After': String(rule.retryAfterSeconds) }
            : undefined;
        throw new JiraError(
          rule.status,
          [rule.message ?? `The sandbox was told to fail ${operation} (HTTP ${rule.status}).`],
          {},
          headers,
        );
      }
    },
  };
};
