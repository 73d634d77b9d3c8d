/**
 * The traceability benchmark's site: 10,000 quality records, 1,000 Submissions and 2,000
 * Commitments on the demo registry, seeded straight into the Jira stand-in (no events, no
 * metrics), deterministic. The mix is what a mid-size regulated company's site looks like:
 *
 * - records of all six kinds, created over three years, in every workflow state; 15 % not
 *   assessed, 5 % in assessment, 30 % no filing (in-house decisions), 50 % filing required
 *   with a decided filing category on a Submission they are linked to ("Regulatory filing",
 *   five records per Submission) and a second affected application of the same product;
 * - Submissions in every state, on every application of the registry, each with its
 *   `qmsrim.submission` property; approved ones carry their approval in the changelog;
 * - Commitments on those Submissions, due from 2025 to 2027 (so some are overdue), every
 *   second one implemented by one of the Submission's records ("Commitment" link).
 *
 * Records approved or beyond carry the status change into "Approved" in their changelog, as
 * the app reads a record's quality approval from there.
 */
import type { JiraStandIn } from '../sandbox/jira';
import { SITE_ACCOUNTS } from '../sandbox/jira';
import {
  COMMITMENT_PROPERTY_KEY,
  DEFAULT_JIRA_CONVENTIONS,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../src/config/jira-conventions';
import { IN_HOUSE_CATEGORIES, categoriesFor } from '../src/domain/categories';
import { toImpactFieldValue } from '../src/domain/impact-field-value';
import type { Application, ApplicationDecision, FilingCategory, RegulatoryImpact, Registry } from '../src/domain/model';

export interface ScenarioSize {
  records: number;
  submissions: number;
  commitments: number;
}

export const MACRO_SCENARIO: ScenarioSize = { records: 10_000, submissions: 1_000, commitments: 2_000 };

export interface Scenario {
  size: ScenarioSize;
  recordKeys: string[];
  submissionKeys: string[];
  commitmentKeys: string[];
  /** A record with a decided filing on a Submission, and that Submission: the trigger events' subjects. */
  filingRecordKey: string;
  filingSubmissionKey: string;
}

const QMS_TYPES = Object.keys(DEFAULT_JIRA_CONVENTIONS.qmsIssueTypes);
// Weighted toward open work, as on a real site; "Approved" and later carry an approval history entry.
const QMS_STATUSES = [
  'Open',
  'Open',
  'In Assessment',
  'In Assessment',
  'Under Review',
  'Approved',
  'Implemented',
  'Closed',
  'Closed',
  'Closed',
] as const;
const APPROVED_OR_LATER = new Set(['Approved', 'Implemented', 'Closed']);
const SUBMISSION_STATUSES = [
  'Planned',
  'In Preparation',
  'Ready to File',
  'Submitted',
  'Submitted',
  'HA Approved',
  'HA Approved',
  'HA Approved',
  'HA Rejected',
  'Withdrawn',
] as const;
const COMMITMENT_STATUSES = ['Open', 'Open', 'In Progress', 'Fulfilled', 'Fulfilled', 'Cancelled'] as const;

const DAY_MS = 24 * 3600 * 1000;
const START = Date.parse('2024-01-01T09:00:00.000Z');
const SIGNER = { accountId: SITE_ACCOUNTS.regulatory, displayName: 'Rita Regulatory' };

const at = (ms: number): string => new Date(ms).toISOString();
const pick = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('bench scenario: empty list');
  return item;
};

type Decidable = Exclude<FilingCategory, 'REVIEW-REQUIRED'>;
const decidable = (c: FilingCategory): c is Decidable => c !== 'REVIEW-REQUIRED';
const filingCategories = (application: Application): Decidable[] =>
  categoriesFor(application.type)
    .filter(decidable)
    .filter((c) => !IN_HOUSE_CATEGORIES.has(c));
const inHouseCategories = (application: Application): Decidable[] =>
  categoriesFor(application.type)
    .filter(decidable)
    .filter((c) => IN_HOUSE_CATEGORIES.has(c));

const decision = (
  application: Application,
  category: Decidable,
  decidedAtMs: number | undefined,
  submissionKey?: string,
): ApplicationDecision => ({
  applicationId: application.id,
  market: application.market,
  recommended: {
    category,
    citations: ['bench scenario'],
    rationale: 'Recommended by the catalog for the bench scenario.',
  },
  ...(decidedAtMs === undefined
    ? {}
    : {
        decided: {
          category,
          rationale: 'Agreed with the recommendation.',
          by: SIGNER,
          at: at(decidedAtMs),
          meaning: 'approval' as const,
        },
      }),
  ...(submissionKey === undefined ? {} : { submissionKey }),
});

