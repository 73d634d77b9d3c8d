/** The audit chain's verification: "intact" with its length and head hash, or the first broken entry and why. */
import Button from '@atlaskit/button/new';
import { useState } from 'react';
import type { AuditVerification } from '../../../src/contract/admin-page';
import type { Envelope } from '../../../src/contract/envelope';
import { api } from './api';
import { Message, Section, subtle } from './sections';

type State = { phase: 'idle' } | { phase: 'checking' } | { phase: 'done'; answer: Envelope<AuditVerification> };

const Result = ({ answer }: { answer: Envelope<AuditVerification> }) => {
  if (!answer.ok) return <Message tone="error" title="The audit trail could not be checked">{answer.error.message}</Message>;
  const v = answer.data;
  if (v.intact) {
    return (
      <Message tone="success" title="Intact">
        <p data-testid="audit-result" style={{ margin: 0 }}>
          {v.entries === 0 ? 'The audit trail has no entries yet.' : `All ${v.entries} entries chain to the recorded head (entry ${v.head?.seq ?? v.entries}).`}
        </p>
        {v.head ? (
          <p style={{ margin: 0 }}>
            Head hash (SHA-256): <code data-testid="audit-head-hash" style={{ wordBreak: 'break-all' }}>{v.head.hash}</code>
          </p>
        ) : null}
      </Message>
    );
  }
  return (
    <Message tone="error" title={`Broken at entry ${v.firstBroken.seq}`}>
      <p data-testid="audit-result" style={{ margin: 0 }}>{`${v.firstBroken.message} (${v.firstBroken.reason}; ${v.entries} entries stored).`}</p>
      <p style={{ margin: 0 }}>Entries from this one on cannot be trusted. Keep the storage as it is and ask your quality unit to investigate.</p>
    </Message>
  );
};

export const AuditSection = () => {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const verify = async () => {
    setState({ phase: 'checking' });
    setState({ phase: 'done', answer: await api.verifyAudit() });
  };
  return (
    <Section id="audit" title="Audit trail">
      <p style={subtle}>Every signed decision is appended to a hash chain: each entry carries the SHA-256 of the one before. Verifying reads the whole chain and checks every link and the recorded head.</p>
      <Button appearance="primary" onClick={() => void verify()} isDisabled={state.phase === 'checking'}>
        Verify audit trail
      </Button>
      {state.phase === 'checking' ? <p role="status">Checking…</p> : null}
      {state.phase === 'done' ? <Result answer={state.answer} /> : null}
    </Section>
  );
};
