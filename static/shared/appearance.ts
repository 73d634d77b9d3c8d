/** The lozenge appearances of Atlassian's design system that the surfaces use. */
export type Appearance = 'success' | 'removed' | 'inprogress' | 'moved' | 'default';

/** The regulatory impact status of a QMS record, as a lozenge. */
export const IMPACT_APPEARANCE: Readonly<
  Record<'not-assessed' | 'in-assessment' | 'no-filing' | 'filing-required', Appearance>
> = {
  'not-assessed': 'default',
  'in-assessment': 'inprogress',
  'no-filing': 'success',
  'filing-required': 'moved',
};
/** What a glance shows: one lozenge and a line under it. */
export interface GlanceContent {
  lozenge: string;
  appearance: Appearance;
  detail: string;
}
