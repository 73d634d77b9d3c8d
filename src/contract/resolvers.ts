/**
 * Resolver keys → zod input and output schemas: the one contract between the Custom UI
 * bundles (static/) and their resolvers (src/entry/resolvers/). Both sides import this
 * module, so a change to a shape breaks the type check on both sides at once.
 * Keep it free of Node and @forge imports: Vite bundles it into the browser.
 */
import { z } from 'zod';
import { GateIdSchema, GateReasonCodeSchema } from '../domain/gates';
import { ReadinessDecisionSchema, ReadinessFigureSchema } from '../domain/readiness';
import { CORRESPONDENCE_CONTRACT, PanelCorrespondenceSchema } from './correspondence';
import { SIGNING_CONTRACT } from './signing';
import { SignatureCodeSchema } from '../domain/signing-credential';
import {
  AdminRegistrySchema,
  CatalogVersionSchema,
  RegistryExportSchema,
  RegistryImportInputSchema,
  RegistryImportResultSchema,
} from './admin-page';
import {
  AuditExportInputSchema,
  AuditExportSchema,
  AuditStatusSchema,
  AuditVerificationRunSchema,
  MappingSaveResultSchema,
  SignerRulesSaveResultSchema,
  SignerRulesViewSchema,
  SiteMappingSchema,
} from './admin-page';
import { GateConfigOptionsSchema } from './gate-config';
import { JiraConventionsSchema } from '../config/jira-conventions';
import {
  IndexAdminStatusSchema,
  MacroOptionsSchema,
  TraceabilityExportSchema,
  TraceabilityViewSchema,
  TraceExportRequestSchema,
} from './traceability';
import { TracePageRequestSchema } from '../domain/traceability-summary';
import {
  ApplicationDecisionSchema,
  IssueKeySchema,
  IssueStatusSchema,
  MarketSchema,
  QmsRecordKindSchema,
  RegistryIdSchema,
  RegulatoryImpactSchema,
  SubmissionStatusSchema,
  FilingCategorySchema,
  SignatureMeaningSchema,
  ApplicationTypeSchema,
  DateSchema,
  SignerSchema,
  InstantSchema,
} from '../domain/model';
import { QuestionSchema } from '../domain/catalog/schema';
import { RecordIntegritySchema, SignatureStateSchema } from '../domain/model';
import { AssessmentDraftSchema, ProposalSchema } from '../domain/propose-assessment.schema';
import { SignerRulesSchema, SigningVerdictSchema } from '../domain/signing-policy';

/** A decision as the viewer may see it: the Submission key only when the viewer can see that Submission. */
export const PanelDecisionSchema = ApplicationDecisionSchema.extend({
  /** A Submission is recorded for this decision, but it is in a project the viewer cannot browse. */
  submissionHidden: z.boolean(),
  /** For a decided application: whether the signature still binds exactly what was signed. */
  signatureState: SignatureStateSchema.optional(),
});
export type PanelDecision = z.infer<typeof PanelDecisionSchema>;

export const PanelImpactSchema = RegulatoryImpactSchema.extend({ decisions: z.array(PanelDecisionSchema).max(1000) });
export type PanelImpact = z.infer<typeof PanelImpactSchema>;

export const PanelSubmissionSchema = z.strictObject({
  key: IssueKeySchema,
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  category: FilingCategorySchema,
  status: SubmissionStatusSchema,
});
export type PanelSubmission = z.infer<typeof PanelSubmissionSchema>;

/** A health-authority approval of the record for one market, as the consistency trigger recorded it (`qmsrim.approvals`). */
export const PanelApprovalSchema = z.strictObject({
  market: MarketSchema,
  submissionKey: IssueKeySchema,
  approvedAt: InstantSchema,
});
export type PanelApproval = z.infer<typeof PanelApprovalSchema>;

export const PanelGateSchema = z.strictObject({
  gate: GateIdSchema,
  title: z.string().min(1),
  ok: z.boolean(),
  reasons: z.array(z.strictObject({ code: GateReasonCodeSchema, message: z.string().min(1) })),
});
export type PanelGate = z.infer<typeof PanelGateSchema>;

