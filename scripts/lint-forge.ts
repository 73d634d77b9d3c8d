/**
 * `npm run lint:forge`: Atlassian's own `forge lint` client-side linters, run offline.
 * The permission linter reads the product OpenAPI specs from ../shared/specs instead of
 * downloading them (USE_LOCAL_SWAGGER), and the feature-flag service the CLI would ask
 * over the network is replaced by one that answers "off" to every gate.
 * Fails on any error or warning, so a missing or unused scope cannot land.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lint, problemCount, reportLintResults } from '@forge/lint';
import { validate } from '@forge/manifest';

const root = resolve(__dirname, '..');
const specs = process.env.FORGE_SPECS_DIR ?? resolve(root, '..', 'shared', 'specs');

const localSwagger = {
  USE_LOCAL_SWAGGER: '1',
  LOCAL_JIRA_SWAGGER: join(specs, 'jira-platform.v3.json'),
  LOCAL_CONF_V2_SWAGGER: join(specs, 'confluence-v2.v3.json'),
  LOCAL_CONF_SWAGGER: join(specs, 'empty.json'),
  LOCAL_JSM_SWAGGER: join(specs, 'empty.json'),
  LOCAL_JSW_SWAGGER: join(specs, 'empty.json'),
  LOCAL_BB_SWAGGER: join(specs, 'empty.json'),
};

/** The feature-flag client the CLI would use needs a login; offline, every flag is off. */
const offlineFlags = {
  checkGate: async () => false,
  getDynamicConfig: async () => null,
  getDeprecatedRuntimes: async () => [],
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? sourceFiles(path)
      : /\.(ts|tsx|js|jsx)$/.test(name)
        ? [relative(root, path)]
        : [];
  });

type LintResults = Awaited<ReturnType<typeof lint>>;

/** Lints the code in src/ against a manifest; undefined when the manifest itself is invalid (its errors are printed). */
const lintAgainst = async (
  manifestPath: string,
  logger: { info: (message: string) => void },
): Promise<LintResults | undefined> => {
  const manifest = await validate(false, manifestPath);
  const typedContent = manifest.manifestObject?.typedContent;
  if (!manifest.success || !typedContent || !('modules' in typedContent)) {
    for (const e of manifest.errors ?? [])
      console.error(`${manifestPath}:${e.line}:${e.column} ${e.level}: ${e.message}`);
    return undefined;
  }
  return lint(
    sourceFiles('src'),
    typedContent,
    'development',
    logger,
    // The linter only calls the three methods above; the real class needs credentials.
    offlineFlags as unknown as Parameters<typeof lint>[4],
    { linter: { mode: 'client-side' } },
  );
};

/** The scopes the permission linter says the manifest lacks (from each problem's `missingPermission`). */
const missingScopes = (results: LintResults): string[] => {
  const missing = new Set<string>();
  for (const result of results) {
    for (const problem of [...result.errors, ...result.warnings]) {
      const scope: unknown = problem.metadata?.['missingPermission'];
      if (typeof scope === 'string') missing.add(scope);
    }
  }
  return [...missing].sort();
};

const main = async (): Promise<number> => {
  process.chdir(root);
  Object.assign(process.env, localSwagger);
  // FORGE_MANIFEST lets a test lint the code against a deliberately wrong manifest.
  const manifestPath = process.env.FORGE_MANIFEST ?? 'manifest.yml';
  // --missing-scopes: print, as JSON, the scopes the code needs that the manifest lacks (run
  // against a manifest with no scopes, that is every scope the linter checks the code needs).
  if (process.argv.includes('--missing-scopes')) {
    const results = await lintAgainst(manifestPath, { info: () => undefined });
    if (!results) return 1;
    console.log(JSON.stringify({ missingScopes: missingScopes(results) }));
    return 0;
  }
  const logger = { info: (message: string) => console.log(message) };
  const results = await lintAgainst(manifestPath, logger);
  if (!results) return 1;
  reportLintResults(logger, results);
  const { errors, warnings } = problemCount(results);
  console.log(`forge lint (client-side, offline specs): ${errors} error(s), ${warnings} warning(s)`);
  return errors + warnings > 0 ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
