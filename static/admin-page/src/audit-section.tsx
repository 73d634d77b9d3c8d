/**
 * The audit trail, for Jira admins: the last verification (daily or by an admin) and a button
 * to verify now ("intact" with its length and head hash, or the first broken entry and why),
 * and an export of a date range as CSV or JSON.
 */
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { useEffect, useId, useState } from 'react';
import type { AuditStatus, AuditVerificationRun } from '../../../src/contract/admin-page';
import { MAX_AUDIT_EXPORT_DAYS } from '../../../src/contract/admin-page';
import type { Envelope } from '../../../src/contract/envelope';
import { downloadFile } from '../../shared/download';
import { api } from './api';
import { Message, Section, subheading, subtle } from './sections';

type Loaded<T> = { phase: 'loading' } | { phase: 'done'; answer: Envelope<T> };

/** The time as recorded (ISO 8601, UTC) and in the viewer's own time zone. */
const when = (at: string): string => `${new Date(at).toLocaleString()} (${at})`;

const who = (run: AuditVerificationRun): string =>
  run.trigger === 'daily' ? 'the daily check' : `${run.by?.displayName ?? 'an admin'}`;

const Result = ({ run }: { run: AuditVerificationRun }) => {
  const v = run.result;
  const checked = `Checked by ${who(run)} on ${when(run.at)}.`;
  if (v.intact) {
    return (
      <Message tone="success" title="Intact">
        <p data-testid="audit-result" style={{ margin: 0 }}>
          {v.entries === 0
            ? 'The audit trail has no entries yet.'
            : `All ${v.entries} entries chain to the recorded head (entry ${v.head?.seq ?? v.entries}).`}
          {v.keyedSince !== undefined && v.keyedSince > 1
            ? ` Entries from ${v.keyedSince} on are keyed (HMAC); the ${v.keyedSince - 1} before predate the key and are pinned by the hash of entry ${v.keyedSince - 1}.`
            : ''}
        </p>
        {v.head ? (
          <p style={{ margin: 0 }}>
            Head hash:{' '}
            <code data-testid="audit-head-hash" style={{ wordBreak: 'break-all' }}>
              {v.head.hash}
            </code>
          </p>
        ) : null}
        <p style={{ margin: 0 }}>{checked}</p>
      </Message>
    );
  }
  return (
    <Message tone="error" title={`Broken at entry ${v.firstBroken.seq}`}>
      <p
        data-testid="audit-result"
        style={{ margin: 0 }}
      >{`${v.firstBroken.message} (${v.firstBroken.reason}; ${v.entries} entries stored).`}</p>
      <p style={{ margin: 0 }}>
        Entries from this one on cannot be trusted. Keep the storage as it is and ask your quality unit to investigate.
      </p>
      <p style={{ margin: 0 }}>{checked}</p>
    </Message>
  );
};

/** Records whose Jira copy no longer matches the signed record: the gates refuse them until a reviewer re-signs or the copy is restored. */
const AlteredCopies = ({ run }: { run: AuditVerificationRun }) => {
  const altered = run.alteredCopies ?? [];
  if (altered.length === 0)
    return run.alteredCopies === undefined ? null : (
      <p style={subtle}>Every quality record’s copy in Jira matches its signed record.</p>
    );
  return (
    <Message
      tone="error"
      title={`${altered.length} ${altered.length === 1 ? 'record was' : 'records were'} changed in Jira outside the app`}
    >
      <ul data-testid="audit-altered-copies" style={{ margin: 0 }}>
        {altered.map((c) => (
          <li
            key={c.issueKey}
          >{`${c.issueKey}: ${c.how === 'unsigned' ? 'Jira shows an assessment the app never recorded' : c.how === 'deleted' ? "Jira's copy was deleted" : c.how === 'unreadable' ? "Jira's copy is unreadable" : 'Jira’s copy differs from the signed record'}${c.changedBy ? `, changed by ${c.changedBy}${c.changedAt ? ` on ${when(c.changedAt)}` : ''}` : ''}`}</li>
        ))}
      </ul>
      <p style={{ margin: 0 }}>
        Every workflow gate refuses these records. Restore Jira’s copy from the signed record (the record’s panel,
        “Update Jira’s copy”), or have a reviewer re-sign; both are audited.
      </p>
    </Message>
  );
};

