export { traceabilityBackfillConsumer } from './traceability-backfill-consumer';
