/**
 * Shapes of the traceability macro's resolver keys (manifest: traceability-macro) and of the
 * index keys on the admin page, referenced from RESOLVER_CONTRACT in ./resolvers.ts.
 * Browser-safe: no Node or @forge imports.
 */
import { z } from 'zod';
import {
  InstantSchema,
  MarketSchema,
  ProductClassSchema,
  QmsRecordKindSchema,
  RegistryIdSchema,
} from '../domain/model';
import { TraceabilityFilterSchema, TraceabilityGraphSchema } from '../domain/traceability';
import { IndexDifferencesSchema } from '../domain/traceability-index';
import { TracePageInfoSchema, TraceSummarySchema, TraceViewFilterSchema } from '../domain/traceability-summary';
import { RegistryExportSchema } from './admin-page';

/**
 * What an editor chose in the macro's configuration (saved by Confluence with
 * `view.submit({ config })`, read back from `extension.config`): products, markets, record
 * kinds and a creation-date range. Anything left out means "all".
 */
export const MacroConfigSchema = TraceabilityFilterSchema;
export type MacroConfig = z.infer<typeof MacroConfigSchema>;

export const IndexStatusSchema = z.strictObject({
  /** `empty`: never built; `building`: a rebuild is running (the view may be incomplete); `ready`. */
  state: z.enum(['empty', 'building', 'ready']),
  builtAt: InstantSchema.optional(),
});
export type IndexStatus = z.infer<typeof IndexStatusSchema>;

export const TraceabilityViewSchema = z.strictObject({
  /** The configuration the view was built with. */
  config: MacroConfigSchema,
  /** One page of the view as the page's filters narrow it: its entries and the gaps about them. */
  graph: TraceabilityGraphSchema,
  page: TracePageInfoSchema,
  /** Counted over the whole narrowed view, not the page. */
  summary: TraceSummarySchema,
  /** The products in the configured view before the page's filters: what the product filter offers. */
  productsInView: z.array(z.strictObject({ productId: RegistryIdSchema, name: z.string() })),
  index: IndexStatusSchema,
});
export type TraceabilityView = z.infer<typeof TraceabilityViewSchema>;

export const TraceExportRequestSchema = TraceViewFilterSchema.extend({
  /** Which part of the file (0 first); a large view is exported in parts that each fit one answer. */
  part: z.number().int().min(0).max(999).optional(),
});
export type TraceExportRequest = z.infer<typeof TraceExportRequestSchema>;

export const TraceabilityExportSchema = RegistryExportSchema.extend({
  part: z.number().int().nonnegative(),
  parts: z.number().int().positive(),
  /** SHA-256 of the whole file (all parts joined): the same in every part of one export. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TraceabilityExport = z.infer<typeof TraceabilityExportSchema>;

export const MacroOptionsSchema = z.strictObject({
  products: z.array(z.strictObject({ id: RegistryIdSchema, name: z.string(), productClass: ProductClassSchema })),
  markets: z.array(MarketSchema),
  kinds: z.array(QmsRecordKindSchema),
});
export type MacroOptions = z.infer<typeof MacroOptionsSchema>;

export const IndexRunSchema = z.strictObject({
  runId: z.string().min(1).max(64),
  mode: z.enum(['rebuild', 'check']),
  phase: z.enum(['running', 'done', 'failed']),
  startedAt: InstantSchema,
  updatedAt: InstantSchema,
  finishedAt: InstantSchema.optional(),
  /** Issues read from Jira so far. */
  processed: z.number().int().nonnegative(),
  /** Consumer invocations so far (one per chunk). */
  chunks: z.number().int().nonnegative(),
  /** Rebuild: entries of issues Jira no longer has, removed at the end. */
  removed: z.number().int().nonnegative().optional(),
  /** Check: how many issues differ, and the first keys of each kind (at most MAX_LISTED_DIFFERENCES). */
  differenceCounts: z
    .strictObject({
      missing: z.number().int().nonnegative(),
      stale: z.number().int().nonnegative(),
      extra: z.number().int().nonnegative(),
    })
    .optional(),
  differences: IndexDifferencesSchema.optional(),
  error: z.string().optional(),
});
export type IndexRun = z.infer<typeof IndexRunSchema>;

export const MAX_LISTED_DIFFERENCES = 50;

export const IndexAdminStatusSchema = z.strictObject({
  run: IndexRunSchema.optional(),
  index: IndexStatusSchema,
});
export type IndexAdminStatus = z.infer<typeof IndexAdminStatusSchema>;
