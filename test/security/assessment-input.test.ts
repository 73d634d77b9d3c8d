/**
 * An assessment names only what the catalog and the registry know. A quality engineer (or a
 * script posting to the resolver) sends answers keyed by questions the change code does not
 * ask (a stray key, `__proto__`, a question of another code) or a market no application of
 * the registry is in: `impact/propose` and `impact/save-assessment` refuse with a message
 * naming the unknown question id or market, and nothing is saved (Jira and app storage, the
 * version claims included, are as before).
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { POLYMERA_DRAFT, impactVersionOf } from '../faults/paths';
import { dataOf, issueContext, startFaultSite } from '../faults/harness';
import type { FaultSite } from '../faults/harness';

jest.setTimeout(120_000);

const QUINN: string = SITE_ACCOUNTS.quality;

let site: FaultSite;

beforeAll(async () => {
  site = await startFaultSite();
});
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

const [CHANGE] = POLYMERA_DRAFT.changes;
if (!CHANGE) throw new Error('POLYMERA_DRAFT has a change');

/** A draft as a hostile caller may send it: any answers. */
type Draft = Omit<typeof POLYMERA_DRAFT, 'changes'> & { changes: { code: string; answers: Record<string, unknown> }[] };

const HOSTILE: { name: string; draft: Draft; names: string }[] = [
  {
    name: 'an answer to a question the code does not ask',
    draft: { ...POLYMERA_DRAFT, changes: [{ ...CHANGE, answers: { ...CHANGE.answers, 'approved-by-fda': 'yes' } }] },
    names: 'approved-by-fda',
  },
  {
    name: 'a constructor answer key',
    draft: { ...POLYMERA_DRAFT, changes: [{ ...CHANGE, answers: { ...CHANGE.answers, constructor: 'x' } }] },
    names: 'constructor',
  },
  {
    name: 'an answer on a code outside the catalog',
    draft: { ...POLYMERA_DRAFT, changes: [CHANGE, { code: 'custom.by-hand', answers: { anything: true } }] },
    names: 'anything',
  },
  {
    name: 'a market no application is in',
    draft: { ...POLYMERA_DRAFT, affected: { ...POLYMERA_DRAFT.affected, markets: ['US', 'XX'] } },
    names: 'XX',
  },
];

const onQms1 = {
  module: 'impact-panel',
  extension: issueContext('jira:issuePanel', 'QMS-1'),
  accountId: QUINN,
} as const;

describe.each(HOSTILE)('$name', ({ draft, names }) => {
  it('impact/propose refuses it, naming it', async () => {
    const answer = await site.invoke({ ...onQms1, key: 'impact/propose', payload: draft });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(`"${names}"`) },
    });
  });

  it('impact/save-assessment refuses it, naming it, and saves nothing', async () => {
    const before = await site.state();
    const answer = await site.invoke({
      ...onQms1,
      key: 'impact/save-assessment',
      payload: { version: impactVersionOf(site), ...draft },
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(`"${names}"`) },
    });
    expect(answer.ok || answer.error.message).toContain('Nothing was saved');
    expect(await site.state()).toEqual(before);
  });
});

it('a __proto__ answer key never reaches the app: the contract’s parse drops it (zod skips the key), so what is saved holds only the asked question', async () => {
  // JSON.parse gives `__proto__` as an own key, as a resolver payload would carry it.
  const answers = JSON.parse('{"__proto__":{"polluted":true},"eu-guideline-classification":"IB"}') as Record<
    string,
    string
  >;
  const written = dataOf(
    await site.invoke({
      ...onQms1,
      key: 'impact/save-assessment',
      payload: { version: impactVersionOf(site), ...POLYMERA_DRAFT, changes: [{ ...CHANGE, answers }] },
    }),
  );
  expect(written.changes).toEqual([{ code: CHANGE.code, answers: { 'eu-guideline-classification': 'IB' } }]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

it('the honest draft is still proposed and saved', async () => {
  expect(
    dataOf(await site.invoke({ ...onQms1, key: 'impact/propose', payload: POLYMERA_DRAFT })).applications.length,
  ).toBeGreaterThan(0);
  dataOf(
    await site.invoke({
      ...onQms1,
      key: 'impact/save-assessment',
      payload: { version: impactVersionOf(site), ...POLYMERA_DRAFT },
    }),
  );
});
