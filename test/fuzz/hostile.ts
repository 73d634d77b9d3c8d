/**
 * Generated hostile input for the fuzz tests: wrong types, huge strings, deep nesting,
 * prototype-pollution keys, other projects' issue keys, and mutations of a valid example
 * (a field replaced, removed, or an unknown key added). Deterministic: a seeded PRNG, so a
 * failure names the seed and case number that reproduce it.
 */

/** mulberry32: small, fast, good enough to spread cases; not for anything secret. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/** Issue keys of every project the demo has, and some that do not exist. */
const FOREIGN_KEYS = [
  'RIM-1',
  'RIM-7',
  'RIM-10',
  'QMS-1',
  'QMS-9999',
  'HR-1',
  'ADMIN-1',
  'rim-1',
  'RIM-0',
  'RIM-1/../QMS-1',
  'QMS-1?x=1',
];

const HUGE = 'A'.repeat(300_000);

/** JSON text parsed, so the keys are own properties exactly as a hostile client would send them. */
const pollution = (): unknown[] => [
  JSON.parse('{"__proto__":{"polluted":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"prototype":{"polluted":true}}'),
  JSON.parse('{"__proto__":{"isAdmin":true},"version":0}'),
];

const scalar = (random: Random): unknown =>
  pick(random, [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    '',
    ' ',
    '0',
    'true',
    'null',
    '<script>alert(1)</script>',
    "'; DROP TABLE issues; --",
    'project = RIM OR 1=1',
    '\u0000\u202e\ud800',
    'x'.repeat(1 + Math.floor(random() * 5000)),
    HUGE,
    pick(random, FOREIGN_KEYS),
  ]);

const deep = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

/** Any value at all: scalars, arrays, objects, nesting, pollution. */
export const anyHostile = (random: Random, depth = 0): unknown => {
  const roll = random();
  if (roll < 0.45 || depth > 3) return scalar(random);
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => anyHostile(random, depth + 1));
  if (roll < 0.7) return pick(random, pollution());
  if (roll < 0.75) return deep(50 + Math.floor(random() * 400));
  const object: Record<string, unknown> = {};
  for (let i = 0, n = Math.floor(random() * 4); i < n; i++)
    object[
      pick(random, ['version', 'key', 'issueKey', 'csv', 'format', 'payload', 'x', 'accountId', 'applicationIds'])
    ] = anyHostile(random, depth + 1);
  return object;
};

type Path = Array<string | number>;

const pathsOf = (value: unknown, prefix: Path = []): Path[] => {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...prefix, i]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
};

const containers = (value: unknown): Path[] =>
  pathsOf(value).filter((path) => {
    const target = path.reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], value);
    return target !== null && typeof target === 'object' && !Array.isArray(target);
  });

const setAt = (root: unknown, path: Path, next: unknown): unknown => {
  if (path.length === 0) return next;
  const copy: unknown = structuredClone(root);
  let at = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) at[last] = next;
  return copy;
};

const removeAt = (root: unknown, path: Path): unknown => {
  if (path.length === 0) return undefined;
  const copy: unknown = structuredClone(root);
  let at = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
  else if (last !== undefined) Reflect.deleteProperty(at, last);
  return copy;
};

/** Adds a key to an object inside `root` as an own property, `__proto__` included. */
const addKeyAt = (root: unknown, path: Path, key: string, next: unknown): unknown => {
  const copy: unknown = structuredClone(root);
  let at = copy as Record<string | number, unknown>;
  for (const step of path) at = at[step] as Record<string | number, unknown>;
  Object.defineProperty(at, key, { value: next, enumerable: true, configurable: true, writable: true });
  return copy;
};

/** One mutation of `example`: a value replaced, removed, or an unknown (or polluting) key added. */
export const mutate = (random: Random, example: unknown): unknown => {
  const roll = random();
  const paths = pathsOf(example);
  if (roll < 0.55) return setAt(example, pick(random, paths), anyHostile(random));
  if (roll < 0.75) {
    const removable = paths.filter((p) => p.length > 0);
    return removable.length > 0 ? removeAt(example, pick(random, removable)) : anyHostile(random);
  }
  const objects = containers(example);
  if (objects.length === 0) return anyHostile(random);
  return addKeyAt(
    example,
    pick(random, objects),
    pick(random, ['__proto__', 'constructor', 'prototype', 'extra', 'issueKey', 'accountId']),
    anyHostile(random),
  );
};

/** `count` hostile payloads: about two thirds mutations of the example, the rest anything at all. */
export const hostilePayloads = (seed: number, example: unknown, count: number): unknown[] => {
  const random = prng(seed);
  return Array.from({ length: count }, () => (random() < 0.66 ? mutate(random, example) : anyHostile(random)));
};

/** JSON round trip, as Forge's invoke carries a payload: what cannot cross (undefined) is dropped. */
export const overTheWire = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
};
