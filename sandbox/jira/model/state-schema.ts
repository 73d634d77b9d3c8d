/**
 * The stand-in's whole state as plain JSON. The zod schemas are the single source of the
 * stored types, and `restore()` parses a snapshot with them, so a hand-edited or stale
 * snapshot fails loudly instead of corrupting the stand-in.
 */
import { z } from 'zod';

/** Jira's project permission keys, as the permission API names them. */
export const ProjectPermissionSchema = z.enum([
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'LINK_ISSUES',
  'DELETE_ISSUES',
]);
export type ProjectPermission = z.infer<typeof ProjectPermissionSchema>;
export const ALL_PROJECT_PERMISSIONS: readonly ProjectPermission[] = ProjectPermissionSchema.options;

/** Jira's three status categories (plus the rarely seen "No Category"), keyed as Jira keys them. */
export const StatusCategoryKeySchema = z.enum(['undefined', 'new', 'indeterminate', 'done']);
export type StatusCategoryKey = z.infer<typeof StatusCategoryKeySchema>;

/** Jira's global permissions the stand-in knows: only the one the app asks about. */
export const GlobalPermissionSchema = z.enum(['ADMINISTER']);
export type GlobalPermission = z.infer<typeof GlobalPermissionSchema>;

export const StoredUserSchema = z.object({
  accountId: z.string().min(1),
  /** `atlassian` for people, `app` for the app's own user (what `asApp()` acts as). */
  accountType: z.enum(['atlassian', 'app']),
  email: z.string().optional(),
  displayName: z.string().min(1),
  timeZone: z.string(),
  active: z.boolean(),
  /** Site-wide permissions, e.g. ADMINISTER for a Jira admin (absent in older snapshots: none). */
  globalPermissions: z.array(GlobalPermissionSchema).default([]),
});
export type StoredUser = z.infer<typeof StoredUserSchema>;

export const StoredStatusSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  description: z.string(),
  category: StatusCategoryKeySchema,
});
export type StoredStatus = z.infer<typeof StoredStatusSchema>;

export const StoredIssueTypeSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  description: z.string(),
  subtask: z.boolean(),
});
export type StoredIssueType = z.infer<typeof StoredIssueTypeSchema>;

export const ValidatorConfigSchema = z.object({
  /** The `jira:workflowValidator` module key in the app's manifest. */
  moduleKey: z.string().min(1),
  /** What the workflow editor saved for this validator (≤ 32 KB in Jira). */
  configuration: z.unknown(),
});
export type ValidatorConfig = z.infer<typeof ValidatorConfigSchema>;

export const StoredTransitionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Status ids the transition starts from; empty means a global transition (from any status). */
  fromStatusIds: z.array(z.string()),
  toStatusId: z.string(),
  validators: z.array(ValidatorConfigSchema),
  /** Field ids on the transition screen: only these may be set in the transition request. */
  screenFieldIds: z.array(z.string()),
});
export type StoredTransition = z.infer<typeof StoredTransitionSchema>;

export const StoredWorkflowSchema = z.object({
  name: z.string(),
  initialStatusId: z.string(),
  transitions: z.array(StoredTransitionSchema),
});
export type StoredWorkflow = z.infer<typeof StoredWorkflowSchema>;

export const StoredProjectSchema = z.object({
  id: z.string(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/),
  name: z.string().min(1),
  description: z.string(),
  leadAccountId: z.string(),
  projectTypeKey: z.enum(['software', 'service_desk', 'business']),
  issueTypeIds: z.array(z.string()),
  /** issue type id -> the workflow issues of that type follow in this project. */
  workflows: z.record(z.string(), StoredWorkflowSchema),
  /** accountId -> the project permissions that user holds here. */
  permissions: z.record(z.string(), z.array(ProjectPermissionSchema)),
  nextIssueNumber: z.number().int().positive(),
  /** project role id -> the people (account ids) in that role here; group actors are not modelled (absent in older snapshots: none). */
  roleActors: z.record(z.string(), z.array(z.string())).default({}),
});
export type StoredProject = z.infer<typeof StoredProjectSchema>;

export const StoredLinkTypeSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  /** How the destination sees the source, e.g. "is filing for". */
  inward: z.string().min(1),
  /** How the source sees the destination, e.g. "requires filing". */
  outward: z.string().min(1),
});
export type StoredLinkType = z.infer<typeof StoredLinkTypeSchema>;

/** The data types a Forge `jira:customField` can have. */
export const CustomFieldTypeSchema = z.enum(['string', 'number', 'datetime', 'user', 'object']);
export type CustomFieldType = z.infer<typeof CustomFieldTypeSchema>;

/** How a `searchAlias` (custom field property) or an entity property path is indexed for JQL. */
export const IndexedValueTypeSchema = z.enum(['string', 'text', 'number', 'date', 'user', 'boolean']);
export type IndexedValueType = z.infer<typeof IndexedValueTypeSchema>;

export const SearchAliasSchema = z.object({
  alias: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  /** Dot path into the field's object value, e.g. `status` or `decision.category`. */
  path: z.string().min(1),
  type: IndexedValueTypeSchema,
});
export type SearchAlias = z.infer<typeof SearchAliasSchema>;

export const StoredCustomFieldSchema = z.object({
  /** `customfield_10050`. */
  id: z.string().regex(/^customfield_\d+$/),
  /** The Forge field key (`<app id>__<environment>__<module key>` in a real site), accepted where Jira takes an id or key. */
  key: z.string().min(1),
  name: z.string().min(1),
  type: CustomFieldTypeSchema,
  /** Fields declared by the app's manifest: only the app may set them through /app/field/value. */
  ownedByApp: z.boolean(),
  /** A read-only field cannot be set through create/edit issue, only through /app/field/value. */
  readOnly: z.boolean(),
  searchAliases: z.array(SearchAliasSchema),
  /** JSON Schema the value must satisfy (Forge `type: object` fields declare one). */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
  /** The manifest's `edit.validation`: a Jira expression run when a person sets the value (not when the app does). */
  validation: z.object({ expression: z.string().min(1), errorMessage: z.string().min(1) }).optional(),
  /** The manifest's `view.formatter.expression`: the value as text. */
  formatter: z.string().min(1).optional(),
});
export type StoredCustomField = z.infer<typeof StoredCustomFieldSchema>;

