/**
 * The summary chart: records by regulatory-impact state (with how many of them are flagged)
 * and gaps by kind, as bars, with the same numbers in a table for screen readers and anyone
 * who prefers numbers. The chart is one labelled image; the table is the accessible alternative.
 */
import { token } from '@atlaskit/tokens';
import type { TraceSummary } from '../../../src/domain/traceability-summary';
import { GAP_LABELS } from '../../../src/domain/traceability-summary';
import { STATE_LABELS } from './labels';
import { cell, heading, subtle } from './styles';

const BAR_HEIGHT = 18;
const GAP = 6;
const LABEL_WIDTH = 290;
const BAR_WIDTH = 320;

type Bar = { label: string; value: number; part?: number };

const Bars = ({ bars, y0, max }: { bars: readonly Bar[]; y0: number; max: number }) => (
  <>
    {bars.map((bar, i) => {
      const y = y0 + i * (BAR_HEIGHT + GAP);
      const width = max === 0 ? 0 : (bar.value / max) * BAR_WIDTH;
      const part = max === 0 || bar.part === undefined ? 0 : (bar.part / max) * BAR_WIDTH;
      return (
        <g key={bar.label}>
          <text
            x={LABEL_WIDTH - 8}
            y={y + BAR_HEIGHT - 5}
            textAnchor="end"
            fill={token('color.text', '#172B4D')}
            fontSize="12"
          >
            {bar.label}
          </text>
          <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} fill={token('color.chart.brand', '#388BFF')} />
          {part > 0 && (
            <rect
              x={LABEL_WIDTH}
              y={y}
              width={part}
              height={BAR_HEIGHT}
              fill={token('color.chart.danger', '#F15B50')}
            />
          )}
          <text
            x={LABEL_WIDTH + width + 6}
            y={y + BAR_HEIGHT - 5}
            fill={token('color.text.subtle', '#44546F')}
            fontSize="12"
          >
            {bar.part === undefined ? bar.value : `${bar.value} (${bar.part} flagged)`}
          </text>
        </g>
      );
    })}
  </>
);

export const SummaryChart = ({ summary }: { summary: TraceSummary }) => {
  const states: Bar[] = summary.byState.map((s) => ({
    label: STATE_LABELS[s.state],
    value: s.records,
    part: s.withGaps,
  }));
  const gaps: Bar[] = summary.byGap.map((g) => ({ label: GAP_LABELS[g.code], value: g.gaps }));
  const max = Math.max(1, ...states.map((b) => b.value), ...gaps.map((b) => b.value));
  const gapsTop = 24 + states.length * (BAR_HEIGHT + GAP) + 28;
  const height = gapsTop + gaps.length * (BAR_HEIGHT + GAP);
  return (
    <section aria-labelledby="summary-heading">
      <h3 id="summary-heading" style={heading}>
        Summary
      </h3>
      <p style={subtle}>
        {summary.records} quality {summary.records === 1 ? 'record' : 'records'} in view. Red: records with at least one
        gap.
      </p>
      <svg
        role="img"
        aria-labelledby="summary-chart-title"
        width={LABEL_WIDTH + BAR_WIDTH + 120}
        height={height}
        style={{ maxWidth: '100%' }}
      >
        <title id="summary-chart-title">
          Quality records by regulatory impact state, with those flagged, and gaps by kind. The same numbers are in the
          table below.
        </title>
        <text x={0} y={14} fill={token('color.text', '#172B4D')} fontSize="12" fontWeight="bold">
          Records by state
        </text>
        <Bars bars={states} y0={24} max={max} />
        <text x={0} y={gapsTop - 10} fill={token('color.text', '#172B4D')} fontSize="12" fontWeight="bold">
          Gaps by kind
        </text>
        <Bars bars={gaps} y0={gapsTop} max={max} />
      </svg>
      <table style={{ borderCollapse: 'collapse', marginTop: token('space.100', '8px') }} data-testid="summary-table">
        <caption style={{ ...subtle, textAlign: 'left' }}>The summary chart as a table</caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              State or gap
            </th>
            <th scope="col" style={cell}>
              Records
            </th>
            <th scope="col" style={cell}>
              Of which flagged
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.byState.map((s) => (
            <tr key={s.state}>
              <th scope="row" style={cell}>
                {STATE_LABELS[s.state]}
              </th>
              <td style={cell}>{s.records}</td>
              <td style={cell}>{s.withGaps}</td>
            </tr>
          ))}
          {summary.byGap.map((g) => (
            <tr key={g.code}>
              <th scope="row" style={cell}>
                {GAP_LABELS[g.code]}
              </th>
              <td style={cell} colSpan={2}>
                {g.gaps} {g.gaps === 1 ? 'gap' : 'gaps'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
