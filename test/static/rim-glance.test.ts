/** The RIM glance's one decision, and the timeliness lozenge every correspondence surface shows. */
import { rimGlanceOf } from '../../static/rim-glance/src/glance';
import { timelinessLozenge } from '../../static/shared/timeliness';

describe('rim glance', () => {
  it('shows a ready Submission as "Ready to file" and an unready one by its percentage', () => {
    expect(
      rimGlanceOf({
        ok: true,
        data: {
          kind: 'submission',
          key: 'RIM-1',
          figure: { ready: 2, total: 2, percent: 100 },
          isReady: true,
          blockerCount: 0,
        },
      }),
    ).toEqual({ lozenge: 'Ready to file', appearance: 'success', detail: '2 of 2 linked records ready' });
    expect(
      rimGlanceOf({
        ok: true,
        data: {
          kind: 'submission',
          key: 'RIM-1',
          figure: { ready: 1, total: 3, percent: 33 },
          isReady: false,
          blockerCount: 2,
        },
      }),
    ).toEqual({ lozenge: '33% ready', appearance: 'inprogress', detail: '1 of 3 linked records ready · 2 blockers' });
    expect(
      rimGlanceOf({
        ok: true,
        data: {
          kind: 'submission',
          key: 'RIM-1',
          figure: { ready: 0, total: 1, percent: 0 },
          isReady: false,
          blockerCount: 1,
        },
      }),
    ).toMatchObject({ lozenge: '0% ready', appearance: 'removed' });
  });

  it('shows an overdue Commitment as overdue whatever its state, and otherwise its state', () => {
    expect(
      rimGlanceOf({
        ok: true,
        data: { kind: 'commitment', key: 'RIM-7', state: 'open', dueDate: '2026-09-30', overdue: true },
      }),
    ).toEqual({ lozenge: 'Overdue', appearance: 'removed', detail: 'was due 2026-09-30' });
    expect(
      rimGlanceOf({
        ok: true,
        data: { kind: 'commitment', key: 'RIM-9', state: 'fulfilled', dueDate: '2026-08-31', overdue: false },
      }),
    ).toEqual({ lozenge: 'Fulfilled', appearance: 'success', detail: 'due 2026-08-31' });
  });

  it('shows a letter its response timeliness, and an error as unavailable', () => {
    expect(
      rimGlanceOf({
        ok: true,
        data: {
          kind: 'correspondence',
          key: 'RIM-11',
          state: 'awaiting-response',
          timeliness: { kind: 'overdue', dueDate: '2026-10-30', daysOverdue: 3 },
        },
      }),
    ).toEqual({ lozenge: 'Response overdue by 3 days', appearance: 'removed', detail: 'awaiting the response' });
    expect(rimGlanceOf({ ok: false, error: { code: 'NOT_FOUND', message: 'Jira found nothing.' } })).toEqual({
      lozenge: 'Unavailable',
      appearance: 'removed',
      detail: 'Jira found nothing.',
    });
  });
});

describe('timeliness lozenge', () => {
  it.each([
    [{ kind: 'due' as const, dueDate: '2026-11-16', daysLeft: 0 }, 'Response due today', 'inprogress'],
    [{ kind: 'due' as const, dueDate: '2026-11-16', daysLeft: 1 }, 'Response due in 1 day', 'inprogress'],
    [{ kind: 'overdue' as const, dueDate: '2026-11-16', daysOverdue: 1 }, 'Response overdue by 1 day', 'removed'],
    [{ kind: 'responded' as const }, 'Responded', 'success'],
    [{ kind: 'no-due-date' as const }, 'Awaiting response', 'inprogress'],
    [undefined, 'No letter data', 'default'],
  ])('reads %j as "%s"', (timeliness, text, appearance) => {
    expect(timelinessLozenge(timeliness)).toEqual({ text, appearance });
  });
});
