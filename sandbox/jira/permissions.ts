/**
 * Who may do what. A person holds project permissions granted by the seed; the app
 * (`asApp()`) holds them all, as a Forge app with the matching scopes does. Hidden things
 * must look exactly like missing things, so callers use `visibleIssue` and friends rather
 * than checking permissions and existence separately.
 */
import { issueNotFound } from './errors';
import type { ProjectPermission, StoredIssue, StoredUser } from './model/state-schema';
import type { JiraStore } from './state/store';

export type Viewer = { kind: 'user'; user: StoredUser } | { kind: 'app'; user: StoredUser };

/** The account that shows up as author/actor of what this viewer does. */
export const actorAccountId = (viewer: Viewer): string => viewer.user.accountId;

/** The key `metrics().byAccount` counts under. */
export const metricsAccount = (viewer: Viewer): string => (viewer.kind === 'app' ? 'app' : viewer.user.accountId);

export const hasProjectPermission = (
  store: JiraStore,
  viewer: Viewer,
  projectId: string,
  permission: ProjectPermission,
): boolean => {
  if (viewer.kind === 'app') return true;
  const granted = store.project(projectId)?.permissions[viewer.user.accountId] ?? [];
  // Every other permission is useless without browse, as in Jira.
  return granted.includes('BROWSE_PROJECTS') && granted.includes(permission);
};

export const canBrowseProject = (store: JiraStore, viewer: Viewer, projectId: string): boolean =>
  hasProjectPermission(store, viewer, projectId, 'BROWSE_PROJECTS');

/** Browse on the project, and, when the issue has a security level, a place on it (Jira's issue security). */
export const canBrowseIssue = (store: JiraStore, viewer: Viewer, issue: StoredIssue): boolean =>
  canBrowseProject(store, viewer, issue.projectId) &&
  (viewer.kind === 'app' ||
    issue.securityAccountIds === undefined ||
    issue.securityAccountIds.includes(viewer.user.accountId));

/** The issue if this viewer may see it; otherwise undefined, whether it exists or not. */
export const findVisibleIssue = (store: JiraStore, viewer: Viewer, idOrKey: string): StoredIssue | undefined => {
  const issue = store.issueByIdOrKey(idOrKey);
  return issue && canBrowseIssue(store, viewer, issue) ? issue : undefined;
};

/** As `findVisibleIssue`, but answers Jira's 404 for missing and hidden alike. */
export const requireVisibleIssue = (store: JiraStore, viewer: Viewer, idOrKey: string): StoredIssue => {
  const issue = findVisibleIssue(store, viewer, idOrKey);
  if (!issue) throw issueNotFound();
  return issue;
};
