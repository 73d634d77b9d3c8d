/**
 * Shapes of the admin page's resolver keys (manifest: admin-page), referenced from
 * RESOLVER_CONTRACT in ./resolvers.ts. Browser-safe: no Node or @forge imports.
 */
import { z } from 'zod';
import { RegistrySchema } from '../domain/model';

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
