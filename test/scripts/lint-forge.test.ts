/**
 * `npm run lint:forge` must actually catch a scope the code needs but the manifest lacks;
 * otherwise "0 errors" would prove nothing. And the manifest asks for exactly the scopes the
 * code needs: the linter reports only missing scopes, so an unused one is found by linting
 * the code against the manifest with no scopes at all (every scope it then reports missing
 * is needed) and comparing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { z } from 'zod';

const root = resolve(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

const runLint = (manifestPath?: string, args: string[] = []) =>
  spawnSync(tsx, ['scripts/lint-forge.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...(manifestPath ? { FORGE_MANIFEST: manifestPath } : {}) },
  });

const readManifest = () =>
  z
    .looseObject({ permissions: z.looseObject({ scopes: z.array(z.string()) }) })
    .parse(load(readFileSync(join(root, 'manifest.yml'), 'utf8')));

/** Lints against the real manifest with other scopes; beside it, because the validator resolves handler files relative to it. */
const lintWithScopes = (scopes: string[], args: string[] = []) => {
  const manifest = readManifest();
  const path = join(root, `.manifest-lint-test-${process.pid}.yml`);
  writeFileSync(path, dump({ ...manifest, permissions: { ...manifest.permissions, scopes } }));
  try {
    return runLint(path, args);
  } finally {
    rmSync(path, { force: true });
  }
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory()
      ? sourceFiles(join(dir, name))
      : /\.tsx?$/.test(name)
        ? [join(dir, name)]
        : [],
  );

describe('npm run lint:forge', () => {
  it('fails, naming the endpoint and scope, when the manifest lacks a scope the code needs', () => {
    const result = lintWithScopes(readManifest().permissions.scopes.filter((s) => s !== 'read:jira-work'));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/GET \/rest\/api\/3\/issue\/\{issueIdOrKey\} requires "read:jira-work" scope/);
  }, 60_000);

  it('manifest.yml asks for exactly the scopes the code needs: what the linter finds missing without any, plus storage:app for @forge/kvs', () => {
    const result = lintWithScopes([], ['--missing-scopes']);
    expect(result.status).toBe(0);
    const { missingScopes } = z
      .strictObject({ missingScopes: z.array(z.string()) })
      .parse(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? ''));
    expect(missingScopes.length).toBeGreaterThan(0);
    // Forge needs storage:app for @forge/kvs; the linter checks it only for the legacy storage API.
    const usesKvs = sourceFiles(join(root, 'src')).some((file) =>
      /from '@forge\/kvs'/.test(readFileSync(file, 'utf8')),
    );
    const needed = [...new Set([...missingScopes, ...(usesKvs ? ['storage:app'] : [])])].sort();
    expect([...readManifest().permissions.scopes].sort()).toEqual(needed);
  }, 240_000);
});
