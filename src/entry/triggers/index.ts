export { consistencyTrigger } from './consistency-trigger';
export { overdueCommitmentsScheduled } from './overdue-commitments';
export { traceabilityIndexTrigger } from './traceability-index-trigger';
export { auditVerificationScheduled } from './audit-verification';
