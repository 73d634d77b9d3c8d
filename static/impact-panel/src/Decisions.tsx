/**
 * The recommendation per affected application with its citations, and the reviewer's signed
 * decision: accept the recommendation, or override it with a category valid for the
 * application type and a mandatory rationale. The form says who signs and asks what the
 * signature means (21 CFR 11.50); the date and time are recorded by the app when it is signed.
 * Signing needs the current code of the signer's enrolled authenticator (21 CFR 11.200(a)).
 */
import Button from '@atlaskit/button/new';
import { RadioGroup } from '@atlaskit/radio';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { Fragment, useId, useState } from 'react';
import type { DecideInput, ImpactFormData, PanelDecision, PanelImpact } from '../../../src/contract/resolvers';
import type { SigningVerdict } from '../../../src/domain/signing-policy';
import type { SigningStatus } from '../../../src/contract/signing';
import { digitsOnly, SIX_DIGITS } from './code';
import type { FilingCategory } from '../../../src/domain/model';
import { Lozenge } from '../../shared/lozenge';
import { cell, label, row, stack, subtle } from './styles';

type Meaning = DecideInput['meaning'];

const MEANINGS: ReadonlyArray<{ value: Meaning; label: string }> = [
  { value: 'review', label: 'Review: I reviewed this decision' },
  { value: 'approval', label: 'Approval: I approve this filing decision' },
  { value: 'responsibility', label: 'Responsibility: I take responsibility for this decision' },
];

/** The signing date and time as the signer's printed record shows it, with the time zone (dateStyle cannot be combined with timeZoneName). */
export const signedAt = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });

const MEANING_WORDS: Record<Meaning, string> = {
  review: 'review',
  approval: 'approval',
  responsibility: 'responsibility',
};

/**
 * 21 CFR 11.50: the printed name, the date and time (ISO 8601 with its offset, as recorded, and
 * in the viewer's local time) and the meaning; 11.70: whether the signature still binds what
 * was signed.
 */
export const Signature = ({
  decided,
  state,
}: {
  decided: NonNullable<PanelDecision['decided']>;
  state: PanelDecision['signatureState'];
}) => (
  <span style={subtle} data-testid="signature">
    {`Signed by ${decided.by.displayName}, `}
    <time dateTime={decided.at}>{decided.at}</time>
    {` (${signedAt(decided.at)}), meaning: ${MEANING_WORDS[decided.meaning]}`}
    {state === 'void' ? (
      <strong data-testid="signature-void">{' · void: changed after signing; a reviewer must sign again'}</strong>
    ) : state === 'unbound' ? (
      ' · recorded before signatures were bound to their content'
    ) : null}
  </span>
);

/** Why the signer cannot sign yet, or undefined when their authenticator is ready (or its state is not known yet). */
const notReadyToSign = (authenticator: SigningStatus | undefined): string | undefined => {
  if (authenticator === undefined || authenticator.status === 'enrolled') return undefined;
  if (authenticator.status === 'locked')
    return 'Signing is locked for you after too many wrong codes; a Jira admin must reset your authenticator.';
  return 'To sign, set up your authenticator under “Authenticator for signing” below first.';
};

