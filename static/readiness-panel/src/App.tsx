import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type {
  EvidencePacketFile,
  EvidencePacketFormat,
  ReadinessPanel,
  ReadinessPanelRecord,
} from '../../../src/contract/resolvers';
import { downloadFile } from '../../shared/download';
import { CorrespondenceList } from '../../shared/correspondence-list';
import { Lozenge } from '../../shared/lozenge';
import { cell, heading, subtle, text } from '../../shared/styles';
import { useAnswer } from '../../shared/use-answer';
import { api } from './api';
import { manifestFile } from './manifest';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'exporting'; format: EvidencePacketFormat }
  | { phase: 'done'; file: EvidencePacketFile }
  | { phase: 'failed'; message: string };

const Message = ({ tone, title, children }: { tone: 'info' | 'error'; title: string; children: ReactNode }) => (
  <div
    role={tone === 'error' ? 'alert' : 'status'}
    style={{
      background: token(
        tone === 'error' ? 'color.background.danger' : 'color.background.information',
        tone === 'error' ? '#FFECEB' : '#E9F2FF',
      ),
      padding: token('space.150', '12px'),
      borderRadius: token('radius.small', '3px'),
    }}
  >
    <strong>{title}</strong>
    <div>{children}</div>
  </div>
);

const when = (iso: string | undefined): ReactNode =>
  iso ? <time dateTime={iso}>{new Date(iso).toLocaleString()}</time> : <span style={subtle}>—</span>;

