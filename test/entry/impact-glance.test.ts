/**
 * The "Regulatory impact" issue glance: the impact panel's real `impact/get` resolver, invoked
 * as the glance module through the sandbox runtime (asUser), and what the glance shows for it.
 */
import { createSandboxApp, loadManifest } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { SITE_ACCOUNTS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import { impactPanelResolver } from '../../src';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import { glanceOf } from '../../static/impact-glance/src/glance';
import { createContractObserver } from '../support/contract-observer';
import { filingRequiredPas } from './impact-fixtures';

const contract = createContractObserver();
const AnswerSchema = envelopeSchema(RESOLVER_CONTRACT['impact/get'].output);
let app: SandboxApp;

const glanceFor = async (key: string, accountId: string) => {
  const answer = await app.runtime.invokeResolver(
    impactPanelResolver,
    {
      functionKey: 'impact/get',
      payload: {},
      extension: {
        type: 'jira:issueGlance',
        issue: { key, type: 'Change Control' },
        project: { key: key.split('-')[0] },
      },
    },
    { accountId, moduleKey: 'impact-glance', moduleType: 'jira:issueGlance', functionKey: 'fn-impact-panel' },
  );
  return glanceOf(AnswerSchema.parse(answer));
};

beforeEach(() => {
  app = createSandboxApp({ now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000), observeJira: contract.observe });
  seedQmsRimSite(app.jira);
  app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    key: 'QMS-1',
    summary: 'Switch to wet granulation',
    status: 'Approved',
    properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
  });
  app.jira.seedIssue({
    project: 'QMS',
    issueType: 'Deviation',
    key: 'QMS-2',
    summary: 'Unassessed deviation',
    status: 'Open',
  });
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('impact-glance', () => {
  it('is declared as a jira:issueGlance on QMS records, served by the impact panel resolver', () => {
    expect(loadManifest().modules['jira:issueGlance']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'impact-glance',
          resource: 'impact-glance',
          resolver: { function: 'fn-impact-panel' },
        }),
      ]),
    );
  });

  it('shows the assessed record as "Filing required" and an unassessed one as "Not assessed"', async () => {
    await expect(glanceFor('QMS-1', SITE_ACCOUNTS.quality)).resolves.toMatchObject({
      lozenge: 'Filing required',
      appearance: 'moved',
    });
    await expect(glanceFor('QMS-2', SITE_ACCOUNTS.quality)).resolves.toMatchObject({
      lozenge: 'Not assessed',
      appearance: 'default',
    });
    expect(contract.exchanges()).toBeGreaterThan(0);
  });
});
