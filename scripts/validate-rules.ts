/**
 * `npm run validate [-- --out DIR] [-- --cases FILE]`: runs the project's filing-rules
 * cases through the engine and writes reports/validation-report.{md,json}. Exits 1 when a
 * case fails or a code × applicable application type has no case; 2 on unusable input.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { sha256Hex } from '../src/domain/canonical';
import { catalogDigest, RULES_VERSION } from '../src/domain/catalog';
import { describeFirstIssue } from '../src/domain/recommend.schema';
import {
  buildValidationReport,
  renderValidationReportMarkdown,
  RuleCaseFileSchema,
} from '../src/domain/rule-validation';

const ROOT = resolve(__dirname, '..');
const FAILED = 1;
const UNUSABLE_INPUT = 2;
const USAGE = 'usage: validate-rules [--out DIR] [--cases FILE]';

type Options = { outDir: string; casesPath: string };

const parseArgs = (args: readonly string[]): Options | string => {
  const options: Options = { outDir: join(ROOT, 'reports'), casesPath: join(ROOT, 'validation', 'rule-cases.json') };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) return `missing value for ${flag ?? ''}\n${USAGE}`;
    if (flag === '--out') options.outDir = resolve(value);
    else if (flag === '--cases') options.casesPath = resolve(value);
    else return `unknown argument: ${flag ?? ''}\n${USAGE}`;
  }
  return options;
};

const PackageJsonSchema = z.object({ version: z.string().min(1) });

const main = (): number => {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return UNUSABLE_INPUT;
  }

  let caseText: string;
  let caseJson: unknown;
  try {
    caseText = readFileSync(options.casesPath, 'utf8');
    caseJson = JSON.parse(caseText);
  } catch (error) {
    process.stderr.write(`${options.casesPath}: ${error instanceof Error ? error.message : String(error)}\n`);
    return UNUSABLE_INPUT;
  }
  const caseFile = RuleCaseFileSchema.safeParse(caseJson);
  if (!caseFile.success) {
    process.stderr.write(`${options.casesPath}: ${describeFirstIssue(caseFile.error)}\n`);
    return UNUSABLE_INPUT;
  }

  const report = buildValidationReport({
    caseFile: caseFile.data,
    caseFilePath: relative(ROOT, options.casesPath) || options.casesPath,
    caseFileSha256: sha256Hex(caseText),
    appVersion: PackageJsonSchema.parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).version,
    rulesVersion: RULES_VERSION,
    catalogDigest: catalogDigest(),
    generatedAt: new Date().toISOString(),
  });

  mkdirSync(options.outDir, { recursive: true });
  const jsonPath = join(options.outDir, 'validation-report.json');
  const markdownPath = join(options.outDir, 'validation-report.md');
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdownPath, renderValidationReportMarkdown(report));

  const { totals, coverage } = report;
  const summary = [
    `filing-rules validation: ${report.verdict}`,
    `  cases ${totals.cases}: ${totals.passed} passed, ${totals.failed} failed`,
    `  coverage ${coverage.covered}/${coverage.required} code × application type${coverage.gaps.length > 0 ? `; gaps: ${coverage.gaps.map((g) => `${g.code} × ${g.applicationType}`).join(', ')}` : ''}`,
    ...report.results.filter((r) => !r.pass).map((r) => `  FAIL ${r.id}: expected ${r.expected}, actual ${r.actual}`),
    `  rules ${report.rulesVersion}, table hash ${report.catalogDigest}`,
    `  reports: ${markdownPath}, ${jsonPath}`,
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
  return report.verdict === 'PASS' ? 0 : FAILED;
};

process.exitCode = main();
