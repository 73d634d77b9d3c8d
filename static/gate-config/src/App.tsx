/**
 * One bundle for the create, edit and view resources of all five gate validators: Jira's
 * workflow editor says which validator (moduleKey) and which view (extension.entryPoint).
 * create/edit show the form and hand Jira the configuration on Add/Update, parsed with the
 * same schema the validator uses; view shows what the saved configuration means.
 */
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { useEffect, useRef, useState } from 'react';
import {
  GATE_CONFIG_SETTINGS,
  describeGateConfig,
  parseGateConfig,
  serializeGateConfig,
} from '../../../src/contract/gate-config';
import type {
  GateConfigOptions,
  GateValidatorConfig,
  GateValidatorConfigInput,
} from '../../../src/contract/gate-config';
import { GATE_TITLES } from '../../../src/domain/gates';
import type { GateId } from '../../../src/domain/gates';
import { getOptions, onConfigure, readValidatorView } from './api';
import type { ValidatorView } from './api';

const text: CSSProperties = {
  color: token('color.text', '#172B4D'),
  font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'),
};
const subtle: CSSProperties = { color: token('color.text.subtle', '#44546F') };
const fieldset: CSSProperties = {
  border: `1px solid ${token('color.border', '#091E4224')}`,
  borderRadius: token('radius.small', '3px'),
  margin: `${token('space.150', '12px')} 0`,
  padding: token('space.150', '12px'),
};
const choice: CSSProperties = {
  display: 'flex',
  gap: token('space.100', '8px'),
  alignItems: 'center',
  margin: `${token('space.050', '4px')} 0`,
};

interface Form {
  allMarkets: boolean;
  markets: string[];
  everyTransition: boolean;
  implementStatusIds: string[];
  failClosed: boolean;
}

const formFrom = (config: GateValidatorConfig): Form => ({
  allMarkets: config.markets === undefined,
  markets: config.markets ?? [],
  everyTransition: config.implementStatusIds === undefined,
  implementStatusIds: config.implementStatusIds ?? [],
  failClosed: config.failClosed,
});

const inputFrom = (gate: GateId, form: Form): GateValidatorConfigInput => {
  const settings = GATE_CONFIG_SETTINGS[gate];
  return {
    failClosed: form.failClosed,
    ...(settings.markets && !form.allMarkets ? { markets: form.markets } : {}),
    ...(settings.implementStatuses && !form.everyTransition ? { implementStatusIds: form.implementStatusIds } : {}),
  };
};

