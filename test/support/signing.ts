/**
 * Signing in tests as a person would: enrol an authenticator through the real resolvers, then
 * compute codes from the enrolled secret with otpauth (RFC 6238), as the person's authenticator
 * app does.
 *
 * A code is accepted once per 30-second step, so a test that signs several times must move to
 * the next step between signatures. `useSigningClock` fakes `Date` only (timers stay real and
 * time keeps running), and every `code()` moves the clock to the next step first. The sandbox
 * and the browser tests' server run in the test's process, so the app's clock moves with it.
 */
import { Secret, TOTP } from 'otpauth';
import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../../src/contract/envelope';
import { EnrolmentSchema, SigningStatusSchema } from '../../src/contract/signing';
import { TOTP_PERIOD_SECONDS } from '../../src/domain/signing-credential';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** Fakes Date only, starting at `start` and running on from there. Undo with `jest.useRealTimers()`. */
export const useSigningClock = (start: Date = new Date()): void => {
  jest.useFakeTimers({
    now: start,
    advanceTimers: true,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
};

/** Moves the faked clock to the start of the next 30-second step (needs `useSigningClock`). */
export const nextCodeStep = (): void => {
  jest.setSystemTime((Math.floor(Date.now() / STEP_MS) + 1) * STEP_MS + 1000);
};

/** The code an authenticator holding `secretBase32` shows at `at` (default: now, as the app's clock says). */
export const codeAt = (secretBase32: string, at: Date = new Date()): string =>
  TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    timestamp: at.getTime(),
  });

/** A code that is not `secretBase32`'s in the current step or either neighbour. */
export const wrongCodeAt = (secretBase32: string, at: Date = new Date()): string => {
  const near = new Set([-1, 0, 1].map((steps) => codeAt(secretBase32, new Date(at.getTime() + steps * STEP_MS))));
  for (let n = 0; ; n++) {
    const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
};

/** Calls one signing resolver key as the person; answers the raw envelope. */
export type SigningCall = (
  key: 'signing/enrol-start' | 'signing/enrol-confirm',
  payload: Record<string, unknown>,
) => Promise<unknown>;

export interface EnrolledSigner {
  secretBase32: string;
  /** The next fresh code: moves the faked clock to the next step, then answers its code. */
  code: () => string;
}

const AnyEnvelopeSchema = z.union([ErrorEnvelopeSchema, z.strictObject({ ok: z.literal(true), data: z.unknown() })]);

const dataOf = <S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> => {
  const answer = AnyEnvelopeSchema.parse(raw);
  if (!answer.ok) throw new Error(`${what} failed: ${answer.error.code}: ${answer.error.message}`);
  return schema.parse(answer.data);
};

/** Enrols the person `call` acts as (start, then confirm with a current code). Needs `useSigningClock`. */
export const enrolAndCode = async (call: SigningCall): Promise<EnrolledSigner> => {
  const { secretBase32 } = dataOf(EnrolmentSchema, await call('signing/enrol-start', {}), 'signing/enrol-start');
  const status = dataOf(
    SigningStatusSchema,
    await call('signing/enrol-confirm', { code: codeAt(secretBase32) }),
    'signing/enrol-confirm',
  );
  if (status.status !== 'enrolled') throw new Error(`enrolment ended ${status.status}`);
  return {
    secretBase32,
    code: () => {
      nextCodeStep();
      return codeAt(secretBase32);
    },
  };
};
