/**
 * A typed Jira REST client over Forge's `requestJira` (as the user or as the app).
 * Every response is parsed with zod here, at the boundary; callers get typed values or an
 * AppError. 429 answers are retried after their `Retry-After`, 5xx answers with
 * exponential backoff, both within a bounded budget so one invocation stays far inside
 * Forge's 25 s limit. When the budget is spent the caller gets RATE_LIMITED or
 * JIRA_UNAVAILABLE with a message a person can act on.
 */
import type { Route } from '@forge/api';
import { z } from 'zod';
import { AppError } from '../../ports/app-error';

export interface JiraResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type RequestJira = (
  route: Route,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<JiraResponseLike>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Upper bound on the time spent waiting between attempts, over the whole call. */
  maxWaitMs: number;
  /** First 5xx backoff; doubled on each further attempt. */
  baseBackoffMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  maxWaitMs: 8_000,
  baseBackoffMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type JiraMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JiraRequest<S extends z.ZodType> {
  method: JiraMethod;
  /** Parses the answer; `NoContent` for a 204. */
  schema: S;
  body?: unknown;
  /** A read sent as POST (search/jql, bulkfetch): safe to retry on 5xx like a GET. */
  read?: boolean;
  /** Answer undefined on 404 instead of failing: for reads where absence is an answer. */
  absentOn404?: boolean;
}

/** For answers without a body (204). */
export const NoContent = z.undefined();

/** For writes whose answer the app does not use (a property PUT answers 200 or 201, with an empty or JSON body). */
export const IgnoredBody = z.unknown();

/**
 * One method, named and shaped like Forge's `requestJira(route, { method })`, so that
 * Atlassian's permission linter (`npm run lint:forge`) sees every call site and checks
 * its scope against the manifest.
 */
export interface JiraHttp {
  requestJira<S extends z.ZodType>(
    route: Route,
    init: JiraRequest<S> & { absentOn404: true },
  ): Promise<z.infer<S> | undefined>;
  requestJira<S extends z.ZodType>(route: Route, init: JiraRequest<S>): Promise<z.infer<S>>;
}

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
const jiraErrorText = (text: string): string => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const messages =
        'errorMessages' in parsed && Array.isArray(parsed.errorMessages)
          ? parsed.errorMessages.filter((m): m is string => typeof m === 'string')
          : [];
      const fieldErrors =
        'errors' in parsed && parsed.errors && typeof parsed.errors === 'object'
          ? Object.entries(parsed.errors).map(([k, v]) => `${k}: ${String(v)}`)
          : [];
      const all = [...messages, ...fieldErrors];
      if (all.length > 0) return all.join('; ');
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300);
};

/**
 * What a request is about, in words, for messages a person reads. The REST path itself is
 * internal (it names the app's properties, fields and the calls it makes as the person), and
 * an issue key in it may be one the person cannot browse, so neither is ever shown.
 */
