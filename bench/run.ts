/**
 * `npm run bench`: every performance figure of the app, measured against the sandbox, printed
 * as a table (figure, measured, floor or target, ratio, naive variant) and written as JSON to
 * bench/results.json. Exits non-zero when a figure misses its target, so a regression is seen.
 * Figures are measurements of this machine; they are reported, never asserted in unit tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatTable, startBench, withinTarget } from './harness';
import type { Bench, Figure } from './harness';
import { decisionPathFigures } from './decision-path';
import { jiraPathFigures } from './jira-paths';
import { traceabilityFigures } from './traceability-paths';

/** Each group of figures on a sandbox of its own, so one scenario's data does not weigh on another's. */
const GROUPS: ReadonlyArray<(bench: Bench) => Promise<Figure[]>> = [
  jiraPathFigures,
  decisionPathFigures,
  traceabilityFigures,
];

const main = async (): Promise<void> => {
  const figures: Figure[] = [];
  for (const group of GROUPS) {
    const bench = await startBench();
    try {
      figures.push(...(await group(bench)));
    } finally {
      await bench.close();
    }
  }
  const table = formatTable(figures);
  console.log(table);
  const out = join(resolve(__dirname), 'results.json');
  mkdirSync(resolve(__dirname), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures: figures.map((f) => ({ ...f, within: withinTarget(f) })) }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${out}`);
  const missed = figures.filter((f) => !withinTarget(f));
  if (missed.length > 0) {
    console.error(
      `${missed.length} figure(s) miss their target: ${missed.map((f) => `${f.path} / ${f.figure}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
