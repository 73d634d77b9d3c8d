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
import type { RegistryExport } from '../contract/admin-page';
import type { IndexStatus, MacroConfig, MacroOptions, TraceabilityView } from '../contract/traceability';
import type { Registry } from '../domain/model';
import { QmsRecordKindSchema } from '../domain/model';
import { buildTraceability } from '../domain/traceability';
import type { TraceabilityOptions } from '../domain/traceability';
import { traceabilityCsv } from '../domain/traceability-csv';
import { visibleTraceabilitySources } from '../domain/traceability-index';
import { narrowTraceability, summarizeTraceability } from '../domain/traceability-summary';
import type { TraceViewFilter } from '../domain/traceability-summary';
import { searchIssueIds, traceabilityJql } from './traceability-index';

const EMPTY_REGISTRY: Registry = { products: [], sites: [], suppliers: [], applications: [] };

/** More than this many letter-to-file decisions on one application since its last clearance is flagged. */
export const DEFAULT_TRACEABILITY_OPTIONS: TraceabilityOptions = { letterToFileThreshold: 3, implementStatusNames: ['Implemented'] };

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
  const created = config.from === undefined && config.to === undefined ? undefined : { from: startOfDay(config.from ?? '0000-01-01'), to: endOfDay(config.to ?? '9999-12-31') };
  const pages = await Promise.all([...kinds.map((kind) => queryTraceEntries(kind, created)), queryTraceEntries('submission'), queryTraceEntries('commitment')]);
  return pages.flat();
};

/** Whether the index has been built from Jira's existing data, and whether a rebuild is running. */
export const readIndexStatus = async (): Promise<IndexStatus> => {
  const [run, built] = await Promise.all([readIndexRun(), readIndexBuilt()]);
  if (run?.mode === 'rebuild' && run.phase === 'running') return { state: 'building', ...(built ? { builtAt: built.builtAt } : {}) };
  return built ? { state: 'ready', builtAt: built.builtAt } : { state: 'empty' };
};

export const loadTraceabilityView = async (config: MacroConfig, deps: TraceabilityDeps): Promise<TraceabilityView> => {
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
  const graph = buildTraceability({ registry: registry ?? EMPTY_REGISTRY, ...sources, today: deps.today, options: deps.options ?? DEFAULT_TRACEABILITY_OPTIONS, filter: config });
  return { config, graph, summary: summarizeTraceability(graph), index };
};

/** The view as the page's filters narrow it, as CSV. */
export const exportTraceabilityCsv = async (config: MacroConfig, filter: TraceViewFilter, deps: TraceabilityDeps): Promise<RegistryExport> => {
  const view = await loadTraceabilityView(config, deps);
  return { filename: `regulatory-traceability-${deps.today}.csv`, mediaType: 'text/csv;charset=utf-8', content: traceabilityCsv(narrowTraceability(view.graph, filter)) };
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
