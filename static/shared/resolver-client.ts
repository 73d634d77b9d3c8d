/**
 * How every bundle reads its resolver's answer: the envelope parsed with the shared
 * contract, so components only ever see a typed value or a typed error with a message for
 * the person.
 */
import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../../src/contract/envelope';
import type { Envelope } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import type { ResolverInput, ResolverKey, ResolverOutput } from '../../src/contract/resolvers';

// The envelope's success half, with its data checked against the key's output schema.
const SuccessShape = z.strictObject({ ok: z.literal(true), data: z.unknown() });

const INVALID_RESPONSE =
  'The app answered in a shape this panel does not understand. Reload the page; if it persists, tell your Jira admin.';

/**
 * Anything that is not a valid envelope with `output` as its data becomes an INVALID_RESPONSE
 * error, with `invalidMessage` for the person (the admin page, read by the Jira admin, says whom
 * to tell instead).
 */
export const parseEnvelope = <O extends z.ZodType>(
  output: O,
  answer: unknown,
  invalidMessage: string = INVALID_RESPONSE,
): Envelope<z.infer<O>> => {
  const failure = ErrorEnvelopeSchema.safeParse(answer);
  if (failure.success) return failure.data;
  const success = SuccessShape.safeParse(answer);
  const data = success.success ? output.safeParse(success.data.data) : undefined;
  if (data?.success) return { ok: true, data: data.data };
  return { ok: false, error: { code: 'INVALID_RESPONSE', message: invalidMessage } };
};

/** What a bundle shows when `invoke` itself failed (network, host). */
export const unreachable = {
  ok: false,
  error: { code: 'INTERNAL', message: 'The panel could not reach the app. Check your connection and reload the page.' },
} as const;

/** One typed call per resolver key: the key's input in, its envelope out, a failed `invoke` as `unreachable`. */
export const createResolverRequest =
  (call: (functionKey: string, payload: unknown) => Promise<unknown>) =>
  async <K extends ResolverKey>(key: K, input: ResolverInput<K>): Promise<Envelope<ResolverOutput<K>>> => {
    try {
      const output = RESOLVER_CONTRACT[key].output as unknown as z.ZodType<ResolverOutput<K>>;
      return parseEnvelope(output, await call(key, input));
    } catch {
      return unreachable;
    }
  };
