/**
 * The macro on the page: the matrix product → quality record → decision per application →
 * submission → commitment with status lozenges and gaps, the summary chart, the page's
 * filters and the CSV export. Everything shown comes from the resolver, which already left
 * out what the reader may not browse. The filters and the paging run on the server (a site's
 * whole view would not fit one answer): each change asks for the page again, and the page
 * stays on screen, marked busy, until the new one arrives, so keyboard focus is not lost.
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import { useEffect, useMemo, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { TraceabilityView } from '../../../src/contract/traceability';
import { traceabilityRows } from '../../../src/domain/traceability';
import { TraceGapCodeSchema } from '../../../src/domain/traceability';
import type { TraceGapCode, TraceRow } from '../../../src/domain/traceability';
import { GAP_LABELS, TRACE_PAGE_DEFAULT_LIMIT } from '../../../src/domain/traceability-summary';
import type { TraceViewFilter } from '../../../src/domain/traceability-summary';
import { IMPACT_APPEARANCE } from '../../shared/appearance';
import { downloadFile } from '../../shared/download';
import { Lozenge } from '../../shared/lozenge';
import { api } from './api';
import { MultiSelect } from './MultiSelect';
import type { Option } from './MultiSelect';
import { KIND_LABELS } from './labels';
import { SummaryChart } from './SummaryChart';
import { cell, heading, row, subtle, text } from './styles';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'exporting'; part: number; parts: number | undefined }
  | { phase: 'done'; filename: string; lines: number }
  | { phase: 'failed'; message: string };

const describeConfig = (view: TraceabilityView): string => {
  const { config } = view;
  const parts = [
    config.productIds ? `products ${config.productIds.join(', ')}` : 'all products',
    config.markets ? `markets ${config.markets.join(', ')}` : 'all markets',
    config.kinds ? config.kinds.map((k) => KIND_LABELS[k]).join(', ') : 'all record kinds',
    config.from || config.to ? `created ${config.from ?? '…'} to ${config.to ?? '…'}` : 'any creation date',
  ];
  return parts.join(' · ');
};

const statusAppearance = (category: string | undefined) =>
  category === 'done' ? 'success' : category === 'indeterminate' ? 'inprogress' : 'default';

const Matrix = ({ rows, statusOf }: { rows: readonly TraceRow[]; statusOf: (key: string) => string | undefined }) =>
  rows.length === 0 ? (
    <p style={subtle}>No quality record in this view.</p>
  ) : (
    <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="traceability-matrix">
      <caption style={{ ...subtle, textAlign: 'left' }}>
        Product → quality record → decision per application → Submission → Commitment
      </caption>
      <thead>
        <tr>
          {[
            'Product',
            'Quality record',
            'Status',
            'Impact',
            'Application',
            'Decision',
            'Submissions',
            'Commitments',
            'Gaps',
          ].map((c) => (
            <th key={c} scope="col" style={cell}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.productId ?? '-'}-${r.recordKey}-${r.applicationId ?? '-'}-${i}`} data-record={r.recordKey}>
            <td style={cell}>{r.productName ?? <span style={subtle}>No product yet</span>}</td>
            <th scope="row" style={{ ...cell, minWidth: '16rem' }}>
              {r.recordKey}
              <div style={{ ...subtle, fontWeight: 400 }}>
                {KIND_LABELS[r.recordKind]}: {r.recordSummary}
              </div>
            </th>
            <td style={cell}>
              <Lozenge appearance={statusAppearance(statusOf(r.recordKey))}>{r.recordStatus}</Lozenge>
            </td>
            <td style={cell}>
              <Lozenge appearance={IMPACT_APPEARANCE[r.impactStatus]}>{r.impactStatus}</Lozenge>
            </td>
            <td style={cell}>
              {r.applicationId ? `${r.applicationId} (${r.market ?? '?'})` : <span style={subtle}>—</span>}
            </td>
            <td style={cell}>
              {r.decidedCategory ? (
                <Lozenge appearance="inprogress">{r.decidedCategory}</Lozenge>
              ) : r.recommendedCategory ? (
                <span>
                  <Lozenge appearance="default">{r.recommendedCategory}</Lozenge>{' '}
                  <span style={subtle}>recommended</span>
                </span>
              ) : (
                <span style={subtle}>—</span>
              )}
            </td>
            <td style={cell}>
              {r.submissionKeys.length > 0 ? r.submissionKeys.join(', ') : <span style={subtle}>—</span>}
            </td>
            <td style={cell}>
              {r.commitmentKeys.length > 0 ? r.commitmentKeys.join(', ') : <span style={subtle}>—</span>}
            </td>
            <td style={cell}>
              {r.gapCodes.length === 0 ? (
                <Lozenge appearance="success">none</Lozenge>
              ) : (
                r.gapCodes.map((code) => (
                  <span key={code} style={{ display: 'inline-block', marginRight: token('space.050', '4px') }}>
                    <Lozenge appearance="removed">{GAP_LABELS[code]}</Lozenge>
                  </span>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

export const TraceabilityPage = () => {
  const [answer, setAnswer] = useState<Envelope<TraceabilityView> | undefined>();
  const [loading, setLoading] = useState(true);
  const [productIds, setProductIds] = useState<string[]>([]);
  const [gapCodes, setGapCodes] = useState<TraceGapCode[]>([]);
  const [onlyWithGaps, setOnlyWithGaps] = useState(false);
  const [offset, setOffset] = useState(0);
  const [exported, setExported] = useState<ExportState>({ phase: 'idle' });

  const filter: TraceViewFilter = useMemo(
    () => ({
      ...(productIds.length > 0 ? { productIds } : {}),
      ...(gapCodes.length > 0 ? { gapCodes } : {}),
      ...(onlyWithGaps ? { onlyWithGaps } : {}),
    }),
    [productIds, gapCodes, onlyWithGaps],
  );

  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.getView({ ...filter, offset, limit: TRACE_PAGE_DEFAULT_LIMIT }).then((a) => {
      if (!live) return;
      setAnswer(a);
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [filter, offset]);

  // A new filter starts again at the first page.
  const narrow =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setOffset(0);
    };

  const data = answer?.ok ? answer.data : undefined;
  if (answer === undefined) return <Spinner label="Loading the traceability view" />;
  if (!answer.ok || data === undefined) {
    return (
      <SectionMessage appearance="error" title="The traceability view could not be shown">
        <p>
          {answer.ok ? '' : answer.error.message} <span style={subtle}>({answer.ok ? '' : answer.error.code})</span>
        </p>
      </SectionMessage>
    );
  }

  const statusByKey = new Map(
    [...data.graph.products.flatMap((p) => p.records), ...data.graph.unassignedRecords].map((r) => [
      r.key,
      r.status.category,
    ]),
  );
  const productOptions: Option[] = data.productsInView.map((p) => ({ label: p.name, value: p.productId }));
  const gapOptions: Option[] = Object.entries(GAP_LABELS).map(([value, label]) => ({ value, label }));
  const rows = traceabilityRows(data.graph);
  const { page } = data;
  const firstShown = page.shown === 0 ? 0 : page.offset + 1;

  const runExport = async (): Promise<void> => {
    const file = await api.exportWholeCsv(filter, (part, parts) => setExported({ phase: 'exporting', part, parts }));
    if (!file.ok) {
      setExported({ phase: 'failed', message: `${file.error.message} (${file.error.code})` });
      return;
    }
    downloadFile(file.data);
    setExported({ phase: 'done', filename: file.data.filename, lines: file.data.content.split('\r\n').length - 2 });
  };

  return (
    <>
      <h2 style={{ ...heading, marginTop: 0 }}>Regulatory traceability</h2>
      <p style={subtle} data-testid="traceability-scope">
        {describeConfig(data)}. As of {data.graph.today}. Shows only the Jira issues you may browse; gaps are computed
        from them.
      </p>
      {data.index.state !== 'ready' && (
        <SectionMessage
          appearance="warning"
          title={data.index.state === 'building' ? 'The index is being rebuilt' : 'The index has not been built yet'}
        >
          <p>
            {data.index.state === 'building'
              ? 'A Jira admin started a rebuild of the traceability index; this view may be incomplete until it finishes.'
              : 'Only changes made since the app was installed are indexed. A Jira admin can build the index from existing data on the app’s admin page.'}
          </p>
        </SectionMessage>
      )}
      <section aria-labelledby="filters-heading">
        <h3 id="filters-heading" style={heading}>
          Filters
        </h3>
        <div style={row}>
          <MultiSelect
            id="filter-products"
            label="Product"
            options={productOptions}
            selected={productIds}
            onChange={narrow(setProductIds)}
            placeholder="All products in view"
          />
          <MultiSelect
            id="filter-gaps"
            label="Gap"
            options={gapOptions}
            selected={gapCodes}
            onChange={narrow((values: string[]) =>
              setGapCodes(TraceGapCodeSchema.options.filter((code) => values.includes(code))),
            )}
            placeholder="Any gap or none"
          />
          <label>
            <input type="checkbox" checked={onlyWithGaps} onChange={(e) => narrow(setOnlyWithGaps)(e.target.checked)} />{' '}
            Only records with gaps
          </label>
        </div>
      </section>
      <SummaryChart summary={data.summary} />
      <section aria-labelledby="matrix-heading">
        <h3 id="matrix-heading" style={heading}>
          Traceability matrix
        </h3>
        {/* Wide on a narrow page: the table scrolls sideways, and the scroll area is reachable by keyboard. */}
        <p style={subtle} role="status" data-testid="matrix-page">
          {loading
            ? 'Loading…'
            : page.entries === 0
              ? 'No record in this view.'
              : `Records ${firstShown}–${page.offset + page.shown} of ${page.entries} (a record under two products counts twice).`}
        </p>
        <div
          style={{ overflowX: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label="Traceability matrix, scrollable"
          aria-busy={loading}
        >
          <Matrix rows={rows} statusOf={(key) => statusByKey.get(key)} />
        </div>
        {page.entries > page.limit && (
          <nav aria-label="Matrix pages" style={{ ...row, marginTop: token('space.100', '8px') }}>
            <Button
              onClick={() => setOffset(Math.max(0, page.offset - page.limit))}
              isDisabled={loading || page.offset === 0}
            >
              Previous records
            </Button>
            <Button
              onClick={() => setOffset(page.offset + page.limit)}
              isDisabled={loading || page.offset + page.shown >= page.entries}
            >
              Next records
            </Button>
          </nav>
        )}
      </section>
      <section aria-labelledby="gaps-heading">
        <h3 id="gaps-heading" style={heading}>
          Gaps ({page.gaps})
        </h3>
        {page.entries > page.shown && page.gaps > 0 && (
          <p style={subtle}>
            Listed: the {data.graph.gaps.length} about the records on this page. The export holds them all.
          </p>
        )}
        {data.graph.gaps.length === 0 ? (
          <p>{page.gaps === 0 ? 'No gap in this view.' : 'No gap about the records on this page.'}</p>
        ) : (
          <ul aria-label="Gaps" data-testid="gap-list">
            {data.graph.gaps.map((gap, i) => (
              <li key={`${gap.code}-${i}`}>
                <strong>{GAP_LABELS[gap.code]}:</strong> {gap.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="export-heading">
        <h3 id="export-heading" style={heading}>
          Export
        </h3>
        <Button onClick={() => void runExport()} isDisabled={exported.phase === 'exporting'}>
          Export CSV
        </Button>
        <div aria-live="polite" style={{ marginTop: token('space.100', '8px') }}>
          {exported.phase === 'exporting' && (
            <span>
              {exported.parts === undefined
                ? 'Exporting…'
                : `Exporting part ${exported.part + 1} of ${exported.parts}…`}
            </span>
          )}
          {exported.phase === 'done' && (
            <span>
              Downloaded {exported.filename} ({exported.lines} lines).
            </span>
          )}
          {exported.phase === 'failed' && <span role="alert">{exported.message}</span>}
        </div>
      </section>
    </>
  );
};

export const TraceabilityMain = () => (
  <main style={{ ...text, padding: token('space.100', '8px') }}>
    <TraceabilityPage />
  </main>
);
