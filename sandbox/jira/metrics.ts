/**
 * REST call counters: what the performance model counts. Every request that reaches the
 * stand-in counts, faulted ones included (they cost a call on Forge too).
 */

export interface JiraMetrics {
  total: number;
  /** `"GET /rest/api/3/issue/{issueIdOrKey}"` -> calls. Unknown routes count as `"<METHOD> (no route)"`. */
  byEndpoint: Record<string, number>;
  /** accountId, `"app"` for `as: app` calls, `"(anonymous)"` for calls naming no account -> calls. */
  byAccount: Record<string, number>;
  /** Calls answered 429 by an injected rate limit. */
  rateLimited: number;
  /** Calls answered 5xx by an injected server error. */
  serverErrors: number;
}

export interface MetricsRecorder {
  record(endpoint: string, account: string): void;
  recordFault(status: number): void;
  read(): JiraMetrics;
  reset(): void;
}

const empty = (): JiraMetrics => ({ total: 0, byEndpoint: {}, byAccount: {}, rateLimited: 0, serverErrors: 0 });

export const createMetricsRecorder = (): MetricsRecorder => {
  let metrics = empty();
  return {
    record(endpoint, account) {
      metrics.total += 1;
      metrics.byEndpoint[endpoint] = (metrics.byEndpoint[endpoint] ?? 0) + 1;
      metrics.byAccount[account] = (metrics.byAccount[account] ?? 0) + 1;
    },
    recordFault(status) {
      if (status === 429) metrics.rateLimited += 1;
      else if (status >= 500) metrics.serverErrors += 1;
    },
    read: () => structuredClone(metrics),
    reset() {
      metrics = empty();
    },
  };
};
