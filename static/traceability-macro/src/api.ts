/**
 * Every call the macro makes goes through here: `invoke` and `view` from @forge/bridge, and
 * each answer parsed with the shared contract, so the components only ever see a typed value
 * or a typed error with a message for the person.
 */
import { invoke, view } from '@forge/bridge';
import { z } from 'zod';
import type { Envelope } from '../../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { ResolverInput, ResolverOutput } from '../../../src/contract/resolvers';
import { MacroConfigSchema } from '../../../src/contract/traceability';
import type { TraceViewFilter } from '../../../src/domain/traceability-summary';
import type { MacroConfig } from '../../../src/contract/traceability';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

type MacroKey = 'traceability/get' | 'traceability/export' | 'traceability/options';

export type Invoke = (functionKey: string, payload: Record<string, unknown>) => Promise<unknown>;

export const createApi = (call: Invoke) => {
  const request = async <K extends MacroKey>(key: K, input: ResolverInput<K>): Promise<Envelope<ResolverOutput<K>>> => {
    try {
      return parseEnvelope(RESOLVER_CONTRACT[key].output, await call(key, input)) as Envelope<ResolverOutput<K>>;
    } catch {
      return unreachable;
    }
  };
  const exportCsv = (filter: ResolverInput<'traceability/export'>) => request('traceability/export', filter);
  /**
   * Every part of the export, joined: the server cuts a large file into parts that each fit one
   * answer. All parts must carry the same SHA-256 of the whole file; if Jira changed between
   * two parts they differ, and the export is refused rather than stitched from two states.
   */
  const exportWholeCsv = async (
    filter: TraceViewFilter,
    progress: (part: number, parts: number | undefined) => void,
  ): Promise<Envelope<ResolverOutput<'traceability/export'>>> => {
    progress(0, undefined);
    const first = await exportCsv(filter);
    if (!first.ok) return first;
    const contents = [first.data.content];
    for (let part = 1; part < first.data.parts; part++) {
      progress(part, first.data.parts);
      const next = await exportCsv({ ...filter, part });
      if (!next.ok) return next;
      if (next.data.sha256 !== first.data.sha256) {
        return {
          ok: false,
          error: {
            code: 'CONFLICT',
            message:
              'The records changed in Jira while the file was being exported, so its parts do not belong together. Nothing was downloaded; export again.',
          },
        };
      }
      contents.push(next.data.content);
    }
    return { ok: true, data: { ...first.data, content: contents.join('') } };
  };
  return {
    getView: (page: ResolverInput<'traceability/get'>) => request('traceability/get', page),
    exportCsv,
    exportWholeCsv,
    getOptions: () => request('traceability/options', {}),
  };
};

export const api = createApi((functionKey, payload) => invoke(functionKey, payload));

/** The host says whether this is the macro's configuration dialog (`extension.macro.isConfiguring`), and the saved config. */
const MacroContextSchema = z.looseObject({
  extension: z.looseObject({
    config: z.unknown().optional(),
    macro: z.looseObject({ isConfiguring: z.boolean().optional() }).optional(),
  }),
});

export interface MacroContext {
  configuring: boolean;
  /** The saved configuration, or undefined when none (or none this bundle can read) is saved. */
  config: MacroConfig | undefined;
}

export const readMacroContext = async (): Promise<MacroContext> => {
  const context = MacroContextSchema.safeParse(await view.getContext());
  if (!context.success) return { configuring: false, config: undefined };
  const config = MacroConfigSchema.safeParse(context.data.extension.config ?? {});
  return {
    configuring: context.data.extension.macro?.isConfiguring === true,
    config: config.success ? config.data : undefined,
  };
};

/** Confluence saves the macro's configuration; the view then reads it from `extension.config`. */
export const saveConfig = (config: MacroConfig): Promise<void> => view.submit({ config });
