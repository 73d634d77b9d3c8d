/**
 * Every user-facing read and write path of the app, as one resolver call each on the demo
 * site, with what must happen first (a write that needs an assessment saves one). The fault
 * tests run each through the real handlers.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { demoRegistry } from '../../sandbox/demo/registry';
import { DEFAULT_JIRA_CONVENTIONS } from '../../src/config/jira-conventions';
import type { ResolverKey } from '../../src/contract/resolvers';
import { StoredImpactSchema } from '../../src/domain/impact-field-value';
import { IMPACT_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { registryToCsv } from '../../src/domain/registry-csv';
import type { FaultSite, ResolverCall } from './harness';
import { dataOf, issueContext } from './harness';

const RITA: string = SITE_ACCOUNTS.regulatory;
const QUINN: string = SITE_ACCOUNTS.quality;
const ADA: string = SITE_ACCOUNTS.admin;
const MAX: string = SITE_ACCOUNTS.manager;

/** The supplier change on SUP-POLYMERA (QMS-1): a resin change, classified IB under the EU guidelines. */
export const POLYMERA_DRAFT = {
  changes: [{ code: 'ccs.type-or-resin', answers: { 'eu-guideline-classification': 'IB' } }],
  affected: { productIds: [], siteIds: [], supplierIds: ['SUP-POLYMERA'], markets: ['US', 'EU'] },
};

export const impactVersionOf = (site: FaultSite, key = 'QMS-1'): number =>
  StoredImpactSchema.parse(site.app.jira.readIssue(key)?.properties[IMPACT_PROPERTY_KEY]).version;

const onQms1 = <K extends ResolverKey>(key: K, payload: unknown, accountId = RITA): ResolverCall<K> => ({
  module: 'impact-panel',
  key,
  payload,
  extension: issueContext('jira:issuePanel', 'QMS-1'),
  accountId,
});

export const saveAssessment = (site: FaultSite, accountId = QUINN) =>
  site.invoke(onQms1('impact/save-assessment', { version: impactVersionOf(site), ...POLYMERA_DRAFT }, accountId));

export const decideAs = (
  site: FaultSite,
  accountId: string,
  applicationId: string,
  extra: Record<string, unknown> = {},
  version = impactVersionOf(site),
) =>
  site.invoke(
    onQms1(
      'impact/decide',
      {
        version,
        applicationId,
        decision: 'accept',
        rationale: '',
        meaning: 'approval',
        signatureCode: site.code(accountId),
        ...extra,
      },
      accountId,
    ),
  );

/** QMS-1 assessed by Quinn; the NDA, the MAA and the BLA decided by Rita, so three decisions need a Submission. */
export const assessAndDecide = async (site: FaultSite): Promise<void> => {
  dataOf(await saveAssessment(site));
  dataOf(await decideAs(site, RITA, 'APP-NDA-CARDIOLOL'));
  dataOf(await decideAs(site, RITA, 'APP-MAA-CARDIOLOL'));
  dataOf(
    await decideAs(site, RITA, 'APP-BLA-IMMUNOMAB', {
      decision: 'override',
      category: 'CBE-30',
      rationale: 'Syringe component resin: moderate potential, CBE-30 per 21 CFR 601.12(c).',
    }),
  );
};

export const PLAN_APPLICATIONS = ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL', 'APP-BLA-IMMUNOMAB'];
export const planCall = (
  site: FaultSite,
  applicationIds = PLAN_APPLICATIONS,
): ResolverCall<'impact/create-submission-plan'> =>
  onQms1('impact/create-submission-plan', { version: impactVersionOf(site), applicationIds });
export const COMMITMENT = {
  title: 'Provide 6-month stability data for blisters made with PX-210',
  description: 'Agreed with FDA in the PAS review.',
  market: 'US',
  applicationId: 'APP-NDA-CARDIOLOL',
  dueDate: '2027-05-31',
};
export const commitmentCall = (payload: Record<string, unknown> = COMMITMENT): ResolverCall<'impact/add-commitment'> =>
  onQms1('impact/add-commitment', payload);

export interface UserPath {
  name: string;
  writes: boolean;
  /** Brings the site to where the call makes sense (no faults yet). */
  prepare?: (site: FaultSite) => Promise<void>;
  /** Built after `prepare`, so it can name the version it is based on. */
  call: (site: FaultSite) => ResolverCall;
}

const read = (name: string, call: ResolverCall): UserPath => ({ name, writes: false, call: () => call });
const admin = (key: ResolverKey, payload: unknown = {}): ResolverCall => ({
  module: 'admin-page',
  key,
  payload,
  extension: { type: 'jira:adminPage' },
  accountId: ADA,
});
const macro = (key: ResolverKey, payload: unknown = {}): ResolverCall => ({
  module: 'traceability-macro',
  key,
  payload,
  extension: { type: 'macro', content: { id: '65537', type: 'page' }, space: { key: 'QARA' }, config: {} },
  accountId: MAX,
});

