/**
 * A person's signing credential (21 CFR 11.200(a), 11.300): an authenticator (TOTP, RFC 6238)
 * enrolled in the app, whose current code is the second identification component of every
 * signature besides the Jira session. This module holds the credential's non-secret state and
 * the rules that move it; the secret and the code arithmetic (otpauth) stay outside the domain.
 *
 * Rules:
 * - enrolment is `pending` until the person confirms it with a current code; a new start
 *   replaces a pending one. An `enrolled` or `locked` person cannot start again: an admin
 *   resets the credential first (status `reset`), then the person enrols again.
 * - a code is accepted once: its time step must be later than the last accepted one, so a code
 *   seen over someone's shoulder, or sent twice, is refused as reused (and counts as a failure).
 * - five failed codes (wrong or reused) within 15 minutes lock signing for that person until
 *   an admin resets the credential. A correct code does not clear earlier failures: the rule
 *   counts failures in any 15-minute window.
 */
import { z } from 'zod';
import { InstantSchema, SignerSchema } from './model';
import type { Signer } from './model';

/** RFC 6238 defaults every authenticator app supports: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accepted clock drift between the authenticator and the app, in steps either side. */
export const TOTP_WINDOW_STEPS = 1;
export const MAX_FAILED_CODES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;

export const SignatureCodeSchema = z.string().regex(/^\d{6}$/, 'must be the 6-digit code your authenticator shows');

export const CredentialStatusSchema = z.enum(['pending', 'enrolled', 'locked', 'reset']);
export type CredentialStatus = z.infer<typeof CredentialStatusSchema>;

/** Names the secret in secret storage; a new enrolment gets a new one, so an enrolled secret is never overwritten. */
export const SecretRefSchema = z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be a secret reference');

export const SigningCredentialSchema = z.strictObject({
  accountId: SignerSchema.shape.accountId,
  displayName: SignerSchema.shape.displayName,
  status: CredentialStatusSchema,
  /** Bumped by every write: the conditional write that makes one code usable once. */
  revision: z.number().int().min(1),
  secretRef: SecretRefSchema,
  startedAt: InstantSchema,
  enrolledAt: InstantSchema.optional(),
  /** The TOTP time step (Unix seconds / 30) of the last code accepted. */
  lastAcceptedStep: z.number().int().nonnegative().optional(),
  /** When codes failed, oldest first; only those inside the lock-out window are kept. */
  failures: z.array(InstantSchema).max(MAX_FAILED_CODES),
  lockedAt: InstantSchema.optional(),
  resetAt: InstantSchema.optional(),
  resetBy: SignerSchema.shape.displayName.optional(),
});
export type SigningCredential = z.infer<typeof SigningCredentialSchema>;

/** The failed codes inside the lock-out window ending now. */
export const recentFailures = (credential: SigningCredential, now: Date): string[] =>
  credential.failures.filter((at) => Date.parse(at) > now.getTime() - FAILURE_WINDOW_MS);

/** How many more failed codes the person may enter before signing locks. */
export const attemptsLeft = (credential: SigningCredential, now: Date): number =>
  credential.status === 'locked' ? 0 : Math.max(0, MAX_FAILED_CODES - recentFailures(credential, now).length);

export type StartResult = { ok: true; next: SigningCredential } | { ok: false; reason: 'enrolled' | 'locked' };

/** A new pending enrolment under `secretRef`, replacing a pending one (keeping its failures) or a reset one. */
export const startEnrolment = (
  current: SigningCredential | undefined,
  input: { person: Signer; secretRef: string; now: Date },
): StartResult => {
  if (current?.status === 'enrolled' || current?.status === 'locked') return { ok: false, reason: current.status };
  const next: SigningCredential = {
    accountId: input.person.accountId,
    displayName: input.person.displayName,
    status: 'pending',
    revision: (current?.revision ?? 0) + 1,
    secretRef: input.secretRef,
    startedAt: input.now.toISOString(),
    // The step of the last code used survives a reset, so a code already used cannot sign again.
    ...(current?.lastAcceptedStep === undefined ? {} : { lastAcceptedStep: current.lastAcceptedStep }),
    failures: current?.status === 'pending' ? recentFailures(current, input.now) : [],
  };
  return { ok: true, next: SigningCredentialSchema.parse(next) };
};

