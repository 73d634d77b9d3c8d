import { GlanceView } from '../../shared/glance-view';
import { mountSurface } from '../../shared/mount';
import { useAnswer } from '../../shared/use-answer';
import { api } from '../../impact-panel/src/api';
import { glanceOf } from './glance';

const ImpactGlance = () => (
  <GlanceView
    glance={useAnswer(async () => glanceOf(await api.getImpact()))[0]}
    loading="Loading the regulatory impact…"
  />
);

mountSurface(<ImpactGlance />);
