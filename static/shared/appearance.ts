/** The lozenge appearances of Atlassian's design system that the surfaces use. */
export type Appearance = 'success' | 'removed' | 'inprogress' | 'moved' | 'default';

/** What a glance shows: one lozenge and a line under it. */
export interface GlanceContent {
  lozenge: string;
  appearance: Appearance;
  detail: string;
}
