/**
 * Health-authority correspondence: a question or request from an authority (FDA information
 * request, EMA request for supplementary information, notified body query...) that quality
 * records answer. What Jira has no field for (authority, market, the authority's reference,
 * the dates) is the `qmsrim.correspondence` entity property; whether it still awaits a
 * response is the issue's workflow status, mapped like a Submission's, so the two cannot
 * disagree. Pure: `today` is passed in.
 */
import { z } from 'zod';
import { decidedCategoryOf } from './gates';
import {
  DateSchema,
  FilingCategorySchema,
  IssueKeySchema,
  IssueStatusSchema,
  MarketSchema,
  QmsRecordKindSchema,
  RegistryIdSchema,
} from './model';
import type { QmsRecord } from './model';

export const CorrespondenceStateSchema = z.enum(['awaiting-response', 'responded']);
export type CorrespondenceState = z.infer<typeof CorrespondenceStateSchema>;

/** The value of the `qmsrim.correspondence` issue entity property. */
export const CorrespondencePropertySchema = z
  .strictObject({
    /** Who wrote: "FDA", "EMA", "BfArM", "TÜV SÜD (NB 0123)". */
    authority: z.string().trim().min(1).max(120),
    market: MarketSchema,
    /** The authority's own reference for the letter, quoted back in the response. */
    reference: z.string().trim().min(1).max(120),
    receivedDate: DateSchema,
    /** Absent when the letter asks for no response by a date. */
    responseDueDate: DateSchema.optional(),
    /** The marketing authorisation the letter is about, when it is about one. */
    applicationId: RegistryIdSchema.optional(),
  })
  .refine((c) => c.responseDueDate === undefined || c.responseDueDate >= c.receivedDate, {
    path: ['responseDueDate'],
    message: 'the response cannot be due before the letter was received',
  });
export type CorrespondenceProperty = z.infer<typeof CorrespondencePropertySchema>;

export const CorrespondenceSchema = z.strictObject({
  key: IssueKeySchema,
  summary: z.string(),
  state: CorrespondenceStateSchema,
  property: CorrespondencePropertySchema,
});
export type Correspondence = z.infer<typeof CorrespondenceSchema>;

export const ResponseTimelinessSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('responded') }),
  z.strictObject({ kind: z.literal('no-due-date') }),
  z.strictObject({ kind: z.literal('due'), dueDate: DateSchema, daysLeft: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('overdue'), dueDate: DateSchema, daysOverdue: z.number().int().positive() }),
]);
export type ResponseTimeliness = z.infer<typeof ResponseTimelinessSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;

/** Whether the response is still owed, and by when. Due today is not yet overdue. */
export const responseTimeliness = (
  correspondence: Pick<Correspondence, 'state' | 'property'>,
  today: string,
): ResponseTimeliness => {
  if (correspondence.state === 'responded') return { kind: 'responded' };
  const due = correspondence.property.responseDueDate;
  if (due === undefined) return { kind: 'no-due-date' };
  const days = dayNumber(due) - dayNumber(today);
  return days >= 0
    ? { kind: 'due', dueDate: due, daysLeft: days }
    : { kind: 'overdue', dueDate: due, daysOverdue: -days };
};

export const AnsweringDecisionSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  /** The reviewer's category, or the recommendation while undecided. */
  category: FilingCategorySchema,
  decided: z.boolean(),
});
export type AnsweringDecision = z.infer<typeof AnsweringDecisionSchema>;

export const AnsweringRecordSchema = z.strictObject({
  key: IssueKeySchema,
  kind: QmsRecordKindSchema,
  summary: z.string(),
  status: IssueStatusSchema,
  /** The record's decisions that concern the correspondence: its application, else its market. */
  decisions: z.array(AnsweringDecisionSchema),
});
export type AnsweringRecord = z.infer<typeof AnsweringRecordSchema>;

/**
 * A quality record as it answers a letter: its status and the decisions that concern the
 * letter's application, or its market when it names no application. A letter without the
 * app's data (`letter` undefined) concerns no decision.
 */
export const answeringRecord = (record: QmsRecord, letter: CorrespondenceProperty | undefined): AnsweringRecord => {
  const concerns =
    letter === undefined
      ? []
      : record.impact.decisions.filter((d) =>
          letter.applicationId !== undefined ? d.applicationId === letter.applicationId : d.market === letter.market,
        );
  return {
    key: record.key,
    kind: record.kind,
    summary: record.summary,
    status: record.status,
    decisions: concerns.map((d) => {
      const decided = decidedCategoryOf(d);
      return {
        applicationId: d.applicationId,
        market: d.market,
        category: decided ?? d.recommended.category,
        decided: decided !== undefined,
      };
    }),
  };
};
