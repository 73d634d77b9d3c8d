/**
 * Opaque `nextPageToken`s. A token remembers where the next page starts and which query
 * it belongs to, so a token replayed against another query is refused, not misapplied.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from './errors';

const TokenSchema = z.object({ o: z.number().int().min(0), q: z.string() });

export const queryFingerprint = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);

export const encodePageToken = (offset: number, fingerprint: string): string =>
  Buffer.from(JSON.stringify({ o: offset, q: fingerprint })).toString('base64url');

export const decodePageToken = (token: string | undefined, fingerprint: string): number => {
  if (token === undefined || token === '') return 0;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = TokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.q !== fingerprint)
    throw badRequest('The provided next page token is invalid or expired, or belongs to a different query.');
  return parsed.data.o;
};
