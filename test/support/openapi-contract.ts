/**
 * A contract checker for Atlassian's Jira Cloud platform REST v3 OpenAPI document
 * (OpenAPI 3.0.1, read from `<repo>/../shared/specs/jira-platform.v3.json` or from
 * `$JIRA_OPENAPI_SPEC`; never copied into the project).
 *
 * It answers three questions for tests:
 *   - which documented operation does `METHOD /concrete/path` hit (`operationFor`);
 *   - is this request valid for it: path and query parameters, JSON body (`checkRequest`);
 *   - is this response valid for it: documented status, JSON body (`checkResponse`);
 * and records every operation it checked, so an integration test can assert that every
 * endpoint a stand-in implements was exercised (`seen`, `coverage`).
 *
 * OpenAPI 3.0 schemas are not JSON Schema. They are translated, per direction, before ajv
 * sees them (see `translate`):
 *   - `$ref: '#/components/schemas/X'` points into a translated copy of `components.schemas`
 *     that is added to ajv once per direction (request, response) under its own `$id`;
 *     nothing is compiled until an operation is checked, and then only what it reaches;
 *   - `nullable: true` adds `null` to `type` (and to `enum` when there is one);
 *   - `readOnly` properties are dropped from `required` in requests, `writeOnly` ones from
 *     `required` in responses (OAS 3.0 "Fixed Fields" of the Schema Object). They are not
 *     forbidden: OAS says readOnly properties SHOULD NOT be sent, and Jira ignores them;
 *   - `discriminator` is an annotation here: `oneOf`/`anyOf` does the validating. The
 *     `additionalProperties: false` Atlassian's generator puts next to a `oneOf`/`anyOf` is
 *     dropped at that level only (each branch keeps its own), because in JSON Schema it
 *     would reject every field a branch adds; this touches 5 schemas (polymorphic JQL
 *     clauses, workflow conditions, context variables, default values, mandatory fields);
 *   - `example`, `xml`, `externalDocs`, `description`, `x-*` are not copied; ajv runs with
 *     `strict: false` anyway;
 *   - OpenAPI formats: ajv-formats supplies int32, int64, float, double, date-time, date,
 *     uri, url, uuid, byte, binary; any other format in the document is registered as a
 *     no-op, so an unknown format never fails compilation or validation.
 *
 * Where the published schema is demonstrably wrong about what Jira sends, `SPEC_OVERRIDES`
 * patches that one schema, with the reason and evidence. Each override checks that the
 * schema still looks as expected and throws if it does not, so a spec update that fixes
 * (or moves) the problem is noticed instead of silently masked.
 *
 * Two conventions beyond the document, both stricter than accepting anything:
 *   - a documented 4xx/5xx status with no content still gets Jira's error envelope
 *     checked: the body, when there is one, must match `ErrorCollection`
 *     (`{ errorMessages: string[], errors: { [field]: string }, status? }`);
 *   - a documented 2xx/3xx status with no content must come with no body, and 204 never
 *     has a body.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

export type QueryValue = string | number | boolean;
export type Query = Record<string, QueryValue | readonly QueryValue[] | undefined>;

export interface ContractRequest {
  method: string;
  /** A concrete path (`/rest/api/3/issue/QMS-1`); a `?query` part is merged into `query`; an absolute URL's origin is ignored. */
  path: string;
  query?: Query;
  /** The parsed JSON body; `undefined` means no body. */
  body?: unknown;
}

export interface ContractResponse {
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body; `undefined` or `''` means no body. */
  body: unknown;
}

export interface OperationMatch {
  /** Upper-case HTTP method. */
  method: string;
  /** The spec's path template, e.g. `/rest/api/3/issue/{issueIdOrKey}/transitions`. */
  template: string;
  operationId: string;
  /** The decoded values of the template's path parameters. */
  pathParams: Record<string, string>;
}

export interface CoverageReport {
  /** Every `METHOD template` checked so far, sorted. */
  seen: string[];
  /** Expected keys that were never checked. */
  missing: string[];
  /** Expected keys that are not operations in the spec (a typo, or an endpoint the spec lacks). */
  notInSpec: string[];
}

