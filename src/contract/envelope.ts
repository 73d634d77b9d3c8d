/**
 * The one response envelope every resolver answers with, so the frontend can tell a typed
 * failure (with a message written for the person) from data without guessing.
 * Imported by src/ and static/ alike: keep it free of Node and @forge imports.
 */
import { z } from 'zod';
import type { AppErrorCode } from '../ports/app-error';

export const APP_ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'RATE_LIMITED',
  'JIRA_UNAVAILABLE',
  'JIRA_REJECTED',
  'INVALID_RESPONSE',
  'STORAGE_FAILED',
  'INTERNAL',
] as const satisfies readonly AppErrorCode[];

export const AppErrorCodeSchema = z.enum(APP_ERROR_CODES);

export const ErrorEnvelopeSchema = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: AppErrorCodeSchema, message: z.string().min(1) }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export const envelopeSchema = <S extends z.ZodType>(data: S) =>
  z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true), data }), ErrorEnvelopeSchema]);

export type Envelope<T> = { ok: true; data: T } | ErrorEnvelope;
