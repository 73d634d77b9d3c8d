/**
 * Every call this bundle makes to its resolver: `invoke` from @forge/bridge, the answer
 * parsed with the shared contract's envelope schema.
 */
import { invoke } from '@forge/bridge';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { ResolverOutput } from '../../../src/contract/resolvers';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

export type Invoke = (functionKey: string, payload: Record<string, string>) => Promise<unknown>;

export const createApi = (call: Invoke) => ({
  getPanel: async (): Promise<Envelope<ResolverOutput<'correspondence/get'>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT['correspondence/get'].output, await call('correspondence/get', {}));
    } catch {
      return unreachable;
    }
  },
  linkRecord: async (recordKey: string): Promise<Envelope<ResolverOutput<'correspondence/link-record'>>> => {
    try {
      return parseEnvelope(
        RESOLVER_CONTRACT['correspondence/link-record'].output,
        await call('correspondence/link-record', { recordKey }),
      );
    } catch {
      return unreachable;
    }
  },
});

export const api = createApi((functionKey, payload) => invoke(functionKey, payload));
