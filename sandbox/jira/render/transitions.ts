import type { StoredTransition } from '../model/state-schema';
import { statusBean } from './beans';
import type { RenderContext } from './render-context';

/** IssueTransition as GET /issue/{key}/transitions lists it. */
export const transitionBean = (ctx: RenderContext, transition: StoredTransition) => {
  const to = ctx.store.status(transition.toStatusId);
  return {
    id: transition.id,
    name: transition.name,
    ...(to ? { to: statusBean(ctx.baseUrl, to) } : {}),
    hasScreen: transition.screenFieldIds.length > 0,
    isGlobal: transition.fromStatusIds.length === 0,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
};
