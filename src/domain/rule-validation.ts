/**
 * Operational-qualification evidence for the filing rules: the project's own cases, with
 * expected categories written from filing-rules.md, run through the engine; plus proof
 * that every code × applicable application type has a case. The script does the I/O.
 */
import { z } from 'zod';
import { applicableTypes, CATALOG, type Catalog } from './catalog';
import { ApplicationTypeSchema, ChangeSchema, FilingCategorySchema } from './model';
import { recommendForApplication } from './recommend';
import { RecommendApplicationSchema } from './recommend.schema';

export const RuleCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  description: z.string().min(1),
  changes: z.array(ChangeSchema),
  application: RecommendApplicationSchema,
  expected: FilingCategorySchema,
  /** The filing-rules.md row the expected category was read from. */
  source: z.string().min(1),
  /** Words the rationale must contain, e.g. the question id a REVIEW-REQUIRED case leaves unanswered. */
  rationaleMentions: z.array(z.string().min(1)).optional(),
});
export type RuleCase = z.infer<typeof RuleCaseSchema>;

export const RuleCaseFileSchema = z
  .strictObject({
    description: z.string(),
    cases: z.array(RuleCaseSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.cases.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate case id ${c.id}` });
      seen.add(c.id);
    });
  });
export type RuleCaseFile = z.infer<typeof RuleCaseFileSchema>;

export const RuleCaseResultSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  applicationType: ApplicationTypeSchema,
  codes: z.array(z.string()),
  expected: FilingCategorySchema,
  actual: FilingCategorySchema,
  missingMentions: z.array(z.string()),
  pass: z.boolean(),
  source: z.string(),
  rationale: z.string(),
});
export type RuleCaseResult = z.infer<typeof RuleCaseResultSchema>;

export const CoverageGapSchema = z.strictObject({ code: z.string(), applicationType: ApplicationTypeSchema });
export type CoverageGap = z.infer<typeof CoverageGapSchema>;

export const CoverageSchema = z.strictObject({
  required: z.number().int().nonnegative(),
  covered: z.number().int().nonnegative(),
  gaps: z.array(CoverageGapSchema),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export const ValidationReportSchema = z.strictObject({
  generatedAt: z.string(),
  appVersion: z.string(),
  rulesVersion: z.string(),
  catalogDigest: z.string().regex(/^[0-9a-f]{64}$/),
  caseFile: z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  totals: z.strictObject({ cases: z.number().int(), passed: z.number().int(), failed: z.number().int() }),
  coverage: CoverageSchema,
  verdict: z.enum(['PASS', 'FAIL']),
  results: z.array(RuleCaseResultSchema),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export const runRuleCase = (ruleCase: RuleCase, catalog: Catalog = CATALOG): RuleCaseResult => {
  const decision = recommendForApplication(ruleCase.changes, ruleCase.application, catalog);
  const missingMentions = (ruleCase.rationaleMentions ?? []).filter((words) => !decision.rationale.includes(words));
  return {
    id: ruleCase.id,
    description: ruleCase.description,
    applicationType: ruleCase.application.type,
    codes: ruleCase.changes.map((c) => c.code),
    expected: ruleCase.expected,
    actual: decision.category,
    missingMentions,
    pass: decision.category === ruleCase.expected && missingMentions.length === 0,
    source: ruleCase.source,
    rationale: decision.rationale,
  };
};

/** Every code × application type the catalog has a rule for needs a case of that type naming that code. */
export const coverageOf = (cases: readonly RuleCase[], catalog: Catalog = CATALOG): Coverage => {
  const required = catalog.flatMap((entry) =>
    applicableTypes(entry).map((applicationType) => ({ code: entry.code, applicationType })),
  );
  const gaps = required.filter(
    ({ code, applicationType }) =>
      !cases.some((c) => c.application.type === applicationType && c.changes.some((change) => change.code === code)),
  );
  return { required: required.length, covered: required.length - gaps.length, gaps };
};

export type ValidationRun = {
  caseFile: RuleCaseFile;
  caseFilePath: string;
  caseFileSha256: string;
  appVersion: string;
  rulesVersion: string;
  catalogDigest: string;
  /** Passed in: the domain does not read the clock. */
  generatedAt: string;
  catalog?: Catalog;
};

export const buildValidationReport = (run: ValidationRun): ValidationReport => {
  const catalog = run.catalog ?? CATALOG;
  const results = run.caseFile.cases.map((c) => runRuleCase(c, catalog));
  const passed = results.filter((r) => r.pass).length;
  const coverage = coverageOf(run.caseFile.cases, catalog);
  return {
    generatedAt: run.generatedAt,
    appVersion: run.appVersion,
    rulesVersion: run.rulesVersion,
    catalogDigest: run.catalogDigest,
    caseFile: { path: run.caseFilePath, sha256: run.caseFileSha256 },
    totals: { cases: results.length, passed, failed: results.length - passed },
    coverage,
    verdict: passed === results.length && coverage.gaps.length === 0 ? 'PASS' : 'FAIL',
    results,
  };
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const renderValidationReportMarkdown = (report: ValidationReport): string => {
  const lines = [
    '# Filing-rules validation report',
    '',
    `**Verdict: ${report.verdict}**`,
    '',
    '| item | value |',
    '| --- | --- |',
    `| generated at | ${report.generatedAt} |`,
    `| app version | ${report.appVersion} |`,
    `| rules version | ${report.rulesVersion} |`,
    `| rules-table hash (SHA-256 of canonical JSON) | \`${report.catalogDigest}\` |`,
    `| case file | ${cell(report.caseFile.path)} |`,
    `| case file SHA-256 | \`${report.caseFile.sha256}\` |`,
    `| cases | ${report.totals.cases} (passed ${report.totals.passed}, failed ${report.totals.failed}) |`,
    `| coverage (code × applicable application type) | ${report.coverage.covered} of ${report.coverage.required} |`,
    '',
  ];
  if (report.coverage.gaps.length > 0) {
    lines.push(
      '## Coverage gaps',
      '',
      ...report.coverage.gaps.map((g) => `- \`${g.code}\` × ${g.applicationType}: no case`),
      '',
    );
  }
  const failures = report.results.filter((r) => !r.pass);
  if (failures.length > 0) {
    lines.push('## Failures', '');
    for (const r of failures) {
      lines.push(`### ${r.id}`, '', `- expected ${r.expected}, actual ${r.actual}`);
      if (r.missingMentions.length > 0) lines.push(`- rationale does not mention: ${r.missingMentions.join(', ')}`);
      lines.push(`- source: ${r.source}`, `- rationale: ${r.rationale}`, '');
    }
  }
  lines.push(
    '## Cases',
    '',
    '| case | type | codes | expected | actual | result | source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.results.map(
      (r) =>
        `| ${r.id} | ${r.applicationType} | ${cell(r.codes.join(', ') || '(none)')} | ${r.expected} | ${r.actual} | ${r.pass ? 'pass' : 'FAIL'} | ${cell(r.source)} |`,
    ),
    '',
  );
  return lines.join('\n');
};
