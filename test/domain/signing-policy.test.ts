/** The pure signing rules: who may sign a record's decisions, and the reason given to everyone else. */
import { DEFAULT_SIGNER_RULES, NOBODY_MAY_SIGN, SignerRulesSchema, maySign } from '../../src/domain/signing-policy';
import type { SignerRules } from '../../src/domain/signing-policy';

const RULES: SignerRules = {
  groups: ['regulatory-reviewers'],
  projectRoles: ['Regulatory Reviewers'],
  barReporter: true,
  barAssessors: true,
};
const RECORD = { key: 'QMS-5', reporterAccountId: 'quinn', creatorAccountId: 'quinn', assessorAccountIds: ['sam'] };
const person = (accountId: string, groups: string[] = [], projectRoles: string[] = []) => ({
  accountId,
  groups,
  projectRoles,
});

describe('maySign', () => {
  it('lets nobody sign under the defaults, whatever Jira says of them', () => {
    expect(DEFAULT_SIGNER_RULES).toEqual({ groups: [], projectRoles: [], barReporter: true, barAssessors: true });
    expect(
      maySign(DEFAULT_SIGNER_RULES, person('rita', ['regulatory-reviewers', 'jira-administrators']), RECORD),
    ).toEqual({ allowed: false, reason: NOBODY_MAY_SIGN });
  });

  it('allows a member of a named group, or a person in a named project role, ignoring case', () => {
    expect(maySign(RULES, person('rita', ['Regulatory-Reviewers']), RECORD)).toEqual({ allowed: true });
    expect(maySign(RULES, person('rita', [], ['regulatory reviewers']), RECORD)).toEqual({ allowed: true });
  });

  it('refuses anyone else, naming who may sign', () => {
    expect(maySign(RULES, person('max', ['quality-engineers'], ['Quality Engineers']), RECORD)).toEqual({
      allowed: false,
      reason:
        'You may not sign QMS-5’s regulatory decisions: the app’s signing rules allow only members of the group regulatory-reviewers, and people in the project role Regulatory Reviewers to sign, and Jira does not list you among them. Ask your Jira admin if you should be.',
    });
  });

  it('bars the reporter, the creator and the assessors of the record, each with its own reason, unless the bar is off', () => {
    const signer = (id: string) => person(id, ['regulatory-reviewers']);
    expect(maySign(RULES, signer('quinn'), RECORD)).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^You raised QMS-5 \(you are its reporter\), and the app’s signing rules bar a record’s reporter/,
      ),
    });
    expect(maySign(RULES, signer('ada'), { ...RECORD, reporterAccountId: 'quinn', creatorAccountId: 'ada' })).toEqual({
      allowed: false,
      reason: expect.stringMatching(/^You raised QMS-5 \(you created it\)/),
    });
    expect(maySign(RULES, signer('sam'), RECORD)).toEqual({
      allowed: false,
      reason: expect.stringMatching(/^You assessed QMS-5 .* bar a record’s assessors/),
    });
    expect(maySign({ ...RULES, barReporter: false }, signer('quinn'), RECORD)).toEqual({ allowed: true });
    expect(maySign({ ...RULES, barAssessors: false }, signer('sam'), RECORD)).toEqual({ allowed: true });
    expect(
      maySign({ ...RULES, barReporter: false }, signer('sam'), { ...RECORD, reporterAccountId: 'sam' }),
    ).toMatchObject({ allowed: false, reason: expect.stringMatching(/^You assessed/) });
  });

  it('rules name each group and role once, and nothing empty', () => {
    expect(SignerRulesSchema.safeParse({ ...RULES, groups: ['a', 'A'] }).success).toBe(false);
    expect(SignerRulesSchema.safeParse({ ...RULES, projectRoles: ['  '] }).success).toBe(false);
    expect(SignerRulesSchema.safeParse({ ...RULES, extra: true }).success).toBe(false);
  });
});
