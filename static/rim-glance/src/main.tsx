import { invoke } from '@forge/bridge';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import { GlanceView } from '../../shared/glance-view';
import { mountSurface } from '../../shared/mount';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';
import { useAnswer } from '../../shared/use-answer';
import type { Glance } from './glance';
import { rimGlanceOf } from './glance';

const load = async (): Promise<Glance> => {
  try {
    return rimGlanceOf(parseEnvelope(RESOLVER_CONTRACT['rim-glance/get'].output, await invoke('rim-glance/get', {})));
  } catch {
    return rimGlanceOf(unreachable);
  }
};

const RimGlance = () => <GlanceView glance={useAnswer(load)[0]} loading="Loading the regulatory status…" />;

mountSurface(<RimGlance />);
