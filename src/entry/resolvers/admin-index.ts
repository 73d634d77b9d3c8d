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
import type { ResolverKey } from '../../contract/resolvers';
import type { TypedHandler } from './define';

const status = async (): Promise<IndexAdminStatus> => {
  const [run, index] = await Promise.all([readIndexRun(), readIndexStatus()]);
  return { ...(run ? { run } : {}), index };
};

const start = async (mode: IndexRun['mode']): Promise<IndexAdminStatus> => {
  await startIndexRun(mode, randomUUID(), { now: () => new Date().toISOString(), push: pushBackfillEvent });
  return status();
};

/** `defineTyped` that refuses anyone but a Jira admin on the admin page (admin-page.ts). */
export type DefineAdmin = <K extends ResolverKey>(resolver: Resolver, key: K, handler: TypedHandler<K>) => Resolver;

/** Adds the index keys to the admin page's resolver; `defineAdmin` refuses anyone but a Jira admin on the admin page, the status included. */
export const defineIndexAdminResolvers = (resolver: Resolver, defineAdmin: DefineAdmin): void => {
  defineAdmin(resolver, 'admin/index/status', async () => status());
  defineAdmin(resolver, 'admin/index/rebuild', async () => start('rebuild'));
  defineAdmin(resolver, 'admin/index/check', async () => start('check'));
};
