/**
 * The `rebuild-traceability-index` consumer: one chunk of a rebuild or check of the
 * traceability index per queued event (src/services/traceability-backfill.ts), as the app.
 */
import { asApp } from '@forge/api';
import { Queue } from '@forge/events';
import { z } from 'zod';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { BACKFILL_QUEUE, runIndexChunk } from '../../services/traceability-backfill';
import type { BackfillEvent, ChunkOutcome } from '../../services/traceability-backfill';

export const pushBackfillEvent = async (event: BackfillEvent): Promise<void> => {
  await new Queue({ key: BACKFILL_QUEUE }).push({ body: event });
};

const ConsumerEventSchema = z.looseObject({ body: z.unknown() });

/** Forge handler of the consumer: the event is `@forge/events`' AsyncEvent, its `body` what was pushed. */
export const traceabilityBackfillConsumer = async (event: unknown): Promise<ChunkOutcome> => {
  const parsed = ConsumerEventSchema.safeParse(event);
  return runIndexChunk(parsed.success ? parsed.data.body : undefined, {
    jira: createJiraHttp(asApp().requestJira),
    signedRecords: kvsSignedRecordStore,
    conventions: await loadConventions(),
    now: () => new Date().toISOString(),
    push: pushBackfillEvent,
  });
};
