import { gateValidator } from './gate-validator';

export const impactAssessedValidator = gateValidator('impact-assessed', 'Regulatory impact not assessed');
export const filingPlannedValidator = gateValidator('filing-planned', 'Regulatory filing not planned');
export const priorApprovalGrantedValidator = gateValidator('prior-approval-granted', 'Prior approval not granted');
export const evidenceCompleteValidator = gateValidator('evidence-complete', 'Quality evidence not complete');
export const commitmentFulfilledValidator = gateValidator('commitment-fulfilled', 'Commitment not fulfilled');
