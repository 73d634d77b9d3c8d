/**
 * How a health-authority letter's response timeliness reads on every surface (panels and
 * glance): one lozenge text and appearance. Pure, so it is tested without a browser.
 */
import type { ResponseTimeliness } from '../../src/domain/correspondence';
import type { Appearance } from './appearance';

export const timelinessLozenge = (
  timeliness: ResponseTimeliness | undefined,
): { text: string; appearance: Appearance } => {
  if (timeliness === undefined) return { text: 'No letter data', appearance: 'default' };
  switch (timeliness.kind) {
    case 'responded':
      return { text: 'Responded', appearance: 'success' };
    case 'no-due-date':
      return { text: 'Awaiting response', appearance: 'inprogress' };
    case 'due':
      return {
        text:
          timeliness.daysLeft === 0
            ? 'Response due today'
            : `Response due in ${timeliness.daysLeft} day${timeliness.daysLeft === 1 ? '' : 's'}`,
        appearance: 'inprogress',
      };
    case 'overdue':
      return {
        text: `Response overdue by ${timeliness.daysOverdue} day${timeliness.daysOverdue === 1 ? '' : 's'}`,
        appearance: 'removed',
      };
  }
};
