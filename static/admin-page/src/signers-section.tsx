/**
 * "Who may sign": which Jira groups and project roles may sign regulatory decisions, and
 * whether a record's reporter and its assessors are barred from signing its decisions. The
 * choices are what Jira lists to the admin; the resolver saves only names Jira has, and every
 * save goes into the audit trail with the rules before and after.
 */
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { useEffect, useState } from 'react';
import type { SignerRulesSaveResult, SignerRulesView } from '../../../src/contract/admin-page';
import type { Envelope } from '../../../src/contract/envelope';
import type { SignerRules } from '../../../src/domain/signing-policy';
import { api } from './api';
import { Message, Section, subheading, subtle } from './sections';

type Loaded = { phase: 'loading' } | { phase: 'done'; answer: Envelope<SignerRulesView> };
type SaveState = { phase: 'idle' } | { phase: 'saving' } | { phase: 'done'; answer: Envelope<SignerRulesSaveResult> };

const choice: CSSProperties = { display: 'flex', gap: token('space.100', '8px'), alignItems: 'center' };
const fieldset: CSSProperties = { border: 'none', margin: `${token('space.100', '8px')} 0`, padding: 0 };
const columns: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
  gap: token('space.050', '4px'),
};

const toggled = (list: readonly string[], value: string, on: boolean): string[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

/** The admin's choices plus any stored name Jira no longer lists (shown so it can be removed). */
const withStored = (choices: readonly string[], stored: readonly string[]): string[] => [
  ...new Set([...choices, ...stored]),
];

const Checklist = ({
  legend,
  names,
  chosen,
  onChange,
}: {
  legend: string;
  names: readonly string[];
  chosen: readonly string[];
  onChange: (next: string[]) => void;
}) => (
  <fieldset style={fieldset}>
    <legend style={subheading}>{legend}</legend>
    {names.length === 0 ? <p style={subtle}>Jira lists none.</p> : null}
    <div style={columns}>
      {names.map((name) => (
        <label key={name} style={choice}>
          <input
            type="checkbox"
            checked={chosen.includes(name)}
            onChange={(e) => onChange(toggled(chosen, name, e.target.checked))}
          />
          {name}
        </label>
      ))}
    </div>
  </fieldset>
);

const summary = (rules: SignerRules): string => {
  const who = [...rules.groups.map((g) => `group ${g}`), ...rules.projectRoles.map((r) => `project role ${r}`)];
  return who.length === 0 ? 'Nobody may sign regulatory decisions yet.' : `May sign: ${who.join(', ')}.`;
};

const SignersForm = ({
  view,
  onSaved,
}: {
  view: SignerRulesView;
  onSaved: (result: SignerRulesSaveResult) => void;
}) => {
  const [draft, setDraft] = useState<SignerRules>(view.rules);
  const [save, setSave] = useState<SaveState>({ phase: 'idle' });
  const update = (patch: Partial<SignerRules>) => setDraft((d) => ({ ...d, ...patch }));
  const onSave = async () => {
    setSave({ phase: 'saving' });
    const answer = await api.saveSigners(draft);
    setSave({ phase: 'done', answer });
    if (answer.ok) onSaved(answer.data);
  };
  const nobody = draft.groups.length === 0 && draft.projectRoles.length === 0;
  return (
    <form aria-label="Who may sign" onSubmit={(e) => e.preventDefault()}>
      <p data-testid="signers-in-force">
        {view.stored
          ? `${summary(view.rules)} Saved by ${view.savedBy?.displayName ?? 'an admin'} on ${view.savedAt ?? ''}.`
          : 'No one has chosen who may sign yet, so nobody may sign regulatory decisions.'}
      </p>
      <Checklist
        legend="Jira groups whose members may sign"
        names={withStored(view.choices.groups, view.rules.groups)}
        chosen={draft.groups}
        onChange={(groups) => update({ groups })}
      />
      {view.choices.groupsComplete ? null : (
        <p style={subtle}>Jira has more groups than this page lists; the first 2,000 are shown.</p>
      )}
      <Checklist
        legend="Project roles (on the record’s project) whose members may sign"
        names={withStored(view.choices.projectRoles, view.rules.projectRoles)}
        chosen={draft.projectRoles}
        onChange={(projectRoles) => update({ projectRoles })}
      />
      <fieldset style={fieldset}>
        <legend style={subheading}>Segregation of duties</legend>
        <label style={choice}>
          <input
            type="checkbox"
            checked={draft.barReporter}
            onChange={(e) => update({ barReporter: e.target.checked })}
          />
          A record’s reporter (or creator) may not sign its decisions
        </label>
        <label style={choice}>
          <input
            type="checkbox"
            checked={draft.barAssessors}
            onChange={(e) => update({ barAssessors: e.target.checked })}
          />
          A record’s assessors may not sign its decisions
        </label>
      </fieldset>
      {nobody ? <p style={subtle}>With no group and no project role chosen, nobody may sign.</p> : null}
      <Button appearance="primary" onClick={() => void onSave()} isLoading={save.phase === 'saving'}>
        Save who may sign
      </Button>
      {save.phase === 'done' && !save.answer.ok ? (
        <Message tone="error" title="Who may sign was not saved">
          {save.answer.error.message}
        </Message>
      ) : null}
    </form>
  );
};

export const SignersSection = () => {
  const [state, setState] = useState<Loaded>({ phase: 'loading' });
  // Kept here, not in the form: a save reloads the rules, which gives the form a fresh start.
  const [saved, setSaved] = useState<SignerRulesSaveResult | undefined>(undefined);
  const load = async () => setState({ phase: 'done', answer: await api.getSigners() });
  useEffect(() => {
    void load();
  }, []);
  return (
    <Section id="signers" title="Who may sign">
      <p style={subtle}>
        Who may sign regulatory decisions (21 CFR 11.10(g)): members of the chosen Jira groups, or people in the chosen
        project roles on the record’s project. Every change is recorded in the audit trail.
      </p>
      {state.phase === 'loading' ? <p role="status">Loading who may sign…</p> : null}
      {state.phase === 'done' && !state.answer.ok ? (
        <Message tone="error" title="Who may sign could not be loaded">
          {state.answer.error.message}
        </Message>
      ) : null}
      {state.phase === 'done' && state.answer.ok ? (
        <SignersForm
          key={state.answer.data.savedAt ?? 'defaults'}
          view={state.answer.data}
          onSaved={(result) => {
            setSaved(result);
            void load();
          }}
        />
      ) : null}
      {saved ? (
        <Message
          tone="success"
          title="Saved"
        >{`${summary(saved.rules)} Recorded in the audit trail as entry ${saved.auditSeq}.`}</Message>
      ) : null}
    </Section>
  );
};
