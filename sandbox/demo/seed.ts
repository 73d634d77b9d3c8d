/**
 * The sandbox's demo data, deterministic: the QMS/RIM site, five people with different
 * access, QMS records of every kind in every workflow state with their regulatory impact,
 * Submissions, Commitments, the links between them, the app's validators on the gated
 * transitions, and the registry in app storage.
 *
 * Every instant is fixed here (or comes from the stepping clock), so seeding twice gives
 * the same Jira state. `DEMO_AS_OF` is the demo's "today": one open Commitment is due
 * before it (overdue), the others after; likewise one health-authority letter's response
 * (RIM-11) is overdue and the other's (RIM-10) is not yet due.
 *
 * Gates on transitions (module keys of manifest.yml):
 * - QMS "Submit for review" (21): gate-impact-assessed: a record goes to review assessed.
 * - QMS "Approve" (31): gate-impact-assessed and gate-filing-planned: quality approval needs
 *   the assessment complete and a Submission linked for every decision filed with an authority.
 * - QMS "Implement" (41): gate-prior-approval-granted: prior-approval filings approved first.
 * - Submission "Ready to file" (21): gate-evidence-complete.
 * - Commitment "Fulfil" (21): gate-commitment-fulfilled.
 */
import type { JiraStandIn } from '../jira';
import {
  COMMITMENT_TRANSITIONS,
  QMS_ISSUE_TYPES,
  QMS_TRANSITIONS,
  REGULATORY_IMPACT_FIELD,
  SITE_ACCOUNTS,
  SITE_EMAILS,
  SITE_GROUPS,
  SUBMISSION_TRANSITIONS,
  createSteppingClock,
  seedQmsRimSite,
} from '../jira';
import type { InstalledForgeRuntime } from '../runtime/forge-runtime';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../src/config/jira-conventions';
import { ApprovalsSchema } from '../../src/domain/consistency';
import type { Approvals } from '../../src/domain/consistency';
import { CorrespondencePropertySchema } from '../../src/domain/correspondence';
import type { CorrespondenceProperty } from '../../src/domain/correspondence';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import { bindSignature } from '../../src/domain/signed-record';
import { recordSignedImpact } from '../signed-seed';
import { saveApprovals } from '../../src/adapters/kvs/approvals-repository';
import { RULES_VERSION } from '../../src/domain/catalog';
import { RegulatoryImpactSchema } from '../../src/domain/model';
import type { ApplicationDecision, FilingCategory, Market, RegulatoryImpact } from '../../src/domain/model';
import { saveRegistry } from '../../src/adapters/kvs/registry-repository';
import { saveSignerRules } from '../../src/adapters/kvs/signer-rules-repository';
import type { SignerRules } from '../../src/domain/signing-policy';
import { demoRegistry } from './registry';

/** The demo's "today" (the stepping clock starts here). */
export const DEMO_AS_OF = '2026-11-02T08:00:00.000Z';

/** A fresh deterministic clock for a demo stand-in: one second per reading from DEMO_AS_OF. */
export const createDemoClock = (): (() => Date) => createSteppingClock(DEMO_AS_OF, 1000);

export const RESTRICTED_ACCOUNT_ID = '557058:sam-second';

export type DemoRole = 'quality-engineer' | 'regulatory-reviewer' | 'manager' | 'admin' | 'restricted';

export interface DemoUser {
  accountId: string;
  email: string;
  displayName: string;
  role: DemoRole;
  /** What this person may do, for the start page and docs/sandbox.md. */
  access: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    accountId: SITE_ACCOUNTS.quality,
    email: SITE_EMAILS.quality,
    displayName: 'Quinn Quality',
    role: 'quality-engineer',
    access: 'everything in QMS, nothing in RIM',
  },
  {
    accountId: SITE_ACCOUNTS.regulatory,
    email: SITE_EMAILS.regulatory,
    displayName: 'Rita Regulatory',
    role: 'regulatory-reviewer',
    access: 'works QMS records (no create), everything in RIM',
  },
  {
    accountId: SITE_ACCOUNTS.manager,
    email: SITE_EMAILS.manager,
    displayName: 'Max Manager',
    role: 'manager',
    access: 'browses QMS and RIM, changes nothing',
  },
  {
    accountId: SITE_ACCOUNTS.admin,
    email: SITE_EMAILS.admin,
    displayName: 'Ada Admin',
    role: 'admin',
    access: 'Jira admin and project lead: everything',
  },
  {
    accountId: RESTRICTED_ACCOUNT_ID,
    email: 'sam.second@qms-rim.example',
    displayName: 'Sam Second',
    role: 'restricted',
    access:
      'second quality engineer: browses and works QMS records, cannot browse RIM (the user for "no RIM data" checks)',
  },
];

