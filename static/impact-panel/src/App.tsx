/**
 * The "Regulatory impact" issue panel: the record's assessment (and the form to make or change
 * it), the recommendation and the reviewer's signed decision per affected application, the
 * one-step submission plan and commitment, the health-authority approval per market, what
 * blocks each next transition and why, and the decision history. Every write names the version the panel was loaded with; a conflict says
 * the current version and offers a reload.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type {
  AddCommitmentInput,
  DecideInput,
  HistoryEntry,
  ImpactFormData,
  ImpactPanel,
  PanelApproval,
  PanelGate,
  PanelImpact,
  PanelSubmission,
} from '../../../src/contract/resolvers';
import type { AssessmentDraft } from '../../../src/domain/propose-assessment.schema';
import { Lozenge } from '../../shared/lozenge';
import { IMPACT_APPEARANCE } from '../../shared/appearance';
import { api } from './api';
import { SearchLinks } from './SearchLinks';
import { Correspondence } from './Correspondence';
import type { ImpactApi } from './api';
import { AssessmentForm } from './AssessmentForm';
import { Authenticator } from './Authenticator';
import type { SigningStatus } from '../../../src/contract/signing';
import { Decisions, signedAt } from './Decisions';
import { CommitmentForm, SubmissionPlan } from './FilingActions';
import { cell, section, stack, subtle, text } from './styles';

type Loaded<T> = { phase: 'loading' } | { phase: 'done'; answer: Envelope<T> };
type Notice = { tone: 'success' | 'error' | 'conflict'; title: string; message: string };

const heading = (id: string, children: ReactNode) => (
  <Heading size="small" as="h3" id={id}>
    {children}
  </Heading>
);

const list = (items: readonly string[]): string => (items.length > 0 ? items.join(', ') : 'none');

const Affected = ({ impact }: { impact: PanelImpact }) => (
  <section aria-labelledby="affected-heading" style={section}>
    {heading('affected-heading', 'Affected')}
    <dl
      style={{
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        gap: `${token('space.050', '4px')} ${token('space.200', '16px')}`,
        margin: 0,
      }}
    >
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

const Submissions = ({ submissions }: { submissions: readonly PanelSubmission[] }) => (
  <section aria-labelledby="submissions-heading" style={{ marginTop: token('space.200', '16px') }}>
    <Heading size="xsmall" as="h4" id="submissions-heading">
      Linked submissions
    </Heading>
    {submissions.length === 0 ? (
      <p style={subtle}>No linked Submission that you can see.</p>
    ) : (
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Issue
            </th>
            <th scope="col" style={cell}>
              Application
            </th>
            <th scope="col" style={cell}>
              Market
            </th>
            <th scope="col" style={cell}>
              Category
            </th>
            <th scope="col" style={cell}>
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {submissions.map((s) => (
            <tr key={s.key}>
              <th scope="row" style={cell}>
                {s.key}
              </th>
              <td style={cell}>{s.applicationId}</td>
              <td style={cell}>{s.market}</td>
              <td style={cell}>{s.category}</td>
              <td style={cell}>
                <Lozenge
                  appearance={
                    s.status === 'approved'
                      ? 'success'
                      : s.status === 'rejected' || s.status === 'withdrawn'
                        ? 'removed'
                        : 'inprogress'
                  }
                >
                  {s.status}
                </Lozenge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

const Approvals = ({ approvals }: { approvals: readonly PanelApproval[] }) => (
  <section aria-labelledby="approvals-heading" style={{ marginTop: token('space.200', '16px') }}>
    <Heading size="xsmall" as="h4" id="approvals-heading">
      Health-authority approvals
    </Heading>
    {approvals.length === 0 ? (
      <p style={subtle}>No approval by a health authority recorded that you can see.</p>
    ) : (
      <table aria-labelledby="approvals-heading" style={{ borderCollapse: 'collapse', width: '100%' }}>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Market
            </th>
            <th scope="col" style={cell}>
              Approved Submission
            </th>
            <th scope="col" style={cell}>
              Approved
            </th>
          </tr>
        </thead>
        <tbody>
          {approvals.map((a) => (
            <tr key={a.market}>
              <th scope="row" style={cell}>
                {a.market}
              </th>
              <td style={cell}>{a.submissionKey}</td>
              <td style={cell}>
                <time dateTime={a.approvedAt}>{signedAt(a.approvedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

const Gates = ({ gates }: { gates: readonly PanelGate[] }) => (
  <section aria-labelledby="gates-heading" style={section}>
    {heading('gates-heading', 'What blocks the next transition')}
    <p style={subtle}>
      Each gate as it holds for every market. A gate your Jira admin limited to some markets or target statuses checks
      only those when it runs on its transition.
    </p>
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {gates.map((g) => (
        <li key={g.gate} style={{ marginBottom: token('space.100', '8px') }}>
          <Lozenge appearance={g.ok ? 'success' : 'removed'}>{g.ok ? 'ok' : 'blocked'}</Lozenge>{' '}
          <strong>{g.title}</strong>
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

const History = ({ state }: { state: Loaded<HistoryEntry[]> }) => {
  if (state.phase === 'loading') return <p style={subtle}>Loading the history…</p>;
  if (!state.answer.ok) return <p style={subtle}>{`The history could not be loaded: ${state.answer.error.message}`}</p>;
  const entries = state.answer.data;
  if (entries.length === 0) return <p style={subtle}>Nothing has been recorded on this record yet.</p>;
  return (
    <ol aria-label="History, newest first" style={{ margin: 0, paddingLeft: token('space.300', '24px') }}>
      {entries.map((e, i) => (
        <li key={`${e.seq}-${i}`} style={{ marginBottom: token('space.100', '8px') }}>
          <strong>{e.summary}</strong>
          <div style={subtle}>
            {`${e.action === 'impact/decide' ? 'Signed' : 'By'} ${e.who}, `}
            <time dateTime={e.at}>{e.at}</time>
            {` (${signedAt(e.at)})`}
            {e.action === 'impact/decide' && e.meaning ? `, meaning: ${e.meaning}` : ''}
            {` · audit entry ${e.seq}`}
          </div>
          {e.action === 'impact/decide' && e.rationale ? <div>{e.rationale}</div> : null}
        </li>
      ))}
    </ol>
  );
};

/** Jira's copy of the assessment no longer matches the signed record: what differs, who changed it, and the way back. */
const AlteredCopy = ({
  panel,
  restore,
}: {
  panel: Extract<ImpactPanel, { applies: true }>;
  restore: () => Promise<boolean>;
}) => {
  const integrity = panel.integrity;
  const [busy, setBusy] = useState(false);
  if (integrity.state !== 'altered') return null;
  const by =
    integrity.changedBy !== undefined
      ? ` by ${integrity.changedBy}${integrity.changedAt !== undefined ? ` on ${integrity.changedAt}` : ''}`
      : '';
  return (
    <SectionMessage
      appearance="error"
      title={`Jira's copy of this assessment was changed outside the app${by}`}
      actions={[
        <Button
          key="restore"
          isDisabled={busy}
          onClick={() => {
            setBusy(true);
            void restore().finally(() => setBusy(false));
          }}
        >
          Update Jira's copy from the signed record
        </Button>,
      ]}
    >
      <p>{`The panel shows the signed record (version ${panel.impact.version}). Every workflow gate refuses ${panel.issue.key} until Jira's copy matches it again, or a reviewer re-signs. What Jira's copy says:`}</p>
      <ul data-testid="altered-differences">
        {integrity.differences.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      {integrity.changedBy === undefined && integrity.how === 'different' ? (
        <p style={subtle}>Jira keeps no history of issue property changes, so who changed it is not known.</p>
      ) : null}
    </SectionMessage>
  );
};

const NoticeMessage = ({ notice, onReload }: { notice: Notice; onReload: () => void }) => (
  <SectionMessage
    appearance={notice.tone === 'conflict' ? 'warning' : notice.tone}
    title={notice.title}
    {...(notice.tone === 'conflict'
      ? {
          actions: [
            <Button key="reload" onClick={onReload}>
              Reload the current version
            </Button>,
          ],
        }
      : {})}
  >
    <p>{notice.message}</p>
  </SectionMessage>
);

const describeFailure = (error: { code: string; message: string }, what: string): Notice =>
  error.code === 'CONFLICT'
    ? { tone: 'conflict', title: 'Someone else changed this assessment', message: error.message }
    : { tone: 'error', title: `${what} failed`, message: `${error.message} (${error.code})` };

const joinKeys = (keys: readonly string[]): string =>
  keys.length <= 1 ? keys.join('') : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1) ?? ''}`;

export const ImpactPanelView = ({
  panel,
  form,
  history,
  client,
  reload,
}: {
  panel: Extract<ImpactPanel, { applies: true }>;
  form: Loaded<ImpactFormData>;
  history: Loaded<HistoryEntry[]>;
  client: ImpactApi;
  reload: () => Promise<void>;
}) => {
  const [notice, setNotice] = useState<Notice | undefined>(undefined);
  const [editing, setEditing] = useState(panel.impact.status === 'not-assessed');
  const version = panel.impact.version;
  const formData = form.phase === 'done' && form.answer.ok ? form.answer.data : undefined;
  const [signing, setSigning] = useState<Envelope<SigningStatus> | undefined>(undefined);
  const refreshSigning = useCallback(async () => setSigning(await client.signingStatus()), [client]);
  useEffect(() => {
    void refreshSigning();
  }, [refreshSigning]);

  /** Runs a write; on success reloads and says what happened, on failure says why (a conflict offers a reload). */
  const write = async <T,>(
    what: string,
    run: () => Promise<Envelope<T>>,
    success: (data: T) => string,
  ): Promise<boolean> => {
    setNotice(undefined);
    const answer = await run();
    if (!answer.ok) {
      setNotice(describeFailure(answer.error, what));
      return false;
    }
    await reload();
    setNotice({ tone: 'success', title: `${what} done`, message: success(answer.data) });
    return true;
  };

  const save = (draft: AssessmentDraft) =>
    write(
      'Saving the assessment',
      () => client.saveAssessment({ version, ...draft }),
      (impact) =>
        `Saved as version ${impact.version}: ${impact.decisions.length} affected application${impact.decisions.length === 1 ? '' : 's'}.`,
    ).then((ok) => {
      if (ok) setEditing(false);
      return ok;
    });
  const decide = async (input: Omit<DecideInput, 'version'>) => {
    const ok = await write(
      'Signing the decision',
      () => client.decide({ version, ...input }),
      () => `The decision for ${input.applicationId} is signed and in the audit trail.`,
    );
    // A wrong code counts toward the lock-out: show what is left.
    await refreshSigning();
    return ok;
  };
  const createPlan = (applicationIds: string[]) =>
    write(
      'Creating the submission plan',
      () => client.createSubmissionPlan({ version, applicationIds }),
      (r) =>
        r.created.length === 0
          ? 'Nothing needed creating.'
          : `Created ${joinKeys(r.created.map((c) => c.key))} in RIM and linked ${r.created.length === 1 ? 'it' : 'them'} to ${panel.issue.key}.`,
    );
  const addCommitment = (input: AddCommitmentInput) =>
    write(
      'Adding the commitment',
      () => client.addCommitment(input),
      (r) => `Created the Commitment ${r.key} and linked it to ${panel.issue.key}.`,
    );
  const restore = () =>
    write(
      "Updating Jira's copy",
      () => client.restoreMirror(),
      (r) =>
        r.restored
          ? `Jira's copy matches the signed record (version ${r.version}) again.`
          : "Jira's copy already matched the signed record.",
    );

  return (
    <>
      <Heading size="medium" as="h2">
        {`${panel.issue.key}: ${panel.issue.summary}`}
      </Heading>
      <p>
        <span style={subtle}>Status</span> {panel.issue.status.name} · <span style={subtle}>Regulatory impact</span>{' '}
        <Lozenge appearance={IMPACT_APPEARANCE[panel.impact.status]}>{panel.impact.status}</Lozenge>{' '}
        <span style={subtle}>{`· version ${version}`}</span>
      </p>
      <AlteredCopy panel={panel} restore={restore} />
      <div aria-live="polite" data-testid="notice">
        {notice ? (
          <NoticeMessage notice={notice} onReload={() => void reload().then(() => setNotice(undefined))} />
        ) : null}
      </div>

      <section aria-labelledby="assessment-heading" style={section}>
        {heading('assessment-heading', 'Assessment')}
        {form.phase === 'loading' ? <Spinner label="Loading the catalog and the registry" /> : null}
        {form.phase === 'done' && !form.answer.ok ? (
          <p style={subtle}>{`The assessment form cannot be shown: ${form.answer.error.message}`}</p>
        ) : null}
        {formData && editing ? (
          <AssessmentForm
            form={formData}
            impact={panel.impact}
            propose={(draft) => client.propose(draft)}
            save={save}
            {...(panel.impact.status === 'not-assessed' ? {} : { onCancel: () => setEditing(false) })}
          />
        ) : null}
        {formData && !editing ? (
          <div style={stack}>
            <p style={{ margin: 0 }}>
              {panel.impact.changes.length === 0
                ? 'No change recorded.'
                : `Changes: ${panel.impact.changes.map((c) => c.code).join(', ')}`}
            </p>
            <div>
              <Button onClick={() => setEditing(true)}>Edit assessment</Button>
            </div>
          </div>
        ) : null}
      </section>
      <Affected impact={panel.impact} />
      <SearchLinks impact={panel.impact} />

      <section aria-labelledby="decisions-heading" style={section}>
        {heading('decisions-heading', 'Recommendation and decision per application')}
        <Decisions
          impact={panel.impact}
          form={formData}
          signing={panel.signing}
          authenticator={signing?.ok ? signing.data : undefined}
          decide={decide}
        />
      </section>

      <section aria-labelledby="authenticator-heading" style={section}>
        {heading('authenticator-heading', 'Authenticator for signing')}
        <Authenticator
          status={signing}
          start={() => client.startEnrolment()}
          confirm={(code) => client.confirmEnrolment(code)}
          onChange={(next) => setSigning({ ok: true, data: next })}
        />
      </section>

      <section aria-labelledby="plan-heading" style={section}>
        {heading('plan-heading', 'Submission plan and commitments')}
        <SubmissionPlan impact={panel.impact} create={createPlan} />
        <Submissions submissions={panel.linkedSubmissions} />
        <Approvals approvals={panel.approvals} />
        <div style={{ marginTop: token('space.200', '16px') }}>
          {formData ? <CommitmentForm impact={panel.impact} form={formData} add={addCommitment} /> : null}
        </div>
      </section>

      <Gates gates={panel.gates} />
      <Correspondence />

      <section aria-labelledby="history-heading" style={section}>
        {heading('history-heading', 'History')}
        <History state={history} />
      </section>
    </>
  );
};

