import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { CorrespondencePanel } from '../../../src/contract/correspondence';
import type { Envelope } from '../../../src/contract/envelope';
import type { AnsweringRecord } from '../../../src/domain/correspondence';
import { IssueKeySchema } from '../../../src/domain/model';
import { Lozenge } from '../../shared/lozenge';
import { cell, heading, subtle, text } from '../../shared/styles';
import { timelinessLozenge } from '../../shared/timeliness';
import { useAnswer } from '../../shared/use-answer';
import { api } from './api';

type LinkState =
  { phase: 'idle' } | { phase: 'linking' } | { phase: 'linked'; key: string } | { phase: 'failed'; message: string };

const Records = ({ records }: { records: readonly AnsweringRecord[] }) =>
  records.length === 0 ? (
    <p style={subtle}>No quality record that you can see answers this letter yet.</p>
  ) : (
    <table style={{ borderCollapse: 'collapse', width: '100%' }}>
      <caption style={{ ...subtle, textAlign: 'left' }}>
        Quality records linked as answering this letter, with their decisions for its application or market
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
            Decision
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
            <td style={cell}>{r.status.name}</td>
            <td style={cell}>
              {r.decisions.length === 0 ? (
                <span style={subtle}>No decision for this letter's application or market</span>
              ) : (
                r.decisions.map((d) => (
                  <div key={d.applicationId}>
                    <Lozenge appearance={d.decided ? 'inprogress' : 'default'}>{d.category}</Lozenge>{' '}
                    <span style={subtle}>
                      {d.applicationId} ({d.market}){d.decided ? '' : ', recommended, not decided'}
                    </span>
                  </div>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

const LinkRecord = ({ onLinked }: { onLinked: (answer: Envelope<CorrespondencePanel>) => void }) => {
  const [recordKey, setRecordKey] = useState('');
  const [state, setState] = useState<LinkState>({ phase: 'idle' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = recordKey.trim().toUpperCase();
    if (!IssueKeySchema.safeParse(key).success) {
      setState({ phase: 'failed', message: 'Enter the key of a quality record, such as QMS-12.' });
      return;
    }
    setState({ phase: 'linking' });
    const answer = await api.linkRecord(key);
    if (!answer.ok) {
      setState({ phase: 'failed', message: `${answer.error.message} (${answer.error.code})` });
      return;
    }
    setState({ phase: 'linked', key });
    setRecordKey('');
    onLinked(answer);
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="link-heading">
      <h3 id="link-heading" style={heading}>
        Link a quality record that answers this letter
      </h3>
      <div style={{ display: 'flex', gap: token('space.100', '8px'), alignItems: 'flex-end' }}>
        <div style={{ flex: '0 1 16rem' }}>
          <label htmlFor="record-key">Record key</label>
          <Textfield
            id="record-key"
            name="recordKey"
            value={recordKey}
            placeholder="QMS-12"
            aria-describedby="link-status"
            onChange={(event) => setRecordKey(event.currentTarget.value)}
          />
        </div>
        <Button type="submit" appearance="primary" isDisabled={state.phase === 'linking'}>
          Link record
        </Button>
      </div>
      <div id="link-status" aria-live="polite" style={{ marginTop: token('space.100', '8px') }}>
        {state.phase === 'linking' && <span>Linking…</span>}
        {state.phase === 'linked' && <span>{state.key} now answers this letter.</span>}
        {state.phase === 'failed' && <span role="alert">{state.message}</span>}
      </div>
    </form>
  );
};

export const CorrespondencePanelView = ({
  answer,
  onLinked,
}: {
  answer: Envelope<CorrespondencePanel>;
  onLinked: (answer: Envelope<CorrespondencePanel>) => void;
}) => {
  if (!answer.ok) {
    return (
      <SectionMessage appearance="error" title="The letter could not be shown">
        <p>
          {answer.error.message} <span style={subtle}>({answer.error.code})</span>
        </p>
      </SectionMessage>
    );
  }
  const panel = answer.data;
  if (!panel.applies) {
    return (
      <SectionMessage appearance="information" title="No health-authority letter here">
        <p>{panel.message}</p>
      </SectionMessage>
    );
  }
  const { correspondence: c, records, submissions } = panel;
  const lozenge = timelinessLozenge(c.timeliness);
  return (
    <>
      <h2 style={{ ...heading, marginTop: 0 }}>
        {c.key}: {c.summary}
      </h2>
      <p data-testid="response-timeliness">
        <Lozenge appearance={lozenge.appearance}>{lozenge.text}</Lozenge> <span style={subtle}>{c.status.name}</span>
      </p>
      {c.details ? (
        <dl
          style={{
            display: 'grid',
            gridTemplateColumns: 'max-content 1fr',
            gap: `${token('space.050', '4px')} ${token('space.200', '16px')}`,
            margin: 0,
          }}
        >
          <dt style={subtle}>Authority</dt>
          <dd style={{ margin: 0 }}>
            {c.details.authority} ({c.details.market})
          </dd>
          <dt style={subtle}>Reference</dt>
          <dd style={{ margin: 0 }}>{c.details.reference}</dd>
          {c.details.applicationId ? (
            <>
              <dt style={subtle}>Application</dt>
              <dd style={{ margin: 0 }}>{c.details.applicationId}</dd>
            </>
          ) : null}
          <dt style={subtle}>Received</dt>
          <dd style={{ margin: 0 }}>
            <time dateTime={c.details.receivedDate}>{c.details.receivedDate}</time>
          </dd>
          <dt style={subtle}>Response due</dt>
          <dd style={{ margin: 0 }}>
            {c.details.responseDueDate ? (
              <time dateTime={c.details.responseDueDate}>{c.details.responseDueDate}</time>
            ) : (
              'no date set'
            )}
          </dd>
        </dl>
      ) : (
        <p style={subtle}>The app has no authority, reference or dates recorded for this letter.</p>
      )}
      {submissions.length > 0 && (
        <p>
          <span style={subtle}>About</span> {submissions.map((s) => `${s.key} (${s.status.name})`).join(', ')}
        </p>
      )}
      <section aria-labelledby="records-heading">
        <h3 id="records-heading" style={heading}>
          Answering quality records
        </h3>
        <Records records={records} />
      </section>
      <LinkRecord onLinked={onLinked} />
    </>
  );
};

export const App = () => {
  const [answer, setAnswer] = useAnswer(api.getPanel);
  return (
    <main style={{ ...text, padding: token('space.100', '8px') }} aria-busy={answer === undefined}>
      {answer === undefined ? (
        <p role="status">Loading the letter…</p>
      ) : (
        <CorrespondencePanelView answer={answer} onLinked={setAnswer} />
      )}
    </main>
  );
};
