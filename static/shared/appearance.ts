/** The lozenge appearances of Atlassian's design system that the surfaces use. */
export type Appearance = 'success' | 'removed' | 'inprogress' | 'moved' | 'default';
