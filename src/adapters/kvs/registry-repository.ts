/**
 * The registry (products, sites, suppliers, applications) in Forge app storage: one value
 * under the key `registry`, parsed with RegistrySchema on the way in and on the way out,
 * so the app never runs on a registry it would itself reject.
 */
import { kvs } from '@forge/kvs';
import type { z } from 'zod';
import { RegistrySchema } from '../../domain/model';
import type { Registry } from '../../domain/model';
import { AppError } from '../../ports/app-error';

export const REGISTRY_KEY = 'registry';

const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
};

/** The stored registry, or undefined when none has been saved yet. */
export const loadRegistry = async (): Promise<Registry | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(REGISTRY_KEY);
  } catch (error) {
    throw new AppError('STORAGE_FAILED', `The registry could not be read from app storage: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (raw === undefined || raw === null) return undefined;
  const parsed = RegistrySchema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_RESPONSE', `The stored registry is not valid (${firstIssue(parsed.error)}); an admin must fix it before the app can use it.`);
  return parsed.data;
};

/** Validates and stores the registry, replacing the previous one. */
export const saveRegistry = async (registry: unknown): Promise<Registry> => {
  const parsed = RegistrySchema.safeParse(registry);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The registry was not saved: ${firstIssue(parsed.error)}.`);
  try {
    await kvs.set(REGISTRY_KEY, parsed.data);
  } catch (error) {
    throw new AppError('STORAGE_FAILED', `The registry could not be saved to app storage: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsed.data;
};
