/**
 * What arrives at `__forge_fetch__(target, path, init)`, read off @forge/api 8.3.0
 * (`api/fetch.js`: `__fetchProduct`, `fetchRemote`; `api/endpoint.js`; `sendEmail.js`),
 * @forge/kvs 1.6.5 (`index.js`: `getFetchClient`) and @forge/events 3.0.8 (`queue.js`,
 * `jobProgress.js`, which call `__requestAtlassianAsApp`, a product fetch to `stargate`).
 * Parsed strictly: a target of a shape not listed here means the seam has moved.
 */
import { z } from 'zod';

/**
 * @forge/kvs picks its target once, when it is first imported: with `runtime.kvs.url` and
 * `runtime.kvs.host` present it sends `{ type: 'kvs' }` plus a bearer token and tracing
 * headers; without them, `{ type: 'kvs', provider: 'app', remote: 'kvs' }`.
 */
export const KvsTargetSchema = z.strictObject({
  type: z.literal('kvs'),
  provider: z.literal('app').optional(),
  remote: z.literal('kvs').optional(),
});

/**
 * `asUser(userId?)` sends `provider: 'user'` with `accountId: userId` (undefined for "the
 * invoking user"); `asApp()` sends `provider: 'app'`; the bare `requestJira` export sends
 * `provider: 'none'`. `withContext(ari)` adds `contextAri`.
 */
export const ProductTargetSchema = z.strictObject({
  type: z.literal('fpp'),
  provider: z.enum(['user', 'app', 'none']),
  remote: z.string(),
  accountId: z.string().optional(),
  contextAri: z.string().optional(),
});
export type ProductTarget = z.infer<typeof ProductTargetSchema>;

/** Third-party fetch, Forge remotes, container services, email: outside the sandbox's scope. */
export const UnsupportedTargetSchema = z.looseObject({ type: z.enum(['tpp', 'frc', 'fcc', 'email']) });

export const ForgeFetchTargetSchema = z.union([KvsTargetSchema, ProductTargetSchema, UnsupportedTargetSchema]);

const isBinary = (value: unknown): value is ArrayBuffer | ArrayBufferView =>
  // Tag checks instead of instanceof: under Jest the app's ArrayBuffer may come from another realm.
  Object.prototype.toString.call(value) === '[object ArrayBuffer]' || ArrayBuffer.isView(value);

interface HeadersLike {
  forEach(callback: (value: string, name: string) => void): void;
}
const isHeadersLike = (value: unknown): value is HeadersLike =>
  typeof value === 'object' && value !== null && 'forEach' in value && typeof value.forEach === 'function';

/** The `RequestInit` the app (or the client library) passes; only what the sandbox needs. */
export const ForgeFetchInitSchema = z
  .looseObject({
    method: z.string().optional(),
    headers: z.union([z.record(z.string(), z.string()), z.custom<HeadersLike>(isHeadersLike)]).optional(),
    body: z
      .union([z.string(), z.instanceof(URLSearchParams), z.custom<ArrayBuffer | ArrayBufferView>(isBinary)])
      .optional(),
  })
  .optional();
export type ForgeFetchInit = z.infer<typeof ForgeFetchInitSchema>;

/** Header names are case-insensitive; the sandbox hands them on lower-cased. */
export const normaliseHeaders = (headers: Record<string, string> | HeadersLike | undefined): Record<string, string> => {
  const normalised: Record<string, string> = {};
  if (headers === undefined) return normalised;
  if (isHeadersLike(headers)) {
    headers.forEach((value, name) => (normalised[name.toLowerCase()] = value));
    return normalised;
  }
  for (const [name, value] of Object.entries(headers)) normalised[name.toLowerCase()] = value;
  return normalised;
};

export const bodyAsText = (
  body: string | URLSearchParams | ArrayBuffer | ArrayBufferView | undefined,
): string | undefined => {
  if (body === undefined || typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return Buffer.from(body).toString('utf8');
};

/**
 * `Queue.push` body (@forge/events `queue.js`), POSTed to
 * `/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}` with those
 * placeholders left literally in the path for the platform proxy to fill in.
 */
export const QueuePushRequestSchema = z.strictObject({
  queueName: z.string(),
  jobId: z.string(),
  type: z.literal('avi:forge:app:event'),
  schema: z.literal('ari:cloud:ecosystem::forge/app-event-2'),
  payload: z
    .array(
      z.strictObject({
        body: z.record(z.string(), z.unknown()),
        delayInSeconds: z.number().optional(),
        concurrency: z.strictObject({ key: z.string(), limit: z.number() }).optional(),
      }),
    )
    .min(1),
  time: z.string(),
});
export type QueuePushRequest = z.infer<typeof QueuePushRequestSchema>;

/** Body of `JobProgress.getStats()` and `.cancel()`. */
export const QueueJobRequestSchema = z.strictObject({ queueName: z.string(), jobId: z.string(), time: z.string() });

export const QUEUE_PATHS = {
  push: '/webhook/queue/publish/',
  stats: '/webhook/queue/stats/',
  cancel: '/webhook/queue/cancel/',
} as const;

/** What the injected product handler (the Jira stand-in) answers; parsed, since it is a boundary too. */
export const ProductAnswerSchema = z.strictObject({
  status: z.number().int().min(200).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
});
