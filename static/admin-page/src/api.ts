/**
 * Every call the admin page makes to its resolver goes through here: `invoke` from
 * @forge/bridge, and the answer parsed with the shared contract's envelope schema, so the
 * components only ever see a typed value or a typed error with a message for the person.
 */
import { invoke } from '@forge/bridge';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { ResolverInput, ResolverKey, ResolverOutput } from '../../../src/contract/resolvers';
import { parseEnvelope } from '../../shared/resolver-client';

export type Invoke = (functionKey: string, payload: Record<string, unknown>) => Promise<unknown>;

const INVALID_RESPONSE =
  'The app answered in a shape this page does not understand. Reload the page; if it persists, contact the app’s support.';

type AdminKey = Extract<ResolverKey, `admin/${string}`>;

export const createApi = (call: Invoke) => {
  const request = async <K extends AdminKey>(key: K, input: ResolverInput<K>): Promise<Envelope<ResolverOutput<K>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT[key].output, await call(key, input), INVALID_RESPONSE) as Envelope<
        ResolverOutput<K>
      >;
    } catch {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'The page could not reach the app. Check your connection and reload the page.',
        },
      };
    }
  };
  return {
    getRegistry: () => request('admin/registry/get', {}),
    importRegistry: (csv: string) => request('admin/registry/import', { csv }),
    exportRegistry: () => request('admin/registry/export', {}),
    getCatalog: () => request('admin/catalog/get', {}),
    getMapping: () => request('admin/mapping/get', {}),
    saveMapping: (conventions: ResolverInput<'admin/mapping/save'>['conventions']) =>
      request('admin/mapping/save', { conventions }),
    verifyAudit: () => request('admin/audit/verify', {}),
    getSigners: () => request('admin/signers/get', {}),
    saveSigners: (rules: ResolverInput<'admin/signers/save'>['rules']) => request('admin/signers/save', { rules }),
    getAuditStatus: () => request('admin/audit/status', {}),
    exportAudit: (input: ResolverInput<'admin/audit/export'>) => request('admin/audit/export', input),
    getIndexStatus: () => request('admin/index/status', {}),
    rebuildIndex: () => request('admin/index/rebuild', {}),
    checkIndex: () => request('admin/index/check', {}),
    listSigningCredentials: () => request('admin/signing/list', {}),
    resetSigningCredential: (accountId: string) => request('admin/signing/reset', { accountId }),
  };
};

export const api = createApi((functionKey, payload) => invoke(functionKey, payload));
