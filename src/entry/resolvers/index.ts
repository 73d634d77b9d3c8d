export { impactPanelResolver } from './impact-panel';
export { readinessPanelResolver } from './readiness-panel';
export { adminPageResolver } from './admin-page';
export { gateConfigResolver } from './gate-config';
export { traceabilityMacroResolver } from './traceability-macro';
export { correspondencePanelResolver } from './correspondence-panel';
export { rimGlanceResolver } from './rim-glance';
