/**
 * The admin side of the stand-in (not REST): what a Jira admin and the demo data set up.
 * Seeds write state directly: they emit no events, count in no metrics and are never
 * faulted. Inputs are parsed with zod; a bad seed throws at once with the reason.
 * Statuses, issue types and link types are named by name; users by account id.
 */
import { z } from 'zod';
import { JiraError } from '../errors';
import { adfParagraph } from '../model/adf';
import type { ResolvedConfig } from '../config';
import {
  AdfDocumentSchema,
  ChangeItemSchema,
  CustomFieldTypeSchema,
  GlobalPermissionSchema,
  IndexedValueTypeSchema,
  ProjectPermissionSchema,
  SearchAliasSchema,
  StatusCategoryKeySchema,
  ValidatorConfigSchema,
  ALL_PROJECT_PERMISSIONS,
} from '../model/state-schema';
import type {
  StoredCustomField,
  StoredGroup,
  StoredIssue,
  StoredIssueType,
  StoredLinkType,
  StoredProject,
  StoredProjectRole,
  StoredStatus,
  StoredTransition,
  StoredUser,
} from '../model/state-schema';
import type { JiraStore } from '../state/store';
import { insertNewIssue } from '../writes/create-issue';
import { resolveFieldEdits } from '../writes/field-edits';
import { checkPropertyWrite } from '../writes/properties';
import { searchAliasesOfSchema } from '../model/search-aliases';

const parse = <S extends z.ZodType>(what: string, schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
};

const NumericIdSchema = z.string().regex(/^\d+$/);
const InstantInputSchema = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const ms = typeof v === 'string' ? Date.parse(v) : v.getTime();
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a date' });
    return z.NEVER;
  }
  return ms;
});

export const SeedUserSchema = z.object({
  accountId: z.string().min(1),
  email: z.string().min(3),
  displayName: z.string().min(1),
  timeZone: z.string().default('UTC'),
  active: z.boolean().default(true),
  globalPermissions: z.array(GlobalPermissionSchema).default([]),
});
export type SeedUserInput = z.input<typeof SeedUserSchema>;

export const SeedStatusSchema = z.object({
  id: NumericIdSchema.optional(),
  name: z.string().min(1),
  category: StatusCategoryKeySchema.exclude(['undefined']),
  description: z.string().default(''),
});
export type SeedStatusInput = z.input<typeof SeedStatusSchema>;

export const SeedIssueTypeSchema = z.object({
  id: NumericIdSchema.optional(),
  name: z.string().min(1),
  description: z.string().default(''),
  subtask: z.boolean().default(false),
});
export type SeedIssueTypeInput = z.input<typeof SeedIssueTypeSchema>;

export const SeedProjectSchema = z.object({
  id: NumericIdSchema.optional(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/),
  name: z.string().min(1),
  description: z.string().default(''),
  leadAccountId: z.string().min(1),
  projectTypeKey: z.enum(['software', 'service_desk', 'business']).default('business'),
  /** Issue type names; each must have been seeded. */
  issueTypes: z.array(z.string()).min(1),
});
export type SeedProjectInput = z.input<typeof SeedProjectSchema>;

export const SeedTransitionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Status names the transition starts from; empty (the default) makes it global. */
  from: z.array(z.string()).default([]),
  to: z.string().min(1),
  validators: z.array(ValidatorConfigSchema).default([]),
  /** Field ids on the transition screen. */
  screenFields: z.array(z.string()).default([]),
});
export type SeedTransitionInput = z.input<typeof SeedTransitionSchema>;

export const SeedWorkflowSchema = z.object({
  projectKey: z.string(),
  /** The issue type names (of that project) that follow this workflow. */
  issueTypes: z.array(z.string()).min(1),
  name: z.string().optional(),
  initialStatus: z.string(),
  transitions: z.array(SeedTransitionSchema),
});
export type SeedWorkflowInput = z.input<typeof SeedWorkflowSchema>;

export const SetTransitionValidatorsSchema = z.object({
  projectKey: z.string(),
  issueType: z.string(),
  transitionId: z.string(),
  validators: z.array(ValidatorConfigSchema),
});
export type SetTransitionValidatorsInput = z.input<typeof SetTransitionValidatorsSchema>;

