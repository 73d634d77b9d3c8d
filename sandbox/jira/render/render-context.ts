import type { Viewer } from '../permissions';
import type { JiraStore } from '../state/store';
import { unknownUserBean, userDetailsBean } from './beans';

/** What every renderer needs: the state, where `self` URLs point, and whose eyes it renders for. */
export interface RenderContext {
  store: JiraStore;
  baseUrl: string;
  viewer: Viewer;
}

export const userDetailsFor = (ctx: RenderContext, accountId: string) => {
  const user = ctx.store.user(accountId);
  return user ? userDetailsBean(ctx.baseUrl, user) : unknownUserBean(ctx.baseUrl, accountId);
};

export const issueSelf = (ctx: RenderContext, issueId: string): string => `${ctx.baseUrl}/rest/api/3/issue/${issueId}`;