/** Transition gates, as documented at the top of this file. */
export const DEMO_GATES: ReadonlyArray<{
  issueTypes: readonly string[];
  transitionId: string;
  moduleKeys: readonly string[];
}> = [
  { issueTypes: QMS_ISSUE_TYPES, transitionId: QMS_TRANSITIONS.submitForReview, moduleKeys: ['gate-impact-assessed'] },
  {
    issueTypes: QMS_ISSUE_TYPES,
    transitionId: QMS_TRANSITIONS.approve,
    moduleKeys: ['gate-impact-assessed', 'gate-filing-planned'],
  },
  { issueTypes: QMS_ISSUE_TYPES, transitionId: QMS_TRANSITIONS.implement, moduleKeys: ['gate-prior-approval-granted'] },
  {
    issueTypes: ['Submission'],
    transitionId: SUBMISSION_TRANSITIONS.readyToFile,
    moduleKeys: ['gate-evidence-complete'],
  },
  {
    issueTypes: ['Commitment'],
    transitionId: COMMITMENT_TRANSITIONS.fulfil,
    moduleKeys: ['gate-commitment-fulfilled'],
  },
];

export const ROOT_CAUSE_FIELD = { id: 'customfield_10060', name: 'Root cause' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const plusDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

// ------------------------------------------------------------------ impact values

const NO_AFFECTED = { productIds: [], siteIds: [], supplierIds: [], markets: [], applicationIds: [] };

const signer = (role: 'regulatory' | 'admin') =>
  role === 'regulatory'
    ? { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' }
    : { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' };

interface DecisionSpec {
  applicationId: string;
  market: Market;
  recommended: FilingCategory;
  citation: string;
  /** Decided category and when; undefined while the reviewer has not decided. */
  decided?: { category: Exclude<FilingCategory, 'REVIEW-REQUIRED'>; at: string; rationale: string };
  submissionKey?: string;
}

const decision = (spec: DecisionSpec): ApplicationDecision => ({
  applicationId: spec.applicationId,
  market: spec.market,
  recommended: {
    category: spec.recommended,
    citations: [spec.citation],
    rationale: `Recommended by the filing rules (${spec.citation}).`,
  },
  ...(spec.decided
    ? {
        decided: {
          category: spec.decided.category,
          rationale: spec.decided.rationale,
          by: signer('regulatory'),
          at: spec.decided.at,
          meaning: 'approval' as const,
        },
      }
    : {}),
  ...(spec.submissionKey ? { submissionKey: spec.submissionKey } : {}),
});

const impact = (value: Partial<RegulatoryImpact> & Pick<RegulatoryImpact, 'status'>): RegulatoryImpact =>
  RegulatoryImpactSchema.parse({
    changes: [],
    decisions: [],
    version: 0,
    ...value,
    affected: { ...NO_AFFECTED, ...value.affected },
  });

// ------------------------------------------------------------------ issues

const QMS_PATH = ['Open', 'In Assessment', 'Under Review', 'Approved', 'Implemented', 'Closed'] as const;
const SUBMISSION_PATH = ['Planned', 'In Preparation', 'Ready to File', 'Submitted', 'HA Approved'] as const;
const COMMITMENT_PATH = ['Open', 'In Progress', 'Fulfilled'] as const;

/** Who moved a QMS record into each status (approval is the QA head's signature). */
const QMS_STEP_AUTHOR: Record<string, string> = {
  'In Assessment': SITE_ACCOUNTS.quality,
  'Under Review': SITE_ACCOUNTS.quality,
  Approved: SITE_ACCOUNTS.admin,
  Implemented: SITE_ACCOUNTS.quality,
  Closed: SITE_ACCOUNTS.quality,
  Cancelled: SITE_ACCOUNTS.quality,
};

interface QmsSpec {
  key: string;
  type: (typeof QMS_ISSUE_TYPES)[number];
  summary: string;
  description: string;
  status: (typeof QMS_PATH)[number] | 'Cancelled';
  created: string;
  rootCause?: string;
  impact: RegulatoryImpact;
}

const d = (date: string): string => `${date}T09:00:00.000Z`;

export const DEMO_QMS_RECORDS: readonly QmsSpec[] = [
  {
    key: 'QMS-1',
    type: 'Supplier Change',
    summary: 'Polymera replaces PX-200 resin with reformulated grade PX-210',
    description:
      'Supplier notification SN-2026-031 from Polymera GmbH: resin grade PX-200 is discontinued and replaced by PX-210 (new antioxidant package). Polymera resin is used in the Cardiolol blister, Immunomab syringe components, the GlucoPen housing and the CardioSense patch: several applications in the US and the EU. Not yet assessed.',
    status: 'In Assessment',
    created: d('2026-10-20'),
    impact: impact({ status: 'not-assessed', affected: { ...NO_AFFECTED, supplierIds: ['SUP-POLYMERA'] } }),
  },
  {
    key: 'QMS-2',
    type: 'Change Control',
    summary: 'Tighten the dissolution specification of Cardiolol 50 mg tablets',
    description: 'Q = 80 % at 30 min becomes Q = 85 % at 30 min after process capability review.',
    status: 'Open',
    created: d('2026-10-28'),
    impact: impact({ status: 'not-assessed' }),
  },
  {
    key: 'QMS-3',
    type: 'CAPA',
    summary: 'Recurring blister seal failures on Lyon packaging line 3',
    description:
      'Three seal-integrity failures in six weeks on line 3; CAPA to replace the sealing jaw and shorten the PM interval.',
    status: 'In Assessment',
    created: d('2026-09-14'),
    rootCause: 'Worn sealing jaw; preventive maintenance interval too long for the current throughput.',
    impact: impact({
      status: 'in-assessment',
      changes: [{ code: 'site.secondary-packaging' }],
      affected: {
        productIds: ['PRD-CARDIOLOL'],
        siteIds: ['SITE-LYON'],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL'],
      },
      decisions: [
        decision({ applicationId: 'APP-NDA-CARDIOLOL', market: 'US', recommended: 'AR', citation: '21 CFR 314.70(d)' }),
        decision({
          applicationId: 'APP-MAA-CARDIOLOL',
          market: 'EU',
          recommended: 'EU-IA',
          citation: 'EU Variations Guideline A.7',
        }),
      ],
      version: 2,
    }),
  },
  {
    key: 'QMS-4',
    type: 'Deviation',
    summary: 'Basel granulation room humidity excursion (batch 24B117)',
    description:
      'Relative humidity above 45 % for 3 h during granulation of batches 24B117 (Cardiolol) and 24G052 (generic). Batches met specification.',
    status: 'Under Review',
    created: d('2026-08-03'),
    rootCause: 'HVAC damper actuator failure.',
    impact: impact({
      status: 'no-filing',
      affected: {
        productIds: ['PRD-CARDIOLOL', 'PRD-GENCARDIO'],
        siteIds: ['SITE-BASEL'],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL', 'APP-ANDA-GENCARDIO'],
      },
      decisions: [
        decision({
          applicationId: 'APP-NDA-CARDIOLOL',
          market: 'US',
          recommended: 'NONE',
          citation: '21 CFR 314.70',
          decided: {
            category: 'NONE',
            at: d('2026-08-20'),
            rationale: 'No change to the approved process; deviation handled in the QMS.',
          },
        }),
        decision({
          applicationId: 'APP-MAA-CARDIOLOL',
          market: 'EU',
          recommended: 'NONE',
          citation: 'Regulation (EC) 1234/2008',
          decided: { category: 'NONE', at: d('2026-08-20'), rationale: 'No change to the marketing authorisation.' },
        }),
        decision({
          applicationId: 'APP-ANDA-GENCARDIO',
          market: 'US',
          recommended: 'NONE',
          citation: '21 CFR 314.97',
          decided: { category: 'NONE', at: d('2026-08-20'), rationale: 'No change to the approved process.' },
        }),
      ],
      version: 4,
    }),
  },
  {
    key: 'QMS-5',
    type: 'Change Control',
    summary: 'Cardiolol API: new synthesis route for step 4 at Cork',
    description: 'Replace the step 4 coupling reagent; new impurity profile qualified.',
    status: 'Approved',
    created: d('2026-05-11'),
    impact: impact({
      status: 'filing-required',
      changes: [{ code: 'process.synthesis-impurity', answers: { newImpurityAboveQualification: false } }],
      affected: {
        productIds: ['PRD-CARDIOLOL'],
        siteIds: ['SITE-CORK'],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-NDA-CARDIOLOL', 'APP-MAA-CARDIOLOL'],
      },
      decisions: [
        decision({
          applicationId: 'APP-NDA-CARDIOLOL',
          market: 'US',
          recommended: 'PAS',
          citation: '21 CFR 314.70(b)',
          decided: {
            category: 'PAS',
            at: d('2026-06-02'),
            rationale: 'Synthesis route change with a new impurity: prior approval supplement.',
          },
          submissionKey: 'RIM-1',
        }),
        decision({
          applicationId: 'APP-MAA-CARDIOLOL',
          market: 'EU',
          recommended: 'EU-II',
          citation: 'EU Variations Guideline B.I.a.2',
          decided: {
            category: 'EU-II',
            at: d('2026-06-02'),
            rationale: 'Substantial change to the active substance manufacturing process.',
          },
          submissionKey: 'RIM-2',
        }),
      ],
      version: 6,
    }),
  },
  {
    key: 'QMS-6',
    type: 'Supplier Change',
    summary: 'SteriVac moves GlucoPen EO sterilisation to a new chamber',
    description:
      'SteriVac Inc qualifies chamber 4 for ethylene oxide sterilisation of the GlucoPen; revalidation per ISO 11135.',
    status: 'Implemented',
    created: d('2026-03-02'),
    impact: impact({
      status: 'filing-required',
      changes: [{ code: 'device.manufacturing-site' }],
      affected: {
        productIds: ['PRD-GLUCOPEN'],
        siteIds: ['SITE-PENANG'],
        supplierIds: ['SUP-STERIVAC'],
        markets: ['US', 'EU'],
        applicationIds: ['APP-510K-GLUCOPEN', 'APP-CEMDR-GLUCOPEN'],
      },
      decisions: [
        decision({
          applicationId: 'APP-510K-GLUCOPEN',
          market: 'US',
          recommended: 'LETTER-TO-FILE',
          citation: 'FDA guidance: Deciding When to Submit a 510(k) for a Change',
          decided: {
            category: 'LETTER-TO-FILE',
            at: d('2026-03-20'),
            rationale: 'Validated sterilisation method unchanged; documented in a letter to file.',
          },
        }),
        decision({
          applicationId: 'APP-CEMDR-GLUCOPEN',
          market: 'EU',
          recommended: 'NB-PRIOR-APPROVAL',
          citation: 'MDCG 2020-3',
          decided: {
            category: 'NB-PRIOR-APPROVAL',
            at: d('2026-03-20'),
            rationale:
              'Change to the sterilisation of a class IIb device: notified body approval before implementation.',
          },
          submissionKey: 'RIM-3',
        }),
      ],
      version: 5,
    }),
  },
  {
    key: 'QMS-7',
    type: 'Complaint',
    summary: 'CardioSense patch: skin irritation reports (3 complaints)',
    description: 'Three reports of mild erythema after 72 h wear; within the known rate in the risk file.',
    status: 'Closed',
    created: d('2026-02-09'),
    impact: impact({
      status: 'no-filing',
      affected: {
        productIds: ['PRD-CARDIOSENSE'],
        siteIds: [],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-DENOVO-CARDIOSENSE', 'APP-CEMDD-CARDIOSENSE'],
      },
      decisions: [
        decision({
          applicationId: 'APP-DENOVO-CARDIOSENSE',
          market: 'US',
          recommended: 'NONE',
          citation: '21 CFR 803',
          decided: {
            category: 'NONE',
            at: d('2026-02-20'),
            rationale: 'No device change; complaints trended, no MDR reportable event.',
          },
        }),
        decision({
          applicationId: 'APP-CEMDD-CARDIOSENSE',
          market: 'EU',
          recommended: 'NONE',
          citation: 'MDR Art. 87',
          decided: { category: 'NONE', at: d('2026-02-20'), rationale: 'No device change; not a serious incident.' },
        }),
      ],
      version: 3,
    }),
  },
  {
    key: 'QMS-8',
    type: 'Audit Finding',
    summary: 'Supplier audit observation SA-2026-014 (raised twice)',
    description: 'Cancelled: duplicate of the observation tracked in QMS-10.',
    status: 'Cancelled',
    created: d('2026-07-06'),
    impact: impact({ status: 'not-assessed' }),
  },
  {
    key: 'QMS-9',
    type: 'CAPA',
    summary: 'Immunomab: add a bioburden test before final filtration',
    description: 'CAPA after a bioburden excursion: new in-process test and limit before 0.2 µm filtration.',
    status: 'Closed',
    created: d('2026-01-12'),
    rootCause: 'Bioburden excursion traced to an untested hold step before filtration.',
    impact: impact({
      status: 'filing-required',
      changes: [{ code: 'spec.tighten-or-add' }],
      affected: {
        productIds: ['PRD-IMMUNOMAB'],
        siteIds: ['SITE-RALEIGH'],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-BLA-IMMUNOMAB', 'APP-MAA-IMMUNOMAB'],
      },
      decisions: [
        decision({
          applicationId: 'APP-BLA-IMMUNOMAB',
          market: 'US',
          recommended: 'CBE-30',
          citation: '21 CFR 601.12(c)',
          decided: {
            category: 'CBE-30',
            at: d('2026-01-30'),
            rationale: 'Added in-process test: changes-being-effected in 30 days.',
          },
          submissionKey: 'RIM-4',
        }),
        decision({
          applicationId: 'APP-MAA-IMMUNOMAB',
          market: 'EU',
          recommended: 'EU-IB',
          citation: 'EU Variations Guideline B.II.b.5',
          decided: { category: 'EU-IB', at: d('2026-01-30'), rationale: 'Addition of an in-process test: type IB.' },
          submissionKey: 'RIM-5',
        }),
      ],
      version: 7,
    }),
  },
  {
    key: 'QMS-10',
    type: 'Audit Finding',
    summary: 'Notified body audit: resin certificates of analysis not reviewed on receipt',
    description: 'Minor nonconformity from the notified body surveillance audit at Penang.',
    status: 'Open',
    created: d('2026-10-30'),
    impact: impact({ status: 'not-assessed' }),
  },
  {
    key: 'QMS-11',
    type: 'Change Control',
    summary: 'HipStem: change the porous coating process at Penang',
    description: 'Move from plasma spray supplier process to in-house vacuum plasma spray.',
    status: 'Under Review',
    created: d('2026-09-01'),
    impact: impact({
      status: 'filing-required',
      changes: [{ code: 'device.manufacturing-method' }],
      affected: {
        productIds: ['PRD-HIPSTEM'],
        siteIds: ['SITE-PENANG'],
        supplierIds: [],
        markets: ['US', 'EU'],
        applicationIds: ['APP-PMA-HIPSTEM', 'APP-CEMDR-HIPSTEM'],
      },
      decisions: [
        decision({
          applicationId: 'APP-PMA-HIPSTEM',
          market: 'US',
          recommended: 'PMA-180-DAY',
          citation: '21 CFR 814.39(a)',
          submissionKey: 'RIM-6',
        }),
        decision({
          applicationId: 'APP-CEMDR-HIPSTEM',
          market: 'EU',
          recommended: 'REVIEW-REQUIRED',
          citation: 'MDCG 2020-3',
        }),
      ],
      version: 3,
    }),
  },
];

interface RimSpec {
  key: string;
  type: 'Submission' | 'Commitment' | 'Health Authority Correspondence';
  summary: string;
  status: string;
  created: string;
  property?: { key: string; value: Record<string, unknown> };
}

const submission = (
  key: string,
  summary: string,
  status: (typeof SUBMISSION_PATH)[number],
  created: string,
  value: { applicationId: string; productId: string; market: Market; category: FilingCategory },
): RimSpec => ({
  key,
  type: 'Submission',
  summary,
  status,
  created,
  property: { key: SUBMISSION_PROPERTY_KEY, value },
});

const commitment = (
  key: string,
  summary: string,
  status: (typeof COMMITMENT_PATH)[number],
  created: string,
  value: { market: Market; applicationId?: string; submissionKey?: string; dueDate: string },
): RimSpec => ({
  key,
  type: 'Commitment',
  summary,
  status,
  created,
  property: { key: COMMITMENT_PROPERTY_KEY, value },
});

const correspondence = (
  key: string,
  summary: string,
  status: 'Received' | 'Responded',
  created: string,
  value: CorrespondenceProperty,
): RimSpec => ({
  key,
  type: 'Health Authority Correspondence',
  summary,
  status,
  created,
  property: { key: CORRESPONDENCE_PROPERTY_KEY, value: CorrespondencePropertySchema.parse(value) },
});

export const DEMO_RIM_ISSUES: readonly RimSpec[] = [
  submission('RIM-1', 'PAS: Cardiolol API synthesis route (NDA 214455)', 'Submitted', d('2026-06-03'), {
    applicationId: 'APP-NDA-CARDIOLOL',
    productId: 'PRD-CARDIOLOL',
    market: 'US',
    category: 'PAS',
  }),
  submission(
    'RIM-2',
    'Type II variation: Cardiolol API synthesis route (EU/1/19/1402)',
    'In Preparation',
    d('2026-06-03'),
    { applicationId: 'APP-MAA-CARDIOLOL', productId: 'PRD-CARDIOLOL', market: 'EU', category: 'EU-II' },
  ),
  submission(
    'RIM-3',
    'Notified body prior approval: GlucoPen EO sterilisation chamber',
    'HA Approved',
    d('2026-03-21'),
    { applicationId: 'APP-CEMDR-GLUCOPEN', productId: 'PRD-GLUCOPEN', market: 'EU', category: 'NB-PRIOR-APPROVAL' },
  ),
  submission('RIM-4', 'CBE-30: Immunomab in-process bioburden test (BLA 761290)', 'Submitted', d('2026-01-31'), {
    applicationId: 'APP-BLA-IMMUNOMAB',
    productId: 'PRD-IMMUNOMAB',
    market: 'US',
    category: 'CBE-30',
  }),
  submission('RIM-5', 'Type IB variation: Immunomab in-process bioburden test', 'HA Approved', d('2026-01-31'), {
    applicationId: 'APP-MAA-IMMUNOMAB',
    productId: 'PRD-IMMUNOMAB',
    market: 'EU',
    category: 'EU-IB',
  }),
  submission('RIM-6', 'PMA 180-day supplement: HipStem porous coating process', 'Planned', d('2026-09-20'), {
    applicationId: 'APP-PMA-HIPSTEM',
    productId: 'PRD-HIPSTEM',
    market: 'US',
    category: 'PMA-180-DAY',
  }),
  commitment('RIM-7', 'Provide 3-month stability data for API made by the new route', 'In Progress', d('2026-06-04'), {
    market: 'US',
    applicationId: 'APP-NDA-CARDIOLOL',
    submissionKey: 'RIM-1',
    dueDate: '2026-09-30',
  }),
  commitment('RIM-8', 'Report EO residuals revalidation to the notified body', 'Open', d('2026-05-15'), {
    market: 'EU',
    applicationId: 'APP-CEMDR-GLUCOPEN',
    submissionKey: 'RIM-3',
    dueDate: '2027-03-31',
  }),
  commitment('RIM-9', 'Confirm the bioburden limit in the next annual update', 'Fulfilled', d('2026-03-01'), {
    market: 'EU',
    applicationId: 'APP-MAA-IMMUNOMAB',
    submissionKey: 'RIM-5',
    dueDate: '2026-08-31',
  }),
  correspondence('RIM-10', 'FDA information request on the Cardiolol API route PAS', 'Received', d('2026-10-15'), {
    authority: 'FDA',
    market: 'US',
    reference: 'IR-2026-0415',
    receivedDate: '2026-10-15',
    responseDueDate: '2027-01-15',
    applicationId: 'APP-NDA-CARDIOLOL',
  }),
  correspondence(
    'RIM-11',
    'Notified body query: EO residuals after the GlucoPen chamber change',
    'Received',
    d('2026-10-01'),
    {
      authority: 'TÜV SÜD (NB 0123)',
      market: 'EU',
      reference: 'NB-Q-2026-117',
      receivedDate: '2026-10-01',
      responseDueDate: '2026-10-30',
      applicationId: 'APP-CEMDR-GLUCOPEN',
    },
  ),
];

export const DEMO_LINKS: ReadonlyArray<{ type: string; from: string; to: string }> = [
  { type: 'Regulatory filing', from: 'QMS-5', to: 'RIM-1' },
  { type: 'Regulatory filing', from: 'QMS-5', to: 'RIM-2' },
  { type: 'Regulatory filing', from: 'QMS-6', to: 'RIM-3' },
  { type: 'Regulatory filing', from: 'QMS-9', to: 'RIM-4' },
  { type: 'Regulatory filing', from: 'QMS-9', to: 'RIM-5' },
  { type: 'Regulatory filing', from: 'QMS-11', to: 'RIM-6' },
  { type: 'Commitment', from: 'QMS-5', to: 'RIM-7' },
  { type: 'Commitment', from: 'QMS-6', to: 'RIM-8' },
  { type: 'Commitment', from: 'QMS-9', to: 'RIM-9' },
  { type: 'Relates', from: 'RIM-10', to: 'RIM-1' },
  { type: 'HA correspondence', from: 'QMS-5', to: 'RIM-10' },
  { type: 'Relates', from: 'RIM-11', to: 'RIM-3' },
  { type: 'HA correspondence', from: 'QMS-6', to: 'RIM-11' },
  { type: 'Relates', from: 'QMS-10', to: 'QMS-1' },
];

/** The statuses an issue passed through to reach `status`, in order, starting after the initial one. */
const stepsTo = (path: readonly string[], status: string): string[] => {
  if (status === 'Cancelled') return ['Cancelled'];
  const index = path.indexOf(status);
  if (index < 0) throw new Error(`demo seed: status '${status}' is not on the path ${path.join(' → ')}`);
  return path.slice(1, index + 1);
};

/** Records each status change as a changelog entry, `stepDays` apart, by its author. */
const seedStatusHistory = (
  jira: JiraStandIn,
  key: string,
  initial: string,
  steps: readonly string[],
  created: string,
  stepDays: number,
  author: (to: string) => string,
): void => {
  const statusIds = new Map(Object.values(jira.snapshot().statuses).map((s) => [s.name, s.id] as const));
  const id = (name: string): string => {
    const found = statusIds.get(name);
    if (!found) throw new Error(`demo seed: no status '${name}'`);
    return found;
  };
  let from = initial;
  steps.forEach((to, index) => {
    jira.seedHistory({
      issue: key,
      author: author(to),
      created: plusDays(created, (index + 1) * stepDays),
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: id(from),
          fromString: from,
          to: id(to),
          toString: to,
        },
      ],
    });
    from = to;
  });
};

const QMS_STEP_DAYS = 10;
const RIM_STEP_DAYS = 3;

/** What keep-linked-issues-consistent recorded on a record when its demo Submissions were approved (the entry into "HA Approved"). */
const demoApprovals = (recordKey: string): Approvals | undefined => {
  const approved = DEMO_LINKS.filter((l) => l.type === 'Regulatory filing' && l.from === recordKey)
    .map((l) => DEMO_RIM_ISSUES.find((i) => i.key === l.to))
    .filter((i): i is RimSpec => i?.type === 'Submission' && i.status === 'HA Approved');
  if (approved.length === 0) return undefined;
  const approvedAt = (issue: RimSpec) =>
    plusDays(issue.created, stepsTo(SUBMISSION_PATH, issue.status).length * RIM_STEP_DAYS);
  return ApprovalsSchema.parse(
    Object.fromEntries(
      approved.map((i) => [i.property?.value['market'], { submissionKey: i.key, approvedAt: approvedAt(i) }]),
    ),
  );
};

/**
 * The demo's decisions as the app signs them: each bound to what it signs (21 CFR 11.70), at the
 * record's version and the rules in force, so the panel shows them as valid signatures.
 */
const withBoundSignatures = (recordKey: string, impact: RegulatoryImpact): RegulatoryImpact => ({
  ...impact,
  decisions: impact.decisions.map((d) => {
    if (!d.decided) return d;
    const { signature: _signature, ...content } = d.decided;
    return {
      ...d,
      decided: {
        ...content,
        signature: bindSignature(recordKey, impact.version, RULES_VERSION, d.applicationId, content),
      },
    };
  }),
});

/** Seeds the demo site into an empty stand-in. Deterministic; issue keys are fixed. */
export const seedDemoJira = (jira: JiraStandIn): void => {
  seedQmsRimSite(jira);
  const restricted = DEMO_USERS.find((u) => u.role === 'restricted');
  if (!restricted) throw new Error('demo seed: no restricted user');
  jira.seedUser({
    accountId: restricted.accountId,
    email: restricted.email,
    displayName: restricted.displayName,
    timeZone: 'Europe/Berlin',
  });
  jira.grantPermissions({
    accountId: restricted.accountId,
    projectKey: 'QMS',
    permissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'LINK_ISSUES'],
  });
  jira.seedGroup({ name: SITE_GROUPS.qualityEngineers, members: [restricted.accountId] });
  jira.seedProjectRole({ name: 'Quality Engineers', actors: { QMS: [restricted.accountId] } });

  jira.seedCustomField({ id: ROOT_CAUSE_FIELD.id, name: ROOT_CAUSE_FIELD.name, type: 'string', ownedByApp: false });

  for (const record of DEMO_QMS_RECORDS) {
    const steps = stepsTo(QMS_PATH, record.status);
    // The app keeps the same value in its field and in the property mirror.
    // Jira holds the value without Submission keys; seedDemoStorage records the signed record with them.
    const impactValue = toImpactFieldValue(withBoundSignatures(record.key, record.impact));
    jira.seedIssue({
      project: 'QMS',
      key: record.key,
      issueType: record.type,
      summary: record.summary,
      description: record.description,
      status: record.status,
      reporter: SITE_ACCOUNTS.quality,
      assignee: SITE_ACCOUNTS.quality,
      created: record.created,
      updated: plusDays(record.created, steps.length * QMS_STEP_DAYS),
      customFields: {
        [REGULATORY_IMPACT_FIELD.id]: impactValue,
        ...(record.rootCause ? { [ROOT_CAUSE_FIELD.id]: record.rootCause } : {}),
      },
      properties: { [IMPACT_PROPERTY_KEY]: impactValue },
    });
    seedStatusHistory(
      jira,
      record.key,
      'Open',
      steps,
      record.created,
      QMS_STEP_DAYS,
      (to) => QMS_STEP_AUTHOR[to] ?? SITE_ACCOUNTS.quality,
    );
  }

  for (const issue of DEMO_RIM_ISSUES) {
    const path =
      issue.type === 'Submission'
        ? SUBMISSION_PATH
        : issue.type === 'Commitment'
          ? COMMITMENT_PATH
          : ['Received', 'Responded'];
    const steps = stepsTo(path, issue.status);
    jira.seedIssue({
      project: 'RIM',
      key: issue.key,
      issueType: issue.type,
      summary: issue.summary,
      status: issue.status,
      reporter: SITE_ACCOUNTS.regulatory,
      assignee: SITE_ACCOUNTS.regulatory,
      created: issue.created,
      updated: plusDays(issue.created, steps.length * RIM_STEP_DAYS),
      ...(issue.property ? { properties: { [issue.property.key]: issue.property.value } } : {}),
    });
    seedStatusHistory(
      jira,
      issue.key,
      path[0] ?? '',
      steps,
      issue.created,
      RIM_STEP_DAYS,
      () => SITE_ACCOUNTS.regulatory,
    );
  }

  for (const link of DEMO_LINKS) jira.seedLink(link);

  for (const gate of DEMO_GATES) {
    for (const issueType of gate.issueTypes) {
      jira.setTransitionValidators({
        projectKey: issueType === 'Submission' || issueType === 'Commitment' ? 'RIM' : 'QMS',
        issueType,
        transitionId: gate.transitionId,
        validators: gate.moduleKeys.map((moduleKey) => ({ moduleKey, configuration: {} })),
      });
    }
  }
};

