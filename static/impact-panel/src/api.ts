/**
 * Every call this bundle makes to its resolver goes through here: `invoke` from
 * @forge/bridge, and the answer parsed with the shared contract's envelope schema, so the
 * components only ever see a typed value or a typed error with a message for the person.
 */
import { invoke } from '@forge/bridge';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { ResolverOutput } from '../../../src/contract/resolvers';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

export { parseEnvelope };

export type Invoke = (functionKey: string, payload: Record<string, never>) => Promise<unknown>;

export const createApi = (call: Invoke) => ({
  getImpact: async (): Promise<Envelope<ResolverOutput<'impact/get'>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT['impact/get'].output, await call('impact/get', {}));
    } catch {
      return unreachable;
    }
  },
});

export const api = createApi((functionKey, payload) => invoke(functionKey, payload));
