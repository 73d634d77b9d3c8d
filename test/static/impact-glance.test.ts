/** The issue glance's one decision: what lozenge and line it shows for the impact panel's answer. */
import { glanceOf } from '../../static/impact-glance/src/glance';
import type { ImpactPanel } from '../../src/contract/resolvers';
import { filingRequiredPas } from '../entry/impact-fixtures';

const panel = (overrides: Partial<Extract<ImpactPanel, { applies: true }>> = {}): ImpactPanel => ({
  applies: true,
  issue: {
    key: 'QMS-1',
    kind: 'change-control',
    summary: 'Granulation',
    status: { name: 'Under Review', category: 'indeterminate' },
  },
  impact: {
    ...filingRequiredPas,
    decisions: filingRequiredPas.decisions.map((d) => ({ ...d, submissionHidden: false })),
  },
  integrity: { state: 'intact' },
  linkedSubmissions: [],
  approvals: [],
  gates: [],
  signing: { allowed: true },
  ...overrides,
});

describe('impact glance', () => {
  it('shows the impact status as a lozenge with the decisions made', () => {
    expect(glanceOf({ ok: true, data: panel() })).toEqual({
      lozenge: 'Filing required',
      appearance: 'moved',
      detail: '1 of 1 application decision made · last signed by Rita Regulatory, 2026-11-20T09:00:00.000Z (approval)',
    });
  });

  it('counts blocking gates', () => {
    const gates = [
      { gate: 'prior-approval-granted' as const, title: 'Prior approval granted', ok: false, reasons: [] },
    ];
    expect(glanceOf({ ok: true, data: panel({ gates }) }).detail).toMatch(
      /^1 of 1 application decision made · 1 gate blocking · last signed by /,
    );
  });

  it('says when the issue is not a QMS record, or the answer is an error', () => {
    expect(
      glanceOf({ ok: true, data: { applies: false, issueKey: 'RIM-1', message: 'RIM-1 is not a quality record.' } }),
    ).toEqual({ lozenge: 'Not a QMS record', appearance: 'default', detail: 'RIM-1 is not a quality record.' });
    expect(glanceOf({ ok: false, error: { code: 'FORBIDDEN', message: 'You may not see this issue.' } })).toMatchObject(
      { lozenge: 'Unavailable', appearance: 'removed' },
    );
  });
});
