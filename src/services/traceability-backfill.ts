/**
 * Rebuilding the traceability index from Jira, and checking it against Jira, in chunks on a
 * Forge `consumer` queue, as the app.
 *
 * Forge's limits shape it: a resolver has 25 s, a consumer up to 900 s, and one push holds at
 * most 50 events / 200 KB. The admin page's resolver only records the run and pushes one
 * small event; each consumer invocation then reads at most PAGES_PER_CHUNK pages of 100
 * issues (search/jql with their fields, properties and changelog), writes or compares their
 * entries, saves its progress and pushes one event for the next chunk. A chunk is a few
 * seconds of work whatever the site's size, so it fits any of those limits with room.
 *
 * At the end a rebuild removes the entries of issues Jira no longer has (one ids-only search
 * per 5,000 issues against the stored entries), leaving alone any entry written after the
 * rebuild started; a check lists them as extra. Only the latest run counts: starting another
 * one supersedes it, and the old run's queued events are then ignored.
 *
 * The trigger keeps working during a rebuild. A rebuild never overwrites an entry the trigger
 * wrote after the rebuild read that page, so it cannot put back an older state.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { JiraSearchPageSchema } from '../adapters/jira/jira-schemas';
import {
  deleteTraceEntries,
  getTraceEntries,
  listTraceEntries,
  putTraceEntries,
  readIndexRun,
  writeIndexBuilt,
  writeIndexRun,
} from '../adapters/kvs/traceability-index-repository';
import type { JiraConventions } from '../config/jira-conventions';
import { MAX_LISTED_DIFFERENCES } from '../contract/traceability';
import type { IndexRun } from '../contract/traceability';
import { indexDifferences } from '../domain/traceability-index-check';
import type { IndexDifferences } from '../domain/traceability-index';
import type { TraceIndexEntry } from '../domain/traceability-index';
import { isAppError } from '../ports/app-error';
import { APP_PROPERTY_KEYS, fieldsFor } from './load-gate-subject';
import { nextPageTokenOf, searchIssueIds, traceabilityJql, traceEntryOf } from './traceability-index';
import { signedRecordsOf } from './verified-records';
import type { SignedRecordStore } from '../ports/signed-records.port';

/** The `@forge/events` queue the `rebuild-traceability-index` consumer listens to (manifest). */
export const BACKFILL_QUEUE = 'traceability-backfill';
export const PAGES_PER_CHUNK = 5;
export const PAGE_SIZE = 100;

export const BackfillEventSchema = z.strictObject({
  runId: z.string().min(1).max(64),
  nextPageToken: z.string().min(1).max(4096).optional(),
});
export type BackfillEvent = z.infer<typeof BackfillEventSchema>;

export interface BackfillDeps {
  /** As the app: the index mirrors everything, whoever may see it. */
  jira: JiraHttp;
  /** The signed records each QMS record is checked against (an altered one is indexed as such). */
  signedRecords: SignedRecordStore;
  conventions: JiraConventions;
  /** ISO 8601 instant. */
  now: () => string;
  push: (event: BackfillEvent) => Promise<void>;
}

/** Records a new run (superseding any running one) and queues its first chunk. */
export const startIndexRun = async (
  mode: IndexRun['mode'],
  runId: string,
  deps: Pick<BackfillDeps, 'now' | 'push'>,
): Promise<IndexRun> => {
  const at = deps.now();
  const run: IndexRun = {
    runId,
    mode,
    phase: 'running',
    startedAt: at,
    updatedAt: at,
    processed: 0,
    chunks: 0,
    ...(mode === 'check'
      ? { differenceCounts: { missing: 0, stale: 0, extra: 0 }, differences: { missing: [], stale: [], extra: [] } }
      : {}),
  };
  await writeIndexRun(run);
  try {
    await deps.push({ runId });
  } catch (error) {
    const failed: IndexRun = {
      ...run,
      phase: 'failed',
      updatedAt: deps.now(),
      error: `The first chunk could not be queued: ${error instanceof Error ? error.message : String(error)}`,
    };
    await writeIndexRun(failed);
    return failed;
  }
  return run;
};

const mergeDifferences = (
  run: IndexRun,
  found: IndexDifferences,
): Pick<IndexRun, 'differenceCounts' | 'differences'> => {
  const counts = run.differenceCounts ?? { missing: 0, stale: 0, extra: 0 };
  const listed = run.differences ?? { missing: [], stale: [], extra: [] };
  const keep = (a: string[], b: string[]): string[] => [...a, ...b].slice(0, MAX_LISTED_DIFFERENCES);
  return {
    differenceCounts: {
      missing: counts.missing + found.missing.length,
      stale: counts.stale + found.stale.length,
      extra: counts.extra + found.extra.length,
    },
    differences: {
      missing: keep(listed.missing, found.missing),
      stale: keep(listed.stale, found.stale),
      extra: keep(listed.extra, found.extra),
    },
  };
};

