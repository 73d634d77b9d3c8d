/**
 * What an assessment draft may name: answers only to the questions its change codes ask (a
 * code outside the catalog asks none: the reviewer classifies it by hand), and markets only
 * where the registry has an application. Anything else would be stored with the assessment
 * and shown as if the rules had weighed it, so the draft is refused instead, each unknown
 * named. Registry ids the registry does not know are the proposal's `unknown` (the panel
 * shows them; saving refuses them). Pure.
 */
import { CATALOG, findCatalogEntry } from './catalog';
import type { Catalog } from './catalog';
import type { Registry } from './model';
import type { AssessmentDraft } from './propose-assessment.schema';

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/** One sentence per unknown question id or market in `draft`; empty when it names only known ones. */
export const unknownInDraft = (registry: Registry, draft: AssessmentDraft, catalog: Catalog = CATALOG): string[] => {
  const answerProblems = draft.changes.flatMap((change, i) => {
    const asked = findCatalogEntry(change.code, catalog)?.questions.map((q) => q.id) ?? [];
    const strays = Object.keys(change.answers ?? {}).filter((id) => !asked.includes(id));
    if (strays.length === 0) return [];
    const what = asked.length > 0 ? `asks only ${quoted(asked)}` : 'asks no questions';
    return [`change #${i + 1} "${change.code}" ${what}, not ${quoted(strays)}`];
  });
  const markets = [...new Set(registry.applications.map((a) => a.market))].sort();
  const unknownMarkets = draft.affected.markets.filter((m) => !markets.includes(m));
  const marketProblems =
    unknownMarkets.length > 0
      ? [
          `the registry has no application in market ${quoted(unknownMarkets)} (its markets: ${markets.join(', ') || 'none'})`,
        ]
      : [];
  return [...answerProblems, ...marketProblems];
};
