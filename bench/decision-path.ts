/**
 * Figures for the write path of the "Regulatory impact" panel on the demo's QMS-1: the quality
 * engineer (Quinn) saves the assessment, then the regulatory reviewer (Rita, in the demo's
 * `regulatory-reviewers` group, neither the record's reporter nor its assessor) signs one
 * decision with her authenticator code. Each is measured from the sandbox's per-invocation
 * counters (`/sandbox/metrics` → `invocations`): the Jira calls and storage operations of the
 * resolver invocation alone, not of the triggers its writes set off, and its server time at
 * 20 ms injected latency per Jira call.
 *
 * The sandbox runs on the real clock, so Rita's codes are computed from her enrolled secret as
 * her authenticator app would; a code is accepted once per 30-second step, so the bench waits
 * for the step after the one her enrolment spent before it signs.
 */
import { Secret, TOTP } from 'otpauth';
import { z } from 'zod';
import { IMPACT_PROPERTY_KEY } from '../src/config/jira-conventions';
import { ErrorEnvelopeSchema } from '../src/contract/envelope';
import { WrittenImpactSchema } from '../src/contract/resolvers';
import { EnrolmentSchema, SigningStatusSchema } from '../src/contract/signing';
import { StoredImpactSchema } from '../src/domain/impact-field-value';
import { TOTP_PERIOD_SECONDS } from '../src/domain/signing-credential';
import { SITE_ACCOUNTS } from '../sandbox/jira';
import type { Bench, Figure } from './harness';

const LATENCY_MS = 20;
const RECORD = 'QMS-1';
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** What Quinn assesses: Polymera's resin change, which touches applications in the US and the EU. */
const POLYMERA_DRAFT = {
  changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IB' } }],
  affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US', 'EU'] },
};
const SIGNED_APPLICATION = 'APP-NDA-CARDIOLOL';

/**
 * Storage operations of one audited commit (adapters/kvs/audit-repository.ts, through the signed
 * record repository): the chain's HMAC key (secret get), the high-water mark (secret get), the
 * head (get), the previous entry (get), one transaction writing the signed record, the entry and
 * the head on the condition that the record is still at the version the change was based on,
 * then the high-water mark (secret set). The very first audited write of a site also creates the
 * key, so the bench measures after Rita's enrolment has written the first entries.
 */
const AUDITED_COMMIT = 6;
/** Save: the mapping (get), the signed record (batch get), the registry (get), then the commit. */
const STORAGE_BUDGET_SAVE = 3 + AUDITED_COMMIT;
/**
 * Signature: the mapping (get), the signed record (batch get), who may sign (get), Rita's TOTP
 * credential (entity get) and its secret (secret get), the credential's conditional write that
 * spends the code's step (transaction), the registry (get), then the commit.
 */
const STORAGE_BUDGET_DECIDE = 7 + AUDITED_COMMIT;

const AnyEnvelopeSchema = z.union([ErrorEnvelopeSchema, z.strictObject({ ok: z.literal(true), data: z.unknown() })]);

/** The data of a resolver's envelope; a failure stops the bench with the app's own message. */
const dataOf = <S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> => {
  const answer = AnyEnvelopeSchema.parse(raw);
  if (!answer.ok) throw new Error(`${what} failed: ${answer.error.code}: ${answer.error.message}`);
  return schema.parse(answer.data);
};

const onRecord = (bench: Bench, accountId: string, functionKey: string, payload: unknown): Promise<unknown> =>
  bench.invoke({ moduleKey: 'impact-panel', accountId, functionKey, payload, context: { issue: { key: RECORD } } });

/** The code Rita's authenticator shows now. */
const currentCode = (secretBase32: string): string =>
  new TOTP({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  }).generate();

/** Resolves 1 s into the next 30-second step, when a fresh code is shown. */
const nextCodeStep = (): Promise<void> =>
  new Promise((done) => setTimeout(done, (Math.floor(Date.now() / STEP_MS) + 1) * STEP_MS + 1000 - Date.now()));

interface InvocationCost {
  jira: number;
  kvs: number;
  serverMs: number;
}

/**
 * The cost of the one `moduleKey` invocation `run` makes, at the injected latency. Waits for the
 * triggers its writes set off before and after, so they neither share its time nor its counters.
 */
