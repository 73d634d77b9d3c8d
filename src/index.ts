// Re-exports exactly the handlers manifest.yml names, grouped by module kind.

// jira:workflowValidator
export {
  impactAssessedValidator,
  filingPlannedValidator,
  priorApprovalGrantedValidator,
  evidenceCompleteValidator,
  commitmentFulfilledValidator,
} from './entry/validators';

// Custom UI resolvers (one per surface)
export { impactPanelResolver, readinessPanelResolver } from './entry/resolvers';
export { adminPageResolver } from './entry/resolvers';
export { gateConfigResolver } from './entry/resolvers';
export { traceabilityMacroResolver } from './entry/resolvers';
export { correspondencePanelResolver, rimGlanceResolver } from './entry/resolvers';

// trigger and scheduledTrigger
export { consistencyTrigger, overdueCommitmentsScheduled, auditVerificationScheduled } from './entry/triggers';
export { traceabilityIndexTrigger } from './entry/triggers';

// consumer (@forge/events queues)
export { traceabilityBackfillConsumer } from './entry/consumers';
