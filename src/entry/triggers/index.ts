export { consistencyTrigger } from './consistency-trigger';
export { overdueCommitmentsScheduled } from './overdue-commitments';
