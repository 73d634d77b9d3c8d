/**
 * Every call this bundle makes to its resolver goes through here: `invoke` from
 * @forge/bridge, and the answer parsed with the shared contract's envelope schema, so the
 * components only ever see a typed value or a typed error with a message for the person.
 */
import { invoke } from '@forge/bridge';
import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../../../src/contract/envelope';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { EvidencePacketFormat, ResolverOutput } from '../../../src/contract/resolvers';

// The envelope's success half, with its data checked against the key's output schema below.
const SuccessShape = z.strictObject({ ok: z.literal(true), data: z.unknown() });

export type Invoke = (functionKey: string, payload: Record<string, string>) => Promise<unknown>;

/** Anything that is not a valid envelope with `output` as its data becomes an INVALID_RESPONSE error. */
export const parseEnvelope = <O extends z.ZodType>(output: O, answer: unknown): Envelope<z.infer<O>> => {
  const failure = ErrorEnvelopeSchema.safeParse(answer);
  if (failure.success) return failure.data;
  const success = SuccessShape.safeParse(answer);
  const data = success.success ? output.safeParse(success.data.data) : undefined;
  if (data?.success) return { ok: true, data: data.data };
  return { ok: false, error: { code: 'INVALID_RESPONSE', message: 'The app answered in a shape this panel does not understand. Reload the page; if it persists, tell your Jira admin.' } };
};

const unreachable = { ok: false, error: { code: 'INTERNAL', message: 'The panel could not reach the app. Check your connection and reload the page.' } } as const;

export const createApi = (call: Invoke) => ({
  getReadiness: async (): Promise<Envelope<ResolverOutput<'readiness/get'>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT['readiness/get'].output, await call('readiness/get', {}));
    } catch {
      return unreachable;
    }
  },
  exportPacket: async (format: EvidencePacketFormat): Promise<Envelope<ResolverOutput<'readiness/export'>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT['readiness/export'].output, await call('readiness/export', { format }));
    } catch {
      return unreachable;
    }
  },
});

export const api = createApi((functionKey, payload) => invoke(functionKey, payload));
