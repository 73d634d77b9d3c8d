/**
 * The admin page's "Who may sign": the rules in force with the groups and project roles Jira
 * lists to the admin, and saving new rules. Jira is read as the admin (`jira` must be asUser,
 * and the caller must have checked the person is a Jira admin). A save names only groups and
 * roles Jira has, and is written in the same storage transaction as its audit entry
 * (subject `app:signers`, payload `{ before, after }`), so the rules never change unaudited.
 */
import { whoAmI } from '../adapters/jira/myself';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { fetchGroupNames, fetchProjectRoleNames } from '../adapters/jira/signing-identity';
import { appendAuditEntry } from '../adapters/kvs/audit-repository';
import {
  SIGNER_RULES_KEY,
  StoredSignerRulesSchema,
  loadStoredSignerRules,
} from '../adapters/kvs/signer-rules-repository';
import type { JiraConventions } from '../config/jira-conventions';
import type { SignerRulesSaveResult, SignerRulesView } from '../contract/admin-page';
import { DEFAULT_SIGNER_RULES, SignerRulesSchema } from '../domain/signing-policy';
import type { SignerRules } from '../domain/signing-policy';
import { AppError } from '../ports/app-error';

/** Any project the app maps as quality records will do: Jira Cloud's project roles are one list for every project. */
const roleProjectOf = (conventions: JiraConventions): string => conventions.qmsProjectKeys[0] ?? '';

const choicesOf = async (jira: JiraHttp, conventions: JiraConventions) => {
  const [groups, projectRoles] = await Promise.all([
    fetchGroupNames(jira),
    fetchProjectRoleNames(jira, roleProjectOf(conventions)),
  ]);
  return { groups: groups.names, groupsComplete: groups.complete, projectRoles };
};

export const loadSignerRulesView = async (jira: JiraHttp, conventions: JiraConventions): Promise<SignerRulesView> => {
  const [stored, choices] = await Promise.all([loadStoredSignerRules(), choicesOf(jira, conventions)]);
  return stored
    ? { rules: stored.rules, stored: true, savedAt: stored.savedAt, savedBy: stored.savedBy, choices }
    : { rules: DEFAULT_SIGNER_RULES, stored: false, choices };
};

/** The names Jira does not know, each as the admin typed it. */
const unknownNames = (wanted: readonly string[], known: readonly string[]): string[] => {
  const have = new Set(known.map((n) => n.toLowerCase()));
  return wanted.filter((name) => !have.has(name.toLowerCase()));
};

export const saveSignerRulesAudited = async (
  jira: JiraHttp,
  conventions: JiraConventions,
  input: SignerRules,
  now: Date,
): Promise<SignerRulesSaveResult> => {
  const rules = SignerRulesSchema.parse(input);
  const [groups, projectRoles, me] = await Promise.all([
    rules.groups.length > 0 ? fetchGroupNames(jira) : Promise.resolve({ names: [], complete: true }),
    rules.projectRoles.length > 0 ? fetchProjectRoleNames(jira, roleProjectOf(conventions)) : Promise.resolve([]),
    whoAmI(jira),
  ]);
  const problems = [
    ...unknownNames(rules.groups, groups.names).map((name) => `Jira has no group named “${name}”`),
    ...unknownNames(rules.projectRoles, projectRoles).map((name) => `Jira has no project role named “${name}”`),
  ];
  if (problems.length > 0)
    throw new AppError(
      'INVALID_INPUT',
      `The signing rules were not saved: ${problems.join('; ')}. Nothing was changed; choose from the groups and roles Jira lists.`,
    );

  const before = await loadStoredSignerRules();
  const savedBy = { accountId: me.accountId, displayName: me.displayName };
  const stored = StoredSignerRulesSchema.parse({ rules, savedAt: now.toISOString(), savedBy });
  const entry = await appendAuditEntry(
    {
      at: stored.savedAt,
      actor: savedBy,
      action: 'admin/signers/save',
      subject: 'app:signers',
      payload: { summary: 'Changed who may sign regulatory decisions', before: before?.rules ?? null, after: rules },
    },
    {
      writes: () => [(transaction) => transaction.set(SIGNER_RULES_KEY, stored)],
      onConditionFailed: async () => undefined,
    },
  );
  return { rules, savedAt: stored.savedAt, savedBy, auditSeq: entry.seq };
};
