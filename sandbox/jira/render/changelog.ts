import { formatStoredInstant } from '../model/jira-time';
import type { StoredHistory } from '../model/state-schema';
import type { RenderContext } from './render-context';
import { userDetailsFor } from './render-context';

/**
 * One changelog entry. Jira sends `from`/`to`/`fromString`/`toString` as null when a side
 * is empty (its own OpenAPI example does, though the schema says string), so they are kept.
 */
export const historyBean = (ctx: RenderContext, history: StoredHistory) => ({
  id: history.id,
  author: userDetailsFor(ctx, history.authorAccountId),
  created: formatStoredInstant(history.created),
  items: history.items.map((item) => ({ ...item })),
});