export const App = ({ client = api }: { client?: ImpactApi }) => {
  const [panel, setPanel] = useState<Loaded<ImpactPanel>>({ phase: 'loading' });
  const [form, setForm] = useState<Loaded<ImpactFormData>>({ phase: 'loading' });
  const [history, setHistory] = useState<Loaded<HistoryEntry[]>>({ phase: 'loading' });

  const reload = useCallback(async () => {
    const [p, h] = await Promise.all([client.getImpact(), client.getHistory()]);
    setPanel({ phase: 'done', answer: p });
    setHistory({ phase: 'done', answer: h });
  }, [client]);

  useEffect(() => {
    let live = true;
    void Promise.all([client.getImpact(), client.getHistory(), client.getFormData()]).then(([p, h, f]) => {
      if (!live) return;
      setPanel({ phase: 'done', answer: p });
      setHistory({ phase: 'done', answer: h });
      setForm({ phase: 'done', answer: f });
    });
    return () => {
      live = false;
    };
  }, [client]);

  const body = (() => {
    if (panel.phase === 'loading') return <p role="status">Loading the regulatory impact…</p>;
    const answer = panel.answer;
    if (!answer.ok) {
      return (
        <SectionMessage appearance="error" title="The regulatory impact could not be shown">
          <p>
            {answer.error.message} <span style={subtle}>({answer.error.code})</span>
          </p>
        </SectionMessage>
      );
    }
    if (!answer.data.applies) {
      return (
        <SectionMessage appearance="information" title="No regulatory impact here">
          <p>{answer.data.message}</p>
        </SectionMessage>
      );
    }
    return <ImpactPanelView panel={answer.data} form={form} history={history} client={client} reload={reload} />;
  })();

  return (
    <main style={{ ...text, padding: token('space.100', '8px') }} aria-busy={panel.phase === 'loading'}>
      {body}
    </main>
  );
};
