/** Which transitions an issue has from where it stands. */
import type { StoredIssue, StoredTransition } from './model/state-schema';
import type { JiraStore } from './state/store';

/** A transition applies when it starts at the issue's status, or is global (no `from`). */
export const transitionsFrom = (store: JiraStore, issue: StoredIssue): StoredTransition[] => {
  const workflow = store.workflowFor(issue);
  if (!workflow) return [];
  return workflow.transitions.filter((t) => t.fromStatusIds.length === 0 || t.fromStatusIds.includes(issue.statusId));
};
