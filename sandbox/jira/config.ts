/**
 * The stand-in's seams: who is asking, what it is asked, and the three things it needs
 * from outside (a clock, the app's workflow validators, and somewhere to send events).
 */

/** Who a request runs as: a person (Forge `asUser()`, or HTTP Basic auth) or the app (`asApp()`). */
export type RequestIdentity = { kind: 'user'; accountId: string } | { kind: 'app' };

export interface StandInRequest {
  method: string;
  /** Path with its query string, e.g. `/rest/api/3/issue/QMS-1?fields=status`. Path segments may be percent-encoded. */
  path: string;
  headers?: Record<string, string>;
  /** The parsed JSON body (undefined when there is none). */
  body?: unknown;
  as: RequestIdentity;
}

export interface StandInResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON body; undefined for empty answers (204, 201 on link creation). */
  body: unknown;
}

/** What Jira passes a Forge `jira:workflowValidator` function, plus the issue id the stand-in knows. */
export interface ValidatorInvocation {
  moduleKey: string;
  configuration: unknown;
  issue: { id: string; key: string };
  transition: { id: string; name: string; from: { id: string }; to: { id: string } };
  /** Fields set on the transition screen in this request: field id -> new value. */
  modifiedFields: Record<string, unknown>;
}

export interface ValidatorVerdict {
  result: boolean;
  errorMessage?: string;
}

export type ValidatorRunner = (invocation: ValidatorInvocation) => Promise<ValidatorVerdict>;

/** Delivers an `avi:jira:*` event to the app's triggers; `origin.selfGenerated` says the app caused it. */
export type EventEmitter = (
  eventType: string,
  event: Record<string, unknown>,
  origin: { selfGenerated: boolean },
) => Promise<void>;

export interface JiraStandInConfig {
  /** Clock for created/updated/changelog instants; the stand-in never lets it run backwards. Default: the wall clock. */
  now?: () => Date;
  /** Runs the app's validator functions. Without one, a transition that has validators is refused (fail closed). */
  runValidator?: ValidatorRunner;
  /** Where `avi:jira:*` events go. Default: nowhere. */
  emit?: EventEmitter;
  /** Base of every `self` URL. Default `http://localhost:8080`; set it to where the HTTP listener is served. */
  baseUrl?: string;
  /** The app's own user: what `as: app` requests act as, and the `atlassianId` of events the app causes. */
  app?: { accountId?: string; displayName?: string };
  /** Used by injected latency; tests may pass a fake. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ResolvedConfig {
  now: () => Date;
  runValidator: ValidatorRunner | undefined;
  emit: EventEmitter;
  baseUrl: string;
  appAccountId: string;
  appDisplayName: string;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_APP_ACCOUNT_ID = '712020:qms-rim-bridge-app';

export const resolveConfig = (config: JiraStandInConfig): ResolvedConfig => ({
  now: config.now ?? (() => new Date()),
  runValidator: config.runValidator,
  emit: config.emit ?? (async () => undefined),
  baseUrl: (config.baseUrl ?? 'http://localhost:8080').replace(/\/+$/, ''),
  appAccountId: config.app?.accountId ?? DEFAULT_APP_ACCOUNT_ID,
  appDisplayName: config.app?.displayName ?? 'QMS-RIM Bridge',
  sleep: config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
});
