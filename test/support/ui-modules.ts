/**
 * The app's Custom UI modules as the manifest declares them, each with the resolver handler
 * src/index.ts exports for it, and a way to call one resolver key the way Forge's `invoke`
 * does: as a person, in a module's extension context, through the sandbox runtime.
 */
import { z } from 'zod';
import { loadManifest } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import type { ResolverHandler } from '../../sandbox/runtime/forge-runtime';
import * as index from '../../src';

export interface UiModule {
  key: string;
  functionKey: string;
  handler: ResolverHandler;
}

export const uiModulesOf = (manifest = loadManifest()): UiModule[] => {
  const handlers = index as unknown as Record<string, unknown>;
  return Object.entries(manifest.modules)
    .filter(([type]) => type !== 'function')
    .flatMap(([, list]) => list)
    .flatMap((module) => {
      const resolver = z.looseObject({ resolver: z.looseObject({ function: z.string() }) }).safeParse(module);
      if (!resolver.success) return [];
      const fn = (manifest.modules['function'] ?? []).find((f) => f.key === resolver.data.resolver.function);
      const handlerName = z.looseObject({ handler: z.string() }).parse(fn).handler.split('.')[1] ?? '';
      const handler = handlers[handlerName];
      if (typeof handler !== 'function') throw new Error(`${module.key}: src/index.ts does not export ${handlerName}`);
      return [{ key: module.key, functionKey: resolver.data.resolver.function, handler: handler as ResolverHandler }];
    });
};

/** One resolver call as `accountId`, in `extension` (whose `type` is the module type). */
export const invokeUiModule = (
  app: SandboxApp,
  module: UiModule,
  call: { key: string; payload: unknown; extension: Record<string, unknown>; accountId: string },
): Promise<unknown> =>
  app.runtime.invokeResolver(
    module.handler,
    { functionKey: call.key, payload: call.payload, extension: call.extension },
    {
      accountId: call.accountId,
      moduleKey: module.key,
      functionKey: module.functionKey,
      moduleType: String(call.extension['type']),
    },
  );
