/**
 * `npm run -s recommend < cases.json`: filing recommendations for a JSON array of cases.
 * `npm run -s recommend -- --catalog`: the change catalog, per application type.
 * Invalid input exits with 2 and names the JSON path of the first bad value on stderr.
 */
import { readFileSync } from 'node:fs';
import { viewCatalogByApplicationType } from '../src/domain/catalog';
import { recommendForCase } from '../src/domain/recommend';
import { describeFirstIssue, RecommendInputSchema } from '../src/domain/recommend.schema';

const INVALID_INPUT = 2;
const USAGE = 'usage: recommend < cases.json | recommend --catalog';

type Outcome = { stdout: string } | { error: string };

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false; error: string } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `$: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
};

const run = (args: readonly string[], readStdin: () => string): Outcome => {
  if (args.length === 1 && args[0] === '--catalog')
    return { stdout: JSON.stringify(viewCatalogByApplicationType(), null, 2) };
  if (args.length > 0) return { error: `unknown argument: ${args.join(' ')}\n${USAGE}` };
  const json = parseJson(readStdin());
  if (!json.ok) return { error: json.error };
  const input = RecommendInputSchema.safeParse(json.value);
  if (!input.success) return { error: describeFirstIssue(input.error) };
  return {
    stdout: JSON.stringify(
      input.data.map((c) => recommendForCase(c)),
      null,
      2,
    ),
  };
};

const outcome = run(process.argv.slice(2), () => readFileSync(0, 'utf8'));
if ('error' in outcome) {
  process.stderr.write(`${outcome.error}\n`);
  process.exitCode = INVALID_INPUT;
} else {
  process.stdout.write(`${outcome.stdout}\n`);
}
