// Re-exports exactly the handlers manifest.yml names, grouped by module kind.

// jira:workflowValidator
export {
  impactAssessedValidator,
  filingPlannedValidator,
  priorApprovalGrantedValidator,
  evidenceCompleteValidator,
  commitmentFulfilledValidator,
} from './entry/validators';