const Records = ({ records, hidden }: { records: readonly ReadinessPanelRecord[]; hidden: number }) => (
  <section aria-labelledby="records-heading">
    <h3 id="records-heading" style={heading}>
      Linked quality records
    </h3>
    {records.length === 0 ? (
      <p style={subtle}>No linked quality record that you can see.</p>
    ) : (
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>
          Each linked quality record, its approval and its decision for this Submission's application
        </caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Record
            </th>
            <th scope="col" style={cell}>
              Status
            </th>
            <th scope="col" style={cell}>
              Approver
            </th>
            <th scope="col" style={cell}>
              Approved at
            </th>
            <th scope="col" style={cell}>
              Decision
            </th>
            <th scope="col" style={cell}>
              Rationale
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.key}>
              <th scope="row" style={cell}>
                {r.key}
                <div style={{ ...subtle, fontWeight: 400 }}>{r.summary}</div>
              </th>
              <td style={cell}>
                <Lozenge appearance={r.ready ? 'success' : 'removed'}>{r.ready ? 'ready' : 'not ready'}</Lozenge>{' '}
                {r.status.name}
              </td>
              <td style={cell}>{r.approvedBy ?? <span style={subtle}>Not approved</span>}</td>
              <td style={cell}>{when(r.approvedAt)}</td>
              <td style={cell}>
                {r.decision ? (
                  r.decision.decided ? (
                    <Lozenge appearance="inprogress">{r.decision.decided}</Lozenge>
                  ) : (
                    <span>
                      <Lozenge appearance="default">{r.decision.recommended}</Lozenge>{' '}
                      <span style={subtle}>recommended, not decided</span>
                    </span>
                  )
                ) : (
                  <span style={subtle}>No decision for this application</span>
                )}
              </td>
              <td style={cell}>
                {r.decision?.rationale ?? <span style={subtle}>—</span>}
                {r.decision?.decidedBy && (
                  <div style={subtle}>
                    {`Signed by ${r.decision.decidedBy.displayName}`}
                    {r.decision.decidedAt ? (
                      <>
                        , <time dateTime={r.decision.decidedAt}>{r.decision.decidedAt}</time> (
                        {when(r.decision.decidedAt)})
                      </>
                    ) : null}
                    {r.decision.meaning ? `, meaning: ${r.decision.meaning}` : null}
                    {r.decision.signatureState === 'void' ? <strong>{' · void: changed after signing'}</strong> : null}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {hidden > 0 && (
      <p role="note" style={subtle}>
        {hidden} linked {hidden === 1 ? 'record' : 'records'} you cannot see; counted as not ready.
      </p>
    )}
  </section>
);

const Blockers = ({ blockers }: { blockers: ReadonlyArray<{ code: string; message: string }> }) => (
  <section aria-labelledby="blockers-heading">
    <h3 id="blockers-heading" style={heading}>
      Blockers
    </h3>
    {blockers.length === 0 ? (
      <p>Nothing blocks "Ready to file".</p>
    ) : (
      <ul aria-label="What blocks Ready to file">
        {blockers.map((b, i) => (
          <li key={`${b.code}-${i}`}>{b.message}</li>
        ))}
      </ul>
    )}
  </section>
);

const FORMATS: ReadonlyArray<{ format: EvidencePacketFormat; label: string }> = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'html', label: 'printable HTML' },
];

const Export = () => {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const run = async (format: EvidencePacketFormat): Promise<void> => {
    setState({ phase: 'exporting', format });
    const answer = await api.exportPacket(format);
    if (!answer.ok) {
      setState({ phase: 'failed', message: `${answer.error.message} (${answer.error.code})` });
      return;
    }
    downloadFile(answer.data);
    setState({ phase: 'done', file: answer.data });
  };
  return (
    <section aria-labelledby="export-heading">
      <h3 id="export-heading" style={heading}>
        Export evidence packet
      </h3>
      <div role="group" aria-label="Export evidence packet" style={{ display: 'flex', gap: token('space.100', '8px') }}>
        {FORMATS.map(({ format, label }) => (
          <Button
            key={format}
            isDisabled={state.phase === 'exporting'}
            aria-label={`Export evidence packet as ${label}`}
            onClick={() => void run(format)}
          >
            {label.replace('printable ', '')}
          </Button>
        ))}
      </div>
      <div aria-live="polite" style={{ marginTop: token('space.100', '8px') }}>
        {state.phase === 'exporting' && <span>Exporting…</span>}
        {state.phase === 'done' && (
          <span>
            Downloaded {state.file.filename} ({state.file.manifest.files[0]?.bytes ?? 0} bytes).{' '}
            <span style={subtle}>Packet SHA-256</span> <code>{state.file.manifest.packetSha256}</code>{' '}
            <Button appearance="subtle" onClick={() => downloadFile(manifestFile(state.file))}>
              Download SHA-256 manifest
            </Button>
          </span>
        )}
        {state.phase === 'failed' && <span role="alert">{state.message}</span>}
      </div>
    </section>
  );
};

export const ReadinessPanelView = ({ answer }: { answer: Envelope<ReadinessPanel> }) => {
  if (!answer.ok) {
    return (
      <Message tone="error" title="The submission readiness could not be shown">
        {answer.error.message} <span style={subtle}>({answer.error.code})</span>
      </Message>
    );
  }
  const panel = answer.data;
  if (!panel.applies)
    return (
      <Message tone="info" title="No submission readiness here">
        {panel.message}
      </Message>
    );
  const { submission, figure } = panel;
  return (
    <>
      <h2 style={{ ...heading, marginTop: 0 }}>
        {submission.key}: {submission.category} for {submission.applicationId} ({submission.market})
      </h2>
      <p>
        <span style={subtle}>Submission status</span> {submission.status}
      </p>
      <p aria-label="Readiness" data-testid="readiness-figure">
        <strong style={{ font: token('font.heading.medium', 'normal 653 20px/24px system-ui, sans-serif') }}>
          {figure.percent}%
        </strong>{' '}
        ready: {figure.ready} of {figure.total} linked {figure.total === 1 ? 'record' : 'records'}{' '}
        <Lozenge appearance={panel.isReady ? 'success' : 'removed'}>
          {panel.isReady ? 'ready to file' : 'not ready'}
        </Lozenge>
      </p>
      <Records records={panel.records} hidden={panel.hiddenRecordCount} />
      <Blockers blockers={panel.blockers} />
      {panel.correspondence.length > 0 && (
        <section aria-labelledby="correspondence-heading">
          <h3 id="correspondence-heading" style={heading}>
            Health-authority correspondence
          </h3>
          <CorrespondenceList
            items={panel.correspondence}
            label="Health-authority correspondence about this Submission"
          />
        </section>
      )}
      <Export />
    </>
  );
};

export const App = () => {
  const [answer] = useAnswer(api.getReadiness);
  return (
    <main style={{ ...text, padding: token('space.100', '8px') }} aria-busy={answer === undefined}>
      {answer === undefined ? (
        <p role="status">Loading the submission readiness…</p>
      ) : (
        <ReadinessPanelView answer={answer} />
      )}
    </main>
  );
};