const measureInvocation = async (
  bench: Bench,
  moduleKey: string,
  run: () => Promise<void>,
): Promise<InvocationCost> => {
  await bench.server.app.whenIdle();
  await bench.resetMetrics();
  await bench.setLatency(LATENCY_MS);
  try {
    await run();
  } finally {
    await bench.clearFaults();
  }
  await bench.server.app.whenIdle();
  const mine = (await bench.metrics()).invocations.filter((i) => i.moduleKey === moduleKey);
  const [only] = mine;
  if (mine.length !== 1 || only === undefined || only.outcome !== 'returned' || only.durationMs === undefined) {
    throw new Error(`expected one finished '${moduleKey}' invocation, found ${JSON.stringify(mine)}`);
  }
  return { jira: only.jira, kvs: only.kvs, serverMs: only.durationMs };
};

export const decisionPathFigures = async (bench: Bench): Promise<Figure[]> => {
  const quinn = SITE_ACCOUNTS.quality;
  const rita = SITE_ACCOUNTS.regulatory;
  const version = StoredImpactSchema.parse(
    bench.server.app.jira.readIssue(RECORD)?.properties[IMPACT_PROPERTY_KEY],
  ).version;

  // Rita sets up her authenticator (not measured; before the save, so the save is not the
  // site's first audited write, see AUDITED_COMMIT): the confirmation spends this step's code.
  const { secretBase32 } = dataOf(
    EnrolmentSchema,
    await onRecord(bench, rita, 'signing/enrol-start', {}),
    'signing/enrol-start',
  );
  const status = dataOf(
    SigningStatusSchema,
    await onRecord(bench, rita, 'signing/enrol-confirm', { code: currentCode(secretBase32) }),
    'signing/enrol-confirm',
  );
  if (status.status !== 'enrolled') throw new Error(`Rita's enrolment ended ${status.status}`);

  let assessed = version;
  const save = await measureInvocation(bench, 'impact-panel', async () => {
    assessed = dataOf(
      WrittenImpactSchema,
      await onRecord(bench, quinn, 'impact/save-assessment', { version, ...POLYMERA_DRAFT }),
      'impact/save-assessment',
    ).version;
  });
  await nextCodeStep();

  let signedVersion = assessed;
  const decide = await measureInvocation(bench, 'impact-panel', async () => {
    const written = dataOf(
      WrittenImpactSchema,
      await onRecord(bench, rita, 'impact/decide', {
        version: assessed,
        applicationId: SIGNED_APPLICATION,
        decision: 'accept',
        rationale: '',
        meaning: 'approval',
        signatureCode: currentCode(secretBase32),
      }),
      'impact/decide',
    );
    signedVersion = written.version;
    if (written.decisions.find((d) => d.applicationId === SIGNED_APPLICATION)?.decided?.by.accountId !== rita)
      throw new Error(`the decision on ${SIGNED_APPLICATION} is not Rita's signature`);
  });
  if (signedVersion !== assessed + 1)
    throw new Error(
      `the signature should have moved ${RECORD} from version ${assessed} to ${assessed + 1}, not ${signedVersion}`,
    );

  const saving = `save assessment (impact/save-assessment) on ${RECORD}`;
  const signing = `signed decision (impact/decide) on ${RECORD}`;
  return [
    // As the quality engineer: the record (fetchIssue), who-am-I (the assessor), mypermissions
    // EDIT_ISSUES, the field id, then Jira's copy: the property PUT and the field PUT.
    { path: saving, figure: 'Jira calls', measured: save.jira, unit: 'calls', target: 6, better: 'lower' },
    {
      path: saving,
      figure: 'storage operations',
      measured: save.kvs,
      unit: 'ops',
      target: STORAGE_BUDGET_SAVE,
      better: 'lower',
    },
    {
      path: saving,
      figure: `server time at ${LATENCY_MS} ms/call`,
      measured: save.serverMs,
      unit: 'ms',
      better: 'lower',
    },
    // As the signer, in the resolver's order (src/entry/resolvers/impact-panel.ts): who-am-I
    // (signer-context), the record (fetchIssue), the signing-rules expression (her groups and
    // project roles, adapters/jira/signing-identity.ts), then in services/impact-write.ts
    // mypermissions EDIT_ISSUES, the field id, the property PUT and the field PUT. Seven, and
    // the target is the count: a new call on the signature path shows here.
    { path: signing, figure: 'Jira calls', measured: decide.jira, unit: 'calls', target: 7, better: 'lower' },
    {
      path: signing,
      figure: 'storage operations',
      measured: decide.kvs,
      unit: 'ops',
      target: STORAGE_BUDGET_DECIDE,
      better: 'lower',
    },
    {
      path: signing,
      figure: `server time at ${LATENCY_MS} ms/call`,
      measured: decide.serverMs,
      unit: 'ms',
      better: 'lower',
    },
  ];
};
