/**
 * zod schemas for the parts of Jira's REST v3 answers the app reads. Only what the app
 * uses is required; everything else Jira sends is allowed and ignored (`z.looseObject`)
 * so a new Jira field never breaks a read.
 */
import { z } from 'zod';

export const StatusCategoryKeySchema = z.enum(['new', 'indeterminate', 'done']);

export const JiraStatusSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.union([StatusCategoryKeySchema, z.literal('undefined')]) }),
});

export const JiraIssueTypeSchema = z.looseObject({ id: z.string(), name: z.string() });

export const JiraUserSchema = z.looseObject({ accountId: z.string(), displayName: z.string().optional() });

/** A linked issue as Jira embeds it in `issuelinks`: only a few fields. */
export const JiraLinkedIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z
    .looseObject({
      summary: z.string().optional(),
      status: JiraStatusSchema.optional(),
      issuetype: JiraIssueTypeSchema.optional(),
    })
    .optional(),
});

export const JiraIssueLinkSchema = z.looseObject({
  id: z.string(),
  type: z.looseObject({
    id: z.string().optional(),
    name: z.string(),
    inward: z.string().optional(),
    outward: z.string().optional(),
  }),
  inwardIssue: JiraLinkedIssueSchema.optional(),
  outwardIssue: JiraLinkedIssueSchema.optional(),
});

export const JiraHistorySchema = z.looseObject({
  author: JiraUserSchema.optional(),
  created: z.string(),
  items: z.array(
    z.looseObject({
      field: z.string(),
      fromString: z.string().nullable().optional(),
      toString: z.string().nullable().optional(),
    }),
  ),
});

export const JiraChangelogSchema = z.looseObject({
  histories: z.array(JiraHistorySchema),
  /** How many histories the issue has; more than `histories` holds when Jira truncated the embedded changelog. */
  total: z.number().int().nonnegative().optional(),
});

/** POST /rest/api/3/changelog/bulkfetch. */
export const JiraBulkChangelogSchema = z.looseObject({
  issueChangeLogs: z
    .array(z.looseObject({ issueId: z.string(), changeHistories: z.array(JiraHistorySchema) }))
    .optional(),
  nextPageToken: z.string().nullable().optional(),
});

export const JiraIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string().optional(),
    status: JiraStatusSchema.optional(),
    issuetype: JiraIssueTypeSchema.optional(),
    project: z.looseObject({ id: z.string(), key: z.string() }).optional(),
    issuelinks: z.array(JiraIssueLinkSchema).optional(),
    resolutiondate: z.string().nullable().optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
    /** Who raised the issue; null when the reporter was cleared. */
    reporter: JiraUserSchema.nullable().optional(),
    creator: JiraUserSchema.nullable().optional(),
  }),
  properties: z.record(z.string(), z.unknown()).optional(),
  changelog: JiraChangelogSchema.optional(),
});
export type JiraIssue = z.infer<typeof JiraIssueSchema>;

export const JiraSearchPageSchema = z.looseObject({
  issues: z.array(JiraIssueSchema),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

/** A search/jql page that asked for ids only (up to 5,000 a page). */
export const JiraIdsPageSchema = z.looseObject({
  issues: z.array(z.looseObject({ id: z.string() })),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

export const JiraBulkFetchSchema = z.looseObject({
  issues: z.array(JiraIssueSchema),
  issueErrors: z.array(z.unknown()).optional(),
});

export const JiraCreatedIssueSchema = z.looseObject({ id: z.string(), key: z.string() });
