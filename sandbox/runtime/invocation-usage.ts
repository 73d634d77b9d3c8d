/**
 * What each function invocation cost: its Jira calls and storage operations through the
 * Forge seam, and how long it ran. `/sandbox/metrics` counts by endpoint and account, which
 * cannot tell apart two triggers answering the same event as the app; this can. Only the
 * latest MAX_KEPT invocations are kept, so a long-running sandbox does not grow without end.
 */

export type SeamCallKind = 'jira' | 'confluence' | 'kvs' | 'queue';

export interface InvocationUsage {
  invocationId: string;
  moduleKey: string;
  functionKey: string;
  moduleType: string;
  /** ISO 8601. */
  startedAt: string;
  /** Wall time, set when the invocation has finished. */
  durationMs?: number;
  outcome: 'running' | 'returned' | 'threw';
  /** Calls through `__forge_fetch__`: product REST calls, storage operations, queue pushes. */
  jira: number;
  confluence: number;
  kvs: number;
  queue: number;
}

export const MAX_KEPT_INVOCATIONS = 1000;

export interface InvocationUsageRecorder {
  start(invocation: { invocationId: string; moduleKey: string; functionKey: string; moduleType: string }): void;
  finish(invocationId: string, outcome: 'returned' | 'threw'): void;
  count(invocationId: string | undefined, kind: SeamCallKind): void;
  /** Oldest first. */
  read(): InvocationUsage[];
  reset(): void;
}

export const createInvocationUsageRecorder = (
  now: () => number = () => performance.now(),
  wallClock: () => Date = () => new Date(),
): InvocationUsageRecorder => {
  let kept = new Map<string, InvocationUsage & { startedAtMs: number }>();
  return {
    start({ invocationId, moduleKey, functionKey, moduleType }) {
      kept.set(invocationId, {
        invocationId,
        moduleKey,
        functionKey,
        moduleType,
        startedAt: wallClock().toISOString(),
        startedAtMs: now(),
        outcome: 'running',
        jira: 0,
        confluence: 0,
        kvs: 0,
        queue: 0,
      });
      if (kept.size > MAX_KEPT_INVOCATIONS) {
        const oldest = kept.keys().next();
        if (!oldest.done) kept.delete(oldest.value);
      }
    },
    finish(invocationId, outcome) {
      const usage = kept.get(invocationId);
      if (!usage) return;
      usage.outcome = outcome;
      usage.durationMs = now() - usage.startedAtMs;
    },
    count(invocationId, kind) {
      if (invocationId === undefined) return;
      const usage = kept.get(invocationId);
      if (usage) usage[kind] += 1;
    },
    read: () => [...kept.values()].map(({ startedAtMs: _startedAtMs, ...usage }) => ({ ...usage })),
    reset() {
      kept = new Map();
    },
  };
};
