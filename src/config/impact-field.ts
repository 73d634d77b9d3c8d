/**
 * The "Regulatory impact" custom field and its entity-property mirror, as the manifest
 * declares them. This module is the source: the `jira:customField` schema is generated
 * from the domain's zod schema here, and `test/manifest/impact-field.test.ts` fails when
 * manifest.yml differs from it (`npm run -s sync:impact-field` rewrites the manifest's
 * generated block). The sandbox's Jira stand-in seeds the field and the property index
 * from the same values, so the JQL docs/impact-field.md documents is tested against what we deploy.
 */
import { z } from 'zod';
import { ImpactFieldValueSchema } from '../domain/impact-field-value';
import type { ImpactSearchValues } from '../domain/impact-field-value';
import { DEFAULT_JIRA_CONVENTIONS, IMPACT_PROPERTY_KEY } from './jira-conventions';

/** The module key; Jira names the field `<app id>__<environment>__regulatory-impact`. */
export const IMPACT_FIELD_MODULE_KEY = 'regulatory-impact';
export const IMPACT_FIELD_NAME = 'Regulatory impact';

type SearchableProperty = 'status' | 'version' | keyof Omit<ImpactSearchValues, 'decidedByMarket'>;

/** Top-level property of the stored value → its `searchAlias`: JQL `"Regulatory impact".<alias> = value`. */
export const IMPACT_FIELD_SEARCH_ALIASES: Readonly<Record<SearchableProperty, string>> = {
  status: 'status',
  filingRequired: 'filingRequired',
  filingMarkets: 'filingMarket',
  markets: 'market',
  productIds: 'product',
  applicationIds: 'application',
  categories: 'category',
  version: 'version',
};

/** The `jira:entityProperty` values indexing `qmsrim.impact`: JQL `<searchAlias> = value` or `issue.property[qmsrim.impact].<path> = value`. */
export const IMPACT_PROPERTY_INDEX = {
  key: 'regulatory-impact-index',
  propertyKey: IMPACT_PROPERTY_KEY,
  values: [
    { path: 'status', type: 'string', searchAlias: 'qmsrimImpactStatus' },
    { path: 'filingRequired', type: 'string', searchAlias: 'qmsrimFilingRequired' },
    { path: 'filingMarkets', type: 'string', searchAlias: 'qmsrimFilingMarket' },
    { path: 'markets', type: 'string', searchAlias: 'qmsrimMarket' },
    { path: 'productIds', type: 'string', searchAlias: 'qmsrimProduct' },
    { path: 'applicationIds', type: 'string', searchAlias: 'qmsrimApplication' },
    { path: 'categories', type: 'string', searchAlias: 'qmsrimCategory' },
    { path: 'version', type: 'number', searchAlias: 'qmsrimImpactVersion' },
  ],
} as const satisfies {
  key: string;
  propertyKey: string;
  values: ReadonlyArray<{
    path: SearchableProperty;
    type: 'number' | 'string' | 'text' | 'user' | 'date';
    searchAlias: string;
  }>;
};

const JsonSchemaObjectSchema = z.looseObject({ properties: z.record(z.string(), z.record(z.string(), z.unknown())) });

/**
 * JSON Schema (draft-07, which Jira and the sandbox's Ajv both read) of the stored value,
 * generated from `ImpactFieldValueSchema`, with `searchAlias` on the searchable properties.
 */
export const impactFieldJsonSchema = (): Record<string, unknown> => {
  const { $schema: _draft, ...generated } = z.toJSONSchema(ImpactFieldValueSchema, { target: 'draft-7' });
  const { properties } = JsonSchemaObjectSchema.parse(generated);
  const aliases: Readonly<Record<string, string>> = IMPACT_FIELD_SEARCH_ALIASES;
  for (const property of Object.keys(aliases)) {
    if (!properties[property])
      throw new Error(`the impact field value has no property ${property} to give a search alias`);
  }
  const aliased = Object.fromEntries(
    Object.entries(properties).map(([name, declared]) => [
      name,
      aliases[name] ? { ...declared, searchAlias: aliases[name] } : declared,
    ]),
  );
  // Spread, so the generated key order (type, properties, required...) stays.
  return { ...generated, properties: aliased };
};

/**
 * Jira expression for the field's text in the issue navigator, notifications and CSV export:
 * the status, then the decided categories per market. Only operators that mean the same in
 * JavaScript are used (`==` on strings and null, `+`, `?:`, `.length`, `.join`), so the
 * tests and the sandbox evaluate this very expression.
 */
export const IMPACT_FIELD_FORMATTER =
  "value == null ? 'Not assessed' : (value.status == 'filing-required' ? 'Filing required' : value.status == 'no-filing' ? 'No filing' : value.status == 'in-assessment' ? 'In assessment' : 'Not assessed') + (value.decidedByMarket != null && value.decidedByMarket.length > 0 ? ' · ' + value.decidedByMarket.join(' · ') : '')";

/**
 * Jira expression Jira runs when a person edits the field (issue view, REST edit, bulk edit,
 * CSV import): the value must be the one the app recorded in `qmsrim.impact` (same version,
 * status and decisions per market), so the field can be refreshed from the record but a
 * decision can only be made, and signed, in the panel. The app itself writes the property
 * first, then the field, so its own writes pass. On create the field must be empty, and it
 * can be cleared only where the record has no assessment. A record stored before the derived
 * values existed is compared by version and status only, so its field can be refreshed.
 */
const stored = `issue.properties['${IMPACT_PROPERTY_KEY}']`;
export const IMPACT_FIELD_VALIDATION =
  `issue == null || issue.id == null ? value == null : value == null ? ${stored} == null : ` +
  `${stored} != null && value.version == ${stored}.version && value.status == ${stored}.status && ` +
  `(${stored}.decidedByMarket == null || value.decidedByMarket.join('|') == ${stored}.decidedByMarket.join('|'))`;

export const IMPACT_FIELD_VALIDATION_MESSAGE =
  'The regulatory impact is changed in the "Regulatory impact" panel, where decisions are signed; this field only shows what the panel recorded.';

/** The Custom UI resource of the field's edit experience (static/impact-field-edit). */
export const IMPACT_FIELD_EDIT_RESOURCE = 'impact-field-edit';

/** The QMS issue types the field belongs on (the panel's display condition). */
const QMS_ISSUE_TYPE_NAMES = Object.keys(DEFAULT_JIRA_CONVENTIONS.qmsIssueTypes);

/** The two manifest modules, exactly as manifest.yml must declare them. */
export const impactFieldManifestModules = () => ({
  'jira:customField': [
    {
      key: IMPACT_FIELD_MODULE_KEY,
      name: IMPACT_FIELD_NAME,
      description:
        'The regulatory impact of a quality record: its status and the decided filing category per market, searchable in JQL. Assessed, and decisions signed, in the Regulatory impact panel.',
      type: 'object',
      schema: impactFieldJsonSchema(),
      view: { formatter: { expression: IMPACT_FIELD_FORMATTER, export: true } },
      edit: {
        resource: IMPACT_FIELD_EDIT_RESOURCE,
        experience: ['issue-view'],
        validation: { expression: IMPACT_FIELD_VALIDATION, errorMessage: IMPACT_FIELD_VALIDATION_MESSAGE },
      },
      displayConditions: { issueType: QMS_ISSUE_TYPE_NAMES },
    },
  ],
  'jira:entityProperty': [
    { ...IMPACT_PROPERTY_INDEX, entityType: 'issue', values: IMPACT_PROPERTY_INDEX.values.map((v) => ({ ...v })) },
  ],
});
