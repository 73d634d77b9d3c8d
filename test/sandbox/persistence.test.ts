import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SANDBOX_DATA_FORMAT,
  SandboxDataError,
  createStatePersister,
  readStateFile,
  writeFileAtomic,
  writeStateFile,
} from '../../sandbox/persistence';
import type { SandboxState } from '../../sandbox/persistence';
import { startSandboxServer } from '../../sandbox/server';
import { httpCall } from './server-helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-persistence-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const state = (marker: string): SandboxState => ({ format: SANDBOX_DATA_FORMAT, jira: { marker }, kvs: { marker } });

describe('sandbox persistence: the file', () => {
  it('writes atomically and leaves no temporary file', () => {
    const file = join(dir, 'state.json');
    writeStateFile(file, state('one'));
    writeStateFile(file, state('two'));
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(readStateFile(file)).toEqual(state('two'));
  });

  it('creates the folder the file is in when it does not exist yet (SANDBOX_DATA=.sandbox/state.json on a fresh clone)', () => {
    const file = join(dir, 'not-yet', 'deeper', 'state.json');
    writeStateFile(file, state('fresh'));
    expect(readdirSync(join(dir, 'not-yet', 'deeper'))).toEqual(['state.json']);
    expect(readStateFile(file)).toEqual(state('fresh'));
  });

  it('keeps the previous file intact when serialisation throws', () => {
    const file = join(dir, 'state.json');
    writeStateFile(file, state('good'));
    const before = readFileSync(file, 'utf8');
    const broken = {
      ...state('bad'),
      jira: {
        toJSON: () => {
          throw new Error('cannot serialise');
        },
      },
    };
    expect(() => writeStateFile(file, broken)).toThrow('cannot serialise');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('removes the temporary file and keeps the old one when the rename fails', () => {
    const target = join(dir, 'is-a-directory');
    writeFileSync(join(dir, 'keep.json'), 'old');
    mkdirSync(target);
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['is-a-directory', 'keep.json']);
  });

  it('reads a missing file as "no saved state" and refuses corrupt ones with a clear message', () => {
    expect(readStateFile(join(dir, 'absent.json'))).toBeUndefined();
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "qms-rim-sandbox/1", "jira": {');
    expect(() => readStateFile(corrupt)).toThrow(SandboxDataError);
    expect(() => readStateFile(corrupt)).toThrow(
      /corrupt\.json is not usable sandbox data \(not valid JSON.*left untouched/,
    );
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
    expect(() => readStateFile(foreign)).toThrow(/not usable sandbox data/);
  });

  it('debounces saves and flushes on close', async () => {
    const file = join(dir, 'state.json');
    let n = 0;
    const persister = createStatePersister({ file, read: () => state(String(++n)), debounceMs: 20 });
    persister.schedule();
    persister.schedule();
    persister.schedule();
    await new Promise((r) => setTimeout(r, 60));
    expect(readStateFile(file)).toEqual(state('1'));
    persister.schedule();
    persister.close();
    expect(readStateFile(file)).toEqual(state('2'));
    expect(persister.lastError()).toBeUndefined();
  });
});

describe('sandbox persistence: SANDBOX_DATA across server starts', () => {
  const summaryOf = async (url: string, key: string): Promise<unknown> =>
    (
      (await httpCall(url, 'GET', `/rest/api/3/issue/${key}?fields=summary`, { as: 'admin' })).body as {
        fields: { summary: string };
      }
    ).fields.summary;

  it('keeps changes across restarts, saves while running, and reset goes back to the demo', async () => {
    const file = join(dir, 'sandbox.json');
    const first = await startSandboxServer({ port: 0, dataFile: file, saveDebounceMs: 10 });
    try {
      expect(readStateFile(file)).toBeDefined();
      const edit = await httpCall(first.url, 'PUT', '/rest/api/3/issue/QMS-2', {
        as: 'quality',
        body: { fields: { summary: 'Persisted summary' } },
      });
      expect(edit.status).toBe(204);
      // saved while running (debounced), not only on shutdown
      for (let i = 0; i < 50 && !readFileSync(file, 'utf8').includes('Persisted summary'); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(file, 'utf8')).toContain('Persisted summary');
    } finally {
      await first.close();
    }
    expect(readdirSync(dir)).toEqual(['sandbox.json']);

    const second = await startSandboxServer({ port: 0, dataFile: file });
    try {
      expect(await summaryOf(second.url, 'QMS-2')).toBe('Persisted summary');
      expect((await httpCall(second.url, 'POST', '/sandbox/reset')).status).toBe(204);
    } finally {
      await second.close();
    }

    const third = await startSandboxServer({ port: 0, dataFile: file });
    try {
      expect(await summaryOf(third.url, 'QMS-2')).toBe(
        'Tighten the dissolution specification of Cardiolol 50 mg tablets',
      );
    } finally {
      await third.close();
    }
  });

  it('refuses to start on a corrupt file and leaves it untouched', async () => {
    const file = join(dir, 'sandbox.json');
    writeFileSync(file, 'this is not JSON');
    await expect(startSandboxServer({ port: 0, dataFile: file })).rejects.toThrow(
      /sandbox\.json is not usable sandbox data/,
    );
    expect(readFileSync(file, 'utf8')).toBe('this is not JSON');

    writeFileSync(file, JSON.stringify({ format: SANDBOX_DATA_FORMAT, jira: { version: 99 }, kvs: {} }));
    await expect(startSandboxServer({ port: 0, dataFile: file })).rejects.toThrow(/not usable sandbox data/);

    // the failed starts released the runtime: a good start still works
    rmSync(file);
    const sandbox = await startSandboxServer({ port: 0, dataFile: file });
    await sandbox.close();
  });
});
