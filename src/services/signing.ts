/**
 * Signing with re-authentication (21 CFR 11.200(a), 11.300): every signature of a regulatory
 * decision needs, besides the Jira session, the current code of an authenticator (TOTP,
 * RFC 6238) that the signer enrolled in the app. The rules are in
 * src/domain/signing-credential.ts; the code arithmetic is otpauth's and the QR code qrcode's
 * (no hand-written crypto). The person is always the one Forge says is calling (the resolver
 * takes the accountId from the context, never from the payload).
 *
 * Enrolment, its confirmation, a lock-out and a reset are appended to the audit trail (subject
 * `person:<accountId>`, payload `{ before, after }` without the secret), in the same storage
 * transaction as the credential change. An enrolled person who wants a new authenticator asks
 * a Jira admin to reset the enrolment first: a Jira session alone must not be enough to swap
 * the second component.
 */
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { toString as qrCodeSvg } from 'qrcode';
import { appendAuditEntry } from '../adapters/kvs/audit-repository';
import {
  credentialWrite,
  discardSecret,
  listStoredCredentials,
  readCredential,
  readSecret,
  replaceCredential,
  storeSecret,
} from '../adapters/kvs/signing-credentials';
import type { CredentialSummary, Enrolment, SigningStatus } from '../contract/signing';
import type { Signer } from '../domain/model';
import {
  FAILURE_WINDOW_MS,
  MAX_FAILED_CODES,
  SignatureCodeSchema,
  TOTP_DIGITS,
  TOTP_PERIOD_SECONDS,
  TOTP_WINDOW_STEPS,
  attemptCode,
  attemptsLeft,
  auditViewOf,
  recentFailures,
  resetCredential as resetOf,
  startEnrolment as startOf,
  stepStartOf,
} from '../domain/signing-credential';
import type { CodeAttempt, SigningCredential } from '../domain/signing-credential';
import { AppError, isAppError } from '../ports/app-error';

export interface SigningDeps {
  /** The clock, read here and passed into the domain. */
  now: () => Date;
}

const ISSUER = 'QMS-RIM bridge';
const MAX_WRITE_ATTEMPTS = 5;
const WINDOW_MINUTES = FAILURE_WINDOW_MS / 60_000;

const totpOf = (secret: Secret, label: string): TOTP =>
  new TOTP({ issuer: ISSUER, label, secret, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });

/** The time step `code` belongs to, within the accepted drift, or null. */
const matchedStepOf = (base32: string, code: string, now: Date): number | null => {
  const totp = totpOf(Secret.fromBase32(base32), 'check');
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW_STEPS });
  return delta === null ? null : totp.counter({ timestamp: now.getTime() }) + delta;
};

const subjectOf = (accountId: string): string => `person:${accountId}`;

/**
 * Appends the audit entry and writes `next` in one transaction, conditional on `previous`.
 * Answers false when the credential changed since it was read (the caller reads again).
 */
const auditedWrite = async (
  entry: {
    at: Date;
    actor: Signer;
    action: 'signing/enrol' | 'signing/lockout' | 'signing/reset';
    payload: Record<string, unknown>;
  },
  next: SigningCredential,
  previous: SigningCredential | undefined,
): Promise<boolean> => {
  let lost = false;
  try {
    await appendAuditEntry(
      {
        at: entry.at.toISOString(),
        actor: entry.actor,
        action: entry.action,
        subject: subjectOf(next.accountId),
        payload: JSON.parse(
          JSON.stringify({ ...entry.payload, before: auditViewOf(previous), after: auditViewOf(next) }),
        ),
      },
      {
        writes: () => [credentialWrite(next, previous)],
        onConditionFailed: async () => {
          lost = (await readCredential(next.accountId))?.revision !== previous?.revision;
          if (lost)
            throw new AppError(
              'CONFLICT',
              'Your authenticator was changed by another request at the same time; nothing was recorded. Try again.',
            );
        },
      },
    );
    return true;
  } catch (error) {
    if (lost && isAppError(error) && error.code === 'CONFLICT') return false;
    throw error;
  }
};

const busy = (): AppError =>
  new AppError(
    'CONFLICT',
    'Your signing credential was being changed by another request at the same time; nothing was signed. Try again.',
  );

