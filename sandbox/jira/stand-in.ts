/**
 * The Jira Cloud REST v3 stand-in: a transport-independent core. `handle()` answers one
 * request as a given user or as the app; the Forge runtime seam and the HTTP listener
 * are thin adapters around it. State, seeds, faults, metrics and events live here.
 */
import { errorAsResponse } from './adapters/wire';
import { createSeedApi } from './admin/seed';
import type { SeedApi } from './admin/seed';
import { resolveConfig } from './config';
import type { JiraStandInConfig, StandInRequest, StandInResponse } from './config';
import { JiraError, unauthenticated } from './errors';
import { createEventDispatcher } from './events';
import type { DeliveryFailure } from './events';
import { createFaultInjector } from './faults';
import type { FaultSettings } from './faults';
import { createMetricsRecorder } from './metrics';
import type { JiraMetrics } from './metrics';
import type { JiraStandInSnapshot, StoredUser } from './model/state-schema';
import type { Viewer } from './permissions';
import { metricsAccount } from './permissions';
import { createRouter } from './router';
import { ALL_ROUTES, IMPLEMENTED_OPERATIONS } from './routes';
import { JiraStore, emptyState } from './state/store';

export interface JiraStandIn extends SeedApi {
  /** Answer one REST request. Never throws: every failure is an HTTP answer in Jira's shape. */
  handle(request: StandInRequest): Promise<StandInResponse>;
  setFaults(faults: FaultSettings): void;
  clearFaults(): void;
  metrics(): JiraMetrics;
  resetMetrics(): void;
  /** The whole state as plain JSON (no faults, metrics or pending events). */
  snapshot(): JiraStandInSnapshot;
  /** Replace the state with a snapshot; throws if it is not one. */
  restore(snapshot: JiraStandInSnapshot): void;
  /** Resolves once every event emitted so far has been delivered to `emit`. */
  whenEventsDelivered(): Promise<void>;
  /** Events whose delivery threw (the request that caused them still succeeded, as on Forge). */
  eventDeliveryFailures(): readonly DeliveryFailure[];
  /** A person by e-mail (what the HTTP listener authenticates with). */
  userByEmail(email: string): StoredUser | undefined;
  readonly appAccountId: string;
  readonly baseUrl: string;
  /** `"METHOD /template"` of every implemented REST operation. */
  readonly operations: readonly string[];
}

export const createJiraStandIn = (config: JiraStandInConfig = {}): JiraStandIn => {
  const resolved = resolveConfig(config);
  const store = new JiraStore(emptyState(resolved.appAccountId, resolved.appDisplayName));
  const events = createEventDispatcher(resolved.emit);
  const faults = createFaultInjector(resolved.sleep);
  const metrics = createMetricsRecorder();
  const route = createRouter(ALL_ROUTES);

  const viewerFor = (identity: StandInRequest['as']): Viewer | undefined => {
    if (identity.kind === 'app') {
      const app = store.user(store.appAccountId);
      return app ? { kind: 'app', user: app } : undefined;
    }
    const user = store.user(identity.accountId);
    return user && user.accountType === 'atlassian' && user.active ? { kind: 'user', user } : undefined;
  };

  const handle = async (request: StandInRequest): Promise<StandInResponse> => {
    const method = request.method.toUpperCase();
    const url = new URL(request.path, 'http://stand-in.invalid');
    const match = route(method, url.pathname);
    const viewer = viewerFor(request.as);
    const account = viewer
      ? metricsAccount(viewer)
      : request.as.kind === 'user' && request.as.accountId !== ''
        ? request.as.accountId
        : '(anonymous)';
    const operation = match.kind === 'matched' ? `${method} ${match.route.template}` : `${method} (no route)`;
    metrics.record(operation, account);
    try {
      try {
        await faults.apply(operation, account);
      } catch (fault) {
        if (fault instanceof JiraError) metrics.recordFault(fault.status);
        throw fault;
      }
      if (!viewer) throw unauthenticated();
      if (match.kind === 'no-route')
        throw new JiraError(404, [`No REST operation matches ${method} ${url.pathname} in the Jira stand-in.`]);
      if (match.kind === 'method-not-allowed')
        throw new JiraError(
          405,
          [`${method} is not allowed on ${url.pathname}.`],
          {},
          { Allow: match.allowed.join(', ') },
        );
      return await match.route.handler({
        store,
        config: resolved,
        viewer,
        params: match.params,
        query: url.searchParams,
        body: request.body,
        events,
        render: { store, baseUrl: resolved.baseUrl, viewer },
      });
    } catch (error) {
      if (error instanceof JiraError) return errorAsResponse(error);
      // A bug in the stand-in still answers in Jira's shape, and says where it came from.
      return errorAsResponse(
        new JiraError(500, [`The Jira stand-in failed: ${error instanceof Error ? error.message : String(error)}`]),
      );
    }
  };

  return {
    ...createSeedApi(store, resolved),
    handle,
    setFaults: (settings) => faults.set(settings),
    clearFaults: () => faults.clear(),
    metrics: () => metrics.read(),
    resetMetrics: () => metrics.reset(),
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
    whenEventsDelivered: () => events.idle(),
    eventDeliveryFailures: () => events.failures(),
    userByEmail: (email) => {
      const user = store.userByEmail(email);
      return user ? structuredClone(user) : undefined;
    },
    appAccountId: resolved.appAccountId,
    baseUrl: resolved.baseUrl,
    operations: IMPLEMENTED_OPERATIONS,
  };
};
