/**
 * The Jira Cloud REST v3 stand-in (sandbox only, never deployed). Start here:
 * `createJiraStandIn(config)` for the core, `createJiraHttpListener(standIn)` to serve it
 * over HTTP, `createJiraProductHandler(standIn)` to plug it into the Forge runtime seam.
 */
export { createJiraStandIn } from './stand-in';
export type { JiraStandIn } from './stand-in';
export type {
  EventEmitter,
  JiraStandInConfig,
  RequestIdentity,
  StandInRequest,
  StandInResponse,
  ValidatorInvocation,
  ValidatorRunner,
  ValidatorVerdict,
} from './config';
export { DEFAULT_APP_ACCOUNT_ID } from './config';
export { createJiraHttpListener, basicAuthEmail } from './adapters/http-listener';
export { createJiraProductHandler } from './adapters/forge-product-handler';
export type { JiraProductRequest, JiraProductResponse } from './adapters/forge-product-handler';
export type { FaultSettings } from './faults';
export type { JiraMetrics } from './metrics';
export type { DeliveryFailure, JiraEventType } from './events';
export type {
  SeedApi,
  SeedCustomFieldInput,
  SeedEntityPropertyIndexInput,
  SeedHistoryInput,
  SeedIssueInput,
  SeedIssueTypeInput,
  SeedLinkInput,
  SeedLinkTypeInput,
  SeedProjectInput,
  SeedStatusInput,
  SeedTransitionInput,
  SeedUserInput,
  SeedWorkflowInput,
  GrantPermissionsInput,
  RevokePermissionsInput,
  SetTransitionValidatorsInput,
  SetWorkflowTransitionValidatorsInput,
  WorkflowSummary,
} from './admin/seed';
export type {
  JiraStandInSnapshot,
  ProjectPermission,
  StoredIssue,
  StoredUser,
  ValidatorConfig,
} from './model/state-schema';
export { IMPLEMENTED_OPERATIONS } from './routes';
export { adfParagraph, adfToPlainText } from './model/adf';
export { createSteppingClock, formatJiraDateTime } from './model/jira-time';
export { ISSUE_NOT_VISIBLE } from './errors';
export {
  seedQmsRimSite,
  SITE_ACCOUNTS,
  SITE_EMAILS,
  SITE_GROUPS,
  QMS_ISSUE_TYPES,
  RIM_ISSUE_TYPES,
  REGULATORY_IMPACT_FIELD,
  QMS_TRANSITIONS,
  SUBMISSION_TRANSITIONS,
  COMMITMENT_TRANSITIONS,
} from './fixtures/qms-rim-site';
