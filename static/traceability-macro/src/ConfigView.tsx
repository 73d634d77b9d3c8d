/**
 * The macro's configuration dialog: products, markets, record kinds and a creation-date
 * range. Saving hands the configuration to Confluence with `view.submit({ config })`;
 * Confluence stores it with the macro on the page and gives it to the view as `extension.config`.
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { useEffect, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import { MacroConfigSchema } from '../../../src/contract/traceability';
import type { MacroConfig, MacroOptions } from '../../../src/contract/traceability';
import type { QmsRecordKind } from '../../../src/domain/model';
import { api, saveConfig } from './api';
import { KIND_LABELS } from './labels';
import { MultiSelect } from './MultiSelect';
import type { Option } from './MultiSelect';
import { field, heading, row, subtle, text } from './styles';

const nonEmpty = <T,>(values: readonly T[]): T[] | undefined => (values.length > 0 ? [...values] : undefined);

export const ConfigView = ({ initial }: { initial: MacroConfig }) => {
  const [options, setOptions] = useState<Envelope<MacroOptions> | undefined>();
  const [productIds, setProductIds] = useState<string[]>(initial.productIds ?? []);
  const [markets, setMarkets] = useState<string[]>(initial.markets ?? []);
  const [kinds, setKinds] = useState<QmsRecordKind[]>(initial.kinds ?? []);
  const [from, setFrom] = useState(initial.from ?? '');
  const [to, setTo] = useState(initial.to ?? '');
  const [status, setStatus] = useState<{ tone: 'error' | 'success'; message: string } | undefined>();

  useEffect(() => {
    void api.getOptions().then(setOptions);
  }, []);

  if (options === undefined) return <Spinner label="Loading the registry" />;
  if (!options.ok) {
    return (
      <SectionMessage appearance="error" title="The configuration could not be loaded">
        <p>{options.error.message}</p>
      </SectionMessage>
    );
  }
  const productOptions: Option[] = options.data.products.map((p) => ({ label: `${p.name} (${p.id})`, value: p.id }));
  const marketOptions: Option[] = options.data.markets.map((m) => ({ label: m, value: m }));

  const save = async (): Promise<void> => {
    const config = MacroConfigSchema.safeParse({
      productIds: nonEmpty(productIds),
      markets: nonEmpty(markets),
      kinds: nonEmpty(kinds),
      from: from === '' ? undefined : from,
      to: to === '' ? undefined : to,
    });
    if (!config.success) {
      setStatus({
        tone: 'error',
        message: config.error.issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`).join('; '),
      });
      return;
    }
    try {
      await saveConfig(config.data);
      setStatus({ tone: 'success', message: 'Saved. The macro on the page now shows this selection.' });
    } catch (error) {
      setStatus({
        tone: 'error',
        message: `Confluence did not save the configuration: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };

  return (
    <main style={{ ...text, padding: token('space.200', '16px') }} aria-labelledby="config-heading">
      <h2 id="config-heading" style={{ ...heading, marginTop: 0 }}>
        Configure regulatory traceability
      </h2>
      <p style={subtle}>
        Leave a choice empty to include everything. The page shows each reader only the Jira issues they may browse.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div style={row}>
          <MultiSelect
            id="config-products"
            label="Products"
            options={productOptions}
            selected={productIds}
            onChange={setProductIds}
            placeholder="All products"
          />
          <MultiSelect
            id="config-markets"
            label="Markets"
            options={marketOptions}
            selected={markets}
            onChange={setMarkets}
            placeholder="All markets"
          />
        </div>
        <fieldset style={{ border: 'none', padding: 0, margin: `${token('space.200', '16px')} 0` }}>
          <legend>Record kinds</legend>
          <div style={row}>
            {options.data.kinds.map((kind) => (
              <label key={kind}>
                <input
                  type="checkbox"
                  name="kinds"
                  value={kind}
                  checked={kinds.includes(kind)}
                  onChange={(event) =>
                    setKinds(event.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))
                  }
                />{' '}
                {KIND_LABELS[kind]}
              </label>
            ))}
          </div>
        </fieldset>
        <div style={row}>
          <div style={field}>
            <label htmlFor="config-from">Created from</label>
            <Textfield
              id="config-from"
              type="date"
              value={from}
              onChange={(event) => setFrom(event.currentTarget.value)}
            />
          </div>
          <div style={field}>
            <label htmlFor="config-to">Created to</label>
            <Textfield id="config-to" type="date" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
          </div>
        </div>
        <div style={{ marginTop: token('space.200', '16px') }}>
          <Button appearance="primary" type="submit">
            Save
          </Button>
        </div>
      </form>
      <div aria-live="polite" style={{ marginTop: token('space.200', '16px') }}>
        {status && (
          <SectionMessage
            appearance={status.tone === 'error' ? 'error' : 'success'}
            title={status.tone === 'error' ? 'Not saved' : 'Configuration saved'}
          >
            <p>{status.message}</p>
          </SectionMessage>
        )}
      </div>
    </main>
  );
};
