/**
 * Seeded issues stand for states the app got to, so a seeded `qmsrim.impact` value is also
 * recorded as the signed record in app storage, as the app would have written it. Only seeds:
 * a value written through the Jira stand-in's REST API (as a person could) is not, and the app
 * reports it as changed outside the app. Sandbox-only.
 */
import { IMPACT_PROPERTY_KEY } from '../src/config/jira-conventions';
import { StoredImpactSchema, toImpactFieldValue } from '../src/domain/impact-field-value';
import { SignedRecordSchema } from '../src/domain/signed-record';
import type { RegulatoryImpact } from '../src/domain/model';
import { SIGNED_RECORD_ENTITY } from '../src/adapters/kvs/signed-record-repository';
import type { InMemoryKvs } from './kvs';

export const SEED_RECORDER = { accountId: 'sandbox-seed', displayName: 'Sandbox seed (data the app recorded before)' };

/**
 * A seeded issue's `properties[qmsrim.impact]` (with its Submission keys, as the app keeps them)
 * split into what the app keeps in app storage (`signed`, for a value past version 0) and the
 * seed as the app would have left it in Jira: the value without Submission keys
 * (`toImpactFieldValue`), in the property and in the "Regulatory impact" field where the seed
 * sets it. An unreadable value is seeded as it is (the app then finds it unreadable).
 */
export const seededImpact = <
  T extends { properties?: Record<string, unknown> | undefined; customFields?: Record<string, unknown> | undefined },
>(
  input: T,
): { input: T; signed?: RegulatoryImpact } => {
  const raw = input.properties?.[IMPACT_PROPERTY_KEY];
  if (raw === undefined) return { input };
  const parsed = StoredImpactSchema.safeParse(raw);
  if (!parsed.success) return { input };
  const mirror = toImpactFieldValue(parsed.data);
  const fields =
    input.customFields &&
    Object.fromEntries(Object.entries(input.customFields).map(([id, value]) => [id, value === raw ? mirror : value]));
  return {
    input: {
      ...input,
      properties: { ...input.properties, [IMPACT_PROPERTY_KEY]: mirror },
      ...(fields ? { customFields: fields } : {}),
    },
    ...(parsed.data.version > 0 ? { signed: parsed.data } : {}),
  };
};

/** Stores `impact` as the issue's signed record, as the app would have after a decision (tests use it to stage a state). */
export const recordSignedImpact = (kvs: InMemoryKvs, issueKey: string, impact: RegulatoryImpact, at: string): void => {
  const assessment = StoredImpactSchema.parse(impact);
  const value = SignedRecordSchema.parse({
    issueKey,
    version: assessment.version,
    impact: assessment,
    recordedAt: at,
    recordedBy: SEED_RECORDER,
  });
  const answer = kvs.handle({
    method: 'POST',
    path: '/api/v1/entity/set',
    body: JSON.stringify({ entityName: SIGNED_RECORD_ENTITY, key: issueKey, value }),
  });
  if (answer.status >= 300)
    throw new Error(`sandbox seed: could not record the signed impact of ${issueKey} (${answer.status})`);
};
