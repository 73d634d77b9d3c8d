export { impactPanelResolver } from './impact-panel';
export { readinessPanelResolver } from './readiness-panel';
export { adminPageResolver } from './admin-page';
export { traceabilityMacroResolver } from './traceability-macro';