export const SetWorkflowTransitionValidatorsSchema = z.object({
  projectKey: z.string(),
  /** The workflow's name: every issue type of the project that follows it gets the change. */
  workflow: z.string(),
  transitionId: z.string(),
  validators: z.array(ValidatorConfigSchema),
});
export type SetWorkflowTransitionValidatorsInput = z.input<typeof SetWorkflowTransitionValidatorsSchema>;

/** A workflow as Jira's workflow editor shows it: once, with the issue types that follow it. */
export interface WorkflowSummary {
  projectKey: string;
  name: string;
  issueTypes: string[];
  transitions: {
    id: string;
    name: string;
    from: string[];
    to: string;
    validators: { moduleKey: string; configuration: unknown }[];
  }[];
}

export const GrantPermissionsSchema = z.object({
  accountId: z.string(),
  projectKey: z.string(),
  permissions: z.union([z.literal('all'), z.array(ProjectPermissionSchema)]),
});
export type GrantPermissionsInput = z.input<typeof GrantPermissionsSchema>;

export const RevokePermissionsSchema = z.object({
  accountId: z.string(),
  projectKey: z.string(),
  /** Omitted: every permission in the project. */
  permissions: z.array(ProjectPermissionSchema).optional(),
});
export type RevokePermissionsInput = z.input<typeof RevokePermissionsSchema>;

export const SetIssueSecuritySchema = z.object({
  issue: z.string(),
  /** Who is on the issue's security level; null removes the level (the project decides again). */
  accountIds: z.array(z.string()).nullable(),
});
export type SetIssueSecurityInput = z.input<typeof SetIssueSecuritySchema>;

export const SeedLinkTypeSchema = z.object({
  id: NumericIdSchema.optional(),
  name: z.string().min(1),
  inward: z.string().min(1),
  outward: z.string().min(1),
});
export type SeedLinkTypeInput = z.input<typeof SeedLinkTypeSchema>;

export const SeedCustomFieldSchema = z.object({
  id: z.string().regex(/^customfield_\d+$/),
  key: z.string().optional(),
  name: z.string().min(1),
  type: CustomFieldTypeSchema,
  ownedByApp: z.boolean().default(true),
  readOnly: z.boolean().default(false),
  /** Default: what Jira derives from the JSON Schema's top-level `searchAlias` properties. */
  searchAliases: z.array(SearchAliasSchema).optional(),
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
  validation: z.object({ expression: z.string().min(1), errorMessage: z.string().min(1) }).optional(),
  formatter: z.string().min(1).optional(),
});
export type SeedCustomFieldInput = z.input<typeof SeedCustomFieldSchema>;

export const SeedEntityPropertyIndexSchema = z.object({
  propertyKey: z.string().min(1),
  values: z
    .array(z.object({ path: z.string().min(1), type: IndexedValueTypeSchema, searchAlias: z.string().optional() }))
    .min(1),
});
export type SeedEntityPropertyIndexInput = z.input<typeof SeedEntityPropertyIndexSchema>;

export const SeedIssueSchema = z.object({
  project: z.string(),
  issueType: z.string(),
  summary: z.string().min(1),
  /** Fix the key (e.g. `QMS-12`); default the project's next number. */
  key: z.string().optional(),
  /** Status name; default the workflow's initial status. */
  status: z.string().optional(),
  /** ADF, or plain text made into one paragraph. */
  description: z.union([z.string(), AdfDocumentSchema]).optional(),
  creator: z.string().optional(),
  reporter: z.string().optional(),
  assignee: z.string().optional(),
  labels: z.array(z.string()).optional(),
  created: InstantInputSchema.optional(),
  updated: InstantInputSchema.optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type SeedIssueInput = z.input<typeof SeedIssueSchema>;

export const SeedLinkSchema = z.object({
  /** Link type name. */
  type: z.string(),
  /** `from [outward description] to`: e.g. from QMS-1 "requires filing" to RIM-3. */
  from: z.string(),
  to: z.string(),
});
export type SeedLinkInput = z.input<typeof SeedLinkSchema>;

export const SeedHistorySchema = z.object({
  issue: z.string(),
  author: z.string(),
  created: InstantInputSchema.optional(),
  items: z.array(ChangeItemSchema).min(1),
});
export type SeedHistoryInput = z.input<typeof SeedHistorySchema>;

export const SeedGroupSchema = z.object({
  name: z.string().min(1),
  /** Account ids; each must have been seeded. */
  members: z.array(z.string()).default([]),
});
export type SeedGroupInput = z.input<typeof SeedGroupSchema>;

export const SeedProjectRoleSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Who is in the role, per project key. */
  actors: z.record(z.string(), z.array(z.string())).default({}),
});
export type SeedProjectRoleInput = z.input<typeof SeedProjectRoleSchema>;