export const startEnrolment = async (deps: SigningDeps, signer: Signer): Promise<Enrolment> => {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const now = deps.now();
    const current = await readCredential(signer.accountId);
    const started = startOf(current, { person: signer, secretRef: randomUUID(), now });
    if (!started.ok) {
      throw started.reason === 'locked'
        ? new AppError(
            'FORBIDDEN',
            'Signing is locked for you after too many failed codes, so you cannot set up an authenticator now. A Jira admin must reset your enrolment first; nothing was changed.',
          )
        : new AppError(
            'CONFLICT',
            'You already have an authenticator set up for signing. To use a new one, ask a Jira admin to reset your enrolment, then set it up again; nothing was changed.',
          );
    }
    const secret = new Secret({ size: 20 });
    const uri = totpOf(secret, signer.displayName).toString();
    // The secret is stored first, under a new reference no credential names yet: if the
    // credential write then fails, the stored secret is unreachable and the old state stands.
    await storeSecret(started.next.secretRef, secret.base32);
    if (
      !(await auditedWrite(
        { at: now, actor: signer, action: 'signing/enrol', payload: { phase: 'started' } },
        started.next,
        current,
      ))
    ) {
      await discardSecret(started.next.secretRef);
      continue;
    }
    if (current?.status === 'pending' || current?.status === 'reset') await discardSecret(current.secretRef);
    return {
      otpauthUri: uri,
      qrSvg: await qrCodeSvg(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      secretBase32: secret.base32,
    };
  }
  throw busy();
};

const attemptsNote = (left: number): string =>
  `${left} ${left === 1 ? 'attempt' : 'attempts'} left before signing locks for you (${MAX_FAILED_CODES} failed codes within ${WINDOW_MINUTES} minutes lock it until a Jira admin resets your authenticator)`;

const refusal = (
  attempt: Exclude<CodeAttempt, { outcome: 'accepted' }>,
  current: SigningCredential | undefined,
  what: string,
): AppError => {
  switch (attempt.outcome) {
    case 'not-enrolled':
      return new AppError(
        'FORBIDDEN',
        `You have no authenticator set up for signing, so ${what}. Set one up under “Authenticator for signing” in the Regulatory impact panel, then try again.`,
        { reason: 'not-enrolled' },
      );
    case 'pending':
      return new AppError(
        'FORBIDDEN',
        `Your authenticator set-up is not confirmed yet, so ${what}. Confirm it with a current code under “Authenticator for signing”, then try again.`,
        { reason: 'not-confirmed' },
      );
    case 'not-pending':
      return current?.status === 'enrolled'
        ? new AppError('CONFLICT', 'Your authenticator is already set up and confirmed; nothing was changed.', {
            reason: 'already-enrolled',
          })
        : new AppError(
            'FORBIDDEN',
            `There is no authenticator set-up to confirm, so ${what}. Start the set-up again.`,
            { reason: 'not-enrolled' },
          );
    case 'locked':
      return new AppError(
        'FORBIDDEN',
        `Signing is locked for you since ${current?.lockedAt ?? 'a lock-out'} after ${MAX_FAILED_CODES} failed codes within ${WINDOW_MINUTES} minutes, so ${what}. A Jira admin must reset your authenticator; then set it up again.`,
        { reason: 'locked' },
      );
    case 'wrong':
    case 'reused': {
      const why =
        attempt.outcome === 'reused'
          ? 'That authenticator code was already used: each code is accepted once. Wait for your authenticator to show its next code (every 30 seconds)'
          : 'The authenticator code is not correct. Check that your authenticator app shows the code for this app and that its clock is right';
      if (attempt.lockedNow) {
        return new AppError(
          'FORBIDDEN',
          `${why}. That was the ${MAX_FAILED_CODES}th failed code within ${WINDOW_MINUTES} minutes: signing is now locked for you until a Jira admin resets your authenticator, and ${what}.`,
          { reason: 'locked' },
        );
      }
      return new AppError('FORBIDDEN', `${why}; ${what}. ${attemptsNote(attempt.attemptsLeft)}.`, {
        reason: attempt.outcome === 'reused' ? 'reused-code' : 'wrong-code',
        attemptsLeft: attempt.attemptsLeft,
      });
    }
  }
};

/**
 * One code against the person's credential, retried when a concurrent request changed the
 * credential first (so of two uses of one code, the second sees it used). Throws the refusal.
 */
