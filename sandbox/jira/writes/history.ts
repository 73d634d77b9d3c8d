import type { ChangeItem, StoredHistory, StoredIssue } from '../model/state-schema';
import type { JiraStore } from '../state/store';

/**
 * Appends one changelog entry to `issue` and moves its `updated`; the caller has already
 * applied the change. Jira writes one history per edit or transition, however many
 * fields it touched.
 */
export const recordHistory = (
  store: JiraStore,
  issue: StoredIssue,
  authorAccountId: string,
  items: ChangeItem[],
  instantMs: number,
): StoredHistory => {
  const created = new Date(instantMs).toISOString();
  const history: StoredHistory = { id: store.nextId('history'), authorAccountId, created, items };
  issue.histories.push(history);
  issue.updated = created;
  return history;
};
