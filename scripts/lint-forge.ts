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
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx|js|jsx)$/.test(name) ? [relative(root, path)] : [];
  });

const main = async (): Promise<number> => {
  process.chdir(root);
  Object.assign(process.env, localSwagger);
  // FORGE_MANIFEST lets a test lint the code against a deliberately wrong manifest.
  const manifest = await validate(false, process.env.FORGE_MANIFEST ?? 'manifest.yml');
  const typedContent = manifest.manifestObject?.typedContent;
  if (!manifest.success || !typedContent || !('modules' in typedContent)) {
    for (const e of manifest.errors ?? []) console.error(`manifest.yml:${e.line}:${e.column} ${e.level}: ${e.message}`);
    return 1;
  }
  const logger = { info: (message: string) => console.log(message) };
  const results = await lint(
    sourceFiles('src'),
    typedContent,
    'development',
    logger,
    // The linter only calls the three methods above; the real class needs credentials.
    offlineFlags as unknown as Parameters<typeof lint>[4],
    { linter: { mode: 'client-side' } },
  );
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
