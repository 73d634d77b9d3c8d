import { token } from '@atlaskit/tokens';
import { view } from '@forge/bridge';
import type { CSSProperties } from 'react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from '../../impact-panel/src/api';
import type { Glance, GlanceAppearance } from './glance';
import { glanceOf } from './glance';

const LOZENGE: Record<GlanceAppearance, CSSProperties> = {
  success: { background: token('color.background.success', '#DCFFF1'), color: token('color.text.success', '#216E4E') },
  removed: { background: token('color.background.danger', '#FFECEB'), color: token('color.text.danger', '#AE2E24') },
  inprogress: { background: token('color.background.information', '#E9F2FF'), color: token('color.text.information', '#0055CC') },
  moved: { background: token('color.background.warning', '#FFF7D6'), color: token('color.text.warning', '#A54800') },
  default: { background: token('color.background.neutral', '#091E420F'), color: token('color.text', '#172B4D') },
};

const lozengeStyle = (appearance: GlanceAppearance): CSSProperties => ({
  ...LOZENGE[appearance],
  borderRadius: token('radius.small', '3px'),
  padding: `0 ${token('space.050', '4px')}`,
  font: token('font.body.small', 'normal 700 11px/16px system-ui, sans-serif'),
  fontWeight: 700,
  textTransform: 'uppercase',
  whiteSpace: 'nowrap',
});

const ImpactGlance = () => {
  const [glance, setGlance] = useState<Glance | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void api.getImpact().then((answer) => {
      if (live) setGlance(glanceOf(answer));
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <main style={{ color: token('color.text', '#172B4D'), font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'), padding: token('space.100', '8px') }} aria-busy={glance === undefined}>
      {glance === undefined ? (
        <p role="status">Loading the regulatory impact…</p>
      ) : (
        <>
          <p>
            <span data-testid="impact-lozenge" style={lozengeStyle(glance.appearance)}>
              {glance.lozenge}
            </span>
          </p>
          <p style={{ color: token('color.text.subtle', '#44546F') }}>{glance.detail}</p>
        </>
      )}
    </main>
  );
};

const root = document.getElementById('root');
if (root) {
  void view.theme.enable().catch(() => undefined);
  createRoot(root).render(
    <StrictMode>
      <ImpactGlance />
    </StrictMode>,
  );
}