export interface ContractChecker {
  /** The spec this checker reads. */
  readonly specPath: string;
  operationFor(method: string, path: string): OperationMatch | undefined;
  /** Errors, empty when the request is valid. Records the operation as seen. */
  checkRequest(request: ContractRequest): string[];
  /** Errors, empty when the response is valid. Records the operation as seen. */
  checkResponse(response: ContractResponse): string[];
  /** `checkRequest`, throwing a `ContractViolation` listing the errors if there are any. */
  assertRequest(request: ContractRequest): void;
  /** `checkResponse`, throwing a `ContractViolation` listing the errors if there are any. */
  assertResponse(response: ContractResponse): void;
  /** Every operation checked so far, as `"GET /rest/api/3/issue/{issueIdOrKey}"` (a copy). */
  seen(): Set<string>;
  resetSeen(): void;
  /** Compares what was checked with what a test expected to be exercised. */
  coverage(expected: Iterable<string>): CoverageReport;
  /** Every operation in the spec, as `"METHOD template"`. */
  operations(): string[];
}

export class ContractViolation extends Error {
  constructor(
    readonly what: string,
    readonly errors: readonly string[],
  ) {
    super(`${what} violates the Jira OpenAPI contract:\n  - ${errors.join('\n  - ')}`);
    this.name = 'ContractViolation';
  }
}

/** `<repo>/../shared/specs/jira-platform.v3.json`, unless `$JIRA_OPENAPI_SPEC` names another file. */
export const defaultSpecPath = (): string =>
  process.env.JIRA_OPENAPI_SPEC ?? path.resolve(__dirname, '../../../shared/specs/jira-platform.v3.json');

/** `"GET /rest/api/3/issue/{issueIdOrKey}"`. */
export const operationKey = (method: string, template: string): string => `${method.toUpperCase()} ${template}`;

// ---------------------------------------------------------------------------------------
// Spec overrides: explicit, one schema each, with the reason
// ---------------------------------------------------------------------------------------

type SchemaObject = Record<string, unknown>;

export interface SpecOverride {
  /** The name under `components.schemas`. */
  schema: string;
  /** What the published schema says, what Jira does, and why it matters here. */
  reason: string;
  /** Patches a private copy of the schema; throws if the schema no longer looks as expected. */
  apply(schema: SchemaObject): void;
}

const propertyOf = (schema: SchemaObject, name: string, owner: string): SchemaObject => {
  const props = schema.properties;
  const prop = isObject(props) ? props[name] : undefined;
  if (!isObject(prop))
    throw new Error(`spec override for ${owner}: property "${name}" not found; the spec changed, review the override`);
  return prop;
};

export const SPEC_OVERRIDES: readonly SpecOverride[] = [
  {
    schema: 'ChangeDetails',
    reason:
      'ChangeDetails.from/to/fromString/toString are declared as non-nullable strings, but Jira sends null for a ' +
      'side that had no value (a field set for the first time has from: null and fromString: null; most non-option ' +
      "fields have to: null). Atlassian's own example for GET /rest/api/3/issue/{issueIdOrKey}/changelog in this " +
      'very document has "from": null and "to": null. Without this, every realistic changelog is rejected.',
    apply(schema) {
      for (const name of ['from', 'fromString', 'to', 'toString']) {
        const prop = propertyOf(schema, name, 'ChangeDetails');
        if (prop.type !== 'string' || prop.nullable === true)
          throw new Error(
            `spec override for ChangeDetails.${name}: expected a non-nullable string; the spec changed, review the override`,
          );
        prop.nullable = true;
      }
    },
  },
  {
    schema: 'BulkIssueResults',
    reason:
      'BulkIssueResults (POST /rest/api/3/issue/bulkfetch) is closed with additionalProperties: false and lists only ' +
      'issues and issueErrors, but Jira answers with a top-level "expand" string as well (the document\'s own 200 ' +
      'example starts {"expand":"schema,names","issueErrors":[],"issues":[...]}). Only "expand" is added, as a ' +
      'string; any other unknown property is still rejected.',
    apply(schema) {
      const props = schema.properties;
      if (!isObject(props) || schema.additionalProperties !== false || 'expand' in props)
        throw new Error(
          'spec override for BulkIssueResults: expected a closed schema without "expand"; the spec changed, review the override',
        );
      props.expand = { type: 'string', readOnly: true };
    },
  },
];

