/** Runs the real `validate` script into a temporary directory and reads the evidence it writes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../src/domain/canonical';
import { applicableTypes, CATALOG, catalogDigest, RULES_VERSION } from '../../src/domain/catalog';
import { RuleCaseFileSchema, ValidationReportSchema, type RuleCaseFile } from '../../src/domain/rule-validation';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CASES_PATH = join(ROOT, 'validation', 'rule-cases.json');

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'validate-rules-'));
});
afterEach(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const runValidate = (args: string[]) => {
  const result = spawnSync(TSX, ['scripts/validate-rules.ts', '--out', outDir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const readReport = () =>
  ValidationReportSchema.parse(JSON.parse(readFileSync(join(outDir, 'validation-report.json'), 'utf8')));

const projectCases = (): RuleCaseFile => RuleCaseFileSchema.parse(JSON.parse(readFileSync(CASES_PATH, 'utf8')));

const writeCases = (file: RuleCaseFile): string => {
  const path = join(outDir, 'cases.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
};

describe('validate-rules script', () => {
  it('passes every project case, covers every code × applicable type, and records the evidence', () => {
    const { status, stdout } = runValidate([]);
    expect(stdout).toContain('filing-rules validation: PASS');
    expect(status).toBe(0);

    const report = readReport();
    const expectedPairs = CATALOG.reduce((n, e) => n + applicableTypes(e).length, 0);
    expect(report).toMatchObject({
      verdict: 'PASS',
      rulesVersion: RULES_VERSION,
      catalogDigest: catalogDigest(),
      appVersion: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      caseFile: { sha256: sha256Hex(readFileSync(CASES_PATH, 'utf8')) },
      coverage: { required: expectedPairs, covered: expectedPairs, gaps: [] },
    });
    expect(report.totals.failed).toBe(0);
    expect(report.totals.cases).toBe(projectCases().cases.length);
    expect(report.results.every((r) => r.pass && r.expected === r.actual)).toBe(true);

    const markdown = readFileSync(join(outDir, 'validation-report.md'), 'utf8');
    expect(markdown).toContain('**Verdict: PASS**');
    expect(markdown).toContain(catalogDigest());
    expect(markdown).toContain(report.caseFile.sha256);
  });

  it('has project cases for grouping, device class and REVIEW-REQUIRED, not only one per code', () => {
    const { cases } = projectCases();
    expect(cases.filter((c) => c.changes.length > 1).length).toBeGreaterThanOrEqual(5);
    expect(
      cases.filter((c) => c.application.deviceClass !== undefined && c.application.type === 'CE-MDR').length,
    ).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => c.expected === 'REVIEW-REQUIRED').length).toBeGreaterThanOrEqual(10);
    expect(cases.every((c) => c.source.startsWith('filing-rules.md'))).toBe(true);
  });

  it('fails, naming the case, when an expected category is wrong', () => {
    const file = projectCases();
    const target = file.cases.find((c) => c.id === 'nda-process-other');
    if (!target) throw new Error('fixture: nda-process-other');
    target.expected = 'AR';
    const { status, stdout } = runValidate(['--cases', writeCases(file)]);
    expect(status).toBe(1);
    expect(stdout).toContain('FAIL nda-process-other: expected AR, actual CBE-30');
    const report = readReport();
    expect(report.verdict).toBe('FAIL');
    expect(report.totals.failed).toBe(1);
    expect(readFileSync(join(outDir, 'validation-report.md'), 'utf8')).toContain('### nda-process-other');
  });

  it('fails when a rationale does not mention what a case requires', () => {
    const file = projectCases();
    const target = file.cases.find((c) => c.id === 'review-missing-compendium-answer');
    if (!target) throw new Error('fixture: review-missing-compendium-answer');
    target.rationaleMentions = ['a question nobody asks'];
    expect(runValidate(['--cases', writeCases(file)]).status).toBe(1);
    expect(readReport().results.find((r) => r.id === target.id)?.missingMentions).toEqual(['a question nobody asks']);
  });

  it('fails and reports the gap when a code × applicable type has no case', () => {
    const file = projectCases();
    file.cases = file.cases.filter(
      (c) => !(c.application.type === 'BLA' && c.changes.some((ch) => ch.code === 'biologic.viral-clearance')),
    );
    const { status, stdout } = runValidate(['--cases', writeCases(file)]);
    expect(status).toBe(1);
    expect(stdout).toContain('biologic.viral-clearance × BLA');
    expect(readReport().coverage.gaps).toEqual([{ code: 'biologic.viral-clearance', applicationType: 'BLA' }]);
  });

  it('refuses an unusable case file with exit 2 and the JSON path', () => {
    const path = join(outDir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        description: 'x',
        cases: [
          {
            id: 'a',
            description: 'a',
            changes: [],
            application: { id: 'A', market: 'US', type: 'NDA' },
            expected: 'MAYBE',
            source: 's',
          },
        ],
      }),
    );
    const { status, stderr } = runValidate(['--cases', path]);
    expect(status).toBe(2);
    expect(stderr).toContain('$.cases[0].expected');
  });
});
