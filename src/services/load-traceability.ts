/**
 * The "Regulatory traceability" macro's data: product → quality record → decision per
 * application → submission → commitment, with every gap, for the products, markets, record
 * kinds and dates the macro is configured for, as far as the viewer may see.
 *
 * Cost: the index entries come from app storage (the kinds and date range asked for, plus
 * every Submission and Commitment); Jira is asked one thing, as the viewer: which of those
 * issues they may browse, one ids-only `search/jql` per 5,000 visible issues. No issue is
 * fetched from Jira here, whatever the number of records.
 *
 * Permission: an entry is used only when the viewer's search returned its issue, and every
 * reference to an issue they may not see is dropped before the graph is built
 * (visibleTraceabilitySources). The graph, the summary chart and the CSV are computed from
 * that alone, so an issue hidden from the viewer appears in none of them, not as a key and
 * not as a count: what the viewer gets is what they would get if those issues did not exist.
 * A gap is therefore computed from what the viewer can see (a quality engineer who cannot
 * browse RIM sees "filing required, no Submission" where the Submission is in RIM); the page
 * says so.
 */
import type { JiraHttp } from '../adapters/jira/jira-http';
import { loadRegistry } from '../adapters/kvs/registry-repository';
import { queryTraceEntries, readIndexBuilt, readIndexRun } from '../adapters/kvs/traceability-index-repository';
import type { StoredTraceEntry } from '../adapters/kvs/traceability-index-repository';
import type { JiraConventions } from '../config/jira-conventions';
import type {
  IndexStatus,
  MacroConfig,
  MacroOptions,
  TraceabilityExport,
  TraceabilityView,
  TraceExportRequest,
} from '../contract/traceability';
import { sha256Hex } from '../domain/canonical';
import type { Registry } from '../domain/model';
import { QmsRecordKindSchema } from '../domain/model';
import { analyzeTraceability, traceAll } from '../domain/traceability';
import type { TraceAnalysis, TraceabilityOptions } from '../domain/traceability';
import { splitCsv, traceabilityCsv } from '../domain/traceability-csv';
import { visibleTraceabilitySources } from '../domain/traceability-index';
import { TRACE_PAGE_DEFAULT_LIMIT, narrowTraceability, traceabilityPage } from '../domain/traceability-summary';
import type { TracePageRequest, TraceViewFilter } from '../domain/traceability-summary';
import { AppError } from '../ports/app-error';
import { searchIssueIds, traceabilityJql } from './traceability-index';

const EMPTY_REGISTRY: Registry = { products: [], sites: [], suppliers: [], applications: [] };

/** More than this many letter-to-file decisions on one application since its last clearance is flagged. */
export const DEFAULT_TRACEABILITY_OPTIONS: TraceabilityOptions = {
  letterToFileThreshold: 3,
  implementStatusNames: ['Implemented'],
};

export interface TraceabilityDeps {
  /** As the viewer (asUser): decides what the view may show. */
  jira: JiraHttp;
  conventions: JiraConventions;
  /** `YYYY-MM-DD`. */
  today: string;
  options?: TraceabilityOptions;
}

const endOfDay = (date: string): string => `${date}T23:59:59.999Z`;
const startOfDay = (date: string): string => `${date}T00:00:00.000Z`;

const loadEntries = async (config: MacroConfig): Promise<StoredTraceEntry[]> => {
  const kinds = config.kinds ?? QmsRecordKindSchema.options;
  const created =
    config.from === undefined && config.to === undefined
      ? undefined
      : { from: startOfDay(config.from ?? '0000-01-01'), to: endOfDay(config.to ?? '9999-12-31') };
  const pages = await Promise.all([
    ...kinds.map((kind) => queryTraceEntries(kind, created)),
    queryTraceEntries('submission'),
    queryTraceEntries('commitment'),
  ]);
  return pages.flat();
};

