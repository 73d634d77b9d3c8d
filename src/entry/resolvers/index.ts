export { impactPanelResolver } from './impact-panel';
export { readinessPanelResolver } from './readiness-panel';
export { adminPageResolver } from './admin-page';
export { gateConfigResolver } from './gate-config';
export { traceabilityMacroResolver } from './traceability-macro';