export const seedTraceabilityScenario = (
  jira: JiraStandIn,
  registry: Registry,
  size: ScenarioSize = MACRO_SCENARIO,
): Scenario => {
  const statusIds = new Map(Object.values(jira.snapshot().statuses).map((s) => [s.name, s.id] as const));
  const statusId = (name: string): string => {
    const id = statusIds.get(name);
    if (id === undefined) throw new Error(`bench scenario: no status '${name}'`);
    return id;
  };
  const enteredStatus = (key: string, from: string, to: string, when: number, author: string): void => {
    jira.seedHistory({
      issue: key,
      author,
      created: at(when),
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: statusId(from),
          fromString: from,
          to: statusId(to),
          toString: to,
        },
      ],
    });
  };
  const applications = registry.applications;
  const siblingOf = (application: Application): Application | undefined =>
    applications.find((a) => a.productId === application.productId && a.id !== application.id);

  const submissions = Array.from({ length: size.submissions }, (_, i) => {
    const application = pick(applications, i);
    const category = pick(filingCategories(application), Math.floor(i / applications.length));
    const status = pick(SUBMISSION_STATUSES, i);
    const created = START + (i * 1000 * DAY_MS) / size.submissions;
    const { key } = jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      summary: `${category} for ${application.number} (bench ${i})`,
      status,
      reporter: SITE_ACCOUNTS.regulatory,
      created: at(created),
      properties: {
        [SUBMISSION_PROPERTY_KEY]: {
          applicationId: application.id,
          productId: application.productId,
          market: application.market,
          category,
        },
      },
    });
    if (status === 'HA Approved')
      enteredStatus(key, 'Submitted', status, created + 90 * DAY_MS, SITE_ACCOUNTS.regulatory);
    return { key, application, category };
  });

  const recordKeys: string[] = [];
  const filingRecordsOf = new Map<string, string[]>();
  for (let j = 0; j < size.records; j++) {
    const created = START + (j * 1000 * DAY_MS) / size.records;
    const status = pick(QMS_STATUSES, j);
    const band = j % 20;
    let impact: RegulatoryImpact | undefined;
    let linkTo: string | undefined;
    if (band >= 3) {
      const filing = band >= 10;
      const submission = pick(submissions, j);
      const application = filing ? submission.application : pick(applications, j);
      const sibling = siblingOf(application);
      const decidedAt = band === 3 ? undefined : created + 5 * DAY_MS;
      const first = filing
        ? decision(application, submission.category, decidedAt, submission.key)
        : decision(application, pick(inHouseCategories(application), j), decidedAt);
      const second = sibling === undefined ? [] : [decision(sibling, pick(inHouseCategories(sibling), j), decidedAt)];
      const affected = [application, ...(sibling ? [sibling] : [])];
      impact = {
        status: band === 3 ? 'in-assessment' : filing ? 'filing-required' : 'no-filing',
        changes: [{ code: 'process.other', answers: {} }],
        affected: {
          productIds: [application.productId],
          siteIds: application.siteIds.slice(0, 1),
          supplierIds: [],
          markets: [...new Set(affected.map((a) => a.market))].sort(),
          applicationIds: affected.map((a) => a.id).sort(),
        },
        decisions: [first, ...second],
        version: 2,
      };
      if (filing) linkTo = submission.key;
    }
    const { key } = jira.seedIssue({
      project: 'QMS',
      issueType: pick(QMS_TYPES, j),
      summary: `Bench quality record ${j}`,
      status,
      reporter: SITE_ACCOUNTS.quality,
      created: at(created),
      ...(impact ? { properties: { [IMPACT_PROPERTY_KEY]: toImpactFieldValue(impact) } } : {}),
    });
    if (APPROVED_OR_LATER.has(status))
      enteredStatus(key, 'Under Review', 'Approved', created + 20 * DAY_MS, SITE_ACCOUNTS.admin);
    if (linkTo !== undefined) {
      jira.seedLink({ type: DEFAULT_JIRA_CONVENTIONS.filingLinkType, from: key, to: linkTo });
      filingRecordsOf.set(linkTo, [...(filingRecordsOf.get(linkTo) ?? []), key]);
    }
    recordKeys.push(key);
  }

  const commitmentKeys: string[] = [];
  for (let c = 0; c < size.commitments; c++) {
    const submission = pick(submissions, c);
    const due = at(Date.parse('2025-01-15T00:00:00.000Z') + (c * 900 * DAY_MS) / size.commitments).slice(0, 10);
    const { key } = jira.seedIssue({
      project: 'RIM',
      issueType: 'Commitment',
      summary: `Post-approval commitment ${c} on ${submission.key}`,
      status: pick(COMMITMENT_STATUSES, c),
      reporter: SITE_ACCOUNTS.regulatory,
      properties: {
        [COMMITMENT_PROPERTY_KEY]: {
          market: submission.application.market,
          applicationId: submission.application.id,
          submissionKey: submission.key,
          dueDate: due,
        },
      },
    });
    const implementer = filingRecordsOf.get(submission.key)?.[0];
    if (c % 2 === 0 && implementer !== undefined)
      jira.seedLink({ type: DEFAULT_JIRA_CONVENTIONS.commitmentLinkType, from: implementer, to: key });
    commitmentKeys.push(key);
  }

  const [filingSubmissionKey, filingRecords] = [...filingRecordsOf.entries()][0] ?? [];
  const filingRecordKey = filingRecords?.[0];
  if (filingSubmissionKey === undefined || filingRecordKey === undefined)
    throw new Error('bench scenario: too small to have a record filed on a Submission');
  return {
    size,
    recordKeys,
    submissionKeys: submissions.map((s) => s.key),
    commitmentKeys,
    filingRecordKey,
    filingSubmissionKey,
  };
};
