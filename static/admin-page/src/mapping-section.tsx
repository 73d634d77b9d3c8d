/**
 * The site's Jira mapping: which projects and issue types are quality records of which kind,
 * the RIM project and its Submission, Commitment and health-authority correspondence types,
 * which statuses mean what, and the link types. Choices come from what Jira has (as the admin sees it); the resolver checks the
 * mapping against Jira again and saves nothing when anything is wrong.
 */
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { useEffect, useState } from 'react';
import type { JiraConventions } from '../../../src/config/jira-conventions';
import type { MappingSaveResult, SiteMapping } from '../../../src/contract/admin-page';
import type { Envelope } from '../../../src/contract/envelope';
import { CorrespondenceStateSchema } from '../../../src/domain/correspondence';
import { CommitmentStatusSchema, QmsRecordKindSchema, SubmissionStatusSchema } from '../../../src/domain/model';
import { api } from './api';
import { Message, Section, cell, control, subheading, subtle } from './sections';

type Loaded = { phase: 'loading' } | { phase: 'done'; answer: Envelope<SiteMapping> };
type SaveState = { phase: 'idle' } | { phase: 'saving' } | { phase: 'done'; answer: Envelope<MappingSaveResult> };

const grid: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'max-content minmax(200px, 400px)',
  gap: `${token('space.100', '8px')} ${token('space.200', '16px')}`,
  alignItems: 'center',
};
const choice: CSSProperties = { display: 'flex', gap: token('space.100', '8px'), alignItems: 'center' };

const toggled = (list: readonly string[], value: string, on: boolean): string[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

/** A `Record<name, value>` with `name` set to `value`, or removed for ''. */
const withEntry = <V extends string>(
  record: Readonly<Record<string, V>>,
  name: string,
  value: V | '',
): Record<string, V> => {
  const next: Record<string, V> = { ...record };
  if (value === '') delete next[name];
  else next[name] = value;
  return next;
};

const Select = ({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}) => (
  <>
    <label htmlFor={id}>{label}</label>
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} style={control}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  </>
);

/** The Submission, Commitment or correspondence state a status means, or none (—). */
const StateSelect = ({
  label,
  value,
  states,
  onChange,
}: {
  label: string;
  value: string | undefined;
  states: readonly string[];
  onChange: (state: string) => void;
}) => (
  <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value)} style={control}>
    <option value="">—</option>
    {states.map((s) => (
      <option key={s} value={s}>
        {s}
      </option>
    ))}
  </select>
);