// ---------------------------------------------------------------------------------------
// OpenAPI document types (the subset used here)
// ---------------------------------------------------------------------------------------

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}
interface OpenApiMedia {
  schema?: SchemaObject;
}
interface OpenApiResponse {
  content?: Record<string, OpenApiMedia>;
}
interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, OpenApiMedia> };
  responses?: Record<string, OpenApiResponse>;
}
interface OpenApiDocument {
  openapi?: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface OperationInfo {
  method: string;
  template: string;
  operationId: string;
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
}

type Segment = { literal: string } | { param: string };

interface TemplateEntry {
  template: string;
  segments: Segment[];
  operations: Map<string, OperationInfo>;
}

type Direction = 'request' | 'response';

/** An ajv validate function, without the type guard (which would narrow checked values to never). */
interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// ---------------------------------------------------------------------------------------
// Schema translation: OpenAPI 3.0 Schema Object -> JSON Schema (draft-07, ajv)
// ---------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const BASE_ID: Record<Direction, string> = {
  request: 'https://contract.invalid/jira-platform-v3/request.json',
  response: 'https://contract.invalid/jira-platform-v3/response.json',
};
const COMPONENT_REF = /^#\/components\/schemas\/[^/]+$/;

/** JSON Schema keywords that mean the same in OAS 3.0 and are copied as they are. */
const COPIED_KEYWORDS = [
  'type',
  'enum',
  'format',
  'title',
  'multipleOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
] as const;

class Translator {
  constructor(private readonly schemas: Record<string, SchemaObject>) {}

  translate(node: unknown, dir: Direction): unknown {
    if (typeof node === 'boolean') return node;
    if (!isObject(node)) throw new Error(`not a schema: ${JSON.stringify(node)}`);
    if (typeof node.$ref === 'string') {
      // OAS 3.0: a $ref's siblings are ignored.
      if (!COMPONENT_REF.test(node.$ref)) throw new Error(`unsupported $ref ${node.$ref}`);
      return { $ref: `${BASE_ID[dir]}${node.$ref}` };
    }
    const out: SchemaObject = {};
    for (const key of COPIED_KEYWORDS) if (key in node) out[key] = node[key];
    if (typeof node.exclusiveMaximum === 'boolean' && typeof node.maximum === 'number') {
      if (node.exclusiveMaximum) {
        out.exclusiveMaximum = node.maximum;
        delete out.maximum;
      }
    }
    if (typeof node.exclusiveMinimum === 'boolean' && typeof node.minimum === 'number') {
      if (node.exclusiveMinimum) {
        out.exclusiveMinimum = node.minimum;
        delete out.minimum;
      }
    }
    if (isObject(node.properties)) {
      const props: SchemaObject = {};
      for (const [name, prop] of Object.entries(node.properties)) props[name] = this.translate(prop, dir);
      out.properties = props;
    }
    if ('additionalProperties' in node) out.additionalProperties = this.translate(node.additionalProperties, dir);
    if ('items' in node) out.items = this.translate(node.items, dir);
    if ('not' in node) out.not = this.translate(node.not, dir);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) out[key] = list.map((s) => this.translate(s, dir));
    }
    if (Array.isArray(node.required)) {
      const props = isObject(node.properties) ? node.properties : {};
      const required = (node.required as unknown[]).filter(
        (name): name is string => typeof name === 'string' && !this.hiddenIn(props[name], dir),
      );
      if (required.length > 0) out.required = required;
    }
    // Polymorphism: the branches are closed shapes; a closed parent would reject their fields.
    if ((Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) && node.additionalProperties === false)
      delete out.additionalProperties;
    if (node.nullable === true) return nullable(out);
    return out;
  }

  /** readOnly (in a request) or writeOnly (in a response), directly, via $ref, or via a single allOf. */
  private hiddenIn(prop: unknown, dir: Direction, depth = 0): boolean {
    if (!isObject(prop) || depth > 8) return false;
    const flag = dir === 'request' ? 'readOnly' : 'writeOnly';
    if (prop[flag] === true) return true;
    if (typeof prop.$ref === 'string' && COMPONENT_REF.test(prop.$ref)) {
      const target = this.schemas[prop.$ref.slice('#/components/schemas/'.length)];
      return this.hiddenIn(target, dir, depth + 1);
    }
    if (Array.isArray(prop.allOf) && prop.allOf.length === 1) return this.hiddenIn(prop.allOf[0], dir, depth + 1);
    return false;
  }
}

