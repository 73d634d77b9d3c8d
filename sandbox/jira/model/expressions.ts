/**
 * The app's Jira expressions (a custom field's formatter and validation, the signing identity
 * read through /expression/evaluate), evaluated here as JavaScript. That is only faithful for
 * the subset the app writes, whose meaning is the same in both languages: `==`/`!=` on
 * strings, numbers and null, `&&`, `||`, `?:`, `+`, member access, `.length`, `.join`,
 * `.map` with an arrow function, and object literals. `isPortableExpression` refuses anything
 * else (an arrow with a `{` body is a block in JavaScript but an object in Jira), so a new
 * expression that would behave differently in Jira fails loudly instead of passing here.
 */
const ALLOWED = /^(?:\s+|'(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*|\d+|==|!=|&&|\|\||=>|[?:+.()[\]>,{}])/;
const FORBIDDEN_WORDS = new Set([
  'function',
  'new',
  'this',
  'eval',
  'constructor',
  'prototype',
  'window',
  'globalThis',
  'require',
  'process',
  'import',
  'let',
  'var',
  'const',
]);

export const isPortableExpression = (expression: string): boolean => {
  if (/=>\s*\{/.test(expression)) return false;
  let rest = expression;
  while (rest.length > 0) {
    const match = ALLOWED.exec(rest);
    if (!match) return false;
    if (FORBIDDEN_WORDS.has(match[0])) return false;
    rest = rest.slice(match[0].length);
  }
  return true;
};

export const evaluateExpression = (expression: string, variables: Readonly<Record<string, unknown>>): unknown => {
  if (!isPortableExpression(expression))
    throw new Error(`The sandbox cannot evaluate this Jira expression faithfully: ${expression}`);
  const names = Object.keys(variables);
  const run = new Function(...names, `"use strict"; return (${expression});`);
  return Reflect.apply(
    run,
    undefined,
    names.map((n) => variables[n]),
  );
};
