/**
 * The stand-in's state plus the indexes that make lookups cheap (key -> issue id,
 * issue id -> link ids). Indexes are derived, never snapshotted: `restore()` rebuilds them.
 * Every write that touches an indexed collection goes through this class.
 */
import { JiraStandInStateSchema } from '../model/state-schema';
import type {
  IdCounters,
  JiraStandInSnapshot,
  JiraStandInState,
  StoredCustomField,
  StoredIssue,
  StoredIssueType,
  StoredLink,
  StoredLinkType,
  StoredProject,
  StoredStatus,
  StoredUser,
  StoredWorkflow,
} from '../model/state-schema';

/** Jira's ids are numeric strings; each kind starts where a fresh Jira Cloud site starts it. */
const INITIAL_COUNTERS: IdCounters = {
  project: 10000,
  issueType: 10000,
  status: 10000,
  linkType: 10000,
  issue: 10000,
  link: 10000,
  history: 10000,
};

export const emptyState = (appAccountId: string, appDisplayName: string): JiraStandInState => ({
  version: 1,
  counters: { ...INITIAL_COUNTERS },
  lastInstantMs: 0,
  appAccountId,
  users: {
    [appAccountId]: {
      accountId: appAccountId,
      accountType: 'app',
      displayName: appDisplayName,
      timeZone: 'UTC',
      active: true,
      globalPermissions: [],
    },
  },
  statuses: {},
  issueTypes: {},
  projects: {},
  linkTypes: {},
  customFields: {},
  propertyIndexes: [],
  issues: {},
  links: {},
  groups: {},
  projectRoles: {},
});

const ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;

export const parseIssueKey = (key: string): { projectKey: string; number: number } | undefined => {
  const match = ISSUE_KEY.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { projectKey: match[1].toUpperCase(), number: Number(match[2]) };
};

export class JiraStore {
  private issueIdByKey = new Map<string, string>();
  private linkIdsByIssueId = new Map<string, Set<string>>();

  constructor(private state: JiraStandInState) {
    this.rebuildIndexes();
  }

  get data(): JiraStandInState {
    return this.state;
  }

  snapshot(): JiraStandInSnapshot {
    return structuredClone(this.state);
  }

