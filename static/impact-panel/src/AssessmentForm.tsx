/**
 * The assessment form: change codes from the catalog with their questions, and the affected
 * products, sites, suppliers and markets picked from the registry. "Propose" asks the resolver
 * which applications propagation reaches and what the rules recommend for each; only that
 * proposal can be saved, so nobody saves an outcome they have not seen.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { RadioGroup } from '@atlaskit/radio';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import { useId, useMemo, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { ImpactFormData, PanelImpact } from '../../../src/contract/resolvers';
import type { Answer, Change } from '../../../src/domain/model';
import type { AssessmentDraft, Proposal } from '../../../src/domain/propose-assessment.schema';
import { Lozenge } from '../../shared/lozenge';
import { card, cell, fieldset, label, legend, row, stack, subtle } from './styles';

interface Option {
  label: string;
  value: string;
}

type ChangeCode = ImpactFormData['changeCodes'][number];
type Question = ChangeCode['questions'][number];

const optionsOf = (entities: readonly { id: string; name: string }[]): Option[] =>
  entities.map((e) => ({ value: e.id, label: `${e.name} (${e.id})` }));
const picked = (options: readonly Option[], ids: readonly string[]): Option[] =>
  options.filter((o) => ids.includes(o.value));

/**
 * The stored value keeps the products propagation reached, not only those picked; when a
 * supplier or site was the source, products start empty so editing does not widen the reach.
 */
const initialDraft = (impact: PanelImpact): AssessmentDraft => {
  const fromSupplierOrSite = impact.affected.supplierIds.length > 0 || impact.affected.siteIds.length > 0;
  return {
    changes: impact.changes,
    affected: {
      productIds: fromSupplierOrSite ? [] : impact.affected.productIds,
      siteIds: impact.affected.siteIds,
      supplierIds: impact.affected.supplierIds,
      markets: impact.affected.markets,
    },
  };
};

const QuestionField = ({
  question,
  value,
  onChange,
}: {
  question: Question;
  value: Answer | undefined;
  onChange: (value: Answer | undefined) => void;
}) => {
  const id = useId();
  if (question.answer.kind === 'boolean') {
    return (
      <div style={stack}>
        <span id={`${id}-q`} style={label}>
          {question.text}
        </span>
        <RadioGroup
          aria-labelledby={`${id}-q`}
          name={`${id}-answer`}
          value={value === undefined ? null : value ? 'yes' : 'no'}
          options={[
            { name: `${id}-answer`, value: 'yes', label: 'Yes' },
            { name: `${id}-answer`, value: 'no', label: 'No' },
          ]}
          onChange={(e) => onChange(e.currentTarget.value === 'yes')}
        />
      </div>
    );
  }
  const options = question.answer.options.map((o) => ({ value: o, label: o }));
  return (
    <div style={stack}>
      <label htmlFor={`${id}-select`} style={label}>
        {question.text}
      </label>
      <Select<Option>
        inputId={`${id}-select`}
        options={options}
        value={options.find((o) => o.value === value) ?? null}
        onChange={(option) => onChange(option?.value)}
        isClearable
        placeholder="Not answered"
      />
    </div>
  );
};

const ChangeCard = ({
  change,
  entry,
  onChange,
  onRemove,
}: {
  change: Change;
  entry: ChangeCode | undefined;
  onChange: (change: Change) => void;
  onRemove: () => void;
}) => (
  <li style={card} aria-label={`Change ${change.code}`}>
    <div style={{ ...row, justifyContent: 'space-between' }}>
      <span>
        <strong>{entry?.title ?? change.code}</strong> <span style={subtle}>({change.code})</span>
      </span>
      <Button appearance="subtle" onClick={onRemove}>{`Remove ${change.code}`}</Button>
    </div>
    {(entry?.questions ?? []).map((question) => (
      <QuestionField
        key={question.id}
        question={question}
        value={change.answers?.[question.id]}
        onChange={(value) => {
          const answers = { ...(change.answers ?? {}) };
          if (value === undefined) delete answers[question.id];
          else answers[question.id] = value;
          onChange({ code: change.code, ...(Object.keys(answers).length > 0 ? { answers } : {}) });
        }}
      />
    ))}
  </li>
);