export const ImpactPanelSchema = z.discriminatedUnion('applies', [
  z.strictObject({
    applies: z.literal(true),
    issue: z.strictObject({
      key: IssueKeySchema,
      kind: QmsRecordKindSchema,
      summary: z.string(),
      status: IssueStatusSchema,
    }),
    /** The signed assessment, or the empty not-assessed value when nobody has assessed the record yet. */
    impact: PanelImpactSchema,
    /** Whether Jira's copy of the assessment still matches the signed record. */
    integrity: RecordIntegritySchema,
    /** Linked Submissions the viewer can see; those in projects they cannot browse are absent. */
    linkedSubmissions: z.array(PanelSubmissionSchema),
    /** Per market, the approved Submission and when; only approvals whose Submission the viewer can see. */
    approvals: z.array(PanelApprovalSchema),
    /** What blocks the next transition, computed from what the viewer can see. */
    gates: z.array(PanelGateSchema),
    /** Whether the viewer may sign this record's decisions under the app's signing rules, and if not, why. */
    signing: SigningVerdictSchema,
  }),
  /** The panel is on an issue that is not a QMS record (e.g. a Submission): nothing to assess. */
  z.strictObject({ applies: z.literal(false), issueKey: IssueKeySchema, message: z.string().min(1) }),
]);
export type ImpactPanel = z.infer<typeof ImpactPanelSchema>;

/** A linked quality record of a Submission, as the readiness panel shows it (only records the viewer can see). */
export const ReadinessPanelRecordSchema = z.strictObject({
  key: IssueKeySchema,
  kind: QmsRecordKindSchema,
  summary: z.string(),
  /** The regulatory impact value's `version`. */
  version: z.number().int().nonnegative(),
  status: IssueStatusSchema,
  /** Who moved the record into its approval status, and when (from the changelog). */
  approvedBy: z.string().optional(),
  approvedAt: z.iso.datetime({ offset: true }).optional(),
  /** The record's decision for the Submission's application, when it has one. */
  decision: ReadinessDecisionSchema.optional(),
  ready: z.boolean(),
  blockers: z.array(z.strictObject({ code: GateReasonCodeSchema, message: z.string().min(1) })),
});
export type ReadinessPanelRecord = z.infer<typeof ReadinessPanelRecordSchema>;

export const ReadinessPanelSchema = z.discriminatedUnion('applies', [
  z.strictObject({
    applies: z.literal(true),
    submission: PanelSubmissionSchema,
    figure: ReadinessFigureSchema,
    isReady: z.boolean(),
    records: z.array(ReadinessPanelRecordSchema),
    /** Linked records the viewer cannot see (or that no longer exist): counted, never named, never ready. */
    hiddenRecordCount: z.number().int().nonnegative(),
    blockers: z.array(z.strictObject({ code: GateReasonCodeSchema, message: z.string().min(1) })),
    /** Health-authority correspondence linked to the Submission (any link type), as far as the viewer may see it. */
    correspondence: z.array(PanelCorrespondenceSchema),
  }),
  /** The panel is on an issue that is not a Submission created by this app. */
  z.strictObject({ applies: z.literal(false), issueKey: IssueKeySchema, message: z.string().min(1) }),
]);
export type ReadinessPanel = z.infer<typeof ReadinessPanelSchema>;

export const EvidencePacketFormatSchema = z.enum(['json', 'csv', 'html']);
export type EvidencePacketFormat = z.infer<typeof EvidencePacketFormatSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

export const EvidencePacketFileSchema = z.strictObject({
  filename: z.string().min(1),
  mediaType: z.string().min(1),
  content: z.string(),
  manifest: z.strictObject({
    files: z
      .array(z.strictObject({ name: z.string().min(1), sha256: Sha256Schema, bytes: z.number().int().nonnegative() }))
      .min(1),
    /** SHA-256 of the packet's canonical JSON (src/domain/canonical.ts): the same for every format of one packet. */
    packetSha256: Sha256Schema,
  }),
});
export type EvidencePacketFile = z.infer<typeof EvidencePacketFileSchema>;

