/**
 * The admin page's traceability-index keys: the state of the latest rebuild or check, and
 * starting one. The work itself runs on the `rebuild-traceability-index` consumer; these
 * resolvers only record the run and queue its first chunk, well inside a resolver's 25 s.
 */
import { randomUUID } from 'node:crypto';
import type Resolver from '@forge/resolver';
import { readIndexRun } from '../../adapters/kvs/traceability-index-repository';
import type { IndexAdminStatus, IndexRun } from '../../contract/traceability';
import { readIndexStatus } from '../../services/load-traceability';
import { startIndexRun } from '../../services/traceability-backfill';
import { pushBackfillEvent } from '../consumers/traceability-backfill-consumer';
import type { ResolverContext } from './define';
import { defineTyped } from './define';

const status = async (): Promise<IndexAdminStatus> => {
  const [run, index] = await Promise.all([readIndexRun(), readIndexStatus()]);
  return { ...(run ? { run } : {}), index };
};

const start = async (mode: IndexRun['mode']): Promise<IndexAdminStatus> => {
  await startIndexRun(mode, randomUUID(), { now: () => new Date().toISOString(), push: pushBackfillEvent });
  return status();
};

/** Adds the index keys to the admin page's resolver; `requireJiraAdmin` refuses a start by anyone but a Jira admin on the admin page. */
export const defineIndexAdminResolvers = (resolver: Resolver, requireJiraAdmin: (context: ResolverContext) => Promise<void>): void => {
  defineTyped(resolver, 'admin/index/status', async () => status());
  defineTyped(resolver, 'admin/index/rebuild', async (_input, context) => {
    await requireJiraAdmin(context);
    return start('rebuild');
  });
  defineTyped(resolver, 'admin/index/check', async (_input, context) => {
    await requireJiraAdmin(context);
    return start('check');
  });
};