/** What a `jira:entityProperty` module declares: which property paths JQL can search, and how. */
export const StoredPropertyIndexSchema = z.object({
  propertyKey: z.string().min(1),
  values: z.array(
    z.object({ path: z.string().min(1), type: IndexedValueTypeSchema, searchAlias: z.string().optional() }),
  ),
});
export type StoredPropertyIndex = z.infer<typeof StoredPropertyIndexSchema>;

export const ChangeItemSchema = z.object({
  field: z.string(),
  fieldtype: z.enum(['jira', 'custom']),
  fieldId: z.string().optional(),
  from: z.string().nullable(),
  fromString: z.string().nullable(),
  to: z.string().nullable(),
  toString: z.string().nullable(),
});
export type ChangeItem = z.infer<typeof ChangeItemSchema>;

export const StoredHistorySchema = z.object({
  id: z.string(),
  authorAccountId: z.string(),
  /** ISO instant. */
  created: z.string(),
  items: z.array(ChangeItemSchema),
});
export type StoredHistory = z.infer<typeof StoredHistorySchema>;

/** An ADF document as stored: only the envelope is checked; nodes are kept as given. */
export const AdfDocumentSchema = z.looseObject({
  type: z.literal('doc'),
  version: z.literal(1),
  content: z.array(z.looseObject({ type: z.string() })),
});
export type AdfDocument = z.infer<typeof AdfDocumentSchema>;

export const StoredIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  projectId: z.string(),
  issueTypeId: z.string(),
  statusId: z.string(),
  summary: z.string(),
  description: AdfDocumentSchema.nullable(),
  reporterAccountId: z.string().nullable(),
  creatorAccountId: z.string(),
  assigneeAccountId: z.string().nullable(),
  labels: z.array(z.string()),
  /** ISO instants. */
  created: z.string(),
  updated: z.string(),
  resolutionDate: z.string().nullable(),
  /** Jira sets a resolution when an issue reaches a done-category status; only "Done" exists here. */
  resolved: z.boolean(),
  /** customfield id -> value; absent means empty (Jira answers null). */
  customFields: z.record(z.string(), z.unknown()),
  /** Issue entity properties: key -> JSON value. */
  properties: z.record(z.string(), z.unknown()),
  histories: z.array(StoredHistorySchema),
  /**
   * The issue's security level, reduced to who is on it: when set, only these people (and the
   * app) may browse the issue, whatever their project permissions. Absent: the project decides.
   */
  securityAccountIds: z.array(z.string()).optional(),
});
export type StoredIssue = z.infer<typeof StoredIssueSchema>;

/**
 * A link is stored by direction: `source [outward description] destination`,
 * e.g. QMS-1 "requires filing" RIM-3. Jira's REST beans name the two ends confusingly
 * (see render/links.ts); this is the one unambiguous form.
 */
export const StoredLinkSchema = z.object({
  id: z.string(),
  typeId: z.string(),
  sourceIssueId: z.string(),
  destinationIssueId: z.string(),
});
export type StoredLink = z.infer<typeof StoredLinkSchema>;

export const IdCountersSchema = z.object({
  project: z.number().int(),
  issueType: z.number().int(),
  status: z.number().int(),
  linkType: z.number().int(),
  issue: z.number().int(),
  link: z.number().int(),
  history: z.number().int(),
});
export type IdCounters = z.infer<typeof IdCountersSchema>;

/** A Jira group and who is in it. */
export const StoredGroupSchema = z.object({
  groupId: z.string().min(1),
  name: z.string().min(1),
  memberAccountIds: z.array(z.string()),
});
export type StoredGroup = z.infer<typeof StoredGroupSchema>;

/** A project role: Jira Cloud has one list of roles for every project; who is in a role is per project. */
export const StoredProjectRoleSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string().min(1),
  description: z.string(),
});
export type StoredProjectRole = z.infer<typeof StoredProjectRoleSchema>;

export const JiraStandInStateSchema = z.object({
  version: z.literal(1),
  counters: IdCountersSchema,
  /** Last instant handed out (epoch ms): the stand-in never goes back in time. */
  lastInstantMs: z.number(),
  appAccountId: z.string(),
  users: z.record(z.string(), StoredUserSchema),
  statuses: z.record(z.string(), StoredStatusSchema),
  issueTypes: z.record(z.string(), StoredIssueTypeSchema),
  projects: z.record(z.string(), StoredProjectSchema),
  linkTypes: z.record(z.string(), StoredLinkTypeSchema),
  customFields: z.record(z.string(), StoredCustomFieldSchema),
  propertyIndexes: z.array(StoredPropertyIndexSchema),
  issues: z.record(z.string(), StoredIssueSchema),
  links: z.record(z.string(), StoredLinkSchema),
  /** group id -> group (absent in older snapshots: none). */
  groups: z.record(z.string(), StoredGroupSchema).default({}),
  /** role id -> project role (absent in older snapshots: none). */
  projectRoles: z.record(z.string(), StoredProjectRoleSchema).default({}),
});
export type JiraStandInState = z.infer<typeof JiraStandInStateSchema>;
/** What `snapshot()` returns and `restore()` accepts: plain JSON. */
export type JiraStandInSnapshot = JiraStandInState;
