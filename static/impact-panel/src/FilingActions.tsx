/**
 * The two one-step actions that turn decisions into RIM work: "Create submission plan" (a
 * Submission per decision that files with an authority, created in the RIM project, linked
 * and recorded on the decision) and "Add commitment". The resolver checks the person's Jira
 * permissions first and undoes everything if a step fails.
 */
import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { useId, useState } from 'react';
import type { AddCommitmentInput, ImpactFormData, PanelImpact } from '../../../src/contract/resolvers';
import { IN_HOUSE_CATEGORIES } from '../../../src/domain/categories';
import { card, label, row, stack, subtle } from './styles';

export const SubmissionPlan = ({
  impact,
  create,
}: {
  impact: PanelImpact;
  create: (applicationIds: string[]) => Promise<boolean>;
}) => {
  const [busy, setBusy] = useState(false);
  const eligible = impact.decisions.filter(
    (d) =>
      d.decided !== undefined &&
      !IN_HOUSE_CATEGORIES.has(d.decided.category) &&
      d.submissionKey === undefined &&
      !d.submissionHidden,
  );
  const undecided = impact.decisions.filter((d) => d.decided === undefined).length;
  const onCreate = async () => {
    setBusy(true);
    await create(eligible.map((d) => d.applicationId));
    setBusy(false);
  };
  return (
    <div style={stack}>
      {eligible.length === 0 ? (
        <p style={subtle}>
          {impact.decisions.some((d) => d.decided)
            ? 'Every decision that files with an authority has its Submission.'
            : 'No decision yet: decide the applications first.'}
        </p>
      ) : (
        <>
          <p style={{ margin: 0 }}>
            One Submission will be created in the RIM project for each of these decisions, pre-filled and linked to this
            record:
          </p>
          <ul aria-label="Submissions to create" style={{ margin: 0 }}>
            {eligible.map((d) => (
              <li key={d.applicationId}>{`${d.decided?.category ?? ''} for ${d.applicationId} (${d.market})`}</li>
            ))}
          </ul>
        </>
      )}
      {undecided > 0 ? (
        <p style={subtle}>{`${undecided} application${undecided === 1 ? ' is' : 's are'} not decided yet.`}</p>
      ) : null}
      <div>
        <Button
          appearance="primary"
          onClick={() => void onCreate()}
          isDisabled={eligible.length === 0}
          isLoading={busy}
        >
          Create submission plan
        </Button>
      </div>
    </div>
  );
};

interface Option {
  value: string;
  label: string;
}

export const CommitmentForm = ({
  impact,
  form,
  add,
}: {
  impact: PanelImpact;
  form: ImpactFormData;
  add: (input: AddCommitmentInput) => Promise<boolean>;
}) => {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [market, setMarket] = useState<string | undefined>(impact.affected.markets[0]);
  const [applicationId, setApplicationId] = useState<string | undefined>(undefined);
  const [dueDate, setDueDate] = useState('');
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <div>
        <Button onClick={() => setOpen(true)}>Add commitment</Button>
      </div>
    );
  }
  const markets: Option[] = (impact.affected.markets.length > 0 ? impact.affected.markets : form.markets).map((m) => ({
    value: m,
    label: m,
  }));
  const applications: Option[] = impact.decisions
    .filter((d) => d.market === market)
    .map((d) => ({ value: d.applicationId, label: d.applicationId }));
  const ready = title.trim() !== '' && market !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(dueDate);
  const onAdd = async () => {
    if (market === undefined) return;
    setBusy(true);
    const ok = await add({ title, description, market, dueDate, ...(applicationId ? { applicationId } : {}) });
    setBusy(false);
    if (ok) {
      setOpen(false);
      setTitle('');
      setDescription('');
      setDueDate('');
    }
  };
  return (
    <form aria-label="Add commitment" style={card} onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={`${id}-title`} style={label}>
        What was committed (the Commitment's summary)
      </label>
      <Textfield
        id={`${id}-title`}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        isRequired
        maxLength={255}
      />
      <label htmlFor={`${id}-description`} style={label}>
        Description
      </label>
      <TextArea
        id={`${id}-description`}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        minimumRows={2}
        maxLength={4000}
      />
      <label htmlFor={`${id}-market`} style={label}>
        Market
      </label>
      <Select<Option>
        inputId={`${id}-market`}
        options={markets}
        value={markets.find((m) => m.value === market) ?? null}
        onChange={(o) => {
          setMarket(o?.value);
          setApplicationId(undefined);
        }}
      />
      <label htmlFor={`${id}-application`} style={label}>
        Application (optional)
      </label>
      <Select<Option>
        inputId={`${id}-application`}
        options={applications}
        value={applications.find((a) => a.value === applicationId) ?? null}
        onChange={(o) => setApplicationId(o?.value)}
        isClearable
        placeholder="Not tied to one application"
      />
      <label htmlFor={`${id}-due`} style={label}>
        Due date
      </label>
      <Textfield
        id={`${id}-due`}
        type="date"
        value={dueDate}
        onChange={(e) => setDueDate(e.currentTarget.value)}
        isRequired
      />
      <div style={row}>
        <Button appearance="primary" onClick={() => void onAdd()} isDisabled={!ready} isLoading={busy}>
          Create commitment
        </Button>
        <Button appearance="subtle" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
};
