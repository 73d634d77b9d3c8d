/**
 * Custom entity definitions as the manifest declares them under `app.storage.entities`
 * (shape taken from @forge/manifest's JSON schema), compiled into what the store needs:
 * attribute types to check values against, and indexes to answer entity queries.
 */
import { z } from 'zod';
import { KVS_LIMITS } from './kvs-limits';
import { badRequest } from './kvs-errors';

const AttributeTypeSchema = z.enum(['string', 'boolean', 'float', 'integer', 'any']);
export type AttributeType = z.infer<typeof AttributeTypeSchema>;

export const EntityDefinitionSchema = z.strictObject({
  name: z
    .string()
    .min(3)
    .max(60)
    .regex(/^(?![_.-])(?!.*\.{2})[a-z0-9:\-_.]*(?<![.])$/),
  attributes: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), z.strictObject({ type: AttributeTypeSchema })),
  indexes: z
    .array(
      z.union([
        z.string(),
        z.strictObject({
          name: z.string(),
          range: z.array(z.string()).min(1),
          partition: z.array(z.string()).min(1).optional(),
        }),
      ]),
    )
    .min(1)
    .optional(),
});
export type EntityDefinition = z.infer<typeof EntityDefinitionSchema>;

export interface CompiledIndex {
  name: string;
  partition: readonly string[];
  range: string;
}

export interface CompiledEntity {
  name: string;
  attributes: ReadonlyMap<string, AttributeType>;
  indexes: ReadonlyMap<string, CompiledIndex>;
}

/**
 * Parses the manifest's entity list and checks that every index names declared attributes.
 * Throws on a bad definition: that is a mistake in the sandbox set-up, not a request error.
 */
export const compileEntityDefinitions = (definitions: unknown): ReadonlyMap<string, CompiledEntity> => {
  const parsed = z.array(EntityDefinitionSchema).safeParse(definitions);
  if (!parsed.success) {
    throw new Error(`Invalid app.storage.entities definition: ${z.prettifyError(parsed.error)}`);
  }
  const entities = new Map<string, CompiledEntity>();
  for (const definition of parsed.data) {
    if (entities.has(definition.name)) throw new Error(`Entity '${definition.name}' is defined twice`);
    const attributes = new Map(Object.entries(definition.attributes).map(([name, { type }]) => [name, type] as const));
    const indexes = new Map<string, CompiledIndex>();
    for (const index of definition.indexes ?? []) {
      // A bare attribute name is an index of that name, ranged on that attribute, with no partition.
      const compiled: CompiledIndex =
        typeof index === 'string'
          ? { name: index, partition: [], range: index }
          : compileNamedIndex(definition.name, index);
      for (const attribute of [...compiled.partition, compiled.range]) {
        if (!attributes.has(attribute)) {
          throw new Error(
            `Index '${compiled.name}' of entity '${definition.name}' uses undeclared attribute '${attribute}'`,
          );
        }
      }
      if (indexes.has(compiled.name))
        throw new Error(`Entity '${definition.name}' declares index '${compiled.name}' twice`);
      indexes.set(compiled.name, compiled);
    }
    entities.set(definition.name, { name: definition.name, attributes, indexes });
  }
  return entities;
};

const compileNamedIndex = (
  entityName: string,
  index: { name: string; range: string[]; partition?: string[] | undefined },
): CompiledIndex => {
  const [range, ...more] = index.range;
  // The manifest schema allows a list, but Forge documents a single range attribute.
  if (range === undefined || more.length > 0) {
    throw new Error(
      `Index '${index.name}' of entity '${entityName}': the sandbox supports exactly one range attribute`,
    );
  }
  return { name: index.name, partition: index.partition ?? [], range };
};

const matchesType = (type: AttributeType, value: unknown): boolean => {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= KVS_LIMITS.minInteger &&
        value <= KVS_LIMITS.maxInteger
      );
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'any':
      return value !== null && value !== undefined;
  }
};

/**
 * An entity value is an object whose attributes are declared with matching types. Forge is
 * at least this strict about types; rejecting undeclared attributes too is deliberate, so a
 * value that only works because the sandbox was lenient cannot reach production.
 */
export const assertValidEntityValue = (entity: CompiledEntity, value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('INVALID_ENTITY_VALUE', `A value of entity '${entity.name}' must be an object of its attributes`);
  }
  const attributes: Record<string, unknown> = { ...value };
  for (const [name, attributeValue] of Object.entries(attributes)) {
    const type = entity.attributes.get(name);
    if (type === undefined) {
      throw badRequest('INVALID_ENTITY_VALUE', `Attribute '${name}' is not declared for entity '${entity.name}'`);
    }
    if (!matchesType(type, attributeValue)) {
      throw badRequest(
        'INVALID_ENTITY_VALUE',
        `Attribute '${name}' of entity '${entity.name}' must be of type ${type}`,
      );
    }
  }
  return attributes;
};

export const lookUpEntity = (entities: ReadonlyMap<string, CompiledEntity>, entityName: string): CompiledEntity => {
  const entity = entities.get(entityName);
  if (entity === undefined) {
    throw badRequest(
      'INVALID_ENTITY_TYPE',
      `Entity '${entityName}' is not declared in the manifest's app.storage.entities`,
    );
  }
  return entity;
};

export const lookUpIndex = (entity: CompiledEntity, indexName: string): CompiledIndex => {
  const index = entity.indexes.get(indexName);
  if (index === undefined) {
    throw badRequest('INVALID_ENTITY_INDEX', `Entity '${entity.name}' has no index '${indexName}'`);
  }
  return index;
};