const RESOURCES: readonly (readonly [RegExp, string])[] = [
  [/^\/rest\/api\/3\/issue\/[^/]+\/properties\//, 'the app’s data on an issue'],
  [/^\/rest\/api\/3\/issue\/[^/]+\/transitions/, 'an issue’s workflow transitions'],
  [/^\/rest\/api\/3\/(issue|changelog)\/bulkfetch/, 'the linked issues'],
  [/^\/rest\/api\/3\/issue\/[^/]+\/changelog/, 'an issue’s history'],
  [/^\/rest\/api\/3\/issue\/[^/]+/, 'an issue'],
  [/^\/rest\/api\/3\/issue$/, 'creating an issue'],
  [/^\/rest\/api\/3\/issueLinkType/, 'the site’s issue link types'],
  [/^\/rest\/api\/3\/issueLink/, 'an issue link'],
  [/^\/rest\/api\/3\/search/, 'a search for issues'],
  [/^\/rest\/api\/3\/mypermissions/, 'your permissions'],
  [/^\/rest\/api\/3\/myself/, 'your Jira account'],
  [/^\/rest\/api\/3\/app\/field/, 'the Regulatory impact field'],
  [/^\/rest\/api\/3\/(field|status|project|issuetype|workflow)/, 'the site’s Jira configuration'],
];
export const describeJiraResource = (path: string): string =>
  RESOURCES.find(([pattern]) => pattern.test(path.split('?')[0] ?? ''))?.[1] ?? 'a Jira resource';

/** Jira's own error text, with any REST path it quotes replaced (the stand-in's and some of Jira's do quote them). */
const withoutRestPaths = (text: string): string => text.replace(/\/rest\/\S*/g, '(a Jira resource)');

const retryAfterMs = (header: string | null): number | undefined => {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

export const createJiraHttp = (forgeRequestJira: RequestJira, policy: RetryPolicy = defaultRetryPolicy): JiraHttp => {
  /**
   * A 5xx to a POST that creates something may have been applied before it failed, so a
   * retry could create a duplicate: only idempotent requests are retried on 5xx. A 429 is
   * refused before any work is done and is always safe to retry.
   */
  const call = async (
    method: string,
    route: Route,
    body: unknown,
    idempotent = method !== 'POST',
  ): Promise<{ status: number; text: string }> => {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const init: { method: string; headers: Record<string, string>; body?: string } = {
        method,
        headers: { Accept: 'application/json' },
      };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const response = await forgeRequestJira(route, init);
      const text = await response.text();
      const retryable = response.status === 429 || (response.status >= 500 && idempotent);
      if (!retryable) return { status: response.status, text };

      const wait =
        response.status === 429
          ? (retryAfterMs(response.headers.get('Retry-After')) ?? policy.baseBackoffMs * 2 ** (attempt - 1))
          : policy.baseBackoffMs * 2 ** (attempt - 1);
      if (attempt >= policy.maxAttempts || waited + wait > policy.maxWaitMs) {
        if (response.status === 429) {
          throw new AppError(
            'RATE_LIMITED',
            'Jira is rate-limiting this app right now. Nothing was changed; try again in a minute.',
            { status: 429, attempts: attempt },
          );
        }
        throw new AppError(
          'JIRA_UNAVAILABLE',
          `Jira did not answer successfully (HTTP ${response.status}) after ${attempt} attempts, asked about ${describeJiraResource(route.value)}. Nothing was changed; try again later.`,
          { status: response.status, attempts: attempt },
        );
      }
      waited += wait;
      await policy.sleep(wait);
    }
  };

  const fail = (status: number, text: string, route: Route): never => {
    const detail = withoutRestPaths(jiraErrorText(text));
    const what = describeJiraResource(route.value);
    if (status === 404)
      throw new AppError('NOT_FOUND', `Jira found nothing for ${what}, or you may not see it. ${detail}`.trim(), {
        status,
      });
    if (status === 401 || status === 403)
      throw new AppError('FORBIDDEN', `Jira refused access to ${what}: ${detail}`, { status });
    // Only a request that creates something gets here with a 5xx (the rest were retried): Jira may
    // have failed before or after applying it, and the app cannot know which.
    if (status >= 500) {
      throw new AppError(
        'JIRA_UNAVAILABLE',
        `Jira failed (HTTP ${status}) while handling ${what}: ${detail}. As far as the app can tell, nothing was changed; reload to check before you try again.`,
        { status },
      );
    }
    if (status === 409) throw new AppError('CONFLICT', `Jira reported a conflict on ${what}: ${detail}`, { status });
    throw new AppError('JIRA_REJECTED', `Jira rejected the request for ${what} (HTTP ${status}): ${detail}`, {
      status,
    });
  };

  const parse = <S extends z.ZodType>(schema: S, text: string, route: Route): z.infer<S> => {
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new AppError(
        'INVALID_RESPONSE',
        `Jira answered about ${describeJiraResource(route.value)} with something that is not JSON.`,
      );
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const first = result.error.issues[0];
      throw new AppError(
        'INVALID_RESPONSE',
        `Jira's answer about ${describeJiraResource(route.value)} did not have the expected shape (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown'}).`,
      );
    }
    return result.data;
  };

  const ok = (status: number) => status >= 200 && status < 300;

  async function requestJira<S extends z.ZodType>(
    route: Route,
    init: JiraRequest<S> & { absentOn404: true },
  ): Promise<z.infer<S> | undefined>;
  async function requestJira<S extends z.ZodType>(route: Route, init: JiraRequest<S>): Promise<z.infer<S>>;
  async function requestJira<S extends z.ZodType>(route: Route, init: JiraRequest<S>): Promise<z.infer<S> | undefined> {
    const { status, text } = await call(init.method, route, init.body, init.method !== 'POST' || init.read === true);
    if (status === 404 && init.absentOn404) return undefined;
    if (!ok(status)) return fail(status, text, route);
    return parse(init.schema, text, route);
  }

  return { requestJira };
};