const SaveResult = ({ state }: { state: SaveState }) => {
  if (state.phase === 'idle') return null;
  if (state.phase === 'saving') return <p role="status">Checking the mapping against Jira…</p>;
  const { answer } = state;
  if (!answer.ok)
    return (
      <Message tone="error" title="The mapping was not saved">
        {answer.error.message}
      </Message>
    );
  if (answer.data.saved)
    return (
      <Message
        tone="success"
        title="Mapping saved"
      >{`Saved by ${answer.data.savedBy.displayName}. Every gate, panel and trigger now runs on it.`}</Message>
    );
  return (
    <Message tone="error" title="The mapping was not saved">
      <p style={{ margin: `${token('space.050', '4px')} 0` }}>{answer.data.message}</p>
      <ul aria-label="Mapping problems" style={{ margin: 0, paddingLeft: token('space.300', '24px') }}>
        {answer.data.problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
    </Message>
  );
};

const MappingForm = ({ mapping, onSaved }: { mapping: SiteMapping; onSaved: () => void }) => {
  const { site } = mapping;
  const [draft, setDraft] = useState<JiraConventions>(mapping.conventions);
  const [save, setSave] = useState<SaveState>({ phase: 'idle' });
  const update = (change: Partial<JiraConventions>) => setDraft((current) => ({ ...current, ...change }));

  const qmsTypes = [
    ...new Set([
      ...site.projects.filter((p) => draft.qmsProjectKeys.includes(p.key)).flatMap((p) => p.issueTypes),
      ...Object.keys(draft.qmsIssueTypes),
    ]),
  ].sort();
  const rim = site.projects.find((p) => p.key === draft.rimProjectKey);
  const rimTypes = [
    ...new Set([
      ...(rim?.issueTypes ?? []),
      draft.submissionIssueType,
      draft.commitmentIssueType,
      draft.correspondenceIssueType,
    ]),
  ];
  const linkTypes = [
    ...new Set([
      ...site.linkTypes.map((t) => t.name),
      draft.filingLinkType,
      draft.commitmentLinkType,
      draft.correspondenceLinkType,
    ]),
  ];
  const statuses = [
    ...new Set([
      ...site.statuses.map((s) => s.name),
      ...Object.keys(draft.submissionStatuses),
      ...Object.keys(draft.commitmentStatuses),
      ...Object.keys(draft.correspondenceStatuses),
      ...draft.approvalStatusNames,
    ]),
  ];
  const asOptions = (names: readonly string[]) => names.map((n) => ({ value: n, label: n }));

  const onSave = async () => {
    setSave({ phase: 'saving' });
    const answer = await api.saveMapping(draft);
    setSave({ phase: 'done', answer });
    if (answer.ok && answer.data.saved) onSaved();
  };

  return (
    <form aria-label="Jira mapping" onSubmit={(e) => e.preventDefault()}>
      <h3 style={subheading}>Quality (QMS) projects and record kinds</h3>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={subtle}>Projects whose issues can be quality records</legend>
        {site.projects.map((p) => (
          <label key={p.key} style={choice}>
            <input
              type="checkbox"
              checked={draft.qmsProjectKeys.includes(p.key)}
              onChange={(e) => update({ qmsProjectKeys: toggled(draft.qmsProjectKeys, p.key, e.target.checked) })}
            />
            {`${p.name} (${p.key})`}
          </label>
        ))}
      </fieldset>
      <table style={{ borderCollapse: 'collapse', marginTop: token('space.100', '8px') }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>Which issue types are which kind of quality record</caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Issue type
            </th>
            <th scope="col" style={cell}>
              Record kind
            </th>
          </tr>
        </thead>
        <tbody>
          {qmsTypes.map((typeName) => (
            <tr key={typeName}>
              <th scope="row" style={{ ...cell, fontWeight: 'normal' }}>
                <label htmlFor={`kind-${typeName}`}>{typeName}</label>
              </th>
              <td style={cell}>
                <select
                  id={`kind-${typeName}`}
                  value={draft.qmsIssueTypes[typeName] ?? ''}
                  onChange={(e) =>
                    update({
                      qmsIssueTypes: withEntry(
                        draft.qmsIssueTypes,
                        typeName,
                        e.target.value === '' ? '' : QmsRecordKindSchema.parse(e.target.value),
                      ),
                    })
                  }
                  style={control}
                >
                  <option value="">Not a quality record</option>
                  {QmsRecordKindSchema.options.map((kind) => (
                    <option key={kind} value={kind}>
                      {kind}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 style={subheading}>Regulatory (RIM) project and link types</h3>
      <div style={grid}>
        <Select
          id="rim-project"
          label="RIM project"
          value={draft.rimProjectKey}
          options={[...new Set([...site.projects.map((p) => p.key), draft.rimProjectKey])].map((k) => ({
            value: k,
            label: site.projects.find((p) => p.key === k)?.name ?? k,
          }))}
          onChange={(v) => update({ rimProjectKey: v })}
        />
        <Select
          id="submission-type"
          label="Submission issue type"
          value={draft.submissionIssueType}
          options={asOptions(rimTypes)}
          onChange={(v) => update({ submissionIssueType: v })}
        />
        <Select
          id="commitment-type"
          label="Commitment issue type"
          value={draft.commitmentIssueType}
          options={asOptions(rimTypes)}
          onChange={(v) => update({ commitmentIssueType: v })}
        />
        <Select
          id="correspondence-type"
          label="Health-authority correspondence issue type"
          value={draft.correspondenceIssueType}
          options={asOptions(rimTypes)}
          onChange={(v) => update({ correspondenceIssueType: v })}
        />
        <Select
          id="filing-link"
          label="Link type: record requires filing Submission"
          value={draft.filingLinkType}
          options={asOptions(linkTypes)}
          onChange={(v) => update({ filingLinkType: v })}
        />
        <Select
          id="commitment-link"
          label="Link type: record implements Commitment"
          value={draft.commitmentLinkType}
          options={asOptions(linkTypes)}
          onChange={(v) => update({ commitmentLinkType: v })}
        />
        <Select
          id="correspondence-link"
          label="Link type: record answers correspondence"
          value={draft.correspondenceLinkType}
          options={asOptions(linkTypes)}
          onChange={(v) => update({ correspondenceLinkType: v })}
        />
      </div>

      <h3 style={subheading}>Statuses</h3>
      <p style={subtle}>
        A record counts as closed in any status of Jira’s “Done” category; its quality approval is its latest entry into
        an approval status.
      </p>
      <table style={{ borderCollapse: 'collapse' }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>What each status means to the app</caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Status
            </th>
            <th scope="col" style={cell}>
              Quality approval
            </th>
            <th scope="col" style={cell}>
              Submission state
            </th>
            <th scope="col" style={cell}>
              Commitment state
            </th>
            <th scope="col" style={cell}>
              Correspondence state
            </th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((name) => (
            <tr key={name}>
              <th scope="row" style={{ ...cell, fontWeight: 'normal' }}>
                {name}
              </th>
              <td style={cell}>
                <input
                  type="checkbox"
                  aria-label={`${name} means quality approval`}
                  checked={draft.approvalStatusNames.includes(name)}
                  onChange={(e) =>
                    update({ approvalStatusNames: toggled(draft.approvalStatusNames, name, e.target.checked) })
                  }
                />
              </td>
              <td style={cell}>
                <StateSelect
                  label={`Submission state of ${name}`}
                  value={draft.submissionStatuses[name]}
                  states={SubmissionStatusSchema.options}
                  onChange={(state) =>
                    update({
                      submissionStatuses: withEntry(
                        draft.submissionStatuses,
                        name,
                        state === '' ? '' : SubmissionStatusSchema.parse(state),
                      ),
                    })
                  }
                />
              </td>
              <td style={cell}>
                <StateSelect
                  label={`Commitment state of ${name}`}
                  value={draft.commitmentStatuses[name]}
                  states={CommitmentStatusSchema.options}
                  onChange={(state) =>
                    update({
                      commitmentStatuses: withEntry(
                        draft.commitmentStatuses,
                        name,
                        state === '' ? '' : CommitmentStatusSchema.parse(state),
                      ),
                    })
                  }
                />
              </td>
              <td style={cell}>
                <StateSelect
                  label={`Correspondence state of ${name}`}
                  value={draft.correspondenceStatuses[name]}
                  states={CorrespondenceStateSchema.options}
                  onChange={(state) =>
                    update({
                      correspondenceStatuses: withEntry(
                        draft.correspondenceStatuses,
                        name,
                        state === '' ? '' : CorrespondenceStateSchema.parse(state),
                      ),
                    })
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 style={subheading}>Record fields</h3>
      <div style={grid}>
        {Object.entries(draft.recordFields).map(([name, fieldId]) => (
          <div key={name} style={{ display: 'contents' }}>
            <label htmlFor={`field-${name}`}>{`Jira field of “${name}”`}</label>
            <input
              id={`field-${name}`}
              value={fieldId}
              onChange={(e) => update({ recordFields: { ...draft.recordFields, [name]: e.target.value } })}
              style={control}
            />
          </div>
        ))}
      </div>

      <div style={{ marginTop: token('space.200', '16px') }}>
        <Button appearance="primary" onClick={() => void onSave()} isDisabled={save.phase === 'saving'}>
          Save mapping
        </Button>
      </div>
      <SaveResult state={save} />
    </form>
  );
};

export const MappingSection = () => {
  const [state, setState] = useState<Loaded>({ phase: 'loading' });
  // Bumped after a save, to show who saved it and when; the form keeps what was saved.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    void api.getMapping().then((answer) => setState({ phase: 'done', answer }));
  }, [generation]);
  return (
    <Section id="mapping" title="Jira mapping">
      {state.phase === 'loading' ? (
        <p style={subtle}>Loading the mapping and what Jira has…</p>
      ) : !state.answer.ok ? (
        <Message tone="error" title="The mapping could not be loaded">
          {state.answer.error.message}
        </Message>
      ) : (
        <>
          {state.answer.data.stored ? (
            <p
              style={subtle}
              data-testid="mapping-saved-by"
            >{`Saved by ${state.answer.data.savedBy?.displayName ?? 'unknown'} at ${state.answer.data.savedAt ? new Date(state.answer.data.savedAt).toLocaleString() : 'an unknown time'}.`}</p>
          ) : (
            <Message tone="info" title="The app runs on its default mapping">
              Nothing has been saved for this site yet. Check each choice below against your projects and save.
            </Message>
          )}
          <MappingForm mapping={state.answer.data} onSaved={() => setGeneration((g) => g + 1)} />
        </>
      )}
    </Section>
  );
};
