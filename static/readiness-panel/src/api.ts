/**
 * Every call this bundle makes to its resolver goes through here: `invoke` from
 * @forge/bridge, and the answer parsed with the shared contract's envelope schema, so the
 * components only ever see a typed value or a typed error with a message for the person.
 */
import { invoke } from '@forge/bridge';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { EvidencePacketFormat, ResolverOutput } from '../../../src/contract/resolvers';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

export { parseEnvelope };

export type Invoke = (functionKey: string, payload: Record<string, string>) => Promise<unknown>;

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
