/**
 * Who may sign a record's regulatory decisions (segregation of duties; 21 CFR 11.10(g)
 * authority checks). Pure: the caller supplies the rules, what Jira says of the person
 * (groups, project roles on the record's project) and who raised and assessed the record.
 *
 * Nobody may sign until a Jira admin names the groups or project roles that may: a regulated
 * customer expects the authority to sign to be an explicit, audited choice, never a default.
 * The record's reporter (and creator) and its assessors are barred from signing its decisions
 * unless the admin turns a bar off.
 */
import { z } from 'zod';

/** A Jira group name or project role name as stored in the rules. */
const NameSchema = z.string().trim().min(1, 'must not be empty').max(255);

const uniqueNames = (what: string) => (names: readonly string[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const folded = name.toLowerCase();
    if (seen.has(folded)) ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${name} is named twice` });
    seen.add(folded);
  });
};

export const SignerRulesSchema = z.strictObject({
  /** Members of any of these Jira groups may sign (matched by name, ignoring case). */
  groups: z.array(NameSchema).max(100).superRefine(uniqueNames('group')),
  /** People in any of these project roles on the record's project may sign (by name, ignoring case). */
  projectRoles: z.array(NameSchema).max(100).superRefine(uniqueNames('project role')),
  /** The person who raised a record (its reporter, or whoever created it) may not sign its decisions. */
  barReporter: z.boolean(),
  /** Anyone who saved the record's assessment may not sign its decisions. */
  barAssessors: z.boolean(),
});
export type SignerRules = z.infer<typeof SignerRulesSchema>;

/** A fresh install: nobody may sign until an admin chooses who may; both bars on. */
export const DEFAULT_SIGNER_RULES: SignerRules = {
  groups: [],
  projectRoles: [],
  barReporter: true,
  barAssessors: true,
};

/** What Jira says of the person asking to sign. */
export const SigningPersonSchema = z.strictObject({
  accountId: z.string().min(1).max(128),
  groups: z.array(z.string()),
  /** Their project roles on the record's project. */
  projectRoles: z.array(z.string()),
});
export type SigningPerson = z.infer<typeof SigningPersonSchema>;

/** Who raised and who assessed the record whose decision is to be signed. */
export interface SigningSubject {
  key: string;
  reporterAccountId?: string | undefined;
  creatorAccountId?: string | undefined;
  assessorAccountIds: readonly string[];
}

export const SigningVerdictSchema = z.discriminatedUnion('allowed', [
  z.strictObject({ allowed: z.literal(true) }),
  z.strictObject({ allowed: z.literal(false), reason: z.string().min(1) }),
]);
export type SigningVerdict = z.infer<typeof SigningVerdictSchema>;

/** Whether the rules name anyone at all: when not, no Jira data is needed to refuse. */
export const rulesNameSigners = (rules: SignerRules): boolean =>
  rules.groups.length > 0 || rules.projectRoles.length > 0;

export const NOBODY_MAY_SIGN =
  'Nobody may sign regulatory decisions yet: a Jira admin must first choose which groups or project roles may sign, on the app’s admin page (“Who may sign”).';

const listed = (names: readonly string[]): string =>
  names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;

const whoMaySign = (rules: SignerRules): string =>
  [
    rules.groups.length > 0 ? `members of the group${rules.groups.length > 1 ? 's' : ''} ${listed(rules.groups)}` : '',
    rules.projectRoles.length > 0
      ? `people in the project role${rules.projectRoles.length > 1 ? 's' : ''} ${listed(rules.projectRoles)}`
      : '',
  ]
    .filter((part) => part !== '')
    .join(', and ');

const includesName = (names: readonly string[], wanted: readonly string[]): boolean => {
  const have = new Set(names.map((n) => n.trim().toLowerCase()));
  return wanted.some((w) => have.has(w.trim().toLowerCase()));
};

export const maySign = (rules: SignerRules, person: SigningPerson, record: SigningSubject): SigningVerdict => {
  if (!rulesNameSigners(rules)) return { allowed: false, reason: NOBODY_MAY_SIGN };
  if (!includesName(person.groups, rules.groups) && !includesName(person.projectRoles, rules.projectRoles)) {
    return {
      allowed: false,
      reason: `You may not sign ${record.key}’s regulatory decisions: the app’s signing rules allow only ${whoMaySign(rules)} to sign, and Jira does not list you among them. Ask your Jira admin if you should be.`,
    };
  }
  if (rules.barReporter) {
    const raised =
      record.reporterAccountId === person.accountId
        ? 'you are its reporter'
        : record.creatorAccountId === person.accountId
          ? 'you created it'
          : undefined;
    if (raised)
      return {
        allowed: false,
        reason: `You raised ${record.key} (${raised}), and the app’s signing rules bar a record’s reporter from signing its decisions. Another permitted signer must sign.`,
      };
  }
  if (rules.barAssessors && record.assessorAccountIds.includes(person.accountId)) {
    return {
      allowed: false,
      reason: `You assessed ${record.key} (you saved its regulatory impact assessment), and the app’s signing rules bar a record’s assessors from signing its decisions. Another permitted signer must sign.`,
    };
  }
  return { allowed: true };
};
