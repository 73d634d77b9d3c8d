/** zod schemas for the request bodies the stand-in accepts, after Jira's OpenAPI beans. */
import { z } from 'zod';
import { FieldUpdateOperationSchema } from '../writes/field-edits';

/** A JSON value that must be present (null allowed): `z.unknown()` alone lets a missing key through. */
const RequiredValueSchema = z.unknown().refine((v) => v !== undefined, 'a value is required');

/** Jira's ids are strings on the wire; numbers are accepted too, as Jira accepts them. */
const IdSchema = z.union([z.string().min(1), z.number().int().transform(String)]);

export const EntityPropertyInputSchema = z.object({ key: z.string().min(1).max(255), value: z.unknown() });

/** IssueUpdateDetails: the body of create, edit and transition. */
export const IssueUpdateDetailsSchema = z.looseObject({
  fields: z.record(z.string(), z.unknown()).optional(),
  update: z.record(z.string(), z.array(FieldUpdateOperationSchema)).optional(),
  transition: z.looseObject({ id: IdSchema.optional(), looped: z.boolean().optional() }).optional(),
  properties: z.array(EntityPropertyInputSchema).optional(),
  historyMetadata: z.record(z.string(), z.unknown()).optional(),
});

/** `{ id }` or `{ key }` (projects, linked issues): answers the one given, id first. */
const IdOrKeyRefSchema = z
  .looseObject({ id: IdSchema.optional(), key: z.string().min(1).optional() })
  .refine((ref) => ref.id !== undefined || ref.key !== undefined, 'give an id or a key')
  .transform((ref) => ref.id ?? ref.key ?? '');

export const ProjectRefSchema = IdOrKeyRefSchema;
export const LinkedIssueRefSchema = IdOrKeyRefSchema;

/** `{ id }` or `{ name }`. */
export const IssueTypeRefSchema = z
  .looseObject({ id: IdSchema.optional(), name: z.string().min(1).optional() })
  .refine((ref) => ref.id !== undefined || ref.name !== undefined, 'give an id or a name');

export const LinkIssueRequestSchema = z.object({
  type: z.looseObject({
    id: IdSchema.optional(),
    name: z.string().optional(),
    inward: z.string().optional(),
    outward: z.string().optional(),
  }),
  inwardIssue: LinkedIssueRefSchema,
  outwardIssue: LinkedIssueRefSchema,
  comment: z.unknown().optional(),
});

export const SearchRequestSchema = z.object({
  jql: z.string().optional(),
  nextPageToken: z.string().optional(),
  maxResults: z.number().int().min(0).optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).max(5).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).max(50).optional(),
});

export const BulkFetchIssuesRequestSchema = z.object({
  issueIdsOrKeys: z.array(z.string()),
  fields: z.array(z.string()).optional(),
  expand: z.array(z.string()).optional(),
  properties: z.array(z.string()).max(5).optional(),
  fieldsByKeys: z.boolean().optional(),
});

export const BulkChangelogRequestSchema = z.object({
  issueIdsOrKeys: z.array(z.string()),
  fieldIds: z.array(z.string()).max(10).optional(),
  maxResults: z.number().int().min(1).max(10000).optional(),
  nextPageToken: z.string().optional(),
});

export const MultipleCustomFieldValuesUpdateSchema = z.object({
  updates: z
    .array(
      z.object({
        customField: z.string().min(1),
        issueIds: z.array(z.number().int()).min(1),
        value: RequiredValueSchema,
      }),
    )
    .min(1),
});

export const CustomFieldValueUpdateSchema = z.object({
  updates: z.array(z.object({ issueIds: z.array(z.number().int()).min(1), value: RequiredValueSchema })).min(1),
});
