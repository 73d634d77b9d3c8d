import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactElement } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { AdminRegistry, CatalogVersion, RegistryImportResult } from '../../../src/contract/admin-page';
import { MAX_REGISTRY_CSV_CHARS } from '../../../src/contract/admin-page';
import type { Envelope } from '../../../src/contract/envelope';
import { downloadFile } from '../../shared/download';
import { api } from './api';
import { AuditSection } from './audit-section';
import { MappingSection } from './mapping-section';
import { SignersSection } from './signers-section';
import { Message, Section, cell, control as input, subheading, subtle, text } from './sections';
import { IndexBackfill } from './IndexBackfill';
import { SigningSection } from './signing-section';

type Loaded<T> = { phase: 'loading' } | { phase: 'done'; answer: Envelope<T> };
type ImportState =
  | { phase: 'idle' }
  | { phase: 'importing' }
  | { phase: 'done'; result: RegistryImportResult }
  | { phase: 'failed'; message: string };

const button: CSSProperties = {
  background: token('color.background.neutral', '#091E420F'),
  color: token('color.text', '#172B4D'),
  border: 'none',
  borderRadius: token('radius.small', '3px'),
  padding: `${token('space.050', '4px')} ${token('space.150', '12px')}`,
  font: token('font.body', 'normal 500 14px/20px system-ui, sans-serif'),
  cursor: 'pointer',
};
const primary: CSSProperties = {
  ...button,
  background: token('color.background.brand.bold', '#0C66E4'),
  color: token('color.text.inverse', '#FFFFFF'),
};

const Table = ({ caption, columns, rows }: { caption: string; columns: string[]; rows: string[][] }) => (
  <table style={{ borderCollapse: 'collapse', width: '100%', marginBottom: token('space.200', '16px') }}>
    <caption style={{ ...subheading, textAlign: 'left' }}>
      {caption} ({rows.length})
    </caption>
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" style={{ ...cell, ...subtle }}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
    <tbody>
      {rows.length === 0 ? (
        <tr>
          <td style={{ ...cell, ...subtle }} colSpan={columns.length}>
            None
          </td>
        </tr>
      ) : (
        rows.map((row, i) => (
          <tr key={`${row[0] ?? ''}-${i}`}>
            {row.map((value, j) => (
              <td key={j} style={cell}>
                {value}
              </td>
            ))}
          </tr>
        ))
      )}
    </tbody>
  </table>
);

const RegistryTables = ({ registry }: { registry: AdminRegistry['registry'] }) => (
  <>
    <Table
      caption="Products"
      columns={['ID', 'Name', 'Class']}
      rows={registry.products.map((p) => [p.id, p.name, p.productClass])}
    />
    <Table
      caption="Sites"
      columns={['ID', 'Name', 'Country']}
      rows={registry.sites.map((s) => [s.id, s.name, s.country ?? ''])}
    />
    <Table caption="Suppliers" columns={['ID', 'Name']} rows={registry.suppliers.map((s) => [s.id, s.name])} />
    <Table
      caption="Applications"
      columns={[
        'ID',
        'Product',
        'Market',
        'Type',
        'Number',
        'Status',
        'Device class',
        'Sites',
        'Suppliers',
        'Last clearance',
      ]}
      rows={registry.applications.map((a) => [
        a.id,
        a.productId,
        a.market,
        a.type,
        a.number,
        a.status,
        a.deviceClass ?? '',
        a.siteIds.join(', '),
        a.supplierIds.join(', '),
        a.lastClearanceDate ?? '',
      ])}
    />
  </>
);

