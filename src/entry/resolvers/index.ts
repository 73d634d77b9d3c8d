export { impactPanelResolver } from './impact-panel';
export { readinessPanelResolver } from './readiness-panel';
