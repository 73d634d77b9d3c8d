/**
 * Builds the demo's traceability index the way a Jira admin would on a real site: the admin
 * page's "Rebuild index" (the app's real resolver) queues the rebuild, and the sandbox
 * delivers its chunks to the app's real consumer. The demo issues are seeded without events,
 * so without this the index would hold nothing until the first change.
 */
import type { SandboxApp } from '../app-host';
import { SITE_ACCOUNTS } from '../jira';
import type { ResolverHandler } from '../runtime/forge-runtime';

export const buildDemoIndex = async (app: SandboxApp, adminPageResolver: ResolverHandler): Promise<void> => {
  await app.runtime.invokeResolver(
    adminPageResolver,
    { functionKey: 'admin/index/rebuild', payload: {}, extension: { type: 'jira:adminPage' } },
    { accountId: SITE_ACCOUNTS.admin, moduleKey: 'admin-page', moduleType: 'jira:adminPage' },
  );
  await app.whenIdle();
};
