/**
 * The resolver behind the "Regulatory traceability" Confluence macro (manifest:
 * traceability-macro). The macro's configuration comes from Forge's server-side context
 * (`extension.config`, saved by Confluence when the editor submits the config view), never
 * from the payload. Jira is read as the viewer (asUser), so the view shows only what Jira
 * lets that person browse; the index is the app's own storage.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { MacroConfigSchema } from '../../contract/traceability';
import type { MacroConfig } from '../../contract/traceability';
import { AppError } from '../../ports/app-error';
import { exportTraceabilityCsv, loadMacroOptions, loadTraceabilityView } from '../../services/load-traceability';
import type { TraceabilityDeps } from '../../services/load-traceability';
import type { ResolverContext } from './define';
import { defineTyped } from './define';

const MacroContextSchema = z.looseObject({
  extension: z.looseObject({ type: z.literal('macro'), config: z.unknown().optional() }),
});

/** A macro not configured yet shows everything the viewer may see. */
const configOf = (context: ResolverContext): MacroConfig => {
  const macro = MacroContextSchema.safeParse(context);
  if (!macro.success)
    throw new AppError(
      'INVALID_INPUT',
      'This view belongs in the "Regulatory traceability" macro on a Confluence page, and Forge did not say it is one. Reload the page.',
    );
  const raw = macro.data.extension.config;
  if (raw === undefined || raw === null) return {};
  const config = MacroConfigSchema.safeParse(raw);
  if (!config.success) {
    const first = config.error.issues[0];
    throw new AppError(
      'INVALID_INPUT',
      `The macro's configuration is not valid (${first ? `${first.path.join('.') || '(config)'}: ${first.message}` : 'unknown'}). Edit the page and configure the macro again.`,
    );
  }
  return config.data;
};

const viewerDeps = async (): Promise<TraceabilityDeps> => ({
  jira: createJiraHttp(asUser().requestJira),
  conventions: await loadConventions(),
  today: new Date().toISOString().slice(0, 10),
});

const resolver = new Resolver();

defineTyped(resolver, 'traceability/get', async (request, context) =>
  loadTraceabilityView(configOf(context), request, await viewerDeps()),
);

defineTyped(resolver, 'traceability/export', async (request, context) =>
  exportTraceabilityCsv(configOf(context), request, await viewerDeps()),
);

defineTyped(resolver, 'traceability/options', async () => loadMacroOptions());

export const traceabilityMacroResolver = resolver.getDefinitions();
