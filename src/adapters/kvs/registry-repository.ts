/**
 * The registry (products, sites, suppliers, applications) in Forge app storage: one value
 * under the key `registry`, parsed with RegistrySchema on the way in and on the way out,
 * so the app never runs on a registry it would itself reject. An import is written in the
 * same storage transaction as its audit entry (`saveRegistryAudited`).
 */
import { kvs } from '@forge/kvs';
import type { z } from 'zod';
import { digestOf } from '../../domain/canonical';
import { RegistrySchema } from '../../domain/model';
import type { Registry, Signer } from '../../domain/model';
import { registryImportAudit } from '../../domain/registry-audit';
import type { UnreadableRegistry } from '../../domain/registry-audit';
import { AppError } from '../../ports/app-error';
import { appendAuditEntry } from './audit-repository';
import type { AuditEntry } from '../../domain/audit-chain';

export const REGISTRY_KEY = 'registry';

const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
};

/** The stored value as it is (undefined when none). */
const readRawRegistry = async (): Promise<unknown> => {
  try {
    const raw = await kvs.get<unknown>(REGISTRY_KEY);
    return raw === null ? undefined : raw;
  } catch (error) {
    throw new AppError(
      'STORAGE_FAILED',
      `The registry could not be read from app storage: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

/** The stored registry, or undefined when none has been saved yet. */
export const loadRegistry = async (): Promise<Registry | undefined> => {
  const raw = await readRawRegistry();
  if (raw === undefined) return undefined;
  const parsed = RegistrySchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'INVALID_RESPONSE',
      `The stored registry is not valid (${firstIssue(parsed.error)}); an admin must fix it before the app can use it.`,
    );
  return parsed.data;
};

/** Validates and stores the registry, replacing the previous one, unaudited: for seeding the sandbox and tests only; the admin's import uses `saveRegistryAudited`. */
export const saveRegistry = async (registry: unknown): Promise<Registry> => {
  const parsed = RegistrySchema.safeParse(registry);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The registry was not saved: ${firstIssue(parsed.error)}.`);
  try {
    await kvs.set(REGISTRY_KEY, parsed.data);
  } catch (error) {
    throw new AppError(
      'STORAGE_FAILED',
      `The registry could not be saved to app storage: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parsed.data;
};

/** The stored registry as it is, even when it is no longer valid (then only its digest): what an import replaces. */
const loadPreviousRegistry = async (): Promise<Registry | UnreadableRegistry | undefined> => {
  const raw = await readRawRegistry();
  if (raw === undefined) return undefined;
  const parsed = RegistrySchema.safeParse(raw);
  return parsed.success ? parsed.data : { unreadable: true, digest: digestOf(raw) };
};

/**
 * Validates the registry and replaces the stored one in the same storage transaction as the
 * audit entry that records it (subject `app:registry`): both are written, or neither.
 */
export const saveRegistryAudited = async (
  registry: unknown,
  by: Signer,
  now: Date,
): Promise<{ registry: Registry; entry: AuditEntry }> => {
  const parsed = RegistrySchema.safeParse(registry);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The registry was not saved: ${firstIssue(parsed.error)}.`);
  const saved = parsed.data;
  const previous = await loadPreviousRegistry();
  const entry = await appendAuditEntry(
    {
      at: now.toISOString(),
      actor: by,
      action: 'admin/registry/import',
      subject: 'app:registry',
      payload: registryImportAudit(previous, saved),
    },
    { writes: () => [(transaction) => transaction.set(REGISTRY_KEY, saved)], onConditionFailed: async () => undefined },
  );
  return { registry: saved, entry };
};
