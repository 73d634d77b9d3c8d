import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { ImpactPanel, PanelDecision, PanelGate, PanelImpact, PanelSubmission } from '../../../src/contract/resolvers';
import { Lozenge } from '../../shared/lozenge';
import { IMPACT_APPEARANCE } from '../../shared/appearance';
import { api } from './api';
import { SearchLinks } from './SearchLinks';
import { Correspondence } from './Correspondence';

type State = { phase: 'loading' } | { phase: 'done'; answer: Envelope<ImpactPanel> };

const text: CSSProperties = { color: token('color.text', '#172B4D'), font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif') };
const subtle: CSSProperties = { color: token('color.text.subtle', '#44546F') };
const cell: CSSProperties = { textAlign: 'left', verticalAlign: 'top', padding: `${token('space.050', '4px')} ${token('space.100', '8px')}`, borderBottom: `1px solid ${token('color.border', '#091E4224')}` };
const heading: CSSProperties = { font: token('font.heading.small', 'normal 653 16px/20px system-ui, sans-serif'), margin: `${token('space.200', '16px')} 0 ${token('space.100', '8px')}` };


const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : 'none');

const Affected = ({ impact }: { impact: PanelImpact }) => (
  <section aria-labelledby="affected-heading">
    <h3 id="affected-heading" style={heading}>
      Affected
    </h3>
    <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: `${token('space.050', '4px')} ${token('space.200', '16px')}`, margin: 0 }}>
      <dt style={subtle}>Products</dt>
      <dd style={{ margin: 0 }}>{list(impact.affected.productIds)}</dd>
      <dt style={subtle}>Markets</dt>
      <dd style={{ margin: 0 }}>{list(impact.affected.markets)}</dd>
      <dt style={subtle}>Applications</dt>
      <dd style={{ margin: 0 }}>{list(impact.affected.applicationIds)}</dd>
      <dt style={subtle}>Sites</dt>
      <dd style={{ margin: 0 }}>{list(impact.affected.siteIds)}</dd>
      <dt style={subtle}>Suppliers</dt>
      <dd style={{ margin: 0 }}>{list(impact.affected.supplierIds)}</dd>
    </dl>
  </section>
);

const submissionOf = (decision: PanelDecision): string => (decision.submissionKey ?? (decision.submissionHidden ? 'a Submission you cannot see' : '—'));