const nullable = (schema: SchemaObject): SchemaObject => {
  if (typeof schema.type === 'string') {
    const out: SchemaObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...(schema.enum as unknown[]), null];
    return out;
  }
  if (Array.isArray(schema.type))
    return schema.type.includes('null') ? schema : { ...schema, type: [...(schema.type as unknown[]), 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
};

const collectFormats = (node: unknown, into: Set<string>): void => {
  if (Array.isArray(node)) for (const item of node) collectFormats(item, into);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') into.add(value);
      else collectFormats(value, into);
    }
  }
};

// ---------------------------------------------------------------------------------------
// The loaded spec, shared by every checker on the same file
// ---------------------------------------------------------------------------------------

const MAX_ERRORS = 25;

class LoadedSpec {
  private readonly ajv: Ajv;
  private readonly translator: Translator;
  private readonly byLength = new Map<number, TemplateEntry[]>();
  private readonly allOperations: string[] = [];
  private readonly validators = new Map<string, Validator>();

  constructor(
    readonly specPath: string,
    overrides: readonly SpecOverride[],
  ) {
    const doc = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
    if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.0'))
      throw new Error(`${specPath}: expected an OpenAPI 3.0 document, got openapi=${String(doc.openapi)}`);

    const schemas = structuredClone(doc.components?.schemas ?? {});
    for (const override of overrides) {
      const target = schemas[override.schema];
      if (!isObject(target))
        throw new Error(`spec override for ${override.schema}: schema not found in ${specPath}; review the override`);
      override.apply(target);
    }
    this.translator = new Translator(schemas);

    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: true });
    addFormats(this.ajv);
    const formats = new Set<string>();
    collectFormats(doc, formats);
    for (const format of formats) if (!(format in this.ajv.formats)) this.ajv.addFormat(format, true);

    for (const dir of ['request', 'response'] as const) {
      const translated: SchemaObject = {};
      for (const [name, schema] of Object.entries(schemas)) translated[name] = this.translator.translate(schema, dir);
      // Added, not compiled: ajv compiles a component when an operation's schema first reaches it.
      this.ajv.addSchema({ $id: BASE_ID[dir], components: { schemas: translated } }, undefined, undefined, false);
    }

    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      const shared = Array.isArray(item.parameters) ? (item.parameters as OpenApiParameter[]) : [];
      const entry: TemplateEntry = {
        template,
        segments: template.split('/').map((seg): Segment => {
          const m = /^\{([^}]+)\}$/.exec(seg);
          return m?.[1] !== undefined ? { param: m[1] } : { literal: seg };
        }),
        operations: new Map(),
      };
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const op = operation as OpenApiOperation;
        const own = op.parameters ?? [];
        const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
        const upper = method.toUpperCase();
        entry.operations.set(upper, {
          method: upper,
          template,
          operationId: op.operationId ?? operationKey(upper, template),
          operation: op,
          parameters,
        });
        this.allOperations.push(operationKey(upper, template));
      }
      const bucket = this.byLength.get(entry.segments.length) ?? [];
      bucket.push(entry);
      this.byLength.set(entry.segments.length, bucket);
    }
  }

  operations(): string[] {
    return [...this.allOperations];
  }

  hasOperation(key: string): boolean {
    return this.allOperations.includes(key);
  }

  /** The template for a concrete path: literal segments win over parameters, leftmost first. */
  matchTemplate(pathname: string): { entry: TemplateEntry; params: Record<string, string> } | undefined {
    const segments = pathname.split('/');
    let best: TemplateEntry | undefined;
    for (const entry of this.byLength.get(segments.length) ?? []) {
      const fits = entry.segments.every((seg, i) => {
        const actual = segments[i] ?? '';
        return 'literal' in seg ? seg.literal === actual : actual !== '';
      });
      if (fits && (best === undefined || moreSpecific(entry, best))) best = entry;
    }
    if (best === undefined) return undefined;
    const params: Record<string, string> = {};
    best.segments.forEach((seg, i) => {
      if ('param' in seg) params[seg.param] = safeDecode(segments[i] ?? '');
    });
    return { entry: best, params };
  }

  /** Compiles (once) the validator for a schema found at `cacheKey`. */
  validator(cacheKey: string, build: () => unknown): Validator {
    let validate = this.validators.get(cacheKey);
    if (validate === undefined) {
      const schema = build();
      validate = this.ajv.compile(schema as SchemaObject);
      this.validators.set(cacheKey, validate);
    }
    return validate;
  }

  translate(schema: unknown, dir: Direction): unknown {
    return this.translator.translate(schema, dir);
  }

  errorCollectionValidator(): Validator {
    return this.validator('ErrorCollection', () => ({
      $ref: `${BASE_ID.response}#/components/schemas/ErrorCollection`,
    }));
  }
}

