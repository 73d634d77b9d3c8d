/**
 * Shapes of the admin page's resolver keys (manifest: admin-page), referenced from
 * RESOLVER_CONTRACT in ./resolvers.ts. Browser-safe: no Node or @forge imports.
 */
import { z } from 'zod';
import { ChainBreakReasonSchema } from '../domain/audit-break-reasons';
import { JiraConventionsSchema } from '../config/jira-conventions';
import { RegistrySchema, SignerSchema } from '../domain/model';
import { SignerRulesSchema } from '../domain/signing-policy';

/** Largest CSV the import accepts, in UTF-16 code units of the string (about 400 KB of text). */
export const MAX_REGISTRY_CSV_CHARS = 400 * 1024;

/** At most this many per-line errors are sent back; `errorCount` says how many there were. */
export const MAX_REPORTED_CSV_ERRORS = 500;

export const RegistryCountsSchema = z.strictObject({
  products: z.number().int().nonnegative(),
  sites: z.number().int().nonnegative(),
  suppliers: z.number().int().nonnegative(),
  applications: z.number().int().nonnegative(),
});
export type RegistryCounts = z.infer<typeof RegistryCountsSchema>;

export const CsvLineErrorSchema = z.strictObject({
  line: z.number().int().positive(),
  column: z.string().optional(),
  message: z.string().min(1),
});
export type CsvLineError = z.infer<typeof CsvLineErrorSchema>;

export const AdminRegistrySchema = z.strictObject({
  /** False when nothing has been saved yet (the registry shown is then empty). */
  stored: z.boolean(),
  registry: RegistrySchema,
});
export type AdminRegistry = z.infer<typeof AdminRegistrySchema>;

export const RegistryImportInputSchema = z.strictObject({
  csv: z.string().min(1).max(MAX_REGISTRY_CSV_CHARS, `must be at most ${MAX_REGISTRY_CSV_CHARS} characters (400 KB)`),
});

export const RegistryImportResultSchema = z.union([
  /** The registry was replaced, in one storage write, by the file's contents. */
  z.strictObject({ imported: RegistryCountsSchema }),
  /** The file has errors: nothing was written. */
  z.strictObject({
    imported: z.literal(false),
    message: z.string().min(1),
    errorCount: z.number().int().positive(),
    errors: z.array(CsvLineErrorSchema).min(1).max(MAX_REPORTED_CSV_ERRORS),
  }),
]);
export type RegistryImportResult = z.infer<typeof RegistryImportResultSchema>;

export const RegistryExportSchema = z.strictObject({
  filename: z.string().min(1),
  mediaType: z.literal('text/csv;charset=utf-8'),
  /** The CSV, starting with a UTF-8 byte-order mark so spreadsheet tools read it as UTF-8. */
  content: z.string(),
});
export type RegistryExport = z.infer<typeof RegistryExportSchema>;

export const CatalogVersionSchema = z.strictObject({
  rulesVersion: z.string().min(1),
  catalogDigest: z.string().regex(/^[0-9a-f]{64}$/),
  codes: z.number().int().nonnegative(),
  appVersion: z.string().min(1).optional(),
});
export type CatalogVersion = z.infer<typeof CatalogVersionSchema>;

/** What Jira has, as the admin sees it: the choices the mapping form offers. */
export const SiteConfigurationSchema = z.strictObject({
  projects: z.array(
    z.strictObject({
      id: z.string().min(1),
      key: z.string().min(1),
      name: z.string().min(1),
      issueTypes: z.array(z.string().min(1)),
    }),
  ),
  statuses: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      category: z.enum(['new', 'indeterminate', 'done', 'undefined']),
    }),
  ),
  linkTypes: z.array(
    z.strictObject({ name: z.string().min(1), inward: z.string().min(1), outward: z.string().min(1) }),
  ),
});
export type SiteConfiguration = z.infer<typeof SiteConfigurationSchema>;

export const SiteMappingSchema = z.strictObject({
  /** False while the site runs on the app's default mapping. */
  stored: z.boolean(),
  conventions: JiraConventionsSchema,
  savedAt: z.iso.datetime({ offset: true }).optional(),
  savedBy: SignerSchema.optional(),
  site: SiteConfigurationSchema,
});
export type SiteMapping = z.infer<typeof SiteMappingSchema>;

export const MappingProblemSchema = z.strictObject({
  /** Where in the mapping, e.g. `qmsIssueTypes.CAPA` or `rimProjectKey`. */
  path: z.string().min(1),
  message: z.string().min(1),
});
export type MappingProblem = z.infer<typeof MappingProblemSchema>;

