/** Atlassian's lozenge, drawn with design tokens so it follows the light and dark themes. */
import { token } from '@atlaskit/tokens';
import type { ReactNode } from 'react';

import type { Appearance } from './appearance';

export type { Appearance };

const LOZENGE: Record<Appearance, { background: string; color: string }> = {
  success: { background: token('color.background.success', '#DCFFF1'), color: token('color.text.success', '#216E4E') },
  removed: { background: token('color.background.danger', '#FFECEB'), color: token('color.text.danger', '#AE2E24') },
  inprogress: { background: token('color.background.information', '#E9F2FF'), color: token('color.text.information', '#0055CC') },
  moved: { background: token('color.background.warning', '#FFF7D6'), color: token('color.text.warning', '#A54800') },
  default: { background: token('color.background.neutral', '#091E420F'), color: token('color.text', '#172B4D') },
};

export const Lozenge = ({ appearance, children }: { appearance: Appearance; children: ReactNode }) => (
  <span
    style={{
      ...LOZENGE[appearance],
      borderRadius: token('radius.small', '3px'),
      padding: `0 ${token('space.050', '4px')}`,
      font: token('font.body.small', 'normal 700 11px/16px system-ui, sans-serif'),
      fontWeight: 700,
      textTransform: 'uppercase',
      whiteSpace: 'nowrap',
    }}
  >
    {children}
  </span>
);
