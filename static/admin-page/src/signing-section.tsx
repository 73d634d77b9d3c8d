/**
 * Signing credentials (21 CFR 11.200, 11.300): who has an authenticator for signing, who is
 * still setting one up, who is locked out after five wrong codes in 15 minutes, and a reset
 * (confirmed first) after which the person sets up a new authenticator. Every reset is audited.
 */
import Button from '@atlaskit/button/new';
import { useCallback, useEffect, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { CredentialSummary } from '../../../src/contract/signing';
import { api } from './api';
import { Message, Section, cell, subtle } from './sections';

const when = (iso: string | undefined): string =>
  iso === undefined ? '—' : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const STATUS_TEXT: Record<CredentialSummary['status'], string> = {
  enrolled: 'set up',
  pending: 'set-up not confirmed',
  locked: 'locked out',
  reset: 'reset: must set up again',
};

type Outcome = { tone: 'success' | 'error'; title: string; message: string };

const ResetControl = ({
  person,
  onReset,
}: {
  person: CredentialSummary;
  onReset: (outcome: Outcome) => Promise<void>;
}) => {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (person.status === 'reset') return <span style={subtle}>—</span>;
  if (!confirming) {
    return (
      <Button onClick={() => setConfirming(true)} aria-label={`Reset the authenticator of ${person.displayName}`}>
        Reset
      </Button>
    );
  }
  const reset = async () => {
    setBusy(true);
    const answer = await api.resetSigningCredential(person.accountId);
    setBusy(false);
    setConfirming(false);
    await onReset(
      answer.ok
        ? {
            tone: 'success',
            title: `${person.displayName}’s authenticator was reset`,
            message:
              'Their old authenticator signs nothing any more; they set up a new one from the Regulatory impact panel. The reset is in the audit trail.',
          }
        : { tone: 'error', title: 'The reset failed', message: answer.error.message },
    );
  };
  return (
    <div role="group" aria-label={`Confirm the reset for ${person.displayName}`}>
      <p
        style={{ margin: 0 }}
      >{`Reset ${person.displayName}’s authenticator? It stops working at once, and they must set up a new one before signing again.`}</p>
      <Button appearance="danger" onClick={() => void reset()} isLoading={busy} autoFocus>
        {`Confirm reset for ${person.displayName}`}
      </Button>{' '}
      <Button appearance="subtle" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </div>
  );
};

export const SigningSection = () => {
  const [list, setList] = useState<Envelope<CredentialSummary[]> | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const load = useCallback(async () => setList(await api.listSigningCredentials()), []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Section id="signing" title="Signing credentials">
      <p style={subtle}>
        Every signature of a regulatory decision needs the signer’s authenticator code besides the Jira login. Five
        wrong codes within 15 minutes lock signing for that person until you reset their authenticator here; they then
        set up a new one. Enrolments, lock-outs and resets are in the audit trail.
      </p>
      <div aria-live="polite">
        {outcome ? (
          <Message tone={outcome.tone} title={outcome.title}>
            {outcome.message}
          </Message>
        ) : null}
      </div>
      {list === undefined ? <p role="status">Loading signing credentials…</p> : null}
      {list !== undefined && !list.ok ? (
        <Message tone="error" title="The signing credentials could not be loaded">
          {list.error.message}
        </Message>
      ) : null}
      {list?.ok && list.data.length === 0 ? <p>Nobody has set up an authenticator for signing yet.</p> : null}
      {list?.ok && list.data.length > 0 ? (
        <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="signing-credentials">
          <caption style={{ ...subtle, textAlign: 'left' }}>
            People with an authenticator for signing, and its state
          </caption>
          <thead>
            <tr>
              <th scope="col" style={cell}>
                Person
              </th>
              <th scope="col" style={cell}>
                State
              </th>
              <th scope="col" style={cell}>
                Set up
              </th>
              <th scope="col" style={cell}>
                Last code used
              </th>
              <th scope="col" style={cell}>
                Wrong codes (15 min)
              </th>
              <th scope="col" style={cell}>
                Locked out / reset
              </th>
              <th scope="col" style={cell}>
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((person) => (
              <tr key={person.accountId} data-testid={`signing-${person.accountId}`}>
                <th scope="row" style={cell}>
                  {person.displayName}
                </th>
                <td style={cell}>{STATUS_TEXT[person.status]}</td>
                <td style={cell}>
                  {person.enrolledAt ? when(person.enrolledAt) : `started ${when(person.startedAt)}`}
                </td>
                <td style={cell}>{when(person.lastCodeAt)}</td>
                <td style={cell}>{person.recentFailures}</td>
                <td style={cell}>
                  {person.lockedAt ? `locked ${when(person.lockedAt)}` : ''}
                  {person.resetAt
                    ? `reset ${when(person.resetAt)}${person.resetBy ? ` by ${person.resetBy}` : ''}`
                    : ''}
                  {!person.lockedAt && !person.resetAt ? '—' : ''}
                </td>
                <td style={cell}>
                  <ResetControl
                    person={person}
                    onReset={async (result) => {
                      setOutcome(result);
                      await load();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
};