export const USER_PATHS: readonly UserPath[] = [
  read('impact panel', {
    module: 'impact-panel',
    key: 'impact/get',
    payload: {},
    extension: issueContext('jira:issuePanel', 'QMS-5'),
    accountId: RITA,
  }),
  read('impact panel form data', {
    module: 'impact-panel',
    key: 'impact/form-data',
    payload: {},
    extension: issueContext('jira:issuePanel', 'QMS-1'),
    accountId: RITA,
  }),
  read('impact panel history', {
    module: 'impact-panel',
    key: 'impact/history',
    payload: {},
    extension: issueContext('jira:issuePanel', 'QMS-5'),
    accountId: RITA,
  }),
  read('impact panel letters', {
    module: 'impact-panel',
    key: 'impact/correspondence',
    payload: {},
    extension: issueContext('jira:issuePanel', 'QMS-5'),
    accountId: RITA,
  }),
  read('impact glance', {
    module: 'impact-glance',
    key: 'impact/get',
    payload: {},
    extension: issueContext('jira:issueGlance', 'QMS-5'),
    accountId: QUINN,
  }),
  read('readiness panel', {
    module: 'readiness-panel',
    key: 'readiness/get',
    payload: {},
    extension: issueContext('jira:issuePanel', 'RIM-1'),
    accountId: RITA,
  }),
  ...(['json', 'csv', 'html'] as const).map((format) =>
    read(`evidence packet (${format})`, {
      module: 'readiness-panel',
      key: 'readiness/export',
      payload: { format },
      extension: issueContext('jira:issuePanel', 'RIM-1'),
      accountId: RITA,
    }),
  ),
  read('correspondence panel', {
    module: 'correspondence-panel',
    key: 'correspondence/get',
    payload: {},
    extension: issueContext('jira:issuePanel', 'RIM-10'),
    accountId: RITA,
  }),
  read('RIM glance', {
    module: 'rim-glance',
    key: 'rim-glance/get',
    payload: {},
    extension: issueContext('jira:issueGlance', 'RIM-1'),
    accountId: RITA,
  }),
  read('macro', macro('traceability/get')),
  read('macro options', macro('traceability/options')),
  read('macro CSV', macro('traceability/export', { productIds: ['PRD-CARDIOLOL'], onlyWithGaps: false })),
  read('admin registry', admin('admin/registry/get')),
  read('admin registry export', admin('admin/registry/export')),
  read('admin Jira mapping', admin('admin/mapping/get')),
  read('admin audit verification', admin('admin/audit/verify')),
  read('admin who may sign', admin('admin/signers/get')),
  read('admin index status', admin('admin/index/status')),
  read('gate configuration options', {
    module: 'gate-impact-assessed',
    key: 'gate-config/options',
    payload: {},
    extension: { type: 'jira:workflowValidator', entryPoint: 'edit' },
    accountId: ADA,
  }),
  {
    name: 'save assessment',
    writes: true,
    call: (site) => onQms1('impact/save-assessment', { version: impactVersionOf(site), ...POLYMERA_DRAFT }, QUINN),
  },
  {
    name: 'decide',
    writes: true,
    prepare: async (site) => void dataOf(await saveAssessment(site)),
    call: (site) =>
      onQms1('impact/decide', {
        version: impactVersionOf(site),
        applicationId: 'APP-NDA-CARDIOLOL',
        decision: 'accept',
        rationale: '',
        meaning: 'approval',
        signatureCode: site.code(RITA),
      }),
  },
  { name: 'create submission plan', writes: true, prepare: assessAndDecide, call: (site) => planCall(site) },
  { name: 'add commitment', writes: true, prepare: assessAndDecide, call: () => commitmentCall() },
  {
    name: 'link record to letter',
    writes: true,
    call: () => ({
      module: 'correspondence-panel',
      key: 'correspondence/link-record',
      payload: { recordKey: 'QMS-3' },
      extension: issueContext('jira:issuePanel', 'RIM-10'),
      accountId: RITA,
    }),
  },
  {
    name: 'registry import',
    writes: true,
    call: () =>
      admin('admin/registry/import', {
        csv: registryToCsv({
          ...demoRegistry,
          products: demoRegistry.products.map((p) => ({ ...p, name: `${p.name} (renamed)` })),
        }),
      }),
  },
  {
    name: 'mapping save',
    writes: true,
    call: () => admin('admin/mapping/save', { conventions: DEFAULT_JIRA_CONVENTIONS }),
  },
  {
    name: 'who may sign save',
    writes: true,
    call: () =>
      admin('admin/signers/save', {
        rules: {
          groups: ['regulatory-reviewers'],
          projectRoles: ['Regulatory Reviewers'],
          barReporter: true,
          barAssessors: true,
        },
      }),
  },
  { name: 'index rebuild', writes: true, call: () => admin('admin/index/rebuild') },
];