export type ChunkOutcome =
  { outcome: 'ignored'; reason: string } | { outcome: 'continued' | 'finished' | 'failed'; run: IndexRun };

const readPage = (jira: JiraHttp, conventions: JiraConventions, nextPageToken: string | undefined) =>
  jira.requestJira(route`/rest/api/3/search/jql`, {
    method: 'POST',
    read: true,
    schema: JiraSearchPageSchema,
    body: {
      jql: traceabilityJql(conventions),
      fields: fieldsFor(conventions),
      properties: APP_PROPERTY_KEYS,
      expand: 'changelog',
      maxResults: PAGE_SIZE,
      ...(nextPageToken ? { nextPageToken } : {}),
    },
  });

/** One consumer invocation: up to PAGES_PER_CHUNK pages, then the next chunk is queued or the run finishes. */
export const runIndexChunk = async (body: unknown, deps: BackfillDeps): Promise<ChunkOutcome> => {
  const event = BackfillEventSchema.safeParse(body);
  if (!event.success) return { outcome: 'ignored', reason: 'not a backfill event' };
  const started = await readIndexRun();
  if (started === undefined || started.runId !== event.data.runId || started.phase !== 'running')
    return { outcome: 'ignored', reason: 'superseded by a later run, or finished' };

  let run: IndexRun = { ...started, chunks: started.chunks + 1 };
  try {
    let token = event.data.nextPageToken;
    let pages = 0;
    do {
      const readAt = deps.now();
      const page = await readPage(deps.jira, deps.conventions, token);
      const entries: TraceIndexEntry[] = [];
      const notIndexed: string[] = [];
      const signed = await signedRecordsOf(deps.signedRecords, page.issues, deps.conventions);
      for (const issue of page.issues) {
        const outcome = traceEntryOf(issue, deps.conventions, signed);
        if (outcome.entry !== undefined) entries.push(outcome.entry);
        else notIndexed.push(issue.id);
      }
      const stored = await getTraceEntries(page.issues.map((issue) => issue.id));
      if (run.mode === 'rebuild') {
        // An entry the trigger wrote after this page was read is newer than the page.
        const newer = new Set(stored.filter((s) => s.indexedAt > readAt).map((s) => s.entry.issueId));
        await putTraceEntries(
          entries.filter((e) => !newer.has(e.issueId)),
          readAt,
        );
        const storedIds = new Set(stored.map((s) => s.entry.issueId));
        await deleteTraceEntries(notIndexed.filter((id) => storedIds.has(id) && !newer.has(id)));
      } else {
        run = {
          ...run,
          ...mergeDifferences(
            run,
            indexDifferences(
              entries,
              stored.map((s) => s.entry),
            ),
          ),
        };
      }
      run = { ...run, processed: run.processed + page.issues.length, updatedAt: deps.now() };
      pages += 1;
      token = nextPageTokenOf(page);
    } while (token !== undefined && pages < PAGES_PER_CHUNK);

    if (token !== undefined) {
      await writeIndexRun(run);
      await deps.push({ runId: run.runId, nextPageToken: token });
      return { outcome: 'continued', run };
    }

    const inJira = await searchIssueIds(deps.jira, traceabilityJql(deps.conventions));
    const vanished = (await listTraceEntries()).filter((s) => !inJira.has(s.entry.issueId));
    if (run.mode === 'rebuild') {
      const removable = vanished.filter((s) => s.indexedAt < run.startedAt);
      await deleteTraceEntries(removable.map((s) => s.entry.issueId));
      const finishedAt = deps.now();
      run = { ...run, phase: 'done', removed: removable.length, updatedAt: finishedAt, finishedAt };
      await writeIndexBuilt(finishedAt, run.runId);
    } else {
      const finishedAt = deps.now();
      run = {
        ...run,
        ...mergeDifferences(run, { missing: [], stale: [], extra: vanished.map((s) => s.entry.issueKey) }),
        phase: 'done',
        updatedAt: finishedAt,
        finishedAt,
      };
    }
    await writeIndexRun(run);
    return { outcome: 'finished', run };
  } catch (error) {
    const reason = isAppError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    const failed: IndexRun = { ...run, phase: 'failed', updatedAt: deps.now(), error: reason };
    await writeIndexRun(failed).catch(() => undefined);
    return { outcome: 'failed', run: failed };
  }
};