/** The impact value as a write answers it: Submission keys are not echoed (impact/get shows what the viewer may see). */
export const WrittenImpactSchema = RegulatoryImpactSchema.extend({
  decisions: z
    .array(ApplicationDecisionSchema.omit({ submissionKey: true }).extend({ hasSubmission: z.boolean() }))
    .max(1000),
});
export type WrittenImpact = z.infer<typeof WrittenImpactSchema>;

const ImpactVersionSchema = z.number().int().nonnegative();

export const SaveAssessmentInputSchema = AssessmentDraftSchema.extend({ version: ImpactVersionSchema });
export type SaveAssessmentInput = z.infer<typeof SaveAssessmentInputSchema>;

export const DecideInputSchema = z.strictObject({
  version: ImpactVersionSchema,
  applicationId: RegistryIdSchema,
  decision: z.enum(['accept', 'override']),
  category: FilingCategorySchema.optional(),
  rationale: z.string().max(4000),
  meaning: SignatureMeaningSchema,
  /** The signer's current authenticator code (21 CFR 11.200(a)): checked, and spent, before anything is written. */
  signatureCode: SignatureCodeSchema,
});
export type DecideInput = z.infer<typeof DecideInputSchema>;

export const HistoryEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  /** Who did it: for a signature, the signer's printed name. */
  who: z.string().min(1),
  action: z.string().min(1),
  /** What happened, in a sentence. */
  summary: z.string().min(1),
  applicationId: RegistryIdSchema.optional(),
  market: MarketSchema.optional(),
  decision: z.enum(['accept', 'override']).optional(),
  recommended: FilingCategorySchema.optional(),
  category: FilingCategorySchema.optional(),
  rationale: z.string().optional(),
  meaning: SignatureMeaningSchema.optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const SubmissionPlanInputSchema = z.strictObject({
  version: ImpactVersionSchema,
  applicationIds: z.array(RegistryIdSchema).min(1).max(50),
});

const NamedEntitySchema = z.strictObject({ id: RegistryIdSchema, name: z.string().min(1) });

/** What the assessment form picks from: the catalog's change codes and the registry. */
export const ImpactFormDataSchema = z.strictObject({
  rulesVersion: z.string().min(1),
  changeCodes: z.array(
    z.strictObject({ code: z.string().min(1), title: z.string().min(1), questions: z.array(QuestionSchema) }),
  ),
  products: z.array(NamedEntitySchema),
  sites: z.array(NamedEntitySchema),
  suppliers: z.array(NamedEntitySchema),
  markets: z.array(MarketSchema),
  applications: z.array(
    z.strictObject({
      id: RegistryIdSchema,
      productId: RegistryIdSchema,
      market: MarketSchema,
      type: ApplicationTypeSchema,
      number: z.string(),
    }),
  ),
  /** The filing categories an override may choose, per application type. */
  categoriesByType: z.record(ApplicationTypeSchema, z.array(FilingCategorySchema)),
  /** Whom a decision made here is signed by: the person's name as Jira shows it. */
  signer: SignerSchema,
});
export type ImpactFormData = z.infer<typeof ImpactFormDataSchema>;

export const AddCommitmentInputSchema = z.strictObject({
  title: z.string().trim().min(1, 'say what was committed').max(255),
  description: z.string().max(4000),
  market: MarketSchema,
  applicationId: RegistryIdSchema.optional(),
  dueDate: DateSchema,
});
export type AddCommitmentInput = z.infer<typeof AddCommitmentInputSchema>;

export const RestoreMirrorResultSchema = z.strictObject({
  restored: z.boolean(),
  version: z.number().int().nonnegative(),
});

