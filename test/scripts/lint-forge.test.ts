/**
 * `npm run lint:forge` must actually catch a scope the code needs but the manifest lacks;
 * otherwise "0 errors" would prove nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { z } from 'zod';

const root = resolve(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

const runLint = (manifestPath?: string) =>
  spawnSync(tsx, ['scripts/lint-forge.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...(manifestPath ? { FORGE_MANIFEST: manifestPath } : {}) },
  });

describe('npm run lint:forge', () => {
  it('fails, naming the endpoint and scope, when the manifest lacks a scope the code needs', () => {
    const manifest = z.looseObject({ permissions: z.looseObject({ scopes: z.array(z.string()) }) }).parse(load(readFileSync(join(root, 'manifest.yml'), 'utf8')));
    const withoutRead = { ...manifest, permissions: { ...manifest.permissions, scopes: manifest.permissions.scopes.filter((s) => s !== 'read:jira-work') } };
    // Beside the real manifest: the validator resolves handler files relative to it.
    const path = join(root, `.manifest-lint-test-${process.pid}.yml`);
    writeFileSync(path, dump(withoutRead));
    const result = (() => {
      try {
        return runLint(path);
      } finally {
        rmSync(path, { force: true });
      }
    })();
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/GET \/rest\/api\/3\/issue\/\{issueIdOrKey\} requires "read:jira-work" scope/);
  }, 60_000);
});
