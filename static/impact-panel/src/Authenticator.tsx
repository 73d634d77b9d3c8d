/**
 * "Authenticator for signing" (21 CFR 11.200(a)): the person's own authenticator, whose current
 * code every signature needs besides the Jira session. Set-up shows the QR code and the key
 * once; they stay in this component's memory only until the set-up is confirmed, and the app
 * never sends them again. The QR code is an SVG string from the app, shown as an image (never
 * inserted as markup).
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { useId, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { Enrolment, SigningStatus } from '../../../src/contract/signing';
import { digitsOnly, SIX_DIGITS } from './code';
import { signedAt } from './Decisions';
import { label, row, stack, subtle } from './styles';

export interface AuthenticatorProps {
  status: Envelope<SigningStatus> | undefined;
  start: () => Promise<Envelope<Enrolment>>;
  confirm: (code: string) => Promise<Envelope<SigningStatus>>;
  /** The status changed (confirmed): the panel reloads it. */
  onChange: (status: SigningStatus) => void;
}

const Setup = ({
  enrolment,
  confirm,
  onDone,
  onCancel,
}: {
  enrolment: Enrolment;
  confirm: AuthenticatorProps['confirm'];
  onDone: (status: SigningStatus) => void;
  onCancel: () => void;
}) => {
  const id = useId();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const onConfirm = async () => {
    setBusy(true);
    setError(undefined);
    const answer = await confirm(code);
    setBusy(false);
    if (answer.ok) onDone(answer.data);
    else setError(answer.error.message);
  };
  return (
    <form aria-label="Set up your authenticator" style={stack} onSubmit={(e) => e.preventDefault()}>
      <p style={{ margin: 0 }}>
        Scan this QR code with your authenticator app (for example Microsoft Authenticator, Google Authenticator or
        1Password). It is shown only now.
      </p>
      <img
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
        alt="QR code that adds the QMS-RIM bridge signing code to your authenticator app"
        width={180}
        height={180}
        style={{ background: '#FFFFFF', alignSelf: 'flex-start' }}
        data-testid="enrolment-qr"
      />
      <p style={{ margin: 0 }}>
        <span style={subtle}>
          Cannot scan it? Enter this key in the app instead (time-based, 6 digits, 30 seconds):{' '}
        </span>
        <code data-testid="enrolment-secret" style={{ overflowWrap: 'anywhere' }}>
          {enrolment.secretBase32}
        </code>
      </p>
      <label htmlFor={`${id}-code`} style={label}>
        Code your authenticator shows now (6 digits)
      </label>
      <Textfield
        id={`${id}-code`}
        value={code}
        onChange={(e) => setCode(digitsOnly(e.currentTarget.value))}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        isRequired
        width="small"
      />
      {error ? (
        <div role="alert">
          <SectionMessage appearance="error" title="The set-up was not confirmed">
            <p>{error}</p>
          </SectionMessage>
        </div>
      ) : null}
      <div style={row}>
        <Button
          appearance="primary"
          onClick={() => void onConfirm()}
          isDisabled={!SIX_DIGITS.test(code)}
          isLoading={busy}
        >
          Confirm set-up
        </Button>
        <Button appearance="subtle" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
};

export const Authenticator = ({ status, start, confirm, onChange }: AuthenticatorProps) => {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  if (status === undefined) return <p style={subtle}>Loading your authenticator…</p>;
  if (!status.ok)
    return <p style={subtle}>{`Your authenticator for signing cannot be shown: ${status.error.message}`}</p>;
  const current = status.data;

  const onStart = async () => {
    setBusy(true);
    setError(undefined);
    const answer = await start();
    setBusy(false);
    if (answer.ok) setEnrolment(answer.data);
    else setError(answer.error.message);
  };

  if (enrolment) {
    return (
      <Setup
        enrolment={enrolment}
        confirm={confirm}
        onDone={(next) => {
          setEnrolment(undefined);
          onChange(next);
        }}
        onCancel={() => setEnrolment(undefined)}
      />
    );
  }

  return (
    <div style={stack} data-testid="authenticator">
      {current.status === 'enrolled' ? (
        <p style={{ margin: 0 }}>
          {'Your authenticator is set up'}
          {current.enrolledAt ? (
            <>
              {' (since '}
              <time dateTime={current.enrolledAt}>{signedAt(current.enrolledAt)}</time>
              {')'}
            </>
          ) : null}
          {
            '. Each signature asks for the 6-digit code it shows; a code signs once, so wait for the next one before signing again.'
          }
        </p>
      ) : null}
      {current.status === 'locked' ? (
        <SectionMessage appearance="warning" title="Signing is locked for you">
          <p>
            {'Too many codes were wrong'}
            {current.lockedAt ? (
              <>
                {' (locked '}
                <time dateTime={current.lockedAt}>{signedAt(current.lockedAt)}</time>
                {')'}
              </>
            ) : null}
            {'. A Jira admin must reset your authenticator on the app’s admin page; then set it up again.'}
          </p>
        </SectionMessage>
      ) : null}
      {current.status === 'none' || current.status === 'pending' ? (
        <>
          <p style={{ margin: 0 }}>
            {current.status === 'pending'
              ? 'You started setting up an authenticator but did not confirm it. The QR code is shown only once: start again for a new one.'
              : 'To sign regulatory decisions you need an authenticator app on your phone or computer, set up here once. Each signature then asks for the code it shows, besides your Jira login.'}
          </p>
          <div>
            <Button appearance="primary" onClick={() => void onStart()} isLoading={busy}>
              Set up authenticator
            </Button>
          </div>
        </>
      ) : null}
      {error ? (
        <div role="alert">
          <SectionMessage appearance="error" title="The set-up could not start">
            <p>{error}</p>
          </SectionMessage>
        </div>
      ) : null}
    </div>
  );
};
