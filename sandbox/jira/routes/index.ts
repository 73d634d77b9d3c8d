import { appFieldValueRoutes } from './app-field-values';
import { bulkFetchRoutes } from './bulkfetch';
import { changelogRoutes } from './changelog';
import { groupsAndRolesRoutes } from './groups-and-roles';
import { issueLinkRoutes } from './issue-links';
import { issueRoutes } from './issues';
import { myPermissionsRoutes } from './my-permissions';
import { propertyRoutes } from './properties';
import type { RouteDefinition } from './route-kit';
import { searchRoutes } from './search';
import { siteConfigurationRoutes } from './site-configuration';
import { systemRoutes } from './system';
import { transitionRoutes } from './transitions';

/** Every REST operation the stand-in implements, by its OpenAPI template. */
export const ALL_ROUTES: readonly RouteDefinition[] = [
  ...systemRoutes,
  ...issueRoutes,
  ...transitionRoutes,
  ...issueLinkRoutes,
  ...propertyRoutes,
  ...changelogRoutes,
  ...searchRoutes,
  ...bulkFetchRoutes,
  ...appFieldValueRoutes,
  ...siteConfigurationRoutes,
  ...myPermissionsRoutes,
  ...groupsAndRolesRoutes,
];

/** `"METHOD /template"` for each implemented operation: what the contract test drives. */
export const IMPLEMENTED_OPERATIONS: readonly string[] = ALL_ROUTES.map((r) => `${r.method} ${r.template}`);
