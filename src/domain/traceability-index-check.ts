/**
 * How the stored traceability index differs from what Jira says now: the "check against
 * Jira" the admin page runs, and what the tests use to prove the two agree.
 */
import { canonicalJson } from './canonical';
import type { IndexDifferences, TraceIndexEntry } from './traceability-index';

export type { IndexDifferences };

export const sameEntry = (a: TraceIndexEntry, b: TraceIndexEntry): boolean => canonicalJson(a) === canonicalJson(b);

const byKey = (keys: string[]): string[] => keys.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

/** Differences by issue key, each list sorted (QMS-2 before QMS-10). */
export const indexDifferences = (
  fromJira: readonly TraceIndexEntry[],
  stored: readonly TraceIndexEntry[],
): IndexDifferences => {
  const storedById = new Map(stored.map((entry) => [entry.issueId, entry]));
  const jiraIds = new Set(fromJira.map((entry) => entry.issueId));
  return {
    missing: byKey(fromJira.filter((entry) => !storedById.has(entry.issueId)).map((entry) => entry.issueKey)),
    stale: byKey(
      fromJira.flatMap((entry) => {
        const current = storedById.get(entry.issueId);
        return current !== undefined && !sameEntry(current, entry) ? [entry.issueKey] : [];
      }),
    ),
    extra: byKey(stored.filter((entry) => !jiraIds.has(entry.issueId)).map((entry) => entry.issueKey)),
  };
};

export const hasDifferences = (differences: IndexDifferences): boolean =>
  differences.missing.length + differences.stale.length + differences.extra.length > 0;
