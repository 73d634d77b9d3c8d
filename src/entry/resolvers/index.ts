export { impactPanelResolver } from './impact-panel';