const DecisionForm = ({
  decision,
  categories,
  signer,
  authenticator,
  decide,
  onDone,
}: {
  decision: PanelDecision;
  categories: readonly FilingCategory[];
  signer: string;
  authenticator: SigningStatus | undefined;
  decide: (input: Omit<DecideInput, 'version'>) => Promise<boolean>;
  onDone: () => void;
}) => {
  const id = useId();
  const canAccept = decision.recommended.category !== 'REVIEW-REQUIRED';
  const [choice, setChoice] = useState<'accept' | 'override'>(canAccept ? 'accept' : 'override');
  const [category, setCategory] = useState<FilingCategory | undefined>(undefined);
  const [rationale, setRationale] = useState('');
  const [meaning, setMeaning] = useState<Meaning>('approval');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const blocked = notReadyToSign(authenticator);
  const options = categories.map((c) => ({ value: c, label: c }));
  const missing =
    choice === 'override'
      ? [...(category === undefined ? ['a filing category'] : []), ...(rationale.trim() === '' ? ['a rationale'] : [])]
      : [];

  const onSign = async () => {
    setBusy(true);
    const ok = await decide({
      applicationId: decision.applicationId,
      decision: choice,
      ...(choice === 'override' && category ? { category } : {}),
      rationale,
      meaning,
      signatureCode: code,
    });
    setBusy(false);
    // A code is spent once it was checked, whatever happened next: the next attempt needs the next code.
    setCode('');
    if (ok) onDone();
  };

  return (
    <form aria-label={`Decision for ${decision.applicationId}`} style={stack} onSubmit={(e) => e.preventDefault()}>
      <span id={`${id}-choice`} style={label}>
        Decision
      </span>
      <RadioGroup
        aria-labelledby={`${id}-choice`}
        name={`${id}-choice`}
        value={choice}
        options={[
          {
            name: `${id}-choice`,
            value: 'accept',
            label: `Accept the recommended ${decision.recommended.category}`,
            isDisabled: !canAccept,
          },
          { name: `${id}-choice`, value: 'override', label: 'Override with another category' },
        ]}
        onChange={(e) => setChoice(e.currentTarget.value === 'override' ? 'override' : 'accept')}
      />
      {choice === 'override' ? (
        <>
          <label htmlFor={`${id}-category`} style={label}>
            Filing category
          </label>
          <Select<{ value: FilingCategory; label: string }>
            inputId={`${id}-category`}
            options={options}
            value={options.find((o) => o.value === category) ?? null}
            onChange={(o) => setCategory(o?.value)}
            placeholder="Choose a category"
          />
        </>
      ) : null}
      <label htmlFor={`${id}-rationale`} style={label}>
        {choice === 'override' ? 'Rationale (required: why the recommendation does not apply)' : 'Rationale (optional)'}
      </label>
      <TextArea
        id={`${id}-rationale`}
        value={rationale}
        onChange={(e) => setRationale(e.currentTarget.value)}
        isRequired={choice === 'override'}
        minimumRows={2}
        maxLength={4000}
      />
      <span id={`${id}-meaning`} style={label}>
        Meaning of your signature
      </span>
      <RadioGroup
        aria-labelledby={`${id}-meaning`}
        name={`${id}-meaning`}
        value={meaning}
        options={MEANINGS.map((m) => ({ name: `${id}-meaning`, value: m.value, label: m.label }))}
        onChange={(e) => setMeaning(MEANINGS.find((m) => m.value === e.currentTarget.value)?.value ?? 'approval')}
      />
      <label htmlFor={`${id}-code`} style={label}>
        Authenticator code (6 digits, required to sign)
      </label>
      <Textfield
        id={`${id}-code`}
        value={code}
        onChange={(e) => setCode(digitsOnly(e.currentTarget.value))}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        isRequired
        isDisabled={blocked !== undefined}
        width="small"
        aria-describedby={`${id}-code-help`}
      />
      <p id={`${id}-code-help`} style={subtle}>
        {blocked ?? 'The code your authenticator app shows for the QMS-RIM bridge. Each code signs once.'}
      </p>
      <p
        style={subtle}
      >{`You sign as ${signer}. The date and time are recorded when you sign, and the decision is added to the audit trail.`}</p>
      {missing.length > 0 ? <p style={subtle}>{`An override needs ${missing.join(' and ')}.`}</p> : null}
      <div style={row}>
        <Button
          appearance="primary"
          onClick={() => void onSign()}
          isDisabled={missing.length > 0 || blocked !== undefined || !SIX_DIGITS.test(code)}
          isLoading={busy}
        >
          {`Sign decision for ${decision.applicationId}`}
        </Button>
        <Button appearance="subtle" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
};

const submissionOf = (decision: PanelDecision): string =>
  decision.submissionKey ?? (decision.submissionHidden ? 'a Submission you cannot see' : '—');

export interface DecisionsProps {
  impact: PanelImpact;
  form: ImpactFormData | undefined;
  /** Whether the viewer may sign this record's decisions (the app's signing rules), and why not. */
  signing: SigningVerdict;
  /** The viewer's own authenticator for signing. */
  authenticator: SigningStatus | undefined;
  decide: (input: Omit<DecideInput, 'version'>) => Promise<boolean>;
}

export const Decisions = ({ impact, form, signing, authenticator, decide }: DecisionsProps) => {
  const [open, setOpen] = useState<string | undefined>(undefined);
  const reasonId = useId();
  if (impact.decisions.length === 0)
    return <p style={subtle}>No application is affected yet: save an assessment first.</p>;
  const applicationOf = (id: string) => form?.applications.find((a) => a.id === id);
  return (
    <>
      {signing.allowed ? null : (
        <div data-testid="signing-refused" style={{ marginBottom: '8px' }}>
          <SectionMessage appearance="information" title="You cannot sign these decisions">
            <p id={reasonId} style={{ margin: 0 }}>
              {signing.reason}
            </p>
          </SectionMessage>
        </div>
      )}
      <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed', overflowWrap: 'anywhere' }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>
          Recommended and decided filing category for each affected application
        </caption>
        <colgroup>
          <col style={{ width: '22%' }} />
          <col style={{ width: '26%' }} />
          <col style={{ width: '36%' }} />
          <col style={{ width: '16%' }} />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Application
            </th>
            <th scope="col" style={cell}>
              Recommended
            </th>
            <th scope="col" style={cell}>
              Decided
            </th>
            <th scope="col" style={cell}>
              Submission
            </th>
          </tr>
        </thead>
        <tbody>
          {impact.decisions.map((d) => {
            const application = applicationOf(d.applicationId);
            return (
              <Fragment key={d.applicationId}>
                <tr data-testid={`decision-${d.applicationId}`}>
                  <th scope="row" style={cell}>
                    {d.applicationId} ({d.market})
                    {application ? <div style={subtle}>{`${application.type} ${application.number}`}</div> : null}
                  </th>
                  <td style={cell}>
                    <Lozenge appearance={d.recommended.category === 'REVIEW-REQUIRED' ? 'moved' : 'default'}>
                      {d.recommended.category}
                    </Lozenge>
                    <div style={subtle}>
                      {d.recommended.citations.join('; ') || 'No citation: the rules cannot decide'}
                    </div>
                    <details>
                      <summary>Why</summary>
                      <p style={{ margin: 0 }}>{d.recommended.rationale}</p>
                    </details>
                  </td>
                  <td style={cell}>
                    {d.decided ? (
                      <div style={stack}>
                        <span>
                          <Lozenge appearance="inprogress">{d.decided.category}</Lozenge>
                        </span>
                        <span>{d.decided.rationale}</span>
                        <Signature decided={d.decided} state={d.signatureState} />
                      </div>
                    ) : (
                      <span style={subtle}>Not decided</span>
                    )}
                    {form && open !== d.applicationId ? (
                      <div style={{ marginTop: '4px' }}>
                        <Button
                          onClick={() => setOpen(d.applicationId)}
                          isDisabled={!signing.allowed}
                          {...(signing.allowed ? {} : { 'aria-describedby': reasonId })}
                        >
                          {`${d.decided ? 'Change decision' : 'Decide'} for ${d.applicationId}`}
                        </Button>
                      </div>
                    ) : null}
                  </td>
                  <td style={cell}>{submissionOf(d)}</td>
                </tr>
                {form && signing.allowed && open === d.applicationId ? (
                  <tr>
                    <td colSpan={4} style={cell}>
                      <DecisionForm
                        decision={d}
                        categories={application ? (form.categoriesByType[application.type] ?? []) : []}
                        signer={form.signer.displayName}
                        authenticator={authenticator}
                        decide={decide}
                        onDone={() => setOpen(undefined)}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </>
  );
};
