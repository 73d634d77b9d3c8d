/**
 * The shapes the health-authority correspondence surfaces exchange with their resolvers:
 * the correspondence panel, the correspondence a QMS record answers (impact panel) and the
 * glance on RIM issues. Imported by src/contract/resolvers.ts and by static/; keep it free
 * of Node and @forge imports.
 */
import { z } from 'zod';
import {
  AnsweringRecordSchema,
  CorrespondencePropertySchema,
  CorrespondenceStateSchema,
  ResponseTimelinessSchema,
} from '../domain/correspondence';
import { ReadinessFigureSchema } from '../domain/readiness';
import { CommitmentStatusSchema, DateSchema, IssueKeySchema, IssueStatusSchema } from '../domain/model';

/** One correspondence issue as a panel lists it. Without the app's data, only key, summary and status. */
export const PanelCorrespondenceSchema = z.strictObject({
  key: IssueKeySchema,
  summary: z.string(),
  status: IssueStatusSchema,
  details: CorrespondencePropertySchema.optional(),
  state: CorrespondenceStateSchema.optional(),
  timeliness: ResponseTimelinessSchema.optional(),
});
export type PanelCorrespondence = z.infer<typeof PanelCorrespondenceSchema>;

export const LinkedIssueSummarySchema = z.strictObject({
  key: IssueKeySchema,
  summary: z.string(),
  status: IssueStatusSchema,
});
export type LinkedIssueSummary = z.infer<typeof LinkedIssueSummarySchema>;

export const CorrespondencePanelSchema = z.discriminatedUnion('applies', [
  z.strictObject({
    applies: z.literal(true),
    correspondence: PanelCorrespondenceSchema,
    /** The quality records linked as answering it, as far as the viewer may see them. */
    records: z.array(AnsweringRecordSchema),
    /** Submissions linked to the letter (any link type), as far as the viewer may see them. */
    submissions: z.array(LinkedIssueSummarySchema),
  }),
  z.strictObject({ applies: z.literal(false), issueKey: IssueKeySchema, message: z.string().min(1) }),
]);
export type CorrespondencePanel = z.infer<typeof CorrespondencePanelSchema>;

export const LinkRecordInputSchema = z.strictObject({ recordKey: IssueKeySchema });
export type LinkRecordInput = z.infer<typeof LinkRecordInputSchema>;

/** What the glance on a RIM issue shows, by what the issue is. */
export const RimGlanceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('submission'),
    key: IssueKeySchema,
    figure: ReadinessFigureSchema,
    isReady: z.boolean(),
    blockerCount: z.number().int().nonnegative(),
  }),
  z.strictObject({
    kind: z.literal('commitment'),
    key: IssueKeySchema,
    state: CommitmentStatusSchema,
    dueDate: DateSchema,
    overdue: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('correspondence'),
    key: IssueKeySchema,
    state: CorrespondenceStateSchema,
    timeliness: ResponseTimelinessSchema,
  }),
  z.strictObject({ kind: z.literal('none'), key: IssueKeySchema, message: z.string().min(1) }),
]);
export type RimGlance = z.infer<typeof RimGlanceSchema>;

export const CORRESPONDENCE_CONTRACT = {
  // Correspondence panel (manifest: correspondence-panel); the issue comes from the Forge context.
  'correspondence/get': { input: z.strictObject({}), output: CorrespondencePanelSchema },
  'correspondence/link-record': { input: LinkRecordInputSchema, output: CorrespondencePanelSchema },
  // Impact panel: the correspondence the QMS record answers, as far as the viewer may see it.
  'impact/correspondence': { input: z.strictObject({}), output: z.array(PanelCorrespondenceSchema) },
  // Glance on RIM issues (manifest: rim-glance).
  'rim-glance/get': { input: z.strictObject({}), output: RimGlanceSchema },
} as const;
