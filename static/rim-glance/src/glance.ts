/**
 * What the glance on a RIM issue shows for its resolver's answer: one lozenge and a line
 * under it. Pure, so it is tested without a browser.
 */
import type { RimGlance } from '../../../src/contract/correspondence';
import type { Envelope } from '../../../src/contract/envelope';
import type { GlanceContent } from '../../shared/appearance';
import { timelinessLozenge } from '../../shared/timeliness';

export type Glance = GlanceContent;

const COMMITMENT_STATE: Record<string, string> = { open: 'Open', fulfilled: 'Fulfilled', cancelled: 'Cancelled' };

export const rimGlanceOf = (answer: Envelope<RimGlance>): Glance => {
  if (!answer.ok) return { lozenge: 'Unavailable', appearance: 'removed', detail: answer.error.message };
  const glance = answer.data;
  switch (glance.kind) {
    case 'submission': {
      const { ready, total, percent } = glance.figure;
      const detail = `${ready} of ${total} linked record${total === 1 ? '' : 's'} ready${glance.blockerCount > 0 ? ` · ${glance.blockerCount} blocker${glance.blockerCount === 1 ? '' : 's'}` : ''}`;
      return glance.isReady
        ? { lozenge: 'Ready to file', appearance: 'success', detail }
        : { lozenge: `${percent}% ready`, appearance: percent === 0 ? 'removed' : 'inprogress', detail };
    }
    case 'commitment':
      if (glance.overdue) return { lozenge: 'Overdue', appearance: 'removed', detail: `was due ${glance.dueDate}` };
      return {
        lozenge: COMMITMENT_STATE[glance.state] ?? glance.state,
        appearance: glance.state === 'open' ? 'inprogress' : glance.state === 'fulfilled' ? 'success' : 'default',
        detail: `due ${glance.dueDate}`,
      };
    case 'correspondence': {
      const { text, appearance } = timelinessLozenge(glance.timeliness);
      return {
        lozenge: text,
        appearance,
        detail: glance.state === 'responded' ? 'response sent' : 'awaiting the response',
      };
    }
    case 'none':
      return { lozenge: 'No regulatory data', appearance: 'default', detail: glance.message };
  }
};