/** Whether the index has been built from Jira's existing data, and whether a rebuild is running. */
export const readIndexStatus = async (): Promise<IndexStatus> => {
  const [run, built] = await Promise.all([readIndexRun(), readIndexBuilt()]);
  if (run?.mode === 'rebuild' && run.phase === 'running')
    return { state: 'building', ...(built ? { builtAt: built.builtAt } : {}) };
  return built ? { state: 'ready', builtAt: built.builtAt } : { state: 'empty' };
};

/** The whole configured view as the viewer may see it (before the page's filters and paging), worked out but not yet traced. */
const analyzeVisibleView = async (
  config: MacroConfig,
  deps: TraceabilityDeps,
): Promise<{ analysis: TraceAnalysis; index: IndexStatus }> => {
  const [registry, stored, visible, index] = await Promise.all([
    loadRegistry(),
    loadEntries(config),
    searchIssueIds(deps.jira, traceabilityJql(deps.conventions, config.kinds)),
    readIndexStatus(),
  ]);
  const sources = visibleTraceabilitySources(
    stored.map((s) => s.entry),
    visible,
  );
  const analysis = analyzeTraceability({
    registry: registry ?? EMPTY_REGISTRY,
    ...sources,
    today: deps.today,
    options: deps.options ?? DEFAULT_TRACEABILITY_OPTIONS,
    filter: config,
  });
  return { analysis, index };
};

const filterOf = ({ productIds, gapCodes, onlyWithGaps }: TraceViewFilter): TraceViewFilter => ({
  ...(productIds === undefined ? {} : { productIds }),
  ...(gapCodes === undefined ? {} : { gapCodes }),
  ...(onlyWithGaps === undefined ? {} : { onlyWithGaps }),
});

/**
 * One page of the view, narrowed by the page's filters: the summary counts the whole narrowed
 * view; the graph holds the page's entries and the gaps about them, so the answer stays far
 * under Forge's 5 MB whatever the site's size.
 */
export const loadTraceabilityView = async (
  config: MacroConfig,
  request: TracePageRequest,
  deps: TraceabilityDeps,
): Promise<TraceabilityView> => {
  const { analysis, index } = await analyzeVisibleView(config, deps);
  const { graph, page, summary } = traceabilityPage(
    analysis,
    filterOf(request),
    request.offset ?? 0,
    request.limit ?? TRACE_PAGE_DEFAULT_LIMIT,
  );
  return {
    config,
    graph,
    page,
    summary,
    productsInView: analysis.products.map(({ id, name }) => ({ productId: id, name })),
    index,
  };
};

/**
 * The view as the page's filters narrow it, as CSV, in parts that each fit one answer: the
 * page asks for part 0, 1, ... and joins them. Every part carries the SHA-256 of the whole
 * file, so a page whose parts came from different states of Jira can tell and start again.
 */
export const exportTraceabilityCsv = async (
  config: MacroConfig,
  request: TraceExportRequest,
  deps: TraceabilityDeps,
): Promise<TraceabilityExport> => {
  const { analysis } = await analyzeVisibleView(config, deps);
  const csv = traceabilityCsv(narrowTraceability(traceAll(analysis), filterOf(request)));
  const parts = splitCsv(csv);
  const part = request.part ?? 0;
  const content = parts[part];
  if (content === undefined)
    throw new AppError(
      'INVALID_INPUT',
      `The export has ${parts.length} part${parts.length === 1 ? '' : 's'}; there is no part ${part + 1}. Export again.`,
    );
  return {
    filename: `regulatory-traceability-${deps.today}.csv`,
    mediaType: 'text/csv;charset=utf-8',
    content,
    part,
    parts: parts.length,
    sha256: sha256Hex(csv),
  };
};

/** What the configuration view offers: the registry's products and markets, and the record kinds. */
export const loadMacroOptions = async (): Promise<MacroOptions> => {
  const registry = (await loadRegistry()) ?? EMPTY_REGISTRY;
  return {
    products: registry.products.map((p) => ({ id: p.id, name: p.name, productClass: p.productClass })),
    markets: [...new Set(registry.applications.map((a) => a.market))].sort(),
    kinds: [...QmsRecordKindSchema.options],
  };
};
