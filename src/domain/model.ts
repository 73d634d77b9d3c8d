/**
 * The shared language of the app: registry entities, QMS records, the regulatory
 * impact value stored on a QMS issue, Submissions and Commitments.
 * zod schemas are the single source of the types (`type X = z.infer<typeof XSchema>`).
 */
import { z } from 'zod';

/** Registry ids are short, stable, human-readable codes (e.g. `PRD-ASPIRIN-100`). */
export const RegistryIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');
export type RegistryId = z.infer<typeof RegistryIdSchema>;

/** A Jira issue key such as `QMS-12`. */
export const IssueKeySchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,19}-[1-9][0-9]{0,9}$/, 'must be a Jira issue key like QMS-12');
export type IssueKey = z.infer<typeof IssueKeySchema>;

/** ISO 8601 instant with offset, e.g. `2026-11-25T10:00:00.000Z`. */
export const InstantSchema = z.iso.datetime({ offset: true });
/** Calendar date `YYYY-MM-DD`. */
export const DateSchema = z.iso.date();

/** Markets are regulatory jurisdictions: `US`, `EU`, or another ISO 3166 alpha-2 code. */
export const MarketSchema = z.string().regex(/^[A-Z]{2}$/, 'must be a market code such as US or EU');
export type Market = z.infer<typeof MarketSchema>;

export const ProductClassSchema = z.enum(['drug', 'biologic', 'device']);
export type ProductClass = z.infer<typeof ProductClassSchema>;

export const ApplicationTypeSchema = z.enum([
  'NDA',
  'ANDA',
  'BLA',
  '510K',
  'PMA',
  'DE-NOVO',
  'MAA',
  'CE-MDR',
  'CE-MDD',
]);
export type ApplicationType = z.infer<typeof ApplicationTypeSchema>;

export const DeviceClassSchema = z.enum(['I', 'IIa', 'IIb', 'IIb-implantable', 'III']);
export type DeviceClass = z.infer<typeof DeviceClassSchema>;

export const ApplicationStatusSchema = z.enum(['approved', 'pending', 'suspended', 'withdrawn']);
export type ApplicationStatus = z.infer<typeof ApplicationStatusSchema>;

export const ProductSchema = z.strictObject({
  id: RegistryIdSchema,
  name: z.string().min(1).max(200),
  productClass: ProductClassSchema,
});
export type Product = z.infer<typeof ProductSchema>;

export const SiteSchema = z.strictObject({
  id: RegistryIdSchema,
  name: z.string().min(1).max(200),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
export type Site = z.infer<typeof SiteSchema>;

export const SupplierSchema = z.strictObject({
  id: RegistryIdSchema,
  name: z.string().min(1).max(200),
});
export type Supplier = z.infer<typeof SupplierSchema>;

/** A marketing authorisation (NDA, BLA, 510(k), PMA, MAA, CE certificate ...) for one product in one market. */
export const ApplicationSchema = z
  .strictObject({
    id: RegistryIdSchema,
    productId: RegistryIdSchema,
    market: MarketSchema,
    type: ApplicationTypeSchema,
    number: z.string().min(1).max(64),
    status: ApplicationStatusSchema,
    deviceClass: DeviceClassSchema.optional(),
    siteIds: z.array(RegistryIdSchema).max(200),
    supplierIds: z.array(RegistryIdSchema).max(200),
    /** Date of the last clearance/approval; letter-to-file decisions are counted from here. */
    lastClearanceDate: DateSchema.optional(),
  })
  .superRefine((app, ctx) => {
    const isDevice = ['510K', 'PMA', 'DE-NOVO', 'CE-MDR', 'CE-MDD'].includes(app.type);
    if (!isDevice && app.deviceClass !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['deviceClass'], message: `a ${app.type} application has no device class` });
    }
  });
export type Application = z.infer<typeof ApplicationSchema>;

