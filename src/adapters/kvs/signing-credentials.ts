/**
 * Signing credentials (src/domain/signing-credential.ts) in Forge app storage, written as the app.
 *
 * - The TOTP secret lives in Forge secret storage (`kvs.setSecret`), under
 *   `signing-secret:<secretRef>`: never returned by queries, never sent to a browser after the
 *   enrolment that created it. Each enrolment gets a new reference, so starting again never
 *   overwrites the secret of a confirmed enrolment.
 * - The non-secret state is the custom entity `signing-credential`, keyed by the person's
 *   accountId. Every write is conditional on the revision it replaces, so two concurrent uses of
 *   one code cannot both pass: exactly one write commits, the other re-reads and finds the code
 *   used. A write that must be audited goes into the audit entry's own transaction
 *   (`credentialWrite` as an `AlongsideWrite`).
 */
import { Filter, FilterConditions, ForgeKvsAPIError, kvs } from '@forge/kvs';
import { z } from 'zod';
import { SigningCredentialSchema } from '../../domain/signing-credential';
import type { SigningCredential } from '../../domain/signing-credential';
import { AppError } from '../../ports/app-error';
import type { AlongsideWrite } from './audit-repository';

export const SIGNING_CREDENTIAL_ENTITY = 'signing-credential';
const SECRET_PREFIX = 'signing-secret:';
const INDEX_BY_ACCOUNT = 'accountId';
const PAGE_SIZE = 100;

const StoredSecretSchema = z.strictObject({ base32: z.string().regex(/^[A-Z2-7]{16,128}$/) });

const storageFailed = (what: string): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The signing credentials could not be ${what} in app storage; nothing was signed. Try again.`,
  );

const parseStored = (accountId: string, raw: unknown): SigningCredential => {
  const parsed = SigningCredentialSchema.safeParse(raw);
  if (!parsed.success || parsed.data.accountId !== accountId) {
    throw new AppError(
      'INVALID_RESPONSE',
      'The stored signing credential is not valid, so no code can be checked against it; a Jira admin must reset it.',
    );
  }
  return parsed.data;
};

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError &&
  (error.responseDetails.status === 409 || error.code === 'CONDITIONAL_CHECK_FAILED');

export const readCredential = async (accountId: string): Promise<SigningCredential | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.entity<unknown>(SIGNING_CREDENTIAL_ENTITY).get(accountId);
  } catch {
    throw storageFailed('read');
  }
  return raw === undefined || raw === null ? undefined : parseStored(accountId, raw);
};

/** Every person with a credential, by accountId. */
export const listStoredCredentials = async (): Promise<SigningCredential[]> => {
  const found: SigningCredential[] = [];
  let cursor: string | undefined;
  try {
    do {
      let query = kvs.entity<unknown>(SIGNING_CREDENTIAL_ENTITY).query().index(INDEX_BY_ACCOUNT).limit(PAGE_SIZE);
      if (cursor !== undefined) query = query.cursor(cursor);
      const page = await query.getMany();
      for (const item of page.results) found.push(parseStored(item.key, item.value));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw storageFailed('read');
  }
  return found;
};

/** Holds while the stored credential is still the one `next` was computed from. */
const unchangedSince = (previous: SigningCredential | undefined) =>
  previous === undefined
    ? new Filter<SigningCredential>().and('revision', FilterConditions.notExists())
    : new Filter<SigningCredential>().and('revision', FilterConditions.equalTo(previous.revision));

/** `next` as a write for the audit entry's transaction, conditional on `previous`. */
export const credentialWrite =
  (next: SigningCredential, previous: SigningCredential | undefined): AlongsideWrite =>
  (transaction) =>
    transaction.set<SigningCredential>(next.accountId, SigningCredentialSchema.parse(next), {
      entityName: SIGNING_CREDENTIAL_ENTITY,
      conditions: unchangedSince(previous),
    });

/** Writes `next` if the stored credential is still `previous`; answers false when someone else changed it first. */
export const replaceCredential = async (
  next: SigningCredential,
  previous: SigningCredential | undefined,
): Promise<boolean> => {
  try {
    await credentialWrite(next, previous)(kvs.transact()).execute();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw storageFailed('written');
  }
};

const secretKey = (secretRef: string): string => `${SECRET_PREFIX}${secretRef}`;

export const storeSecret = async (secretRef: string, base32: string): Promise<void> => {
  try {
    await kvs.setSecret(secretKey(secretRef), StoredSecretSchema.parse({ base32 }));
  } catch {
    throw storageFailed('written');
  }
};

export const readSecret = async (secretRef: string): Promise<string | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.getSecret<unknown>(secretKey(secretRef));
  } catch {
    throw storageFailed('read');
  }
  if (raw === undefined || raw === null) return undefined;
  const parsed = StoredSecretSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError(
      'INVALID_RESPONSE',
      'The stored authenticator secret is not valid; a Jira admin must reset the enrolment.',
    );
  return parsed.data.base32;
};

/** Best effort: a secret left behind is unreachable (no credential names it) and harmless. */
export const discardSecret = async (secretRef: string): Promise<void> => {
  try {
    await kvs.deleteSecret(secretKey(secretRef));
  } catch {
    // see above
  }
};
