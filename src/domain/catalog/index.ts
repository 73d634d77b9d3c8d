/**
 * The change catalog: jurisdiction-neutral change codes and, per regulatory regime, the
 * filing category each leads to with its citations. The table is parsed against its
 * schema when this module loads, so an inconsistent table cannot be used.
 */
import { z } from 'zod';
import { regimeOf } from '../categories';
import { digestOf } from '../canonical';
import { ApplicationTypeSchema, FilingCategorySchema, type ApplicationType } from '../model';
import { DEVICE_CODES } from './device-codes';
import { dependsOnDeviceClass } from './evaluate';
import { MEDICINE_CODES } from './medicine-codes';
import {
  CatalogSchema,
  OutcomeSchema,
  QuestionSchema,
  RegimeSchema,
  type Catalog,
  type CatalogEntry,
  type RegimeRule,
} from './schema';

export * from './schema';
export { evaluateOutcomes, questionIdsOf, dependsOnDeviceClass, type Facts, type OutcomesEvaluation } from './evaluate';

/** Bump on every change to the table: year.month.revision. */
export const RULES_VERSION = '2026.12.0';

export const CATALOG: Catalog = CatalogSchema.parse([...MEDICINE_CODES, ...DEVICE_CODES]);

export const catalogDigest = (catalog: Catalog = CATALOG): string => digestOf(catalog);

export const findCatalogEntry = (code: string, catalog: Catalog = CATALOG): CatalogEntry | undefined =>
  catalog.find((entry) => entry.code === code);

export const ruleFor = (entry: CatalogEntry, type: ApplicationType): RegimeRule | undefined =>
  entry.rules[regimeOf(type)];

/** The application types whose regime has a rule for the code: the ones a validation case must cover. */
export const applicableTypes = (entry: CatalogEntry): ApplicationType[] =>
  ApplicationTypeSchema.options.filter((type) => ruleFor(entry, type) !== undefined);

const TypeViewSchema = z.strictObject({
  regime: RegimeSchema,
  applicable: z.boolean(),
  categories: z.array(FilingCategorySchema).min(1),
  requires: z.array(z.string()),
  dependsOnDeviceClass: z.boolean(),
  outcomes: z.array(OutcomeSchema),
});

export const CatalogViewSchema = z.strictObject({
  rulesVersion: z.string(),
  catalogDigest: z.string().regex(/^[0-9a-f]{64}$/),
  codes: z.array(
    z.strictObject({
      code: z.string(),
      title: z.string(),
      questions: z.array(QuestionSchema),
      byApplicationType: z.record(ApplicationTypeSchema, TypeViewSchema),
    }),
  ),
});
export type CatalogView = z.infer<typeof CatalogViewSchema>;

/** The catalog as a reviewer reads it: for every application type, the categories a code can lead to. */
export const viewCatalogByApplicationType = (
  catalog: Catalog = CATALOG,
  rulesVersion: string = RULES_VERSION,
): CatalogView => ({
  rulesVersion,
  catalogDigest: catalogDigest(catalog),
  codes: catalog.map((entry) => {
    const viewFor = (type: ApplicationType): z.infer<typeof TypeViewSchema> => {
      const rule = ruleFor(entry, type);
      if (!rule) {
        return {
          regime: regimeOf(type),
          applicable: false,
          categories: ['REVIEW-REQUIRED'],
          requires: [],
          dependsOnDeviceClass: false,
          outcomes: [],
        };
      }
      return {
        regime: regimeOf(type),
        applicable: true,
        categories: [...new Set(rule.outcomes.map((o) => o.category))],
        requires: rule.requires,
        dependsOnDeviceClass: dependsOnDeviceClass(rule.outcomes),
        outcomes: rule.outcomes,
      };
    };
    const byApplicationType = Object.fromEntries(ApplicationTypeSchema.options.map((type) => [type, viewFor(type)]));
    return {
      code: entry.code,
      title: entry.title,
      questions: entry.questions,
      byApplicationType: z.record(ApplicationTypeSchema, TypeViewSchema).parse(byApplicationType),
    };
  }),
});