export const RegistrySchema = z
  .strictObject({
    products: z.array(ProductSchema),
    sites: z.array(SiteSchema),
    suppliers: z.array(SupplierSchema),
    applications: z.array(ApplicationSchema),
  })
  .superRefine((reg, ctx) => {
    const seen = (kind: 'products' | 'sites' | 'suppliers' | 'applications') => {
      const ids = new Set<string>();
      reg[kind].forEach((e, i) => {
        if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: [kind, i, 'id'], message: `duplicate id ${e.id}` });
        ids.add(e.id);
      });
      return ids;
    };
    const products = seen('products');
    const sites = seen('sites');
    const suppliers = seen('suppliers');
    seen('applications');
    reg.applications.forEach((a, i) => {
      if (!products.has(a.productId))
        ctx.addIssue({
          code: 'custom',
          path: ['applications', i, 'productId'],
          message: `unknown product ${a.productId}`,
        });
      a.siteIds.forEach((s, j) => {
        if (!sites.has(s))
          ctx.addIssue({ code: 'custom', path: ['applications', i, 'siteIds', j], message: `unknown site ${s}` });
      });
      a.supplierIds.forEach((s, j) => {
        if (!suppliers.has(s))
          ctx.addIssue({
            code: 'custom',
            path: ['applications', i, 'supplierIds', j],
            message: `unknown supplier ${s}`,
          });
      });
    });
  });
export type Registry = z.infer<typeof RegistrySchema>;

export const QmsRecordKindSchema = z.enum([
  'change-control',
  'capa',
  'deviation',
  'complaint',
  'supplier-change',
  'audit-finding',
]);
export type QmsRecordKind = z.infer<typeof QmsRecordKindSchema>;

/** Every category identifier of `filing-rules.md`, plus REVIEW-REQUIRED. */
export const FilingCategorySchema = z.enum([
  'PAS',
  'CBE-30',
  'CBE-0',
  'AR',
  'NEW-510K',
  'LETTER-TO-FILE',
  'PMA-PANEL-TRACK',
  'PMA-180-DAY',
  'PMA-REAL-TIME',
  'PMA-SPECIAL-CBE',
  'PMA-30-DAY-NOTICE',
  'PMA-PERIODIC-REPORT',
  'EU-EXTENSION',
  'EU-II',
  'EU-IB',
  'EU-IAIN',
  'EU-IA',
  'NB-PRIOR-APPROVAL',
  'NB-NOTIFICATION',
  'MDR-SIGNIFICANT-CHANGE',
  'NONE',
  'REVIEW-REQUIRED',
]);
export type FilingCategory = z.infer<typeof FilingCategorySchema>;

export const AnswerSchema = z.union([z.boolean(), z.string().max(2000)]);
export type Answer = z.infer<typeof AnswerSchema>;