export const createSeedApi = (store: JiraStore, config: ResolvedConfig) => {
  const requireProject = (key: string): StoredProject => {
    const project = store.projectByIdOrKey(key);
    if (!project) throw new Error(`project ${key} has not been seeded`);
    return project;
  };
  const requireStatus = (name: string): StoredStatus => {
    const status = store.statusByName(name);
    if (!status) throw new Error(`status '${name}' has not been seeded`);
    return status;
  };
  const requireIssueType = (name: string): StoredIssueType => {
    const issueType = store.issueTypeByName(name);
    if (!issueType) throw new Error(`issue type '${name}' has not been seeded`);
    return issueType;
  };
  const requireUser = (accountId: string): StoredUser => {
    const user = store.user(accountId);
    if (!user) throw new Error(`user ${accountId} has not been seeded`);
    return user;
  };
  const requireIssue = (idOrKey: string): StoredIssue => {
    const issue = store.issueByIdOrKey(idOrKey);
    if (!issue) throw new Error(`issue ${idOrKey} has not been seeded`);
    return issue;
  };
  const allocate = (kind: 'status' | 'issueType' | 'project' | 'linkType', id: string | undefined): string => {
    if (id === undefined) return store.nextId(kind);
    store.reserveId(kind, id);
    return id;
  };
  const instant = (ms: number | undefined): number => {
    if (ms === undefined) return store.nextInstant(config.now);
    store.observeInstant(ms);
    return ms;
  };

  return {
    seedUser(input: SeedUserInput): StoredUser {
      const parsed = parse('seedUser', SeedUserSchema, input);
      const user: StoredUser = {
        accountId: parsed.accountId,
        accountType: 'atlassian',
        email: parsed.email,
        displayName: parsed.displayName,
        timeZone: parsed.timeZone,
        active: parsed.active,
        globalPermissions: parsed.globalPermissions,
      };
      store.putUser(user);
      return structuredClone(user);
    },

    seedStatus(input: SeedStatusInput): StoredStatus {
      const parsed = parse('seedStatus', SeedStatusSchema, input);
      if (store.statusByName(parsed.name)) throw new Error(`seedStatus: status '${parsed.name}' already exists`);
      const status: StoredStatus = {
        id: allocate('status', parsed.id),
        name: parsed.name,
        description: parsed.description,
        category: parsed.category,
      };
      store.putStatus(status);
      return structuredClone(status);
    },

    seedIssueType(input: SeedIssueTypeInput): StoredIssueType {
      const parsed = parse('seedIssueType', SeedIssueTypeSchema, input);
      if (store.issueTypeByName(parsed.name))
        throw new Error(`seedIssueType: issue type '${parsed.name}' already exists`);
      const issueType: StoredIssueType = {
        id: allocate('issueType', parsed.id),
        name: parsed.name,
        description: parsed.description,
        subtask: parsed.subtask,
      };
      store.putIssueType(issueType);
      return structuredClone(issueType);
    },

    seedProject(input: SeedProjectInput): StoredProject {
      const parsed = parse('seedProject', SeedProjectSchema, input);
      if (store.projectByIdOrKey(parsed.key)) throw new Error(`seedProject: project ${parsed.key} already exists`);
      requireUser(parsed.leadAccountId);
      const project: StoredProject = {
        id: allocate('project', parsed.id),
        key: parsed.key,
        name: parsed.name,
        description: parsed.description,
        leadAccountId: parsed.leadAccountId,
        projectTypeKey: parsed.projectTypeKey,
        issueTypeIds: parsed.issueTypes.map((name) => requireIssueType(name).id),
        workflows: {},
        permissions: {},
        nextIssueNumber: 1,
        roleActors: {},
      };
      store.putProject(project);
      return structuredClone(project);
    },

    seedWorkflow(input: SeedWorkflowInput): void {
      const parsed = parse('seedWorkflow', SeedWorkflowSchema, input);
      const project = requireProject(parsed.projectKey);
      const transitions: StoredTransition[] = parsed.transitions.map((t) => ({
        id: t.id,
        name: t.name,
        fromStatusIds: t.from.map((name) => requireStatus(name).id),
        toStatusId: requireStatus(t.to).id,
        validators: t.validators,
        screenFieldIds: t.screenFields,
      }));
      const duplicate = transitions.find((t, i) => transitions.findIndex((u) => u.id === t.id) !== i);
      if (duplicate) throw new Error(`seedWorkflow: transition id ${duplicate.id} is used twice`);
      for (const name of parsed.issueTypes) {
        const issueType = requireIssueType(name);
        if (!project.issueTypeIds.includes(issueType.id))
          throw new Error(`seedWorkflow: project ${project.key} has no issue type '${name}'`);
        project.workflows[issueType.id] = {
          name: parsed.name ?? `${project.key} ${name} workflow`,
          initialStatusId: requireStatus(parsed.initialStatus).id,
          transitions: structuredClone(transitions),
        };
      }
    },

    /** Put the app's gates on a transition, as a Jira admin does in the workflow editor. */
    setTransitionValidators(input: SetTransitionValidatorsInput): void {
      const parsed = parse('setTransitionValidators', SetTransitionValidatorsSchema, input);
      const project = requireProject(parsed.projectKey);
      const workflow = project.workflows[requireIssueType(parsed.issueType).id];
      const transition = workflow?.transitions.find((t) => t.id === parsed.transitionId);
      if (!transition)
        throw new Error(
          `setTransitionValidators: no transition ${parsed.transitionId} for '${parsed.issueType}' in ${project.key}`,
        );
      transition.validators = structuredClone(parsed.validators);
    },

    /** Every project's workflows, each once (the stand-in keeps a copy per issue type). */
    workflows(): WorkflowSummary[] {
      const statusName = (id: string): string => store.status(id)?.name ?? id;
      return store.projects().flatMap((project) => {
        const byName = new Map<string, WorkflowSummary>();
        for (const issueTypeId of project.issueTypeIds) {
          const workflow = project.workflows[issueTypeId];
          if (!workflow) continue;
          const typeName = store.issueType(issueTypeId)?.name ?? issueTypeId;
          const known = byName.get(workflow.name);
          if (known) {
            known.issueTypes.push(typeName);
            continue;
          }
          byName.set(workflow.name, {
            projectKey: project.key,
            name: workflow.name,
            issueTypes: [typeName],
            transitions: workflow.transitions.map((t) => ({
              id: t.id,
              name: t.name,
              from: t.fromStatusIds.map(statusName),
              to: statusName(t.toStatusId),
              validators: structuredClone(t.validators),
            })),
          });
        }
        return [...byName.values()];
      });
    },

    /** What the workflow editor saves: one transition's validators, for every issue type following the workflow. */
    setWorkflowTransitionValidators(input: SetWorkflowTransitionValidatorsInput): void {
      const parsed = parse('setWorkflowTransitionValidators', SetWorkflowTransitionValidatorsSchema, input);
      const project = requireProject(parsed.projectKey);
      const transitions = Object.values(project.workflows)
        .filter((w) => w.name === parsed.workflow)
        .map((w) => w.transitions.find((t) => t.id === parsed.transitionId));
      if (transitions.length === 0 || transitions.some((t) => t === undefined))
        throw new Error(
          `setWorkflowTransitionValidators: no transition ${parsed.transitionId} in workflow '${parsed.workflow}' of ${project.key}`,
        );
      for (const transition of transitions) if (transition) transition.validators = structuredClone(parsed.validators);
    },

    grantPermissions(input: GrantPermissionsInput): void {
      const parsed = parse('grantPermissions', GrantPermissionsSchema, input);
      requireUser(parsed.accountId);
      const project = requireProject(parsed.projectKey);
      const granted = new Set([
        ...(project.permissions[parsed.accountId] ?? []),
        ...(parsed.permissions === 'all' ? ALL_PROJECT_PERMISSIONS : parsed.permissions),
      ]);
      project.permissions[parsed.accountId] = ALL_PROJECT_PERMISSIONS.filter((p) => granted.has(p));
    },

    revokePermissions(input: RevokePermissionsInput): void {
      const parsed = parse('revokePermissions', RevokePermissionsSchema, input);
      const project = requireProject(parsed.projectKey);
      const revoked = new Set(parsed.permissions ?? ALL_PROJECT_PERMISSIONS);
      project.permissions[parsed.accountId] = (project.permissions[parsed.accountId] ?? []).filter(
        (p) => !revoked.has(p),
      );
    },

    /** Puts an issue on a security level only these people are on, as Jira's issue security schemes do. */
    setIssueSecurity(input: SetIssueSecurityInput): void {
      const parsed = parse('setIssueSecurity', SetIssueSecuritySchema, input);
      const issue = requireIssue(parsed.issue);
      if (parsed.accountIds === null) {
        delete issue.securityAccountIds;
        return;
      }
      for (const accountId of parsed.accountIds) requireUser(accountId);
      issue.securityAccountIds = [...parsed.accountIds];
    },

    /** A group with its members, as a site admin sets it up; adds members to an existing group of that name. */
    seedGroup(input: SeedGroupInput): StoredGroup {
      const parsed = parse('seedGroup', SeedGroupSchema, input);
      for (const accountId of parsed.members) requireUser(accountId);
      const existing = Object.values(store.data.groups).find((g) => g.name.toLowerCase() === parsed.name.toLowerCase());
      // Jira's group ids are UUIDs; the stand-in's are deterministic, from how many groups there are.
      const group: StoredGroup = existing ?? {
        groupId: `00000000-0000-4000-8000-${String(Object.keys(store.data.groups).length + 1).padStart(12, '0')}`,
        name: parsed.name,
        memberAccountIds: [],
      };
      group.memberAccountIds = [...new Set([...group.memberAccountIds, ...parsed.members])];
      store.data.groups[group.groupId] = group;
      return structuredClone(group);
    },

    /** A project role (one list for every project, as in Jira Cloud) and who is in it in which project. */
    seedProjectRole(input: SeedProjectRoleInput): StoredProjectRole {
      const parsed = parse('seedProjectRole', SeedProjectRoleSchema, input);
      const existing = Object.values(store.data.projectRoles).find(
        (r) => r.name.toLowerCase() === parsed.name.toLowerCase(),
      );
      const role: StoredProjectRole = existing ?? {
        id: String(10002 + Object.keys(store.data.projectRoles).length),
        name: parsed.name,
        description: parsed.description,
      };
      store.data.projectRoles[role.id] = role;
      for (const [projectKey, accountIds] of Object.entries(parsed.actors)) {
        const project = requireProject(projectKey);
        for (const accountId of accountIds) requireUser(accountId);
        project.roleActors[role.id] = [...new Set([...(project.roleActors[role.id] ?? []), ...accountIds])];
      }
      return structuredClone(role);
    },

    seedLinkType(input: SeedLinkTypeInput): StoredLinkType {
      const parsed = parse('seedLinkType', SeedLinkTypeSchema, input);
      if (store.linkTypes().some((t) => t.name.toLowerCase() === parsed.name.toLowerCase()))
        throw new Error(`seedLinkType: link type '${parsed.name}' already exists`);
      const linkType: StoredLinkType = {
        id: allocate('linkType', parsed.id),
        name: parsed.name,
        inward: parsed.inward,
        outward: parsed.outward,
      };
      store.putLinkType(linkType);
      return structuredClone(linkType);
    },

    seedCustomField(input: SeedCustomFieldInput): StoredCustomField {
      const parsed = parse('seedCustomField', SeedCustomFieldSchema, input);
      const searchAliases = parsed.searchAliases ?? (parsed.jsonSchema ? searchAliasesOfSchema(parsed.jsonSchema) : []);
      if (parsed.type !== 'object' && searchAliases.length > 0)
        throw new Error('seedCustomField: only object fields have search aliases');
      const { validation, formatter, jsonSchema, ...rest } = parsed;
      const field: StoredCustomField = {
        ...rest,
        key: parsed.key ?? parsed.id,
        searchAliases,
        ...(jsonSchema ? { jsonSchema } : {}),
        ...(validation ? { validation } : {}),
        ...(formatter ? { formatter } : {}),
      };
      store.putCustomField(field);
      return structuredClone(field);
    },

    /** What a `jira:entityProperty` module declares: the property paths JQL can search, typed. */
    seedEntityPropertyIndex(input: SeedEntityPropertyIndexInput): void {
      const parsed = parse('seedEntityPropertyIndex', SeedEntityPropertyIndexSchema, input);
      store.data.propertyIndexes.push(parsed);
    },

    seedIssue(input: SeedIssueInput): { id: string; key: string } {
      const parsed = parse('seedIssue', SeedIssueSchema, input);
      const project = requireProject(parsed.project);
      const issueType = requireIssueType(parsed.issueType);
      if (!project.issueTypeIds.includes(issueType.id))
        throw new Error(`seedIssue: project ${project.key} has no issue type '${parsed.issueType}'`);
      const creator = parsed.creator ?? parsed.reporter ?? project.leadAccountId;
      requireUser(creator);
      const fields: Record<string, unknown> = { summary: parsed.summary, ...(parsed.customFields ?? {}) };
      if (parsed.description !== undefined)
        fields.description =
          typeof parsed.description === 'string' ? adfParagraph(parsed.description) : parsed.description;
      if (parsed.reporter !== undefined) fields.reporter = { accountId: parsed.reporter };
      if (parsed.assignee !== undefined) fields.assignee = { accountId: parsed.assignee };
      if (parsed.labels !== undefined) fields.labels = parsed.labels;
      let edits: Map<string, unknown>;
      try {
        // Seeds may set read-only app fields too: the demo data stands in for what the app wrote.
        edits = resolveFieldEdits(
          store,
          undefined,
          { fields },
          (fieldId) =>
            ['summary', 'description', 'reporter', 'assignee', 'labels'].includes(fieldId) ||
            store.customField(fieldId) !== undefined,
        );
      } catch (error) {
        throw new Error(
          `seedIssue ${parsed.summary}: ${error instanceof JiraError ? JSON.stringify(error.errors) : String(error)}`,
        );
      }
      for (const [key, value] of Object.entries(parsed.properties ?? {})) checkPropertyWrite(key, value);
      const createdMs = instant(parsed.created);
      const issue = insertNewIssue(store, {
        project,
        issueType,
        ...(parsed.status === undefined ? {} : { statusId: requireStatus(parsed.status).id }),
        edits,
        creatorAccountId: creator,
        createdMs,
        updatedMs: parsed.updated === undefined ? createdMs : instant(parsed.updated),
        ...(parsed.key === undefined ? {} : { key: parsed.key }),
        properties: parsed.properties ?? {},
      });
      return { id: issue.id, key: issue.key };
    },

    /** `from [outward description] to`, e.g. `{ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-3' }`: QMS-1 requires filing RIM-3. */
    seedLink(input: SeedLinkInput): { id: string } {
      const parsed = parse('seedLink', SeedLinkSchema, input);
      const linkType = store.linkTypes().find((t) => t.name.toLowerCase() === parsed.type.toLowerCase());
      if (!linkType) throw new Error(`seedLink: link type '${parsed.type}' has not been seeded`);
      const source = requireIssue(parsed.from);
      const destination = requireIssue(parsed.to);
      if (source.id === destination.id) throw new Error('seedLink: an issue cannot be linked to itself');
      const id = store.nextId('link');
      store.insertLink({ id, typeId: linkType.id, sourceIssueId: source.id, destinationIssueId: destination.id });
      return { id };
    },

    seedIssueProperty(input: { issue: string; key: string; value: unknown }): void {
      const issue = requireIssue(input.issue);
      checkPropertyWrite(input.key, input.value);
      issue.properties[input.key] = structuredClone(input.value);
    },

    /** A past change for demo data: appended to the issue's changelog as given; field values are not touched. */
    seedHistory(input: SeedHistoryInput): { id: string } {
      const parsed = parse('seedHistory', SeedHistorySchema, input);
      const issue = requireIssue(parsed.issue);
      requireUser(parsed.author);
      const created = new Date(instant(parsed.created)).toISOString();
      const id = store.nextId('history');
      issue.histories.push({ id, authorAccountId: parsed.author, created, items: parsed.items });
      issue.histories.sort((a, b) => a.created.localeCompare(b.created) || Number(a.id) - Number(b.id));
      return { id };
    },

    /** A copy of an issue as stored, for assertions; undefined if there is none. */
    readIssue(idOrKey: string): StoredIssue | undefined {
      const issue = store.issueByIdOrKey(idOrKey);
      return issue ? structuredClone(issue) : undefined;
    },
  };
};

export type SeedApi = ReturnType<typeof createSeedApi>;
