/**
 * JQL for impact search ("all open records with filing required for EU", "all open records
 * affecting product X"), built from typed criteria so a product id or market can never
 * change the query's meaning: every value is validated and quoted. Pure (no I/O), so the
 * Custom UI and the traceability service can both use it.
 *
 * Two spellings of the same search: `property` (the default) uses the aliases of the
 * `qmsrim.impact` entity property index, which do not depend on the field's name (Jira
 * appends " (Dev)" to it in development environments, and an admin may translate it);
 * `field` uses the "Regulatory impact" field's own search aliases, which read best when a
 * person types them. Only QMS records carry the value, so neither needs a project clause.
 */
import { z } from 'zod';
import { IMPACT_FIELD_NAME, IMPACT_FIELD_SEARCH_ALIASES, IMPACT_PROPERTY_INDEX } from '../config/impact-field';
import { FilingCategorySchema, ImpactStatusSchema, MarketSchema, RegistryIdSchema } from '../domain/model';

type Criterion = keyof typeof IMPACT_FIELD_SEARCH_ALIASES;
const propertyAlias = (path: Criterion): string => {
  const value = IMPACT_PROPERTY_INDEX.values.find((v) => v.path === path);
  if (!value) throw new Error(`qmsrim.impact indexes no path ${path}`);
  return value.searchAlias;
};

/** The JQL field each spelling uses, by stored property. */
export const IMPACT_JQL_FIELDS: Readonly<Record<'property' | 'field', (path: Criterion) => string>> = {
  property: propertyAlias,
  field: (path) => `${quoteJql(IMPACT_FIELD_NAME)}.${IMPACT_FIELD_SEARCH_ALIASES[path]}`,
};

export type ImpactJqlSpelling = keyof typeof IMPACT_JQL_FIELDS;

const ProjectKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'must be a Jira project key like QMS');
const some = <S extends z.ZodType>(schema: S) => z.array(schema).min(1).max(100).optional();

export const ImpactSearchSchema = z
  .strictObject({
    /** Only records whose Jira status is not in the Done category. */
    openOnly: z.boolean().optional(),
    projectKeys: some(ProjectKeySchema),
    statuses: some(ImpactStatusSchema),
    /** `true`: some decision needs a filing; `false`: none does (yet). */
    filingRequired: z.boolean().optional(),
    /** A decision needing a filing in any of these markets. */
    filingRequiredIn: some(MarketSchema),
    markets: some(MarketSchema),
    productIds: some(RegistryIdSchema),
    applicationIds: some(RegistryIdSchema),
    categories: some(FilingCategorySchema),
  })
  .refine((s) => Object.entries(s).some(([key, value]) => key !== 'openOnly' && value !== undefined), {
    message: 'an impact search needs at least one criterion besides openOnly; Jira refuses unbounded queries',
  });
export type ImpactSearch = z.input<typeof ImpactSearchSchema>;

/** A JQL string literal: double quotes, with backslash and double quote escaped. */
export const quoteJql = (text: string): string =>
  `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

const anyOf = (field: string, values: readonly string[]): string =>
  values.length === 1 ? `${field} = ${quoteJql(values[0] ?? '')}` : `${field} in (${values.map(quoteJql).join(', ')})`;

export const impactSearchJql = (search: ImpactSearch, spelling: ImpactJqlSpelling = 'property'): string => {
  const s = ImpactSearchSchema.parse(search);
  const f = IMPACT_JQL_FIELDS[spelling];
  const clauses: string[] = [];
  if (s.projectKeys) clauses.push(anyOf('project', s.projectKeys));
  if (s.openOnly) clauses.push('statusCategory != Done');
  if (s.statuses) clauses.push(anyOf(f('status'), s.statuses));
  if (s.filingRequired !== undefined) clauses.push(anyOf(f('filingRequired'), [s.filingRequired ? 'yes' : 'no']));
  if (s.filingRequiredIn) clauses.push(anyOf(f('filingMarkets'), s.filingRequiredIn));
  if (s.markets) clauses.push(anyOf(f('markets'), s.markets));
  if (s.productIds) clauses.push(anyOf(f('productIds'), s.productIds));
  if (s.applicationIds) clauses.push(anyOf(f('applicationIds'), s.applicationIds));
  if (s.categories) clauses.push(anyOf(f('categories'), s.categories));
  return `${clauses.join(' AND ')} ORDER BY key ASC`;
};

/** Jira's issue search page for a query, on the site the app runs in (`siteUrl` from the Forge context). */
export const issueSearchUrl = (siteUrl: string, jql: string): string =>
  `${siteUrl.replace(/\/+$/, '')}/issues/?jql=${encodeURIComponent(jql)}`;