export const MappingSaveResultSchema = z.union([
  z.strictObject({ saved: z.literal(true), savedAt: z.iso.datetime({ offset: true }), savedBy: SignerSchema }),
  /** The mapping names something Jira does not have (or the admin cannot see): nothing was saved. */
  z.strictObject({
    saved: z.literal(false),
    message: z.string().min(1),
    problems: z.array(MappingProblemSchema).min(1),
  }),
]);
export type MappingSaveResult = z.infer<typeof MappingSaveResultSchema>;

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** Why the audit trail does not verify: the chain's own reasons, and the storage's (an entry no longer parses, the per-record index disagrees). */
export const AuditBreakReasonSchema = z.enum([...ChainBreakReasonSchema.options, 'unreadable', 'index-mismatch']);

export const AuditVerificationSchema = z.discriminatedUnion('intact', [
  z.strictObject({
    intact: z.literal(true),
    entries: z.number().int().nonnegative(),
    /** The recorded head (absent while the trail is empty). */
    head: z.strictObject({ seq: z.number().int().min(1), hash: Sha256HexSchema }).optional(),
    /** The first entry the audit key (HMAC) covers; entries before it carry a plain SHA-256 from before the key existed. */
    keyedSince: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    intact: z.literal(false),
    entries: z.number().int().nonnegative(),
    firstBroken: z.strictObject({
      seq: z.number().int().min(1),
      reason: AuditBreakReasonSchema,
      message: z.string().min(1),
    }),
  }),
]);
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

/** "Who may sign": the rules in force, who saved them, and what the admin can choose from (as Jira lists it to them). */
export const SignerRulesViewSchema = z.strictObject({
  rules: SignerRulesSchema,
  /** False while no admin has saved rules: the defaults (nobody may sign) are in force. */
  stored: z.boolean(),
  savedAt: z.iso.datetime({ offset: true }).optional(),
  savedBy: SignerSchema.optional(),
  choices: z.strictObject({
    groups: z.array(z.string().min(1)),
    /** False when the site has more groups than the page lists. */
    groupsComplete: z.boolean(),
    projectRoles: z.array(z.string().min(1)),
  }),
});
export type SignerRulesView = z.infer<typeof SignerRulesViewSchema>;

export const SignerRulesSaveResultSchema = z.strictObject({
  rules: SignerRulesSchema,
  savedAt: z.iso.datetime({ offset: true }),
  savedBy: SignerSchema,
  /** The audit entry that records the change. */
  auditSeq: z.number().int().min(1),
});
export type SignerRulesSaveResult = z.infer<typeof SignerRulesSaveResultSchema>;

/** One verification as recorded in app storage: when, by the daily check or by which admin, and what it found. */
/** A quality record whose Jira copy of the assessment no longer matches its signed record, as the traceability index last saw it. */
export const AlteredCopySchema = z.strictObject({
  issueKey: z.string().min(1),
  how: z.enum(['different', 'deleted', 'unreadable', 'unsigned']),
  changedAt: z.iso.datetime({ offset: true }).optional(),
  changedBy: z.string().optional(),
});
export type AlteredCopy = z.infer<typeof AlteredCopySchema>;

export const AuditVerificationRunSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  trigger: z.enum(['daily', 'admin']),
  by: SignerSchema.optional(),
  result: AuditVerificationSchema,
  /** The records whose Jira copy disagrees with the signed record (a signed decision shown in Jira that the trail does not hold). */
  alteredCopies: z.array(AlteredCopySchema).max(1000).optional(),
});
export type AuditVerificationRun = z.infer<typeof AuditVerificationRunSchema>;

export const AuditStatusSchema = z.strictObject({
  /** The last verification, daily or by an admin; absent before the first. */
  last: AuditVerificationRunSchema.optional(),
});
export type AuditStatus = z.infer<typeof AuditStatusSchema>;

/** The longest date range one export covers, in days (inclusive of both ends). */
export const MAX_AUDIT_EXPORT_DAYS = 366;
/** Forge answers an invoke with at most 5 MB; an export larger than this is refused with a narrower range asked for. */
export const MAX_AUDIT_EXPORT_BYTES = 4 * 1024 * 1024;

export const AuditExportFormatSchema = z.enum(['csv', 'json']);

export const AuditExportInputSchema = z
  .strictObject({
    /** First day, `YYYY-MM-DD`, UTC. */
    from: z.iso.date(),
    /** Last day, `YYYY-MM-DD`, UTC, included. */
    to: z.iso.date(),
    format: AuditExportFormatSchema,
  })
  .refine((input) => input.from <= input.to, { message: '`from` must be on or before `to`', path: ['to'] })
  .refine((input) => (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 + 1 <= MAX_AUDIT_EXPORT_DAYS, {
    message: `the range may cover at most ${MAX_AUDIT_EXPORT_DAYS} days; export a longer period in parts`,
    path: ['to'],
  });
export type AuditExportInput = z.infer<typeof AuditExportInputSchema>;

export const AuditExportSchema = z.strictObject({
  filename: z.string().min(1),
  mediaType: z.enum(['text/csv;charset=utf-8', 'application/json;charset=utf-8']),
  content: z.string(),
  /** How many entries the file holds. */
  entries: z.number().int().nonnegative(),
});
export type AuditExport = z.infer<typeof AuditExportSchema>;