const useCode = async (deps: SigningDeps, signer: Signer, code: string, purpose: 'confirm' | 'sign'): Promise<void> => {
  const what = purpose === 'sign' ? 'nothing was signed' : 'the set-up was not confirmed';
  if (!SignatureCodeSchema.safeParse(code).success) {
    throw new AppError(
      'INVALID_INPUT',
      `The authenticator code must be the 6 digits your authenticator shows; ${what}.`,
    );
  }
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const now = deps.now();
    const current = await readCredential(signer.accountId);
    let matchedStep: number | null = null;
    if (current?.status === 'pending' || current?.status === 'enrolled') {
      const base32 = await readSecret(current.secretRef);
      if (base32 === undefined)
        throw new AppError(
          'INVALID_RESPONSE',
          `Your authenticator secret is missing from app storage, so ${what}. A Jira admin must reset your enrolment; then set it up again.`,
        );
      matchedStep = matchedStepOf(base32, code, now);
    }
    const result = attemptCode(current, { purpose, matchedStep, now });
    if (!('next' in result)) throw refusal(result, current, what);
    let written: boolean;
    if (result.outcome === 'accepted') {
      written =
        purpose === 'confirm'
          ? await auditedWrite(
              { at: now, actor: signer, action: 'signing/enrol', payload: { phase: 'confirmed' } },
              result.next,
              current,
            )
          : await replaceCredential(result.next, current);
      if (written) return;
    } else {
      written = result.lockedNow
        ? await auditedWrite(
            {
              at: now,
              actor: signer,
              action: 'signing/lockout',
              payload: { failures: result.next.failures, lastCode: result.outcome },
            },
            result.next,
            current,
          )
        : await replaceCredential(result.next, current);
      if (written) throw refusal(result, result.next, what);
    }
  }
  throw busy();
};

export const confirmEnrolment = (deps: SigningDeps, signer: Signer, code: string): Promise<void> =>
  useCode(deps, signer, code, 'confirm');

/**
 * The second identification component of a signature: resolves when `code` is the signer's
 * current authenticator code, not used before; records the step used, so the code cannot sign
 * again. Otherwise throws an AppError saying why (no authenticator, not confirmed, wrong code,
 * code already used, locked out, with the attempts left) and records the failure. Call it
 * right before the signed record is written, with the signer Forge names.
 */
export const requireSignatureCode = (deps: SigningDeps, signer: Signer, code: string): Promise<void> =>
  useCode(deps, signer, code, 'sign');

export const signingStatus = async (deps: SigningDeps, accountId: string): Promise<SigningStatus> => {
  const current = await readCredential(accountId);
  if (current === undefined || current.status === 'reset') return { status: 'none', attemptsLeft: MAX_FAILED_CODES };
  return {
    status: current.status,
    attemptsLeft: attemptsLeft(current, deps.now()),
    ...(current.enrolledAt === undefined || current.status === 'pending' ? {} : { enrolledAt: current.enrolledAt }),
    ...(current.lockedAt === undefined ? {} : { lockedAt: current.lockedAt }),
  };
};

const summaryOf = (credential: SigningCredential, now: Date): CredentialSummary => ({
  accountId: credential.accountId,
  displayName: credential.displayName,
  status: credential.status,
  startedAt: credential.startedAt,
  ...(credential.enrolledAt === undefined ? {} : { enrolledAt: credential.enrolledAt }),
  ...(credential.lastAcceptedStep === undefined ? {} : { lastCodeAt: stepStartOf(credential.lastAcceptedStep) }),
  recentFailures: recentFailures(credential, now).length,
  ...(credential.lockedAt === undefined ? {} : { lockedAt: credential.lockedAt }),
  ...(credential.resetAt === undefined ? {} : { resetAt: credential.resetAt }),
  ...(credential.resetBy === undefined ? {} : { resetBy: credential.resetBy }),
});

/** Everyone with a credential (including reset ones, until they enrol again), by name. */
export const listCredentials = async (deps: SigningDeps): Promise<CredentialSummary[]> => {
  const now = deps.now();
  return (await listStoredCredentials())
    .map((credential) => summaryOf(credential, now))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId));
};

/** An admin's reset: the person's authenticator no longer signs; they set one up again. Audited. */
export const resetCredential = async (deps: SigningDeps, accountId: string, by: Signer): Promise<CredentialSummary> => {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const now = deps.now();
    const current = await readCredential(accountId);
    if (current === undefined || current.status === 'reset') {
      throw new AppError(
        'NOT_FOUND',
        'That person has no authenticator set up or in set-up, so there is nothing to reset; nothing was changed.',
      );
    }
    const next = resetOf(current, { by, now });
    if (!(await auditedWrite({ at: now, actor: by, action: 'signing/reset', payload: {} }, next, current))) continue;
    await discardSecret(current.secretRef);
    return summaryOf(next, now);
  }
  throw busy();
};
