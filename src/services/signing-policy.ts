/**
 * Enforces who may sign a record's regulatory decisions (src/domain/signing-policy.ts): the
 * rules from app storage, the person's groups and project roles from Jira (one call, as the
 * person), who raised the record (its reporter and creator, from the record read) and who
 * assessed it (`impact.assessedBy`). The resolver refuses before anything is written; the panel
 * shows the same verdict so it can disable signing and say why.
 */
import type { JiraHttp } from '../adapters/jira/jira-http';
import { fetchSigningIdentity } from '../adapters/jira/signing-identity';
import { loadStoredSignerRules } from '../adapters/kvs/signer-rules-repository';
import type { QmsRecord } from '../domain/model';
import { DEFAULT_SIGNER_RULES, NOBODY_MAY_SIGN, maySign, rulesNameSigners } from '../domain/signing-policy';
import type { SignerRules, SigningVerdict } from '../domain/signing-policy';
import { AppError } from '../ports/app-error';

/** The rules in force: the saved ones, or the defaults (nobody may sign). */
export const loadSignerRules = async (): Promise<SignerRules> =>
  (await loadStoredSignerRules())?.rules ?? DEFAULT_SIGNER_RULES;

/**
 * Whether the person `jira` acts as (asUser) may sign `record`'s decisions. One Jira call, none
 * when the rules name nobody. `rules` defaults to the stored rules.
 */
export const signingVerdict = async (
  jira: JiraHttp,
  record: QmsRecord,
  rules?: SignerRules,
): Promise<SigningVerdict> => {
  const inForce = rules ?? (await loadSignerRules());
  if (!rulesNameSigners(inForce)) return { allowed: false, reason: NOBODY_MAY_SIGN };
  const person = await fetchSigningIdentity(jira, record.key);
  return maySign(inForce, person, {
    key: record.key,
    reporterAccountId: record.reporterAccountId,
    creatorAccountId: record.creatorAccountId,
    assessorAccountIds: (record.impact.assessedBy ?? []).map((a) => a.accountId),
  });
};

/** Throws FORBIDDEN with the reason when the person may not sign `record`'s decisions; nothing is written either way. */
export const requireMaySign = async (jira: JiraHttp, record: QmsRecord, rules?: SignerRules): Promise<void> => {
  const verdict = await signingVerdict(jira, record, rules);
  if (!verdict.allowed) throw new AppError('FORBIDDEN', `${verdict.reason} Nothing was recorded.`);
};