export const ChangeSchema = z.strictObject({
  code: z.string().min(1).max(100),
  answers: z.record(z.string().min(1).max(100), AnswerSchema).optional(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const ImpactStatusSchema = z.enum(['not-assessed', 'in-assessment', 'no-filing', 'filing-required']);
export type ImpactStatus = z.infer<typeof ImpactStatusSchema>;

export const RecommendationSchema = z.strictObject({
  category: FilingCategorySchema,
  citations: z.array(z.string().min(1)),
  rationale: z.string().min(1),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const SignerSchema = z.strictObject({
  accountId: z.string().min(1).max(128),
  displayName: z.string().min(1).max(200),
});
export type Signer = z.infer<typeof SignerSchema>;

/** 21 CFR 11.50: the printed name of the signer, the date and time, and the meaning of the signature. */
export const SignatureMeaningSchema = z.enum(['review', 'approval', 'responsibility']);

export type SignatureMeaning = z.infer<typeof SignatureMeaningSchema>;

/**
 * `valid`: the decision is exactly what was signed. `void`: something it was bound to changed
 * after signing ("void: changed after signing"); gates treat it as unsigned. `unbound`: a
 * decision recorded before signatures were bound to their content (shown as such).
 */
export const SignatureStateSchema = z.enum(['valid', 'void', 'unbound']);
export type SignatureState = z.infer<typeof SignatureStateSchema>;

/** A decision's signature state as the server found it: `record.voidSignatures` lists the void ones (src/domain/signed-record.ts checks them). */
export const signatureStateIn = (
  record: { voidSignatures?: readonly string[] | undefined },
  decision: { applicationId: string; decided?: { signature?: unknown } | undefined },
): SignatureState | undefined => {
  if (decision.decided === undefined) return undefined;
  if (record.voidSignatures?.includes(decision.applicationId) === true) return 'void';
  return decision.decided.signature === undefined ? 'unbound' : 'valid';
};

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256 digest');

/**
 * 21 CFR 11.70: what a signature is bound to. `sha256` covers the record key and the version the
 * decision was signed at, the application, the category, the rationale, the meaning, the rules
 * version, the signer and the time (src/domain/signed-record.ts `signatureDigestOf`); a change to
 * any of them afterwards voids the signature.
 */
export const SignatureBindingSchema = z.strictObject({
  recordKey: IssueKeySchema,
  recordVersion: z.number().int().min(1),
  rulesVersion: z.string().min(1).max(40),
  sha256: Sha256HexSchema,
});
export type SignatureBinding = z.infer<typeof SignatureBindingSchema>;

export const ReviewerDecisionSchema = z.strictObject({
  category: FilingCategorySchema.exclude(['REVIEW-REQUIRED']),
  rationale: z.string().trim().min(1, 'a rationale is required').max(4000),
  by: SignerSchema,
  at: InstantSchema,
  meaning: SignatureMeaningSchema,
  /** Absent only on decisions recorded before signatures were bound (shown as such). */
  signature: SignatureBindingSchema.optional(),
});
export type ReviewerDecision = z.infer<typeof ReviewerDecisionSchema>;

export const ApplicationDecisionSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  recommended: RecommendationSchema,
  decided: ReviewerDecisionSchema.optional(),
  submissionKey: IssueKeySchema.optional(),
});
export type ApplicationDecision = z.infer<typeof ApplicationDecisionSchema>;

export const AffectedSchema = z.strictObject({
  productIds: z.array(RegistryIdSchema).max(500),
  siteIds: z.array(RegistryIdSchema).max(500),
  supplierIds: z.array(RegistryIdSchema).max(500),
  markets: z.array(MarketSchema).max(100),
  applicationIds: z.array(RegistryIdSchema).max(1000),
});
export type Affected = z.infer<typeof AffectedSchema>;

/** The value of the "Regulatory impact" custom field on a QMS issue. */
export const RegulatoryImpactSchema = z.strictObject({
  status: ImpactStatusSchema,
  changes: z.array(ChangeSchema).max(50),
  affected: AffectedSchema,
  decisions: z.array(ApplicationDecisionSchema).max(1000),
  /** Optimistic-concurrency version; incremented by every save. */
  version: z.number().int().nonnegative(),
  /** Who saved the assessment, each once, oldest first (segregation of duties: an assessor may be barred from signing). */
  assessedBy: z.array(SignerSchema).max(50).optional(),
});
export type RegulatoryImpact = z.infer<typeof RegulatoryImpactSchema>;

export const emptyImpact = (): RegulatoryImpact => ({
  status: 'not-assessed',
  changes: [],
  affected: { productIds: [], siteIds: [], supplierIds: [], markets: [], applicationIds: [] },
  decisions: [],
  version: 0,
});

/**
 * Jira's copy of a record's assessment against the signed record (src/domain/signed-record.ts).
 * `altered`: Jira holds something the app did not record: `different` values, a copy `deleted`,
 * one that is `unreadable`, or an assessment the app never signed (`unsigned`).
 */
export const RecordIntegritySchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('intact') }),
  z.strictObject({
    state: z.literal('altered'),
    how: z.enum(['different', 'deleted', 'unreadable', 'unsigned']),
    /** What Jira's copy says that the signed record does not, in words, at most 20. */
    differences: z.array(z.string().min(1).max(500)).max(20),
    /** From Jira's changelog of the field, when it shows who changed it (property changes leave no history). */
    changedAt: InstantSchema.optional(),
    changedBy: z.string().min(1).max(200).optional(),
  }),
]);
export type RecordIntegrity = z.infer<typeof RecordIntegritySchema>;