/**
 * Who may sign in the demo, as Ada (the Jira admin) would choose on the admin page: the
 * regulatory reviewers' group (Rita and Ada); a record's reporter and assessors barred.
 */
export const DEMO_SIGNER_RULES: SignerRules = {
  groups: [SITE_GROUPS.regulatoryReviewers],
  projectRoles: [],
  barReporter: true,
  barAssessors: true,
};

/** Stores the demo registry and signing rules in app storage, through the app's own repositories, as the app. */
export const seedDemoStorage = async (runtime: InstalledForgeRuntime): Promise<void> => {
  await runtime.runAs({ moduleKey: 'sandbox-demo-seed' }, async () => {
    await saveRegistry(demoRegistry);
    await saveSignerRules({
      rules: DEMO_SIGNER_RULES,
      savedAt: DEMO_AS_OF,
      savedBy: { accountId: SITE_ACCOUNTS.admin, displayName: 'Ada Admin' },
    });
  });
  // The signed records as the app keeps them, with the Submission each decision is filed as
  // (Jira's copy leaves those keys out: people who may not browse RIM can read it).
  for (const record of DEMO_QMS_RECORDS) {
    if (record.impact.version > 0)
      recordSignedImpact(runtime.kvs, record.key, withBoundSignatures(record.key, record.impact), record.created);
  }
  // What the consistency trigger recorded when the demo's Submissions were approved.
  const approvals = DEMO_QMS_RECORDS.flatMap((record) => {
    const recorded = demoApprovals(record.key);
    return recorded ? [{ issueKey: record.key, approvals: recorded }] : [];
  });
  await runtime.runAs({ moduleKey: 'sandbox-demo-seed' }, () => saveApprovals(approvals));
};
