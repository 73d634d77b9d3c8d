/**
 * JQL tokens. Unquoted words run until whitespace or a character JQL gives meaning to
 * (operators, parentheses, commas, brackets, quotes), so `QMS-12`, `-7d`, `win*` and
 * `issue.property` are single words. Quoted strings take `"` or `'` with backslash escapes.
 */
import { badRequest } from '../errors';

export type TokenKind =
  'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'lbracket' | 'rbracket' | 'and' | 'or' | 'not' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The value: unescaped for strings, the characters for everything else. */
  text: string;
  /** Offset of the first character in the query. */
  start: number;
  end: number;
}

/** Jira's position suffix: 1-based line and character. */
export const positionOf = (query: string, offset: number): string => {
  const before = query.slice(0, offset);
  const line = before.split('\n').length;
  const character = offset - before.lastIndexOf('\n');
  return `(line ${line}, character ${character})`;
};

export const jqlSyntaxError = (query: string, offset: number, message: string) =>
  badRequest(`Error in the JQL Query: ${message} ${positionOf(query, offset)}`);

const WORD_BREAK = /[\s=!<>~(),[\]"'&|]/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  "'": "'",
  '\\': '\\',
  ' ': ' ',
};

export const tokenize = (query: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string, start: number, end: number) => tokens.push({ kind, text, start, end });
  while (i < query.length) {
    const c = query.charAt(i);
    const next = query.charAt(i + 1);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= query.length)
          throw jqlSyntaxError(query, start, `The quoted string '${value}' has not been completed.`);
        const ch = query.charAt(i);
        if (ch === c) break;
        if (ch === '\\') {
          const escaped = query.charAt(i + 1);
          if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(query.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(query.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = ESCAPES[escaped];
          if (mapped === undefined)
            throw jqlSyntaxError(query, i, `The escape sequence '\\${escaped}' in the quoted string is illegal.`);
          value += mapped;
          i += 2;
          continue;
        }
        value += ch;
        i += 1;
      }
      i += 1;
      push('string', value, start, i);
    } else if (c === '!' && (next === '=' || next === '~')) {
      push('op', c + next, i, i + 2);
      i += 2;
    } else if ((c === '<' || c === '>') && next === '=') {
      push('op', c + next, i, i + 2);
      i += 2;
    } else if (c === '=' || c === '<' || c === '>' || c === '~') {
      push('op', c, i, i + 1);
      i += 1;
    } else if (c === '!') {
      push('not', c, i, i + 1);
      i += 1;
    } else if (c === '&' && next === '&') {
      push('and', '&&', i, i + 2);
      i += 2;
    } else if (c === '|' && next === '|') {
      push('or', '||', i, i + 2);
      i += 2;
    } else if (c === '(' || c === ')' || c === ',' || c === '[' || c === ']') {
      const kinds: Record<string, TokenKind> = {
        '(': 'lparen',
        ')': 'rparen',
        ',': 'comma',
        '[': 'lbracket',
        ']': 'rbracket',
      };
      push(kinds[c] ?? 'comma', c, i, i + 1);
      i += 1;
    } else if (c === '&' || c === '|') {
      throw jqlSyntaxError(
        query,
        i,
        `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`,
      );
    } else {
      const start = i;
      while (i < query.length && !WORD_BREAK.test(query.charAt(i))) i += 1;
      push('word', query.slice(start, i), start, i);
    }
  }
  tokens.push({ kind: 'eof', text: '', start: query.length, end: query.length });
  return tokens;
};
