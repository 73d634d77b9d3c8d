/**
 * How the app finds its data in Jira: which issue types are QMS records of which kind,
 * which link types tie records to Submissions and Commitments, which statuses mean what,
 * and the issue entity properties the app keeps its values in. These are the defaults a
 * Jira admin starts from; the admin page maps them per site, stored in app storage and read
 * by every handler through `loadConventions()` (src/adapters/kvs/conventions-repository.ts).
 */
import { z } from 'zod';
import { QmsRecordKindSchema, SubmissionStatusSchema, CommitmentStatusSchema } from '../domain/model';
import { CorrespondenceStateSchema } from '../domain/correspondence';

/** Entity property mirroring the "Regulatory impact" field value, for validators and JQL. */
export const IMPACT_PROPERTY_KEY = 'qmsrim.impact';
/** Entity property on a Submission: which application, market and category it files. */
export const SUBMISSION_PROPERTY_KEY = 'qmsrim.submission';
/** Entity property on a Commitment: market, application, due date. */
export const COMMITMENT_PROPERTY_KEY = 'qmsrim.commitment';
/** Entity property on a QMS record: health-authority approvals per market (kept by a trigger). */
export const APPROVALS_PROPERTY_KEY = 'qmsrim.approvals';
/** Entity property on a Commitment past its due date (kept by the scheduled trigger). */
export const OVERDUE_PROPERTY_KEY = 'qmsrim.overdue';
/** Entity property on a health-authority correspondence: authority, market, reference, dates (src/domain/correspondence.ts). */
export const CORRESPONDENCE_PROPERTY_KEY = 'qmsrim.correspondence';

const ProjectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'must be a Jira project key such as QMS');

export const JiraConventionsSchema = z.strictObject({
  /** Projects whose issues of a mapped type are QMS records. */
  qmsProjectKeys: z.array(ProjectKeySchema).min(1, 'name at least one QMS project').max(50),
  /** The project Submissions and Commitments live in (and are created in). */
  rimProjectKey: ProjectKeySchema,
  qmsIssueTypes: z.record(z.string().min(1), QmsRecordKindSchema),
  submissionIssueType: z.string().min(1),
  commitmentIssueType: z.string().min(1),
  /** Link type between a QMS record (outward: "requires filing") and its Submission. */
  filingLinkType: z.string().min(1),
  /** Link type between a QMS record (outward: "implements") and a Commitment. */
  commitmentLinkType: z.string().min(1),
  /** Status names whose entry counts as the record's quality approval. */
  approvalStatusNames: z.array(z.string().min(1)).min(1),
  submissionStatuses: z.record(z.string().min(1), SubmissionStatusSchema),
  commitmentStatuses: z.record(z.string().min(1), CommitmentStatusSchema),
  /** Domain field name (as used by required-field rules, `fields.<name>`) → Jira field id. */
  recordFields: z.record(z.string().min(1), z.string().min(1)),
  // Defaults, so a mapping stored before correspondence existed still parses.
  correspondenceIssueType: z.string().min(1).default('Health Authority Correspondence'),
  /** Link type between a QMS record (outward: "answers") and the correspondence it answers. */
  correspondenceLinkType: z.string().min(1).default('HA correspondence'),
  correspondenceStatuses: z
    .record(z.string().min(1), CorrespondenceStateSchema)
    .default({ Received: 'awaiting-response', Responded: 'responded' }),
});
export type JiraConventions = z.infer<typeof JiraConventionsSchema>;

export const DEFAULT_JIRA_CONVENTIONS: JiraConventions = JiraConventionsSchema.parse({
  qmsProjectKeys: ['QMS'],
  rimProjectKey: 'RIM',
  qmsIssueTypes: {
    'Change Control': 'change-control',
    CAPA: 'capa',
    Deviation: 'deviation',
    Complaint: 'complaint',
    'Supplier Change': 'supplier-change',
    'Audit Finding': 'audit-finding',
  },
  submissionIssueType: 'Submission',
  commitmentIssueType: 'Commitment',
  filingLinkType: 'Regulatory filing',
  commitmentLinkType: 'Commitment',
  approvalStatusNames: ['Approved'],
  submissionStatuses: {
    Planned: 'planned',
    'In Preparation': 'in-preparation',
    'Ready to File': 'ready-to-file',
    Submitted: 'submitted',
    'HA Approved': 'approved',
    'HA Rejected': 'rejected',
    Withdrawn: 'withdrawn',
  },
  commitmentStatuses: { Open: 'open', 'In Progress': 'open', Fulfilled: 'fulfilled', Cancelled: 'cancelled' },
  recordFields: { rootCause: 'customfield_10060' },
});
