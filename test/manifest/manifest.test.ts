/**
 * manifest.yml is what Atlassian deploys: these tests hold it to Atlassian's own validator
 * and to what that validator does not check (handler exports, resource paths, trigger
 * event names, validators with neither function nor expression), and hold src/index.ts
 * to re-exporting exactly the handlers the manifest names.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validate } from '@forge/manifest';
import { load } from 'js-yaml';
import { z } from 'zod';

const root = resolve(__dirname, '..', '..');

const ManifestSchema = z.looseObject({
  app: z.looseObject({ id: z.string(), runtime: z.looseObject({ name: z.string() }) }),
  permissions: z.looseObject({ scopes: z.array(z.string()).optional() }).optional(),
  resources: z.array(z.looseObject({ key: z.string(), path: z.string() })).optional(),
  modules: z.record(z.string(), z.array(z.looseObject({ key: z.string() }))),
});

const manifest = ManifestSchema.parse(load(readFileSync(join(root, 'manifest.yml'), 'utf8')));
const modules: (Record<string, unknown> & { kind: string })[] = Object.entries(manifest.modules).flatMap(
  ([kind, list]) => list.map((m): Record<string, unknown> & { kind: string } => ({ ...m, kind })),
);
const functions = z
  .array(z.looseObject({ key: z.string(), handler: z.string() }))
  .parse(manifest.modules['function'] ?? []);

/** Events this app may subscribe to: the Jira product events documented by Atlassian. */
const KNOWN_EVENTS = new Set([
  'avi:jira:created:issue',
  'avi:jira:updated:issue',
  'avi:jira:deleted:issue',
  'avi:jira:created:issuelink',
  'avi:jira:deleted:issuelink',
  'avi:jira:set:issue-property',
  'avi:jira:deleted:issue-property',
]);

describe('manifest.yml', () => {
  it("passes Atlassian's manifest validator", async () => {
    const result = await validate(false, join(root, 'manifest.yml'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('targets the nodejs22.x runtime', () => {
    expect(manifest.app.runtime.name).toBe('nodejs22.x');
  });

  it.each(functions.map((f) => [f.key, f.handler]))(
    'function %s names a handler that src/index.ts exports (%s)',
    (_key, handler) => {
      const [file, exported] = handler.split('.');
      expect(file).toBe('index');
      expect(existsSync(join(root, 'src', `${file}.ts`))).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const index: Record<string, unknown> = require(join(root, 'src', 'index.ts'));
      expect(typeof index[exported ?? '']).toBe('function');
    },
  );

  it('src/index.ts exports exactly the handlers the manifest names', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const index: Record<string, unknown> = require(join(root, 'src', 'index.ts'));
    const named = functions.map((f) => f.handler.split('.')[1]).sort();
    expect(Object.keys(index).sort()).toEqual(named);
  });

  it('every module that names a function names one that is declared', () => {
    const declared = new Set(functions.map((f) => f.key));
    const referenced = modules.flatMap((m) => {
      const refs: string[] = [];
      if (typeof m['function'] === 'string') refs.push(m['function']);
      const resolver = z.looseObject({ function: z.string() }).safeParse(m['resolver']);
      if (resolver.success) refs.push(resolver.data.function);
      return refs;
    });
    expect(referenced.filter((r) => !declared.has(r))).toEqual([]);
  });

  it('every resource path exists', () => {
    const missing = (manifest.resources ?? []).filter(
      (r) => !existsSync(join(root, r.path)) || !statSync(join(root, r.path)).isDirectory(),
    );
    expect(missing).toEqual([]);
  });

  it('every workflow validator has exactly one of function or expression', () => {
    const validators = modules.filter((m) => m.kind === 'jira:workflowValidator');
    for (const v of validators) {
      expect([typeof v['function'] === 'string', typeof v['expression'] === 'string'].filter(Boolean)).toHaveLength(1);
    }
  });

  it('every trigger subscribes only to known product events', () => {
    const triggers = z.array(z.looseObject({ events: z.array(z.string()) })).parse(manifest.modules['trigger'] ?? []);
    const unknown = triggers.flatMap((t) => t.events).filter((e) => !KNOWN_EVENTS.has(e));
    expect(unknown).toEqual([]);
  });

  it('does not use UI Kit 1 (@forge/ui), which Atlassian has removed', () => {
    const pkg = z
      .looseObject({
        dependencies: z.record(z.string(), z.string()).optional(),
        devDependencies: z.record(z.string(), z.string()).optional(),
      })
      .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('@forge/ui');
  });
});