  restore(snapshot: unknown): void {
    const parsed = JiraStandInStateSchema.safeParse(snapshot);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(
        `restore: not a Jira stand-in snapshot (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`,
      );
    }
    this.state = structuredClone(parsed.data);
    this.rebuildIndexes();
  }

  private rebuildIndexes(): void {
    this.issueIdByKey = new Map(Object.values(this.state.issues).map((issue) => [issue.key, issue.id]));
    this.linkIdsByIssueId = new Map();
    for (const link of Object.values(this.state.links)) this.indexLink(link);
  }

  nextId(kind: keyof IdCounters): string {
    const id = this.state.counters[kind];
    this.state.counters[kind] = id + 1;
    return String(id);
  }

  /** Keep a counter ahead of an id chosen by a seed, so generated ids never collide with it. */
  reserveId(kind: keyof IdCounters, id: string): void {
    const n = Number(id);
    if (Number.isInteger(n) && n >= this.state.counters[kind]) this.state.counters[kind] = n + 1;
  }

  /** The next instant for a write: the injected clock, but never earlier than (or equal to) the last one. */
  nextInstant(now: () => Date): number {
    const ms = Math.max(now().getTime(), this.state.lastInstantMs + 1);
    this.state.lastInstantMs = ms;
    return ms;
  }

  /** Seeded instants move the floor too, so later writes come after seeded ones. */
  observeInstant(ms: number): void {
    if (ms > this.state.lastInstantMs) this.state.lastInstantMs = ms;
  }

  // --- users -------------------------------------------------------------------------
  user(accountId: string): StoredUser | undefined {
    return this.state.users[accountId];
  }

  users(): StoredUser[] {
    return Object.values(this.state.users);
  }

  userByEmail(email: string): StoredUser | undefined {
    const wanted = email.toLowerCase();
    return Object.values(this.state.users).find((u) => u.email?.toLowerCase() === wanted);
  }

  putUser(user: StoredUser): void {
    this.state.users[user.accountId] = user;
  }

  get appAccountId(): string {
    return this.state.appAccountId;
  }

  // --- configuration -------------------------------------------------------------------
  status(id: string): StoredStatus | undefined {
    return this.state.statuses[id];
  }

  statusByName(name: string): StoredStatus | undefined {
    const wanted = name.toLowerCase();
    return Object.values(this.state.statuses).find((s) => s.name.toLowerCase() === wanted);
  }

  statuses(): StoredStatus[] {
    return Object.values(this.state.statuses);
  }

  putStatus(status: StoredStatus): void {
    this.state.statuses[status.id] = status;
  }

  issueType(id: string): StoredIssueType | undefined {
    return this.state.issueTypes[id];
  }

  issueTypeByName(name: string): StoredIssueType | undefined {
    const wanted = name.toLowerCase();
    return Object.values(this.state.issueTypes).find((t) => t.name.toLowerCase() === wanted);
  }

  issueTypes(): StoredIssueType[] {
    return Object.values(this.state.issueTypes);
  }

  putIssueType(issueType: StoredIssueType): void {
    this.state.issueTypes[issueType.id] = issueType;
  }

  project(id: string): StoredProject | undefined {
    return this.state.projects[id];
  }

  /** By id, or by key case-insensitively, as Jira resolves `projectIdOrKey`. */
  projectByIdOrKey(idOrKey: string): StoredProject | undefined {
    const byId = this.state.projects[idOrKey];
    if (byId) return byId;
    const wanted = idOrKey.toUpperCase();
    return Object.values(this.state.projects).find((p) => p.key === wanted);
  }

  projects(): StoredProject[] {
    return Object.values(this.state.projects);
  }

  putProject(project: StoredProject): void {
    this.state.projects[project.id] = project;
  }

  workflowFor(issue: Pick<StoredIssue, 'projectId' | 'issueTypeId'>): StoredWorkflow | undefined {
    return this.state.projects[issue.projectId]?.workflows[issue.issueTypeId];
  }

  linkType(id: string): StoredLinkType | undefined {
    return this.state.linkTypes[id];
  }

  linkTypes(): StoredLinkType[] {
    return Object.values(this.state.linkTypes);
  }

  putLinkType(linkType: StoredLinkType): void {
    this.state.linkTypes[linkType.id] = linkType;
  }

  customField(id: string): StoredCustomField | undefined {
    return this.state.customFields[id];
  }

  /** By id (`customfield_10050`) or by key, as `/app/field/{fieldIdOrKey}` resolves it. */
  customFieldByIdOrKey(idOrKey: string): StoredCustomField | undefined {
    return this.state.customFields[idOrKey] ?? Object.values(this.state.customFields).find((f) => f.key === idOrKey);
  }

  customFields(): StoredCustomField[] {
    return Object.values(this.state.customFields);
  }

  putCustomField(field: StoredCustomField): void {
    this.state.customFields[field.id] = field;
  }

  // --- issues ----------------------------------------------------------------------------
  issue(id: string): StoredIssue | undefined {
    return this.state.issues[id];
  }

  /** By numeric id, or by key case-insensitively (Jira retries a key case-insensitively). */
  issueByIdOrKey(idOrKey: string): StoredIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return this.state.issues[idOrKey];
    const id = this.issueIdByKey.get(idOrKey.toUpperCase());
    return id === undefined ? undefined : this.state.issues[id];
  }

  issues(): StoredIssue[] {
    return Object.values(this.state.issues);
  }

  insertIssue(issue: StoredIssue): void {
    if (this.issueIdByKey.has(issue.key)) throw new Error(`an issue with key ${issue.key} already exists`);
    this.state.issues[issue.id] = issue;
    this.issueIdByKey.set(issue.key, issue.id);
  }

  deleteIssue(id: string): void {
    const issue = this.state.issues[id];
    if (!issue) return;
    delete this.state.issues[id];
    this.issueIdByKey.delete(issue.key);
    this.linkIdsByIssueId.delete(id);
  }

  // --- links -------------------------------------------------------------------------------
  link(id: string): StoredLink | undefined {
    return this.state.links[id];
  }

  linksOf(issueId: string): StoredLink[] {
    const ids = this.linkIdsByIssueId.get(issueId);
    if (!ids) return [];
    return [...ids].flatMap((id) => {
      const link = this.state.links[id];
      return link ? [link] : [];
    });
  }

  insertLink(link: StoredLink): void {
    this.state.links[link.id] = link;
    this.indexLink(link);
  }

  removeLink(id: string): void {
    const link = this.state.links[id];
    if (!link) return;
    delete this.state.links[id];
    this.linkIdsByIssueId.get(link.sourceIssueId)?.delete(id);
    this.linkIdsByIssueId.get(link.destinationIssueId)?.delete(id);
  }

  private indexLink(link: StoredLink): void {
    for (const issueId of [link.sourceIssueId, link.destinationIssueId]) {
      const ids = this.linkIdsByIssueId.get(issueId) ?? new Set<string>();
      ids.add(link.id);
      this.linkIdsByIssueId.set(issueId, ids);
    }
  }
}
