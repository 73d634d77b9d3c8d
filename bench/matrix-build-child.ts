/**
 * The macro's matrix build timed in a process of its own, holding only what the resolver
 * would hold: on Forge the function runs in its own runtime, whereas in `npm run bench` the
 * sandbox's 13,000 Jira issues and their index share the heap, and the garbage collector's
 * time for them would be counted against the app. Input: a JSON file of what the resolver
 * reads (index entries, visible issue ids, registry, today); output: `{ coldMs, medianMs }`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { analyzeTraceability } from '../src/domain/traceability';
import { TraceIndexEntrySchema, visibleTraceabilitySources } from '../src/domain/traceability-index';
import { RegistrySchema } from '../src/domain/model';
import { TRACE_PAGE_DEFAULT_LIMIT, traceabilityPage } from '../src/domain/traceability-summary';
import { DEFAULT_TRACEABILITY_OPTIONS } from '../src/services/load-traceability';

const InputSchema = z.strictObject({
  entries: z.array(TraceIndexEntrySchema),
  visible: z.array(z.string()),
  registry: RegistrySchema,
  today: z.string(),
});

const input = InputSchema.parse(JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')));
const visible = new Set(input.visible);

const once = (): number => {
  const start = process.cpuUsage();
  traceabilityPage(
    analyzeTraceability({
      registry: input.registry,
      ...visibleTraceabilitySources(input.entries, visible),
      today: input.today,
      options: DEFAULT_TRACEABILITY_OPTIONS,
      filter: {},
    }),
    {},
    0,
    TRACE_PAGE_DEFAULT_LIMIT,
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// The first run pays for loading and compiling the code (a cold start); a warm function runs
// the same code again, so five more runs warm the JIT before the five that are measured.
const coldMs = once();
for (let i = 0; i < 5; i++) once();
process.stdout.write(`${JSON.stringify({ coldMs, medianMs: median(Array.from({ length: 5 }, once)) })}\n`);
