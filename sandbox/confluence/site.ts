/**
 * The sandbox's Confluence: spaces' pages with the app's macros in them, and each macro's
 * configuration as Confluence keeps it (saved when the editor submits the macro's config
 * view, handed to the macro as `extension.config`). Kept in memory only: it is not part of
 * `SANDBOX_DATA`, and `POST /sandbox/reset` brings back the demo page unconfigured.
 */
import { z } from 'zod';

export interface MacroOnPage {
  /** The macro's `localId` on the page, as Forge's context names it. */
  localId: string;
  moduleKey: string;
  config?: Record<string, unknown>;
}

export interface ConfluencePage {
  id: string;
  space: { key: string; id: string; name: string };
  title: string;
  /** Paragraphs before the macro. */
  body: string[];
  macros: MacroOnPage[];
}

export interface ConfluenceSite {
  pages(): readonly ConfluencePage[];
  page(id: string): ConfluencePage | undefined;
  /** What Confluence does when the editor submits a macro's config view: the config replaces the old one. */
  saveMacroConfig(pageId: string, localId: string, config: Record<string, unknown>): ConfluencePage;
  reset(): void;
}

export const DEMO_PAGE_ID = '65537';
export const DEMO_MACRO_LOCAL_ID = 'traceability-1';

const demoPages = (): ConfluencePage[] => [
  {
    id: DEMO_PAGE_ID,
    space: { key: 'QARA', id: '98305', name: 'Quality & Regulatory Affairs' },
    title: 'Regulatory traceability: quality records, decisions and filings',
    body: [
      'Management review input. The macro below shows every quality record that affects our products and markets, the regulatory decision per marketing authorisation, the Submissions filed for them and the commitments made to health authorities, with every gap flagged.',
      'Each reader sees only the Jira issues they may browse.',
    ],
    macros: [{ localId: DEMO_MACRO_LOCAL_ID, moduleKey: 'traceability-macro' }],
  },
];

/** The config a macro's config view submits: `view.submit({ config })` with a JSON object. */
export const MacroSubmitSchema = z.looseObject({ config: z.record(z.string(), z.unknown()) });

export const createConfluenceSite = (): ConfluenceSite => {
  let pages = demoPages();
  return {
    pages: () => pages,
    page: (id) => pages.find((p) => p.id === id),
    saveMacroConfig: (pageId, localId, config) => {
      const page = pages.find((p) => p.id === pageId);
      const macro = page?.macros.find((m) => m.localId === localId);
      if (!page || !macro) throw new Error(`Page ${pageId} has no macro ${localId}`);
      // JSON only, as Confluence stores it.
      macro.config = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
      return page;
    },
    reset: () => {
      pages = demoPages();
    },
  };
};