const toggled = (list: readonly string[], value: string, on: boolean): string[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

const DEFAULTS: GateValidatorConfig = { failClosed: true };

const ConfigForm = ({
  validator,
  options,
  initial,
}: {
  validator: ValidatorView;
  options: GateConfigOptions;
  initial: Form;
}) => {
  const { gate } = validator;
  const settings = GATE_CONFIG_SETTINGS[gate];
  const [form, setForm] = useState<Form>(initial);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const latest = useRef(form);
  latest.current = form;

  useEffect(() => {
    void onConfigure(() => {
      const serialized = serializeGateConfig(gate, inputFrom(gate, latest.current));
      setProblem(serialized.ok ? undefined : serialized.message);
      return serialized.ok ? serialized.json : undefined;
    }).catch(() => setProblem('Jira did not accept the configuration callback; reload the workflow editor.'));
  }, [gate]);

  const markets = [...new Set([...options.markets, ...form.markets])].sort();
  const update = (change: Partial<Form>) => setForm((current) => ({ ...current, ...change }));
  return (
    <form aria-label={`Configure the ${GATE_TITLES[gate]} gate`} onSubmit={(e) => e.preventDefault()}>
      {problem === undefined ? null : (
        <SectionMessage appearance="error" title="This configuration cannot be saved">
          <p role="alert">{problem}</p>
        </SectionMessage>
      )}
      {settings.markets ? (
        <fieldset style={fieldset}>
          <legend>Markets that hold the gate</legend>
          <label style={choice}>
            <input
              type="radio"
              name="market-scope"
              checked={form.allMarkets}
              onChange={() => update({ allMarkets: true })}
            />
            Every market
          </label>
          <label style={choice}>
            <input
              type="radio"
              name="market-scope"
              checked={!form.allMarkets}
              onChange={() => update({ allMarkets: false })}
            />
            Only these markets
          </label>
          {form.allMarkets ? null : markets.length === 0 ? (
            <p style={subtle}>The registry names no market yet; import it on the app's admin page first.</p>
          ) : (
            markets.map((market) => (
              <label key={market} style={{ ...choice, paddingLeft: token('space.300', '24px') }}>
                <input
                  type="checkbox"
                  checked={form.markets.includes(market)}
                  onChange={(e) => update({ markets: toggled(form.markets, market, e.target.checked) })}
                />
                {market}
              </label>
            ))
          )}
        </fieldset>
      ) : (
        <p style={subtle}>This gate holds for every market: an assessment is complete or it is not.</p>
      )}
      {settings.implementStatuses ? (
        <fieldset style={fieldset}>
          <legend>Which transitions mean “implement” or “release”</legend>
          <label style={choice}>
            <input
              type="radio"
              name="transition-scope"
              checked={form.everyTransition}
              onChange={() => update({ everyTransition: true })}
            />
            Every transition this gate is put on
          </label>
          <label style={choice}>
            <input
              type="radio"
              name="transition-scope"
              checked={!form.everyTransition}
              onChange={() => update({ everyTransition: false })}
            />
            Only transitions into these statuses
          </label>
          {form.everyTransition
            ? null
            : options.statuses.map((status) => (
                <label key={status.id} style={{ ...choice, paddingLeft: token('space.300', '24px') }}>
                  <input
                    type="checkbox"
                    checked={form.implementStatusIds.includes(status.id)}
                    onChange={(e) =>
                      update({ implementStatusIds: toggled(form.implementStatusIds, status.id, e.target.checked) })
                    }
                  />
                  {status.name}
                </label>
              ))}
        </fieldset>
      ) : null}
      <fieldset style={fieldset}>
        <legend>When Jira cannot be read</legend>
        <label style={choice}>
          <input type="checkbox" checked={form.failClosed} onChange={(e) => update({ failClosed: e.target.checked })} />
          Refuse the transition (fail closed, recommended)
        </label>
        <p style={{ ...subtle, margin: 0 }}>
          Unchecked, a Jira outage or rate limit lets the transition through. Bad or missing data never does.
        </p>
      </fieldset>
    </form>
  );
};

type State =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | {
      phase: 'ready';
      validator: ValidatorView;
      options: GateConfigOptions;
      config: GateValidatorConfig;
      savedProblem?: string;
    };

export const App = () => {
  const [state, setState] = useState<State>({ phase: 'loading' });

  useEffect(() => {
    void (async () => {
      const validator = await readValidatorView();
      if ('problem' in validator) return setState({ phase: 'failed', message: validator.problem });
      const options = await getOptions();
      if (!options.ok) return setState({ phase: 'failed', message: options.error.message });
      const saved =
        validator.entryPoint === 'create'
          ? ({ ok: true, config: DEFAULTS } as const)
          : parseGateConfig(validator.gate, validator.savedConfig);
      setState(
        saved.ok
          ? { phase: 'ready', validator, options: options.data, config: saved.config }
          : { phase: 'ready', validator, options: options.data, config: DEFAULTS, savedProblem: saved.message },
      );
    })();
  }, []);

  if (state.phase === 'loading')
    return (
      <main aria-busy="true" style={{ ...text, padding: token('space.100', '8px') }}>
        Loading the gate’s configuration…
      </main>
    );
  if (state.phase === 'failed') {
    return (
      <main aria-busy="false" style={{ ...text, padding: token('space.100', '8px') }}>
        <SectionMessage appearance="error" title="The gate’s configuration could not be shown">
          <p>{state.message}</p>
        </SectionMessage>
      </main>
    );
  }
  const { validator, options, config, savedProblem } = state;
  const statusName = (id: string) => options.statuses.find((s) => s.id === id)?.name ?? `status ${id}`;
  return (
    <main
      aria-busy="false"
      data-entry-point={validator.entryPoint}
      style={{ ...text, padding: token('space.100', '8px') }}
    >
      <Heading size="small" as="h1">
        {GATE_TITLES[validator.gate]}
      </Heading>
      {savedProblem === undefined ? null : (
        <SectionMessage appearance="warning" title="The saved configuration is not valid">
          <p>{`${savedProblem}. The gate refuses every transition until it is saved again${validator.entryPoint === 'view' ? ' in the edit view' : ''}.`}</p>
        </SectionMessage>
      )}
      {validator.entryPoint === 'view' ? (
        savedProblem === undefined ? (
          <ul
            aria-label="Gate configuration"
            style={{ margin: `${token('space.050', '4px')} 0`, paddingLeft: token('space.250', '20px') }}
          >
            {describeGateConfig(validator.gate, config, statusName).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null
      ) : (
        <ConfigForm validator={validator} options={options} initial={formFrom(config)} />
      )}
    </main>
  );
};