/** Jira status categories, which every workflow maps its statuses onto. */
export const StatusCategorySchema = z.enum(['new', 'indeterminate', 'done']);
export type StatusCategory = z.infer<typeof StatusCategorySchema>;

export const IssueStatusSchema = z.strictObject({
  name: z.string().min(1),
  category: StatusCategorySchema,
});
export type IssueStatus = z.infer<typeof IssueStatusSchema>;

/** A QMS issue as the domain sees it: what the gates, readiness and traceability need. */
export const QmsRecordSchema = z.strictObject({
  key: IssueKeySchema,
  kind: QmsRecordKindSchema,
  summary: z.string(),
  status: IssueStatusSchema,
  /** Whether the record's quality approval is done (closed/approved). */
  approval: z.strictObject({ by: z.string(), at: InstantSchema }).optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
  impact: RegulatoryImpactSchema,
  /** When the issue was created; the traceability view's date range filters on it. */
  createdAt: InstantSchema.optional(),
  closedAt: InstantSchema.optional(),
  /** Who raised the record in Jira (its reporter, and its creator): segregation of duties may bar them from signing its decisions. */
  reporterAccountId: z.string().min(1).max(128).optional(),
  creatorAccountId: z.string().min(1).max(128).optional(),
  /**
   * Whether Jira's copy of the assessment (the `qmsrim.impact` property) matches the signed
   * record in app storage. `impact` is always the signed record; absent means not checked
   * (pure-domain callers), which the readers never leave it.
   */
  integrity: RecordIntegritySchema.optional(),
  /** Applications whose signed decision no longer matches its signature (checked on the server); gates count them unsigned. */
  voidSignatures: z.array(RegistryIdSchema).max(1000).optional(),
});
export type QmsRecord = z.infer<typeof QmsRecordSchema>;

export const SubmissionStatusSchema = z.enum([
  'planned',
  'in-preparation',
  'ready-to-file',
  'submitted',
  'approved',
  'rejected',
  'withdrawn',
]);
export type SubmissionStatus = z.infer<typeof SubmissionStatusSchema>;

export const SubmissionSchema = z.strictObject({
  key: IssueKeySchema,
  applicationId: RegistryIdSchema,
  productId: RegistryIdSchema,
  market: MarketSchema,
  category: FilingCategorySchema,
  status: SubmissionStatusSchema,
  /** QMS records this submission files for (links of type "Regulatory filing"). */
  recordKeys: z.array(IssueKeySchema),
  submittedAt: InstantSchema.optional(),
  approvedAt: InstantSchema.optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export const CommitmentStatusSchema = z.enum(['open', 'fulfilled', 'cancelled']);
export type CommitmentStatus = z.infer<typeof CommitmentStatusSchema>;

export const CommitmentSchema = z.strictObject({
  key: IssueKeySchema,
  title: z.string().min(1).max(500),
  market: MarketSchema,
  applicationId: RegistryIdSchema.optional(),
  submissionKey: IssueKeySchema.optional(),
  dueDate: DateSchema,
  status: CommitmentStatusSchema,
  /** QMS records that implement this commitment (links of type "Commitment"). */
  implementedBy: z.array(IssueKeySchema),
});
export type Commitment = z.infer<typeof CommitmentSchema>;
