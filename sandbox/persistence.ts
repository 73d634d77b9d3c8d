/**
 * Keeps the sandbox's state (the Jira stand-in and app storage) in one JSON file when
 * `SANDBOX_DATA=path.json` is set; without it everything stays in memory.
 *
 * Writes are atomic: the new content goes to a temporary file in the same directory, is
 * fsynced, then renamed over the old file (rename is atomic on one file system), and the
 * directory is fsynced. A crash leaves either the old file or the new one, never half of
 * either. A file that is not sandbox data is refused with a message, never overwritten.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

export const SANDBOX_DATA_FORMAT = 'qms-rim-sandbox/1';

export const SandboxStateSchema = z.strictObject({
  format: z.literal(SANDBOX_DATA_FORMAT),
  /** `JiraStandIn.snapshot()`; the stand-in checks it in `restore()`. */
  jira: z.record(z.string(), z.unknown()),
  /** `InMemoryKvs.snapshot()`; the KVS checks it in `restore()`. */
  kvs: z.record(z.string(), z.unknown()),
});
export type SandboxState = z.infer<typeof SandboxStateSchema>;

export class SandboxDataError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `SANDBOX_DATA file ${file} is not usable sandbox data (${reason}). It was left untouched: move it away or delete it to start again from the demo data.`,
    );
    this.name = 'SandboxDataError';
  }
}

/** The saved state, or undefined when the file does not exist yet. Throws SandboxDataError for anything else that is not sandbox data. */
export const readStateFile = (file: string): SandboxState | undefined => {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SandboxDataError(file, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SandboxDataError(file, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = SandboxStateSchema.safeParse(json);
  if (!parsed.success) throw new SandboxDataError(file, z.prettifyError(parsed.error).replace(/\n/g, ' '));
  return parsed.data;
};

let tempCounter = 0;

/**
 * Writes `text` to `file` atomically (temp file in the same directory, fsync, rename).
 * On any failure the temp file is removed and the previous `file` is left as it was.
 */
export const writeFileAtomic = (file: string, text: string): void => {
  const directory = dirname(file);
  tempCounter += 1;
  const temp = join(directory, `.${basename(file)}.${process.pid}.${tempCounter}.tmp`);
  let fd: number | undefined;
  try {
    // `SANDBOX_DATA=.sandbox/state.json` on a fresh clone names a folder that does not exist yet.
    mkdirSync(directory, { recursive: true });
    fd = openSync(temp, 'wx', 0o644);
    const buffer = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  // Make the rename itself durable; not every platform lets a directory be fsynced.
  try {
    const dirFd = openSync(directory, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // best effort
  }
};

/** Serialises first, so a state that cannot be serialised never touches the file. */
export const writeStateFile = (file: string, state: SandboxState): void => {
  const text = `${JSON.stringify(state)}\n`;
  writeFileAtomic(file, text);
};

export interface StatePersister {
  /** Ask for a save soon (debounced). */
  schedule(): void;
  /** Save now if anything is pending (or always, with `force`). */
  flush(force?: boolean): void;
  /** Save once more (always: changes made in-process are not scheduled) and stop. */
  close(): void;
  /** The last save failure, if any (the server logs it and keeps serving). */
  lastError(): Error | undefined;
}

export interface StatePersisterOptions {
  file: string;
  read: () => SandboxState;
  debounceMs?: number;
  onError?: (error: Error) => void;
}

export const createStatePersister = ({
  file,
  read,
  debounceMs = 100,
  onError,
}: StatePersisterOptions): StatePersister => {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let closed = false;
  let failure: Error | undefined;

  const save = (): void => {
    pending = false;
    try {
      writeStateFile(file, read());
      failure = undefined;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      onError?.(failure);
    }
  };

  return {
    schedule() {
      if (closed) return;
      pending = true;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (pending) save();
      }, debounceMs);
      timer.unref();
    },
    flush(force = false) {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (pending || force) save();
    },
    close() {
      this.flush(true);
      closed = true;
    },
    lastError: () => failure,
  };
};
