/**
 * The signing-credential rules (src/domain/signing-credential.ts), with the clock and the
 * matched time step passed in: enrolment, one use per code, lock-out after five failures in
 * 15 minutes, and the admin reset.
 */
import {
  FAILURE_WINDOW_MS,
  MAX_FAILED_CODES,
  SigningCredentialSchema,
  attemptCode,
  attemptsLeft,
  auditViewOf,
  resetCredential,
  startEnrolment,
} from '../../src/domain/signing-credential';
import type { SigningCredential } from '../../src/domain/signing-credential';

const RITA = { accountId: '557058:rita', displayName: 'Rita Regulatory' };
const ADA = { accountId: '557058:ada', displayName: 'Ada Admin' };
const T0 = new Date('2026-12-01T09:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const STEP0 = Math.floor(T0.getTime() / 30_000);

const started = (now = T0): SigningCredential => {
  const result = startEnrolment(undefined, { person: RITA, secretRef: 'ref-00000001', now });
  if (!result.ok) throw new Error('start refused');
  return result.next;
};
const enrolled = (): SigningCredential => {
  const result = attemptCode(started(), { purpose: 'confirm', matchedStep: STEP0, now: T0 });
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return result.next;
};
/** Applies `n` wrong codes a minute apart from `from`. */
const failTimes = (credential: SigningCredential, n: number, from = T0): SigningCredential => {
  let current = credential;
  for (let i = 0; i < n; i++) {
    const result = attemptCode(current, {
      purpose: 'sign',
      matchedStep: null,
      now: at(from.getTime() - T0.getTime() + i * 60_000),
    });
    if (!('next' in result)) throw new Error(result.outcome);
    current = result.next;
  }
  return current;
};

describe('enrolment', () => {
  it('starts pending and is enrolled by a matching code, whose step is then used', () => {
    const pending = started();
    expect(pending).toMatchObject({ status: 'pending', revision: 1, failures: [] });
    const confirmed = attemptCode(pending, { purpose: 'confirm', matchedStep: STEP0, now: T0 });
    expect(confirmed).toMatchObject({
      outcome: 'accepted',
      next: { status: 'enrolled', enrolledAt: T0.toISOString(), lastAcceptedStep: STEP0, revision: 2 },
    });
    // The code that confirmed cannot also sign.
    expect(attemptCode(enrolled(), { purpose: 'sign', matchedStep: STEP0, now: T0 })).toMatchObject({
      outcome: 'reused',
    });
  });

  it('lets a new start replace a pending one, keeping its failures, but refuses an enrolled or locked person', () => {
    const pending = attemptCode(started(), { purpose: 'confirm', matchedStep: null, now: T0 });
    if (!('next' in pending)) throw new Error(pending.outcome);
    const again = startEnrolment(pending.next, { person: RITA, secretRef: 'ref-00000002', now: at(60_000) });
    expect(again).toMatchObject({
      ok: true,
      next: { status: 'pending', secretRef: 'ref-00000002', failures: [T0.toISOString()] },
    });
    expect(startEnrolment(enrolled(), { person: RITA, secretRef: 'ref-00000003', now: T0 })).toEqual({
      ok: false,
      reason: 'enrolled',
    });
    expect(startEnrolment(failTimes(enrolled(), 5), { person: RITA, secretRef: 'ref-00000003', now: T0 })).toEqual({
      ok: false,
      reason: 'locked',
    });
  });

  it('refuses to sign before enrolment is confirmed, and to confirm what is not pending', () => {
    expect(attemptCode(undefined, { purpose: 'sign', matchedStep: STEP0, now: T0 })).toEqual({
      outcome: 'not-enrolled',
    });
    expect(attemptCode(started(), { purpose: 'sign', matchedStep: STEP0, now: T0 })).toEqual({ outcome: 'pending' });
    expect(attemptCode(enrolled(), { purpose: 'confirm', matchedStep: STEP0 + 1, now: T0 })).toEqual({
      outcome: 'not-pending',
    });
  });
});

describe('one use per code', () => {
  it('accepts a later step and refuses the same or an earlier one as reused, counting it as a failure', () => {
    const first = attemptCode(enrolled(), { purpose: 'sign', matchedStep: STEP0 + 1, now: at(30_000) });
    if (first.outcome !== 'accepted') throw new Error(first.outcome);
    expect(first.next.lastAcceptedStep).toBe(STEP0 + 1);
    for (const step of [STEP0 + 1, STEP0]) {
      expect(attemptCode(first.next, { purpose: 'sign', matchedStep: step, now: at(40_000) })).toMatchObject({
        outcome: 'reused',
        attemptsLeft: MAX_FAILED_CODES - 1,
        lockedNow: false,
        next: { failures: [at(40_000).toISOString()] },
      });
    }
  });
});

describe('lock-out', () => {
  it('locks on the fifth failure within 15 minutes, and then refuses even a correct code', () => {
    const four = failTimes(enrolled(), 4);
    expect(attemptsLeft(four, at(4 * 60_000))).toBe(1);
    const fifth = attemptCode(four, { purpose: 'sign', matchedStep: null, now: at(10 * 60_000) });
    expect(fifth).toMatchObject({
      outcome: 'wrong',
      lockedNow: true,
      attemptsLeft: 0,
      next: { status: 'locked', lockedAt: at(10 * 60_000).toISOString() },
    });
    if (!('next' in fifth)) throw new Error(fifth.outcome);
    expect(attemptCode(fifth.next, { purpose: 'sign', matchedStep: STEP0 + 100, now: at(11 * 60_000) })).toEqual({
      outcome: 'locked',
    });
    // Still locked long after: only an admin reset ends it.
    expect(attemptCode(fifth.next, { purpose: 'sign', matchedStep: STEP0 + 10_000, now: at(48 * 3_600_000) })).toEqual({
      outcome: 'locked',
    });
  });

  it('does not count failures older than 15 minutes, and a correct code does not clear recent ones', () => {
    const four = failTimes(enrolled(), 4);
    const later = at(3 * 60_000 + FAILURE_WINDOW_MS + 1);
    const result = attemptCode(four, { purpose: 'sign', matchedStep: null, now: later });
    expect(result).toMatchObject({ outcome: 'wrong', lockedNow: false, attemptsLeft: MAX_FAILED_CODES - 1 });
    const ok = attemptCode(four, { purpose: 'sign', matchedStep: STEP0 + 20, now: at(5 * 60_000) });
    if (ok.outcome !== 'accepted') throw new Error(ok.outcome);
    expect(ok.next.failures).toHaveLength(4);
    expect(attemptCode(ok.next, { purpose: 'sign', matchedStep: null, now: at(6 * 60_000) })).toMatchObject({
      lockedNow: true,
    });
  });
});

describe('reset', () => {
  it('clears the lock and failures, keeps the last step used, and lets the person enrol again', () => {
    const locked = failTimes(enrolled(), 5);
    const reset = resetCredential(locked, { by: ADA, now: at(3_600_000) });
    expect(reset).toMatchObject({
      status: 'reset',
      failures: [],
      resetBy: 'Ada Admin',
      lastAcceptedStep: STEP0,
      revision: locked.revision + 1,
    });
    expect(reset).not.toHaveProperty('lockedAt');
    expect(attemptCode(reset, { purpose: 'sign', matchedStep: STEP0 + 200, now: at(3_600_000) })).toEqual({
      outcome: 'not-enrolled',
    });
    const again = startEnrolment(reset, { person: RITA, secretRef: 'ref-00000009', now: at(3_700_000) });
    expect(again).toMatchObject({ ok: true, next: { status: 'pending', lastAcceptedStep: STEP0 } });
  });
});

it('keeps the secret reference out of what the audit trail sees, and every state parses', () => {
  for (const credential of [
    started(),
    enrolled(),
    failTimes(enrolled(), 5),
    resetCredential(enrolled(), { by: ADA, now: T0 }),
  ]) {
    expect(SigningCredentialSchema.safeParse(credential).success).toBe(true);
    expect(auditViewOf(credential)).not.toHaveProperty('secretRef');
  }
  expect(auditViewOf(undefined)).toBeNull();
});
