/**
 * The commitment trigger links a Commitment back to the quality record its `qmsrim.commitment`
 * property names ("<record> implements <Commitment>"), as the app: a link the person might not
 * be allowed to make. Attacks, through Jira's REST API as Rita (everything in RIM, works QMS
 * records): a Commitment naming a quality record she may not see (on a security level she is
 * not on), created with the property or given it later; a Commitment naming an issue that is
 * not a quality record (a Submission); a Commitment created with the property by the app's own
 * account id in the event. None may produce a link. The honest case (a record she may see and
 * link) still does.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { COMMITMENT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { startFaultSite } from '../faults/harness';
import type { FaultSite, SiteState } from '../faults/harness';

jest.setTimeout(120_000);

const RITA: string = SITE_ACCOUNTS.regulatory;

let site: FaultSite;
let base: SiteState;

beforeAll(async () => {
  site = await startFaultSite();
  base = await site.state();
});
beforeEach(() => site.restore(base));
afterAll(async () => {
  await site.app.close();
  expect(site.contract.violations()).toEqual([]);
});

const property = (recordKey: string) => ({ market: 'US', dueDate: '2027-05-31', recordKey });

const createCommitment = async (as: string, recordKey?: string): Promise<string> => {
  const answer = await site.app.jira.handle({
    method: 'POST',
    path: '/rest/api/3/issue',
    body: {
      fields: { project: { key: 'RIM' }, issuetype: { name: 'Commitment' }, summary: 'Provide stability data' },
      ...(recordKey ? { properties: [{ key: COMMITMENT_PROPERTY_KEY, value: property(recordKey) }] } : {}),
    },
    as: { kind: 'user', accountId: as },
  });
  expect(answer.status).toBe(201);
  await site.app.whenIdle();
  const created = answer.body as { key?: unknown };
  if (typeof created.key !== 'string') throw new Error('no key in the created issue');
  return created.key;
};

/** Keys of the issues linked to `key`, either way, in the stand-in's state. */
const linkedTo = (key: string): string[] => {
  const { issues, links } = site.app.jira.snapshot();
  const idOf = Object.values(issues).find((i) => i.key === key)?.id;
  const keyOf = (id: string) => issues[id]?.key ?? id;
  return Object.values(links).flatMap((l) =>
    l.sourceIssueId === idOf
      ? [keyOf(l.destinationIssueId)]
      : l.destinationIssueId === idOf
        ? [keyOf(l.sourceIssueId)]
        : [],
  );
};

describe('a Commitment naming a quality record its author may not see', () => {
  beforeEach(() =>
    site.app.jira.setIssueSecurity({ issue: 'QMS-2', accountIds: [SITE_ACCOUNTS.admin, SITE_ACCOUNTS.quality] }),
  );

  it('created with the property: no link', async () => {
    const commitment = await createCommitment(RITA, 'QMS-2');
    expect(linkedTo(commitment)).toEqual([]);
  });

  it('given the property afterwards: no link', async () => {
    const commitment = await createCommitment(RITA);
    const put = await site.app.jira.handle({
      method: 'PUT',
      path: `/rest/api/3/issue/${commitment}/properties/${COMMITMENT_PROPERTY_KEY}`,
      body: property('QMS-2'),
      as: { kind: 'user', accountId: RITA },
    });
    expect(put.status).toBeLessThan(300);
    await site.app.whenIdle();
    expect(linkedTo(commitment)).toEqual([]);
  });
});

it('a Commitment naming a Submission (not a quality record): no link', async () => {
  const commitment = await createCommitment(RITA, 'RIM-3');
  expect(linkedTo(commitment)).toEqual([]);
});

it('a Commitment naming a quality record its author may see and link: linked, as before', async () => {
  const commitment = await createCommitment(RITA, 'QMS-2');
  expect(linkedTo(commitment)).toEqual(['QMS-2']);
});