export const RESOLVER_CONTRACT = {
  'impact/get': {
    /** Nothing: the issue comes from the server-side Forge context, never from the client. */
    input: z.strictObject({}),
    output: ImpactPanelSchema,
  },
  'impact/save-assessment': {
    /** The issue comes from the Forge context; `version` is the one the form was loaded with. */
    input: SaveAssessmentInputSchema,
    output: WrittenImpactSchema,
  },
  'impact/decide': {
    input: DecideInputSchema,
    output: WrittenImpactSchema,
  },
  'impact/history': {
    input: z.strictObject({}),
    /** Newest first. */
    output: z.array(HistoryEntrySchema),
  },
  'impact/form-data': { input: z.strictObject({}), output: ImpactFormDataSchema },
  /** Writes the signed record back over Jira's copy when it was changed outside the app; audited. */
  'impact/restore-mirror': { input: z.strictObject({}), output: RestoreMirrorResultSchema },
  'impact/propose': {
    /** The draft as the form holds it; nothing is written. */
    input: AssessmentDraftSchema,
    output: ProposalSchema,
  },
  'impact/add-commitment': {
    input: AddCommitmentInputSchema,
    output: z.strictObject({ key: IssueKeySchema }),
  },
  'impact/create-submission-plan': {
    input: SubmissionPlanInputSchema,
    output: z.strictObject({
      impact: WrittenImpactSchema,
      created: z.array(z.strictObject({ applicationId: RegistryIdSchema, key: IssueKeySchema })),
    }),
  },
  'readiness/get': {
    /** Nothing: the Submission comes from the server-side Forge context, never from the client. */
    input: z.strictObject({}),
    output: ReadinessPanelSchema,
  },
  'readiness/export': {
    input: z.strictObject({ format: EvidencePacketFormatSchema }),
    output: EvidencePacketFileSchema,
  },
  // Admin page (manifest: admin-page)
  'admin/registry/get': { input: z.strictObject({}), output: AdminRegistrySchema },
  'admin/registry/import': { input: RegistryImportInputSchema, output: RegistryImportResultSchema },
  'admin/registry/export': { input: z.strictObject({}), output: RegistryExportSchema },
  'admin/catalog/get': { input: z.strictObject({}), output: CatalogVersionSchema },
  'admin/mapping/get': { input: z.strictObject({}), output: SiteMappingSchema },
  'admin/mapping/save': {
    input: z.strictObject({ conventions: JiraConventionsSchema }),
    output: MappingSaveResultSchema,
  },
  'admin/audit/verify': { input: z.strictObject({}), output: AuditVerificationRunSchema },
  'admin/audit/status': { input: z.strictObject({}), output: AuditStatusSchema },
  'admin/audit/export': { input: AuditExportInputSchema, output: AuditExportSchema },
  'admin/mirror/restore': { input: z.strictObject({ issueKey: IssueKeySchema }), output: RestoreMirrorResultSchema },
  'admin/signers/get': { input: z.strictObject({}), output: SignerRulesViewSchema },
  'admin/signers/save': { input: z.strictObject({ rules: SignerRulesSchema }), output: SignerRulesSaveResultSchema },
  // Workflow validator configuration views (manifest: the five gate-* validators)
  'gate-config/options': { input: z.strictObject({}), output: GateConfigOptionsSchema },
  // Admin page: the traceability index (src/entry/resolvers/admin-index.ts)
  'admin/index/status': { input: z.strictObject({}), output: IndexAdminStatusSchema },
  'admin/index/rebuild': { input: z.strictObject({}), output: IndexAdminStatusSchema },
  'admin/index/check': { input: z.strictObject({}), output: IndexAdminStatusSchema },
  // Confluence macro (manifest: traceability-macro); its configuration comes from the Forge context
  'traceability/get': { input: TracePageRequestSchema, output: TraceabilityViewSchema },
  'traceability/export': { input: TraceExportRequestSchema, output: TraceabilityExportSchema },
  'traceability/options': { input: z.strictObject({}), output: MacroOptionsSchema },
  // Health-authority correspondence (src/contract/correspondence.ts)
  ...CORRESPONDENCE_CONTRACT,
  // Signing credentials (src/contract/signing.ts)
  ...SIGNING_CONTRACT,
} as const;

export type ResolverKey = keyof typeof RESOLVER_CONTRACT;
export type ResolverInput<K extends ResolverKey> = z.infer<(typeof RESOLVER_CONTRACT)[K]['input']>;
export type ResolverOutput<K extends ResolverKey> = z.infer<(typeof RESOLVER_CONTRACT)[K]['output']>;
