/**
 * The dependency rule: src/domain is pure. It imports nothing from @forge/*, does no I/O
 * and never reads the clock; time, ids and configuration are passed in.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const domainDir = join(__dirname, '..', '..', 'src', 'domain');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.ts$/.test(name) ? [path] : [];
  });

const forbidden: { rule: string; pattern: RegExp }[] = [
  { rule: 'imports @forge/*', pattern: /(from\s+|require\(\s*|import\(\s*)['"]@forge\// },
  {
    rule: 'imports a Node built-in with I/O',
    pattern:
      /(from\s+|require\(\s*|import\(\s*)['"](node:)?(fs|net|http|https|child_process|dgram|dns|tls|worker_threads|process)['"]/,
  },
  { rule: 'calls fetch', pattern: /\bfetch\s*\(/ },
  { rule: 'reads the clock (Date.now)', pattern: /Date\.now\s*\(/ },
  { rule: 'reads the clock (new Date())', pattern: /new\s+Date\s*\(\s*\)/ },
  { rule: 'reads the clock (performance.now)', pattern: /performance\.now\s*\(/ },
  { rule: 'draws randomness', pattern: /Math\.random\s*\(|randomUUID\s*\(/ },
  { rule: 'reads the environment', pattern: /process\.env/ },
];

/** Only the domain's own files and a fixed set of pure libraries may be imported. */
const allowedPackages = new Set(['zod', 'node:crypto']);

const importsOf = (source: string): string[] =>
  [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('src/domain purity', () => {
  const files = sourceFiles(domainDir);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [relative(domainDir, f), f]))('%s breaks no purity rule', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const broken = forbidden.filter(({ pattern }) => pattern.test(source)).map(({ rule }) => rule);
    expect(broken).toEqual([]);
  });

  it.each(files.map((f) => [relative(domainDir, f), f]))(
    '%s imports only domain files and pure libraries',
    (_name, file) => {
      const foreign = importsOf(readFileSync(file, 'utf8')).filter(
        (spec) => !spec.startsWith('.') && !allowedPackages.has(spec),
      );
      expect(foreign).toEqual([]);
    },
  );

  it('detects a violation (the rules are not vacuous)', () => {
    const sample = "import { asApp } from '@forge/api';\nconst t = Date.now();";
    const broken = forbidden.filter(({ pattern }) => pattern.test(sample)).map(({ rule }) => rule);
    expect(broken).toEqual(['imports @forge/*', 'reads the clock (Date.now)']);
  });
});
