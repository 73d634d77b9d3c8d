/**
 * What the issue glance shows for the impact panel's answer: one lozenge (text and
 * appearance) and a line under it. Pure, so it is tested without a browser.
 */
import type { Envelope } from '../../../src/contract/envelope';
import type { ImpactPanel } from '../../../src/contract/resolvers';

import type { Appearance, GlanceContent } from '../../shared/appearance';

export type GlanceAppearance = Appearance;

export type Glance = GlanceContent;

const STATUS: Record<string, { lozenge: string; appearance: GlanceAppearance }> = {
  'not-assessed': { lozenge: 'Not assessed', appearance: 'default' },
  'in-assessment': { lozenge: 'In assessment', appearance: 'inprogress' },
  'no-filing': { lozenge: 'No filing', appearance: 'success' },
  'filing-required': { lozenge: 'Filing required', appearance: 'moved' },
};

export const glanceOf = (answer: Envelope<ImpactPanel>): Glance => {
  if (!answer.ok) return { lozenge: 'Unavailable', appearance: 'removed', detail: answer.error.message };
  const panel = answer.data;
  if (!panel.applies) return { lozenge: 'Not a QMS record', appearance: 'default', detail: panel.message };
  if (panel.integrity.state === 'altered') {
    return {
      lozenge: 'Changed outside the app',
      appearance: 'removed',
      detail:
        "Jira's copy no longer matches the signed record; every gate refuses this record. Open the Regulatory impact panel.",
    };
  }
  const status = STATUS[panel.impact.status] ?? { lozenge: panel.impact.status, appearance: 'default' as const };
  const decided = panel.impact.decisions.filter((d) => d.decided !== undefined).length;
  const total = panel.impact.decisions.length;
  const blocked = panel.gates.filter((g) => !g.ok).length;
  const parts = [
    total > 0
      ? `${decided} of ${total} application decision${total === 1 ? '' : 's'} made`
      : 'no applications decided yet',
  ];
  if (blocked > 0) parts.push(`${blocked} gate${blocked === 1 ? '' : 's'} blocking`);
  const latest = panel.impact.decisions
    .flatMap((d) => (d.decided ? [{ ...d.decided, state: d.signatureState }] : []))
    .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  if (latest)
    parts.push(
      `last signed by ${latest.by.displayName}, ${latest.at} (${latest.meaning})${latest.state === 'void' ? ', void: changed after signing' : ''}`,
    );
  return { ...status, detail: parts.join(' · ') };
};