const moreSpecific = (a: TemplateEntry, b: TemplateEntry): boolean => {
  for (let i = 0; i < a.segments.length; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    if (sa === undefined || sb === undefined) break;
    const la = 'literal' in sa;
    const lb = 'literal' in sb;
    if (la !== lb) return la;
  }
  return false;
};

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const loaded = new Map<string, LoadedSpec>();

/** Specs loaded with the default overrides are shared; others (tests of the checker itself) are not. */
const loadSpec = (specPath: string, overrides: readonly SpecOverride[]): LoadedSpec => {
  const resolved = path.resolve(specPath);
  if (overrides !== SPEC_OVERRIDES) return new LoadedSpec(resolved, overrides);
  let spec = loaded.get(resolved);
  if (spec === undefined) {
    spec = new LoadedSpec(resolved, overrides);
    loaded.set(resolved, spec);
  }
  return spec;
};

// ---------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------

const formatErrors = (where: string, errors: ErrorObject[] | null | undefined): string[] => {
  const lines = (errors ?? []).map((e) => {
    const at = e.instancePath === '' ? '(root)' : e.instancePath;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties')
      return `${where} ${at} must NOT have additional property "${String(params.additionalProperty)}"`;
    if (e.keyword === 'enum')
      return `${where} ${at} ${e.message ?? 'is invalid'}: ${JSON.stringify(params.allowedValues)}`;
    return `${where} ${at} ${e.message ?? 'is invalid'}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > MAX_ERRORS
    ? [...unique.slice(0, MAX_ERRORS), `${where}: ... and ${unique.length - MAX_ERRORS} more`]
    : unique;
};

const splitUrl = (raw: string): { pathname: string; search: string } => {
  let rest = raw;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (origin) rest = rest.slice(origin[0].length) || '/';
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  return q >= 0 ? { pathname: rest.slice(0, q), search: rest.slice(q + 1) } : { pathname: rest, search: '' };
};

/** Query values as lists of strings, from the `?` part of the path and the `query` object. */
const collectQuery = (search: string, query: Query | undefined): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const list = out.get(name) ?? [];
    list.push(value);
    out.set(name, list);
  };
  for (const [name, value] of new URLSearchParams(search)) add(name, value);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
    for (const v of values) add(name, String(v));
  }
  return out;
};

const schemaType = (schema: SchemaObject | undefined): string | undefined =>
  typeof schema?.type === 'string' ? schema.type : undefined;

/** What a server does with text: numbers and booleans parsed, arrays from repeats and commas. */
const coerceScalar = (raw: string, schema: SchemaObject | undefined): unknown => {
  switch (schemaType(schema)) {
    case 'integer':
      return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return /^true$/i.test(raw) ? true : /^false$/i.test(raw) ? false : raw;
    default:
      return raw;
  }
};

const isEmptyBody = (body: unknown): boolean => body === undefined || body === '';

/** The JSON media type of a content map: application/json, else any *json type, else a wildcard with a schema. */
const jsonMedia = (
  content: Record<string, OpenApiMedia> | undefined,
): { type: string; media: OpenApiMedia } | undefined => {
  if (content === undefined) return undefined;
  const exact = content['application/json'];
  if (exact) return { type: 'application/json', media: exact };
  for (const [type, media] of Object.entries(content)) if (/[/+]json\b/.test(type)) return { type, media };
  const any = content['*/*'];
  if (any?.schema && Object.keys(any.schema).length > 0) return { type: '*/*', media: any };
  return undefined;
};

const isTrivialSchema = (schema: SchemaObject | undefined): boolean =>
  schema === undefined || Object.keys(schema).filter((k) => k !== 'description' && k !== 'example').length === 0;

class Checker implements ContractChecker {
  private readonly seenKeys = new Set<string>();

  constructor(private readonly spec: LoadedSpec) {}

  get specPath(): string {
    return this.spec.specPath;
  }

  operationFor(method: string, rawPath: string): OperationMatch | undefined {
    const found = this.find(method, rawPath);
    return found && 'op' in found
      ? {
          method: found.op.method,
          template: found.op.template,
          operationId: found.op.operationId,
          pathParams: found.params,
        }
      : undefined;
  }

  checkRequest({ method, path: rawPath, query, body }: ContractRequest): string[] {
    const found = this.find(method, rawPath);
    if (!found || !('op' in found)) return [this.unknown(method, rawPath, found)];
    const { op, params, search } = found;
    const what = operationKey(op.method, op.template);
    this.seenKeys.add(what);
    const errors: string[] = [];

    // Path and query parameters, coerced from text the way a server would, then validated.
    const values: { path: Record<string, unknown>; query: Record<string, unknown> } = { path: {}, query: {} };
    for (const p of op.parameters.filter((p) => p.in === 'path')) {
      const raw = params[p.name];
      if (raw !== undefined) values.path[p.name] = coerceScalar(raw, p.schema);
    }
    const given = collectQuery(search, query);
    const declared = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
    for (const [name, raw] of given) {
      const p = declared.get(name);
      if (p === undefined) {
        errors.push(
          `${what} unknown query parameter "${name}" (documented: ${[...declared.keys()].join(', ') || 'none'})`,
        );
        continue;
      }
      if (schemaType(p.schema) === 'array') {
        const items = isObject(p.schema?.items) ? (p.schema.items as SchemaObject) : undefined;
        values.query[name] = raw.flatMap((v) => v.split(',')).map((v) => coerceScalar(v, items));
      } else if (raw.length > 1) {
        errors.push(`${what} query parameter "${name}" given ${raw.length} times but is not an array`);
      } else {
        values.query[name] = coerceScalar(raw[0] ?? '', p.schema);
      }
    }
    for (const p of declared.values())
      if (p.required === true && !given.has(p.name))
        errors.push(`${what} missing required query parameter "${p.name}"`);
    const paramValidator = this.spec.validator(`${what} parameters`, () => {
      const group = (where: 'path' | 'query'): SchemaObject => {
        const properties: SchemaObject = {};
        for (const p of op.parameters.filter((p) => p.in === where))
          properties[p.name] = this.spec.translate(p.schema ?? {}, 'request');
        return { type: 'object', properties };
      };
      return { type: 'object', properties: { path: group('path'), query: group('query') } };
    });
    if (!paramValidator(values)) {
      for (const e of paramValidator.errors ?? []) {
        const [, where, name, ...rest] = e.instancePath.split('/');
        const group = where === 'path' ? values.path : values.query;
        const label = `${where === 'path' ? 'path' : 'query'} parameter "${name ?? '?'}"${rest.length ? `[${rest.join('/')}]` : ''}`;
        const allowed =
          e.keyword === 'enum' ? ` ${JSON.stringify((e.params as Record<string, unknown>).allowedValues)}` : '';
        errors.push(
          `${what} ${label} ${e.message ?? 'is invalid'}${allowed} (got ${JSON.stringify(group[name ?? ''])})`,
        );
      }
    }

    // Body.
    const requestBody = op.operation.requestBody;
    if (requestBody === undefined) {
      if (body !== undefined) errors.push(`${what} documents no request body, but one was sent`);
      return errors;
    }
    if (body === undefined) {
      if (requestBody.required === true) errors.push(`${what} missing required request body`);
      return errors;
    }
    const json = jsonMedia(requestBody.content);
    if (json === undefined) {
      errors.push(
        `${what} request body is documented only as ${Object.keys(requestBody.content ?? {}).join(', ') || 'nothing'}, not JSON`,
      );
      return errors;
    }
    const schema = json.media.schema ?? {};
    const validate = this.spec.validator(`${what} request ${json.type}`, () => this.spec.translate(schema, 'request'));
    if (!validate(body)) errors.push(...formatErrors(`${what} request body`, validate.errors));
    return errors;
  }

  checkResponse({ method, path: rawPath, status, body }: ContractResponse): string[] {
    const found = this.find(method, rawPath);
    if (!found || !('op' in found)) return [this.unknown(method, rawPath, found)];
    const { op } = found;
    const what = operationKey(op.method, op.template);
    this.seenKeys.add(what);

    const responses = op.operation.responses ?? {};
    const statusKey = [String(status), `${String(status).charAt(0)}XX`, 'default'].find((k) => k in responses);
    if (statusKey === undefined)
      return [`${what} status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const response = responses[statusKey] ?? {};
    const where = `${what} response ${status}`;

    if (status === 204 && !isEmptyBody(body))
      return [`${where} must have no body, got ${JSON.stringify(body).slice(0, 120)}`];
    const json = jsonMedia(response.content);
    if (json === undefined) {
      if (isEmptyBody(body)) return [];
      if (response.content !== undefined && Object.keys(response.content).length > 0) return []; // e.g. image/png: not checked here
      if (status >= 400) {
        const validate = this.spec.errorCollectionValidator();
        return validate(body)
          ? []
          : formatErrors(`${where} body (Jira error envelope, ErrorCollection)`, validate.errors);
      }
      return [`${where} documents no body, got ${JSON.stringify(body).slice(0, 120)}`];
    }
    const schema = json.media.schema;
    if (isEmptyBody(body))
      return status === 204 || isTrivialSchema(schema) ? [] : [`${where} has no body, but the spec documents one`];
    const validate = this.spec.validator(`${what} response ${statusKey} ${json.type}`, () =>
      this.spec.translate(schema ?? {}, 'response'),
    );
    return validate(body) ? [] : formatErrors(`${where} body`, validate.errors);
  }

  assertRequest(request: ContractRequest): void {
    const errors = this.checkRequest(request);
    if (errors.length > 0)
      throw new ContractViolation(`request ${request.method.toUpperCase()} ${request.path}`, errors);
  }

  assertResponse(response: ContractResponse): void {
    const errors = this.checkResponse(response);
    if (errors.length > 0)
      throw new ContractViolation(
        `response ${response.status} to ${response.method.toUpperCase()} ${response.path}`,
        errors,
      );
  }

  seen(): Set<string> {
    return new Set(this.seenKeys);
  }

  resetSeen(): void {
    this.seenKeys.clear();
  }

  coverage(expected: Iterable<string>): CoverageReport {
    const wanted = [...new Set(expected)].map((key) => {
      const space = key.indexOf(' ');
      return space > 0 ? operationKey(key.slice(0, space), key.slice(space + 1)) : key;
    });
    return {
      seen: [...this.seenKeys].sort(),
      missing: wanted.filter((k) => this.spec.hasOperation(k) && !this.seenKeys.has(k)).sort(),
      notInSpec: wanted.filter((k) => !this.spec.hasOperation(k)).sort(),
    };
  }

  operations(): string[] {
    return this.spec.operations();
  }

  private find(
    method: string,
    rawPath: string,
  ): { op: OperationInfo; params: Record<string, string>; search: string } | { template: TemplateEntry } | undefined {
    const { pathname, search } = splitUrl(rawPath);
    const match = this.spec.matchTemplate(pathname);
    if (match === undefined) return undefined;
    const op = match.entry.operations.get(method.toUpperCase());
    return op === undefined ? { template: match.entry } : { op, params: match.params, search };
  }

  private unknown(method: string, rawPath: string, found: { template: TemplateEntry } | undefined): string {
    const m = method.toUpperCase();
    return found === undefined
      ? `${m} ${rawPath}: unknown operation (no path template in the spec matches)`
      : `${m} ${rawPath}: unknown operation (${found.template.template} documents only ${[...found.template.operations.keys()].join(', ')})`;
  }
}

export interface ContractCheckerOptions {
  /**
   * The schema patches to apply; default `SPEC_OVERRIDES`. Only for testing the checker
   * itself (a synthetic spec, or proving an override is still needed): the contract tests
   * of the app and the stand-in use the default.
   */
  overrides?: readonly SpecOverride[];
}

/**
 * A checker for the Jira platform REST v3 spec at `specPath` (default: `defaultSpecPath()`).
 * The parsed spec and compiled validators are shared by every checker on the same file
 * within a module registry (one Jest test file); what each checker has `seen` is its own.
 */
export const createContractChecker = (
  specPath: string = defaultSpecPath(),
  options: ContractCheckerOptions = {},
): ContractChecker => new Checker(loadSpec(specPath, options.overrides ?? SPEC_OVERRIDES));
