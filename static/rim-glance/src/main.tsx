import { invoke } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { useEffect, useState } from 'react';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import { Lozenge } from '../../shared/lozenge';
import { mountSurface } from '../../shared/mount';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';
import type { Glance } from './glance';
import { rimGlanceOf } from './glance';

const load = async (): Promise<Glance> => {
  try {
    return rimGlanceOf(parseEnvelope(RESOLVER_CONTRACT['rim-glance/get'].output, await invoke('rim-glance/get', {})));
  } catch {
    return rimGlanceOf(unreachable);
  }
};

const RimGlance = () => {
  const [glance, setGlance] = useState<Glance | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void load().then((g) => {
      if (live) setGlance(g);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <main style={{ color: token('color.text', '#172B4D'), font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'), padding: token('space.100', '8px') }} aria-busy={glance === undefined}>
      {glance === undefined ? (
        <p role="status">Loading the regulatory status…</p>
      ) : (
        <>
          <p>
            <span data-testid="rim-lozenge">
              <Lozenge appearance={glance.appearance}>{glance.lozenge}</Lozenge>
            </span>
          </p>
          <p style={{ color: token('color.text.subtle', '#44546F') }}>{glance.detail}</p>
        </>
      )}
    </main>
  );
};

mountSurface(<RimGlance />);
