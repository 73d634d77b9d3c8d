import { token } from '@atlaskit/tokens';
import { useEffect, useState } from 'react';
import { Lozenge } from '../../shared/lozenge';
import { mountSurface } from '../../shared/mount';
import { api } from '../../impact-panel/src/api';
import type { Glance } from './glance';
import { glanceOf } from './glance';

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
            <span data-testid="impact-lozenge">
              <Lozenge appearance={glance.appearance}>{glance.lozenge}</Lozenge>
            </span>
          </p>
          <p style={{ color: token('color.text.subtle', '#44546F') }}>{glance.detail}</p>
        </>
      )}
    </main>
  );
};

mountSurface(<ImpactGlance />);
