/**
 * The search aliases Jira derives from an object field's JSON Schema: each top-level
 * property with `searchAlias` becomes `Field.alias` in JQL. Its JQL type follows the
 * documented rules: string → string, number and integer → number, boolean → string, an
 * array → the type of its items; `searchType` (text, user, date...) overrides the schema
 * type; any other type is ignored.
 */
import { z } from 'zod';
import type { IndexedValueType, SearchAlias } from './state-schema';
import { IndexedValueTypeSchema } from './state-schema';

const PropertySchema = z.looseObject({
  type: z.string().optional(),
  searchAlias: z.string().optional(),
  searchType: z.string().optional(),
  items: z.looseObject({ type: z.string().optional() }).optional(),
});
const ObjectSchema = z.looseObject({ properties: z.record(z.string(), PropertySchema).optional() });

const jqlTypeOf = (schemaType: string | undefined): IndexedValueType | undefined => {
  switch (schemaType) {
    case 'string':
    case 'boolean':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    default:
      return undefined;
  }
};

export const searchAliasesOfSchema = (jsonSchema: unknown): SearchAlias[] => {
  const parsed = ObjectSchema.safeParse(jsonSchema);
  if (!parsed.success) return [];
  return Object.entries(parsed.data.properties ?? {}).flatMap(([path, property]): SearchAlias[] => {
    if (property.searchAlias === undefined) return [];
    const override = IndexedValueTypeSchema.safeParse(property.searchType);
    const type = override.success
      ? override.data
      : jqlTypeOf(property.type === 'array' ? property.items?.type : property.type);
    return type === undefined ? [] : [{ alias: property.searchAlias, path, type }];
  });
};