const LastVerification = ({ status }: { status: Loaded<AuditStatus> }) => {
  if (status.phase === 'loading') return <p role="status">Loading the last verification…</p>;
  if (!status.answer.ok)
    return (
      <Message tone="error" title="The last verification could not be loaded">
        {status.answer.error.message}
      </Message>
    );
  const { last } = status.answer.data;
  if (last === undefined)
    return (
      <p data-testid="audit-last" style={subtle}>
        The trail has not been verified yet; the daily check will, or verify it now.
      </p>
    );
  return (
    <div data-testid="audit-last">
      <Result run={last} />
      <AlteredCopies run={last} />
    </div>
  );
};

const today = (): string => new Date().toISOString().slice(0, 10);
const monthAgo = (): string => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

const Export = () => {
  const id = useId();
  const [from, setFrom] = useState(monthAgo);
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState<'csv' | 'json' | undefined>(undefined);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | undefined>(undefined);
  const problem =
    from === '' || to === ''
      ? 'Choose both dates.'
      : from > to
        ? 'The first day must be on or before the last.'
        : undefined;
  const onExport = async (format: 'csv' | 'json') => {
    setBusy(format);
    setOutcome(undefined);
    const answer = await api.exportAudit({ from, to, format });
    setBusy(undefined);
    if (!answer.ok) {
      setOutcome({ tone: 'error', text: answer.error.message });
      return;
    }
    downloadFile(answer.data);
    setOutcome({
      tone: 'success',
      text: `${answer.data.filename}: ${answer.data.entries} ${answer.data.entries === 1 ? 'entry' : 'entries'}.`,
    });
  };
  return (
    <div>
      <h3 style={subheading}>Export</h3>
      <p
        style={subtle}
      >{`Every entry from the first day to the last (UTC, both included; at most ${MAX_AUDIT_EXPORT_DAYS} days at once): who, when, what, the old and the new value, and the entry's hash. CSV for a spreadsheet, JSON with the chain's links for re-checking.`}</p>
      <div style={{ display: 'flex', gap: token('space.200', '16px'), flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <div>
          <label htmlFor={`${id}-from`}>First day</label>
          <Textfield
            id={`${id}-from`}
            type="date"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            isRequired
            testId="audit-export-from"
          />
        </div>
        <div>
          <label htmlFor={`${id}-to`}>Last day</label>
          <Textfield
            id={`${id}-to`}
            type="date"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            isRequired
            testId="audit-export-to"
          />
        </div>
        <Button
          onClick={() => void onExport('csv')}
          isDisabled={problem !== undefined || busy !== undefined}
          isLoading={busy === 'csv'}
        >
          Export CSV
        </Button>
        <Button
          onClick={() => void onExport('json')}
          isDisabled={problem !== undefined || busy !== undefined}
          isLoading={busy === 'json'}
        >
          Export JSON
        </Button>
      </div>
      {problem !== undefined ? <p style={subtle}>{problem}</p> : null}
      {outcome !== undefined ? (
        <Message tone={outcome.tone} title={outcome.tone === 'success' ? 'Exported' : 'Not exported'}>
          <span data-testid="audit-export-result">{outcome.text}</span>
        </Message>
      ) : null}
    </div>
  );
};

export const AuditSection = () => {
  const [status, setStatus] = useState<Loaded<AuditStatus>>({ phase: 'loading' });
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  useEffect(() => {
    void api.getAuditStatus().then((answer) => setStatus({ phase: 'done', answer }));
  }, []);
  const verify = async () => {
    setChecking(true);
    setFailure(undefined);
    const answer = await api.verifyAudit();
    setChecking(false);
    if (answer.ok) setStatus({ phase: 'done', answer: { ok: true, data: { last: answer.data } } });
    else setFailure(answer.error.message);
  };
  return (
    <Section id="audit" title="Audit trail">
      <p style={subtle}>
        Every recorded change is appended to a chain: each entry carries the hash of the one before, and its own hash is
        an HMAC under a key only the app holds, so the chain cannot be recomputed without it. A daily check verifies
        every link, the recorded head and that no entry the app wrote is missing; so does the button.
      </p>
      <LastVerification status={status} />
      <Button appearance="primary" onClick={() => void verify()} isDisabled={checking}>
        Verify audit trail
      </Button>
      {checking ? <p role="status">Checking…</p> : null}
      {failure !== undefined ? (
        <Message tone="error" title="The audit trail could not be checked">
          {failure}
        </Message>
      ) : null}
      <Export />
    </Section>
  );
};
