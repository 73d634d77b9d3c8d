/** Atlassian's lozenge (@atlaskit/lozenge), which follows the light and dark themes through design tokens. */
import AkLozenge from '@atlaskit/lozenge';
import type { ReactNode } from 'react';

import type { Appearance } from './appearance';

export type { Appearance };

export const Lozenge = ({ appearance, children }: { appearance: Appearance; children: ReactNode }) => (
  <AkLozenge appearance={appearance}>{children}</AkLozenge>
);
