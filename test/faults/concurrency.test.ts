/**
 * Two people writing QMS-1's assessment on the same version, over repeated runs: truly at
 * once (`Promise.all`, both read the same version before either writes) and one after the
 * other (the second on the version it loaded, now stale). Exactly one wins; the other gets
 * CONFLICT naming the version the record is now at; the stored value is the winner's, and
 * the audit chain holds exactly the winner's signed decision and stays intact.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { checkAuditTrail, listAuditEntriesFor } from '../../src/adapters/kvs/audit-repository';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import type { Envelope } from '../../src/contract/envelope';
import { StoredImpactSchema } from '../../src/domain/impact-field-value';
import type { RegulatoryImpact } from '../../src/domain/model';
import { dataOf, issueContext, startFaultSite } from './harness';
import type { FaultSite, ResolverCall, SiteState } from './harness';
import { POLYMERA_DRAFT, saveAssessment } from './paths';

jest.setTimeout(180_000);

const RITA: string = SITE_ACCOUNTS.regulatory;
const ADA: string = SITE_ACCOUNTS.admin;
const QUINN: string = SITE_ACCOUNTS.quality;
const RUNS = 50;

let site: FaultSite;
let base: SiteState;
let baseVersion: number;

const storedImpact = (): RegulatoryImpact =>
  StoredImpactSchema.parse(site.app.jira.readIssue('QMS-1')?.properties[IMPACT_PROPERTY_KEY]);
const asApp = <T>(run: () => Promise<T>) => site.app.runtime.runAs({ moduleKey: 'test' }, run);

beforeAll(async () => {
  site = await startFaultSite();
  dataOf(await saveAssessment(site));
  base = await site.state();
  baseVersion = storedImpact().version;
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

interface Writer {
  who: string;
  /** Built when the run starts, on the version both loaded. */
  call: () => ResolverCall;
  /** What the stored value holds when this writer won. */
  won: (impact: RegulatoryImpact) => boolean;
  /** The audit entries a win adds (a signed decision adds one, a saved assessment none). */
  auditEntries: number;
}

const onQms1 = (key: ResolverCall['key'], payload: Record<string, unknown>, accountId: string) => (): ResolverCall => ({
  module: 'impact-panel',
  key,
  // A decision is signed with a fresh code of the signer's authenticator.
  payload: {
    version: baseVersion,
    ...payload,
    ...(key === 'impact/decide' ? { signatureCode: site.code(accountId) } : {}),
  },
  extension: issueContext('jira:issuePanel', 'QMS-1'),
  accountId,
});
const ndaDecision = (impact: RegulatoryImpact) =>
  impact.decisions.find((d) => d.applicationId === 'APP-NDA-CARDIOLOL')?.decided;

const RITA_ACCEPTS: Writer = {
  who: 'Rita accepts PAS',
  call: onQms1(
    'impact/decide',
    { applicationId: 'APP-NDA-CARDIOLOL', decision: 'accept', rationale: '', meaning: 'approval' },
    RITA,
  ),
  won: (impact) => ndaDecision(impact)?.category === 'PAS' && ndaDecision(impact)?.by.accountId === RITA,
  auditEntries: 1,
};
const ADA_OVERRIDES: Writer = {
  who: 'Ada overrides with CBE-30',
  call: onQms1(
    'impact/decide',
    {
      applicationId: 'APP-NDA-CARDIOLOL',
      decision: 'override',
      category: 'CBE-30',
      rationale: 'Resin equivalent per the supplier data.',
      meaning: 'responsibility',
    },
    ADA,
  ),
  won: (impact) => ndaDecision(impact)?.category === 'CBE-30' && ndaDecision(impact)?.by.accountId === ADA,
  auditEntries: 1,
};
const QUINN_SAVES_EU_ONLY: Writer = {
  who: 'Quinn saves the assessment for the EU only',
  call: onQms1(
    'impact/save-assessment',
    { ...POLYMERA_DRAFT, affected: { ...POLYMERA_DRAFT.affected, markets: ['EU'] } },
    QUINN,
  ),
  won: (impact) => impact.affected.markets.join() === 'EU' && ndaDecision(impact) === undefined,
  auditEntries: 1,
};
const ADA_SAVES_US_ONLY: Writer = {
  who: 'Ada saves the assessment for the US only',
  call: onQms1(
    'impact/save-assessment',
    { ...POLYMERA_DRAFT, affected: { ...POLYMERA_DRAFT.affected, markets: ['US'] } },
    ADA,
  ),
  won: (impact) => impact.affected.markets.join() === 'US',
  auditEntries: 1,
};

type Order = 'at once' | 'first then second' | 'second then first';

const race = async (first: Writer, second: Writer, order: Order): Promise<[Envelope<unknown>, Envelope<unknown>]> => {
  if (order === 'at once') return Promise.all([site.invoke(first.call()), site.invoke(second.call())]);
  if (order === 'first then second') {
    const a = await site.invoke(first.call());
    return [a, await site.invoke(second.call())];
  }
  const b = await site.invoke(second.call());
  return [await site.invoke(first.call()), b];
};

describe.each<[string, Writer, Writer]>([
  ['two reviewers deciding', RITA_ACCEPTS, ADA_OVERRIDES],
  ['two saves of the assessment', QUINN_SAVES_EU_ONLY, ADA_SAVES_US_ONLY],
  ['a save and a decision', QUINN_SAVES_EU_ONLY, RITA_ACCEPTS],
])('%s on the same version', (_name, first, second) => {
  it.each<[Order, number]>([
    ['at once', RUNS],
    ['first then second', RUNS / 2],
    ['second then first', RUNS / 2],
  ])(
    '%s: exactly one wins, the other gets CONFLICT naming the current version, nothing is lost (%i runs)',
    async (order, runs) => {
      site.restore(base);
      const entriesBefore = (await asApp(() => listAuditEntriesFor('QMS-1'))).length;
      for (let run = 0; run < runs; run++) {
        site.restore(base);
        const answers = await race(first, second, order);
        const impact = storedImpact();
        const winners = [first, second].filter((_, i) => answers[i]?.ok);
        const loser = answers.find((a) => !a.ok);
        const winner = winners[0];
        const entries = await asApp(() => listAuditEntriesFor('QMS-1'));
        const outcome = {
          run,
          winners: winners.map((w) => w.who),
          loser:
            loser && !loser.ok
              ? {
                  code: loser.error.code,
                  namesCurrentVersion: loser.error.message.includes(`version ${baseVersion + 1}`),
                }
              : undefined,
          storedVersion: impact.version,
          storedIsTheWinners: winner ? winner.won(impact) : false,
          newAuditEntries: entries.slice(entriesBefore).map((e) => e.actor.accountId),
          chain: await asApp(() => checkAuditTrail()),
        };
        expect(outcome).toEqual({
          run,
          winners: [expect.any(String)],
          loser: { code: 'CONFLICT', namesCurrentVersion: true },
          storedVersion: baseVersion + 1,
          storedIsTheWinners: true,
          newAuditEntries: winner && winner.auditEntries > 0 ? [winner.call().accountId] : [],
          chain: expect.objectContaining({ intact: true }),
        });
      }
    },
  );
});
