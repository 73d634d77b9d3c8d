/**
 * The signing service's exported API as other code calls it (e.g. the decide path), with its
 * own clock: `deps.now` is the only time it reads. Runs on the sandbox runtime, so @forge/kvs
 * (secret storage, the credential entity, the audit trail) is the real client.
 */
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { listAuditEntries } from '../../src/adapters/kvs/audit-repository';
import type { Signer } from '../../src/domain/model';
import { isAppError } from '../../src/ports/app-error';
import {
  confirmEnrolment,
  listCredentials,
  requireSignatureCode,
  resetCredential,
  signingStatus,
  startEnrolment,
} from '../../src/services/signing';
import { codeAt, wrongCodeAt } from '../support/signing';

const RITA: Signer = { accountId: '557058:rita-regulatory', displayName: 'Rita Regulatory' };
const ADA: Signer = { accountId: '557058:ada-admin', displayName: 'Ada Admin' };

let app: SandboxApp;
let clock: Date;
const deps = { now: () => clock };
const asApp = <T>(run: () => Promise<T>): Promise<T> => app.runtime.runAs({ moduleKey: 'test' }, run);
const refusal = async (run: () => Promise<unknown>): Promise<{ code: string; message: string }> => {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
};

beforeEach(() => {
  clock = new Date('2026-12-01T09:00:10.000Z');
  app = createSandboxApp();
});
afterEach(() => app.close());

const enrolled = async (): Promise<string> => {
  const { secretBase32, otpauthUri, qrSvg } = await asApp(() => startEnrolment(deps, RITA));
  expect(otpauthUri).toMatch(
    new RegExp(`^otpauth://totp/QMS-RIM%20bridge:Rita%20Regulatory\\?.*secret=${secretBase32}`),
  );
  expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  await asApp(() => confirmEnrolment(deps, RITA, codeAt(secretBase32, clock)));
  return secretBase32;
};

it('requireSignatureCode accepts the current code once, by the clock it is given', async () => {
  const secret = await enrolled();
  clock = new Date(clock.getTime() + 30_000);
  await expect(asApp(() => requireSignatureCode(deps, RITA, codeAt(secret, clock)))).resolves.toBeUndefined();
  expect(await refusal(() => asApp(() => requireSignatureCode(deps, RITA, codeAt(secret, clock))))).toMatchObject({
    code: 'FORBIDDEN',
    message: expect.stringContaining('already used'),
  });
  // A code an hour old is wrong by the service's clock, whatever the machine's clock says.
  clock = new Date(clock.getTime() + 3_600_000);
  expect(
    await refusal(() =>
      asApp(() => requireSignatureCode(deps, RITA, codeAt(secret, new Date(clock.getTime() - 3_600_000)))),
    ),
  ).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('not correct') });
  expect(await refusal(() => asApp(() => requireSignatureCode(deps, RITA, '12345')))).toMatchObject({
    code: 'INVALID_INPUT',
  });
});

it('locks after five failures inside 15 minutes of the given clock, and an admin reset ends it, audited', async () => {
  const secret = await enrolled();
  for (let i = 0; i < 5; i++) {
    clock = new Date(clock.getTime() + 60_000);
    await refusal(() => asApp(() => requireSignatureCode(deps, RITA, wrongCodeAt(secret, clock))));
  }
  await expect(asApp(() => signingStatus(deps, RITA.accountId))).resolves.toMatchObject({
    status: 'locked',
    attemptsLeft: 0,
  });
  clock = new Date(clock.getTime() + 24 * 3_600_000);
  expect(await refusal(() => asApp(() => requireSignatureCode(deps, RITA, codeAt(secret, clock))))).toMatchObject({
    message: expect.stringContaining('locked'),
  });
  await expect(asApp(() => resetCredential(deps, RITA.accountId, ADA))).resolves.toMatchObject({
    status: 'reset',
    resetBy: 'Ada Admin',
  });
  await expect(asApp(() => listCredentials(deps))).resolves.toEqual([
    expect.objectContaining({ accountId: RITA.accountId, status: 'reset', recentFailures: 0 }),
  ]);
  const actions = (await asApp(() => listAuditEntries())).map((e) => e.action);
  expect(actions).toEqual(['signing/enrol', 'signing/enrol', 'signing/lockout', 'signing/reset']);
  expect(await refusal(() => asApp(() => resetCredential(deps, RITA.accountId, ADA)))).toMatchObject({
    code: 'NOT_FOUND',
  });
});