const Decisions = ({ decisions }: { decisions: readonly PanelDecision[] }) => (
  <section aria-labelledby="decisions-heading">
    <h3 id="decisions-heading" style={heading}>
      Decisions per application
    </h3>
    {decisions.length === 0 ? (
      <p style={subtle}>No application has a decision yet.</p>
    ) : (
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>Recommended and decided filing category for each affected application</caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>Application</th>
            <th scope="col" style={cell}>Recommended</th>
            <th scope="col" style={cell}>Decided</th>
            <th scope="col" style={cell}>Submission</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={`${d.applicationId}-${d.market}`}>
              <th scope="row" style={cell}>
                {d.applicationId} ({d.market})
              </th>
              <td style={cell}>
                <Lozenge appearance="default">{d.recommended.category}</Lozenge>
                <div style={subtle}>{d.recommended.citations.join('; ')}</div>
              </td>
              <td style={cell}>
                {d.decided ? (
                  <>
                    <Lozenge appearance="inprogress">{d.decided.category}</Lozenge>
                    <div>{d.decided.rationale}</div>
                    <div style={subtle}>
                      {d.decided.meaning} by {d.decided.by.displayName}, <time dateTime={d.decided.at}>{new Date(d.decided.at).toLocaleString()}</time>
                    </div>
                  </>
                ) : (
                  <span style={subtle}>Not decided</span>
                )}
              </td>
              <td style={cell}>{submissionOf(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

const Submissions = ({ submissions }: { submissions: readonly PanelSubmission[] }) => (
  <section aria-labelledby="submissions-heading">
    <h3 id="submissions-heading" style={heading}>
      Linked submissions
    </h3>
    {submissions.length === 0 ? (
      <p style={subtle}>No linked Submission that you can see.</p>
    ) : (
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <thead>
          <tr>
            <th scope="col" style={cell}>Issue</th>
            <th scope="col" style={cell}>Application</th>
            <th scope="col" style={cell}>Market</th>
            <th scope="col" style={cell}>Category</th>
            <th scope="col" style={cell}>Status</th>
          </tr>
        </thead>
        <tbody>
          {submissions.map((s) => (
            <tr key={s.key}>
              <th scope="row" style={cell}>{s.key}</th>
              <td style={cell}>{s.applicationId}</td>
              <td style={cell}>{s.market}</td>
              <td style={cell}>{s.category}</td>
              <td style={cell}>
                <Lozenge appearance={s.status === 'approved' ? 'success' : s.status === 'rejected' || s.status === 'withdrawn' ? 'removed' : 'inprogress'}>{s.status}</Lozenge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

const Gates = ({ gates }: { gates: readonly PanelGate[] }) => (
  <section aria-labelledby="gates-heading">
    <h3 id="gates-heading" style={heading}>
      What blocks the next transition
    </h3>
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {gates.map((g) => (
        <li key={g.gate} style={{ marginBottom: token('space.100', '8px') }}>
          <Lozenge appearance={g.ok ? 'success' : 'removed'}>{g.ok ? 'ok' : 'blocked'}</Lozenge> <strong>{g.title}</strong>
          {g.reasons.length > 0 && (
            <ul aria-label={`Why ${g.title} blocks`}>
              {g.reasons.map((r, i) => (
                <li key={`${r.code}-${i}`}>{r.message}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  </section>
);

const Message = ({ tone, title, children }: { tone: 'info' | 'error'; title: string; children: ReactNode }) => (
  <div
    role={tone === 'error' ? 'alert' : 'status'}
    style={{
      background: token(tone === 'error' ? 'color.background.danger' : 'color.background.information', tone === 'error' ? '#FFECEB' : '#E9F2FF'),
      padding: token('space.150', '12px'),
      borderRadius: token('radius.small', '3px'),
    }}
  >
    <strong>{title}</strong>
    <div>{children}</div>
  </div>
);

export const ImpactPanelView = ({ answer }: { answer: Envelope<ImpactPanel> }) => {
  if (!answer.ok) {
    return (
      <Message tone="error" title="The regulatory impact could not be shown">
        {answer.error.message} <span style={subtle}>({answer.error.code})</span>
      </Message>
    );
  }
  const panel = answer.data;
  if (!panel.applies) return <Message tone="info" title="No regulatory impact here">{panel.message}</Message>;
  return (
    <>
      <h2 style={{ ...heading, marginTop: 0 }}>
        {panel.issue.key}: {panel.issue.summary}
      </h2>
      <p>
        <span style={subtle}>Status</span> {panel.issue.status.name} · <span style={subtle}>Regulatory impact</span> <Lozenge appearance={IMPACT_APPEARANCE[panel.impact.status]}>{panel.impact.status}</Lozenge>
      </p>
      <Affected impact={panel.impact} />
      <SearchLinks impact={panel.impact} />
      <Decisions decisions={panel.impact.decisions} />
      <Submissions submissions={panel.linkedSubmissions} />
      <Gates gates={panel.gates} />
      <Correspondence />
    </>
  );
};

export const App = () => {
  const [state, setState] = useState<State>({ phase: 'loading' });
  useEffect(() => {
    let live = true;
    void api.getImpact().then((answer) => {
      if (live) setState({ phase: 'done', answer });
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <main style={{ ...text, padding: token('space.100', '8px') }} aria-busy={state.phase === 'loading'}>
      {state.phase === 'loading' ? <p role="status">Loading the regulatory impact…</p> : <ImpactPanelView answer={state.answer} />}
    </main>
  );
};
