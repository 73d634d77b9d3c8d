/**
 * The Correspondence section's one call: `impact/correspondence`, its answer parsed with the
 * shared contract. Apart from the panel's api.ts, so the section stays one separate piece.
 */
import { invoke } from '@forge/bridge';
import type { PanelCorrespondence } from '../../../src/contract/correspondence';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

export type Invoke = (functionKey: string, payload: Record<string, never>) => Promise<unknown>;

export const loadRecordCorrespondence = async (
  call: Invoke = (functionKey, payload) => invoke(functionKey, payload),
): Promise<Envelope<PanelCorrespondence[]>> => {
  try {
    return parseEnvelope(RESOLVER_CONTRACT['impact/correspondence'].output, await call('impact/correspondence', {}));
  } catch {
    return unreachable;
  }
};