const ProposalTable = ({ proposal, form }: { proposal: Proposal; form: ImpactFormData }) => {
  const applicationOf = (id: string) => form.applications.find((a) => a.id === id);
  return (
    <div style={stack} data-testid="proposal">
      <Heading size="xsmall" as="h4">
        {`Propagation reaches ${proposal.applications.length} application${proposal.applications.length === 1 ? '' : 's'}`}
      </Heading>
      <table style={{ borderCollapse: 'collapse', width: '100%', overflowWrap: 'anywhere' }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>
          Every affected application and what the filing rules recommend for it
        </caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Application
            </th>
            <th scope="col" style={cell}>
              Why it is affected
            </th>
            <th scope="col" style={cell}>
              Recommended
            </th>
          </tr>
        </thead>
        <tbody>
          {proposal.applications.map((a) => (
            <tr key={a.applicationId}>
              <th scope="row" style={cell}>
                {a.applicationId}
                <div
                  style={subtle}
                >{`${a.type} ${applicationOf(a.applicationId)?.number ?? a.number}, ${a.market}`}</div>
              </th>
              <td style={cell}>{a.reasons.join('; ')}</td>
              <td style={cell}>
                <Lozenge appearance={a.recommended.category === 'REVIEW-REQUIRED' ? 'moved' : 'default'}>
                  {a.recommended.category}
                </Lozenge>
                <div style={subtle}>{a.recommended.citations.join('; ') || 'No citation: a reviewer must decide'}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {proposal.skipped.length > 0 ? (
        <p
          style={subtle}
        >{`Left out: ${proposal.skipped.map((s) => `${s.applicationId} (${s.skippedBecause === 'withdrawn' ? 'withdrawn' : `${s.market} not selected`})`).join(', ')}.`}</p>
      ) : null}
    </div>
  );
};

export interface AssessmentFormProps {
  form: ImpactFormData;
  impact: PanelImpact;
  propose: (draft: AssessmentDraft) => Promise<Envelope<Proposal>>;
  save: (draft: AssessmentDraft) => Promise<boolean>;
  onCancel?: () => void;
}

export const AssessmentForm = ({ form, impact, propose, save, onCancel }: AssessmentFormProps) => {
  const id = useId();
  const [draft, setDraft] = useState<AssessmentDraft>(() => initialDraft(impact));
  const [proposal, setProposal] = useState<
    { phase: 'none' } | { phase: 'busy' } | { phase: 'done'; answer: Envelope<Proposal> }
  >({ phase: 'none' });
  const [saving, setSaving] = useState(false);

  const products = useMemo(() => optionsOf(form.products), [form.products]);
  const sites = useMemo(() => optionsOf(form.sites), [form.sites]);
  const suppliers = useMemo(() => optionsOf(form.suppliers), [form.suppliers]);
  const codes = useMemo(
    () => form.changeCodes.map((c) => ({ value: c.code, label: `${c.title} (${c.code})` })),
    [form.changeCodes],
  );

  const update = (next: AssessmentDraft) => {
    setDraft(next);
    setProposal({ phase: 'none' });
  };
  const setAffected = (part: Partial<AssessmentDraft['affected']>) =>
    update({ ...draft, affected: { ...draft.affected, ...part } });

  const onPropose = async () => {
    setProposal({ phase: 'busy' });
    setProposal({ phase: 'done', answer: await propose(draft) });
  };
  const onSave = async () => {
    setSaving(true);
    const saved = await save(draft);
    setSaving(false);
    if (saved) setProposal({ phase: 'none' });
  };

  const proposed = proposal.phase === 'done' && proposal.answer.ok ? proposal.answer.data : undefined;
  const hasSource =
    draft.affected.productIds.length + draft.affected.siteIds.length + draft.affected.supplierIds.length > 0;

  return (
    <form
      aria-label="Regulatory impact assessment"
      style={stack}
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <fieldset style={fieldset}>
        <legend style={legend}>What changed</legend>
        <ul style={{ ...stack, listStyle: 'none', padding: 0, margin: 0 }}>
          {draft.changes.map((change, i) => (
            <ChangeCard
              key={`${change.code}-${i}`}
              change={change}
              entry={form.changeCodes.find((c) => c.code === change.code)}
              onChange={(next) => update({ ...draft, changes: draft.changes.map((c, j) => (j === i ? next : c)) })}
              onRemove={() => update({ ...draft, changes: draft.changes.filter((_, j) => j !== i) })}
            />
          ))}
        </ul>
        <div style={{ ...stack, marginTop: '8px' }}>
          <label htmlFor={`${id}-code`} style={label}>
            Add a change code from the catalog (rules {form.rulesVersion})
          </label>
          <Select<Option>
            inputId={`${id}-code`}
            options={codes.filter((c) => !draft.changes.some((ch) => ch.code === c.value))}
            value={null}
            onChange={(option) => {
              if (option) update({ ...draft, changes: [...draft.changes, { code: option.value }] });
            }}
            placeholder="Search change codes"
          />
        </div>
      </fieldset>

      <fieldset style={fieldset}>
        <legend style={legend}>Where it changed</legend>
        <div style={stack}>
          <label htmlFor={`${id}-suppliers`} style={label}>
            Suppliers
          </label>
          <Select<Option, true>
            inputId={`${id}-suppliers`}
            isMulti
            options={suppliers}
            value={picked(suppliers, draft.affected.supplierIds)}
            onChange={(v) => setAffected({ supplierIds: v.map((o) => o.value) })}
          />
          <label htmlFor={`${id}-sites`} style={label}>
            Sites
          </label>
          <Select<Option, true>
            inputId={`${id}-sites`}
            isMulti
            options={sites}
            value={picked(sites, draft.affected.siteIds)}
            onChange={(v) => setAffected({ siteIds: v.map((o) => o.value) })}
          />
          <label htmlFor={`${id}-products`} style={label}>
            Products
          </label>
          <Select<Option, true>
            inputId={`${id}-products`}
            isMulti
            options={products}
            value={picked(products, draft.affected.productIds)}
            onChange={(v) => setAffected({ productIds: v.map((o) => o.value) })}
          />
        </div>
      </fieldset>

      <fieldset style={fieldset}>
        <legend style={legend}>Markets (none ticked: every market)</legend>
        <div style={row}>
          {form.markets.map((market) => (
            <label key={market} style={{ ...row, gap: '4px' }}>
              <input
                type="checkbox"
                checked={draft.affected.markets.includes(market)}
                onChange={(e) =>
                  setAffected({
                    markets: e.currentTarget.checked
                      ? [...draft.affected.markets, market].sort()
                      : draft.affected.markets.filter((m) => m !== market),
                  })
                }
              />
              {market}
            </label>
          ))}
        </div>
      </fieldset>

      <div style={row}>
        <Button
          appearance={proposed ? 'default' : 'primary'}
          onClick={() => void onPropose()}
          isDisabled={draft.changes.length === 0 || !hasSource}
          isLoading={proposal.phase === 'busy'}
        >
          Propose affected applications
        </Button>
        <Button
          appearance="primary"
          onClick={() => void onSave()}
          isDisabled={!proposed || proposed.unknown.length > 0}
          isLoading={saving}
        >
          Save assessment
        </Button>
        {onCancel ? (
          <Button appearance="subtle" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
      {draft.changes.length === 0 || !hasSource ? (
        <p style={subtle}>Name at least one change code and a supplier, site or product, then propose.</p>
      ) : null}

      <div aria-live="polite">
        {proposal.phase === 'done' && !proposal.answer.ok ? (
          <SectionMessage appearance="error" title="No proposal">
            <p>{proposal.answer.error.message}</p>
          </SectionMessage>
        ) : null}
        {proposed && proposed.unknown.length > 0 ? (
          <SectionMessage appearance="error" title="Not in the registry">
            <p>{`The registry does not know ${proposed.unknown.map((u) => `${u.kind} ${u.id}`).join(', ')}.`}</p>
          </SectionMessage>
        ) : null}
        {proposed ? <ProposalTable proposal={proposed} form={form} /> : null}
      </div>
    </form>
  );
};
