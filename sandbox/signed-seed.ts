/**
 * Seeded issues stand for states the app got to, so a seeded `qmsrim.impact` value is also
 * recorded as the signed record in app storage, as the app would have written it. Only seeds:
 * a value written through the Jira stand-in's REST API (as a person could) is not, and the app
 * reports it as changed outside the app. Sandbox-only.
 */
import { IMPACT_PROPERTY_KEY } from '../src/config/jira-conventions';
import { StoredImpactSchema } from '../src/domain/impact-field-value';
import { SignedRecordSchema } from '../src/domain/signed-record';
import type { RegulatoryImpact } from '../src/domain/model';
import { SIGNED_RECORD_ENTITY } from '../src/adapters/kvs/signed-record-repository';
import type { InMemoryKvs } from './kvs';

export const SEED_RECORDER = { accountId: 'sandbox-seed', displayName: 'Sandbox seed (data the app recorded before)' };

/** Records `properties[qmsrim.impact]` of a seeded issue as its signed record; nothing for an empty or absent one. */
export const recordSeededImpact = (kvs: InMemoryKvs, issueKey: string, properties: Readonly<Record<string, unknown>> | undefined, at: string): void => {
  const raw = properties?.[IMPACT_PROPERTY_KEY];
  if (raw === undefined) return;
  const parsed = StoredImpactSchema.safeParse(raw);
  // An unreadable seeded value is seeded as it is: the app then finds it unreadable, as it would.
  if (!parsed.success || parsed.data.version === 0) return;
  recordSignedImpact(kvs, issueKey, parsed.data, at);
};

/** Stores `impact` as the issue's signed record, as the app would have after a decision (tests use it to stage a state). */
export const recordSignedImpact = (kvs: InMemoryKvs, issueKey: string, impact: RegulatoryImpact, at: string): void => {
  const assessment = StoredImpactSchema.parse(impact);
  const value = SignedRecordSchema.parse({ issueKey, version: assessment.version, impact: assessment, recordedAt: at, recordedBy: SEED_RECORDER });
  const answer = kvs.handle({ method: 'POST', path: '/api/v1/entity/set', body: JSON.stringify({ entityName: SIGNED_RECORD_ENTITY, key: issueKey, value }) });
  if (answer.status >= 300) throw new Error(`sandbox seed: could not record the signed impact of ${issueKey} (${answer.status})`);
};