const CatalogSection = ({ state }: { state: Loaded<CatalogVersion> }) => {
  if (state.phase === 'loading') return <p style={subtle}>Loading the catalog version…</p>;
  if (!state.answer.ok)
    return (
      <Message tone="error" title="The catalog version could not be loaded">
        {state.answer.error.message}
      </Message>
    );
  const v = state.answer.data;
  return (
    <dl
      style={{
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        gap: `${token('space.050', '4px')} ${token('space.200', '16px')}`,
        margin: 0,
      }}
    >
      <dt style={subtle}>Rules version</dt>
      <dd style={{ margin: 0 }} data-testid="rules-version">
        {v.rulesVersion}
      </dd>
      <dt style={subtle}>Rules-table digest (SHA-256)</dt>
      <dd style={{ margin: 0, fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="catalog-digest">
        {v.catalogDigest}
      </dd>
      <dt style={subtle}>Change codes</dt>
      <dd style={{ margin: 0 }}>{v.codes}</dd>
      {v.appVersion === undefined ? null : (
        <>
          <dt style={subtle}>App version</dt>
          <dd style={{ margin: 0 }}>{v.appVersion}</dd>
        </>
      )}
    </dl>
  );
};

const ImportResult = ({ state }: { state: ImportState }) => {
  if (state.phase === 'idle') return null;
  if (state.phase === 'importing') return <p role="status">Importing…</p>;
  if (state.phase === 'failed')
    return (
      <Message tone="error" title="The file was not imported">
        {state.message}
      </Message>
    );
  const result = state.result;
  if (result.imported !== false) {
    const c = result.imported;
    return (
      <Message
        tone="success"
        title="Registry replaced"
      >{`Imported ${c.products} products, ${c.sites} sites, ${c.suppliers} suppliers and ${c.applications} applications.`}</Message>
    );
  }
  return (
    <Message tone="error" title="The file was not imported">
      <p style={{ margin: `${token('space.050', '4px')} 0` }}>{result.message}</p>
      {result.errorCount > result.errors.length ? (
        <p style={{ margin: 0 }}>{`The first ${result.errors.length} of ${result.errorCount} errors:`}</p>
      ) : null}
      <ul aria-label="Errors by line" style={{ margin: 0, paddingLeft: token('space.300', '24px') }}>
        {result.errors.map((e, i) => (
          <li key={i}>{`Line ${e.line}${e.column === undefined ? '' : `, column ${e.column}`}: ${e.message}`}</li>
        ))}
      </ul>
    </Message>
  );
};

/** The page's further sections, each its own component in its own file, in page order: add a section with one line here. */
const SECTIONS: readonly { key: string; Component: () => ReactElement }[] = [
  { key: 'mapping', Component: MappingSection },
  { key: 'signers', Component: SignersSection },
  { key: 'audit', Component: AuditSection },
  { key: 'signing', Component: SigningSection },
  { key: 'traceability-index', Component: IndexBackfill },
];

export const App = () => {
  const [registry, setRegistry] = useState<Loaded<AdminRegistry>>({ phase: 'loading' });
  const [catalog, setCatalog] = useState<Loaded<CatalogVersion>>({ phase: 'loading' });
  const [csv, setCsv] = useState('');
  const [importState, setImportState] = useState<ImportState>({ phase: 'idle' });
  const [exportError, setExportError] = useState<string | undefined>(undefined);

  const reload = useCallback(async () => {
    setRegistry({ phase: 'done', answer: await api.getRegistry() });
  }, []);

  useEffect(() => {
    void reload();
    void api.getCatalog().then((answer) => setCatalog({ phase: 'done', answer }));
  }, [reload]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setCsv(await file.text());
    setImportState({ phase: 'idle' });
  };

  const onImport = async () => {
    setImportState({ phase: 'importing' });
    const answer = await api.importRegistry(csv);
    if (!answer.ok) {
      setImportState({ phase: 'failed', message: answer.error.message });
      return;
    }
    setImportState({ phase: 'done', result: answer.data });
    if (answer.data.imported !== false) await reload();
  };

  const onExport = async () => {
    setExportError(undefined);
    const answer = await api.exportRegistry();
    if (answer.ok) downloadFile(answer.data);
    else setExportError(answer.error.message);
  };

  const busy = registry.phase === 'loading' || catalog.phase === 'loading';
  return (
    <main aria-busy={busy} style={{ ...text, padding: token('space.200', '16px'), maxWidth: '1200px' }}>
      <h1 style={{ font: token('font.heading.large', 'normal 653 24px/28px system-ui, sans-serif'), margin: 0 }}>
        QMS–RIM bridge
      </h1>

      <Section id="catalog" title="Catalog and rules in force">
        <CatalogSection state={catalog} />
      </Section>

      <Section id="registry" title="Registry">
        {registry.phase === 'loading' ? (
          <p style={subtle}>Loading the registry…</p>
        ) : !registry.answer.ok ? (
          <Message tone="error" title="The registry could not be loaded">
            {registry.answer.error.message}
          </Message>
        ) : (
          <>
            {registry.answer.data.stored ? null : <Message tone="info" title="No registry has been imported yet" />}
            <RegistryTables registry={registry.answer.data.registry} />
          </>
        )}
        <button type="button" style={button} onClick={() => void onExport()}>
          Export registry as CSV
        </button>
        {exportError === undefined ? null : (
          <Message tone="error" title="The registry could not be exported">
            {exportError}
          </Message>
        )}
      </Section>

      <Section id="import" title="Import registry from CSV">
        <p style={subtle}>
          One CSV file with a <code>kind</code> column (product, site, supplier or application) and the columns id,
          name, productClass, country, productId, market, type, number, status, deviceClass, siteIds, supplierIds (lists
          separated by “;”) and lastClearanceDate. Every row is checked; the file replaces the whole registry only when
          it has no errors.
        </p>
        <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.100', '8px') }}>
          <label htmlFor="registry-csv-file">CSV file</label>
          <input
            id="registry-csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void onFile(e.target.files?.[0])}
            style={text}
          />
          <label htmlFor="registry-csv-text">CSV content</label>
          <textarea
            id="registry-csv-text"
            rows={10}
            value={csv}
            maxLength={MAX_REGISTRY_CSV_CHARS}
            onChange={(e) => setCsv(e.target.value)}
            style={{ ...input, fontFamily: 'monospace' }}
          />
          <div>
            <button
              type="button"
              style={primary}
              disabled={csv.trim() === '' || importState.phase === 'importing'}
              onClick={() => void onImport()}
            >
              Import and replace registry
            </button>
          </div>
        </div>
        <ImportResult state={importState} />
      </Section>

      {SECTIONS.map(({ key, Component }) => (
        <Component key={key} />
      ))}
    </main>
  );
};