/**
 * The outcome of one code entered, to confirm an enrolment or to sign.
 * - `not-enrolled`, `pending`, `not-pending`, `locked`: refused; nothing changes.
 * - `accepted`: `next` records the step used (and, for a confirmation, the enrolment).
 * - `wrong`, `reused`: refused; `next` records the failure and, on the fifth, the lock-out.
 */
export type CodeAttempt =
  | { outcome: 'not-enrolled' | 'pending' | 'not-pending' | 'locked' }
  | { outcome: 'accepted'; next: SigningCredential; step: number }
  | { outcome: 'wrong' | 'reused'; next: SigningCredential; attemptsLeft: number; lockedNow: boolean };

/**
 * Applies one code. `matchedStep` is the time step the code belongs to (within the accepted
 * drift), or null when it matches none. `purpose` is `confirm` for a pending enrolment and
 * `sign` for a signature.
 */
export const attemptCode = (
  current: SigningCredential | undefined,
  input: { purpose: 'confirm' | 'sign'; matchedStep: number | null; now: Date },
): CodeAttempt => {
  if (current === undefined || current.status === 'reset') return { outcome: 'not-enrolled' };
  if (current.status === 'locked') return { outcome: 'locked' };
  if (input.purpose === 'sign' && current.status === 'pending') return { outcome: 'pending' };
  if (input.purpose === 'confirm' && current.status !== 'pending') return { outcome: 'not-pending' };
  const { matchedStep, now } = input;
  const reused =
    matchedStep !== null && current.lastAcceptedStep !== undefined && matchedStep <= current.lastAcceptedStep;
  if (matchedStep !== null && !reused) {
    const next: SigningCredential = {
      ...current,
      revision: current.revision + 1,
      lastAcceptedStep: matchedStep,
      failures: recentFailures(current, now),
      ...(input.purpose === 'confirm' ? { status: 'enrolled' as const, enrolledAt: now.toISOString() } : {}),
    };
    return { outcome: 'accepted', next: SigningCredentialSchema.parse(next), step: matchedStep };
  }
  const failures = [...recentFailures(current, now), now.toISOString()].slice(-MAX_FAILED_CODES);
  const lockedNow = failures.length >= MAX_FAILED_CODES;
  const next: SigningCredential = {
    ...current,
    revision: current.revision + 1,
    failures,
    ...(lockedNow ? { status: 'locked' as const, lockedAt: now.toISOString() } : {}),
  };
  return {
    outcome: reused ? 'reused' : 'wrong',
    next: SigningCredentialSchema.parse(next),
    attemptsLeft: lockedNow ? 0 : MAX_FAILED_CODES - failures.length,
    lockedNow,
  };
};

/** What an admin reset leaves: the person must enrol again; the failures and lock-out are cleared. */
export const resetCredential = (current: SigningCredential, input: { by: Signer; now: Date }): SigningCredential =>
  SigningCredentialSchema.parse({
    accountId: current.accountId,
    displayName: current.displayName,
    status: 'reset',
    revision: current.revision + 1,
    secretRef: current.secretRef,
    startedAt: current.startedAt,
    ...(current.lastAcceptedStep === undefined ? {} : { lastAcceptedStep: current.lastAcceptedStep }),
    failures: [],
    resetAt: input.now.toISOString(),
    resetBy: input.by.displayName,
  });

/** The credential without anything an audit entry or an admin need not see: it holds no secret, only its reference is dropped. */
export const auditViewOf = (credential: SigningCredential | undefined): Omit<SigningCredential, 'secretRef'> | null => {
  if (credential === undefined) return null;
  const { secretRef: _secretRef, ...rest } = credential;
  return rest;
};

/** The instant a TOTP step began. */
export const stepStartOf = (step: number): string => new Date(step * TOTP_PERIOD_SECONDS * 1000).toISOString();
