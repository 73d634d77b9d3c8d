/** How JQL reads dates and matches text. */

const ABSOLUTE_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const RELATIVE_PART = /([+-]?)(\d+)([wdhm])/g;
const UNIT_MS: Readonly<Record<string, number>> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/**
 * `2026-01-05`, `2026/01/05 14:30` (UTC here), or a period relative to now such as
 * `-7d`, `-4w 2d`, `+1h`. Undefined when the text is none of these.
 */
export const parseJqlDate = (text: string, nowMs: number): number | undefined => {
  const trimmed = text.trim();
  const absolute = ABSOLUTE_DATE.exec(trimmed);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
    const check = new Date(ms);
    // Reject 2026-02-31 rather than rolling it over into March.
    return check.getUTCDate() === Number(d) && check.getUTCMonth() === Number(mo) - 1 ? ms : undefined;
  }
  if (!/^[+-]?\d+[wdhm](\s*[+-]?\d+[wdhm])*$/.test(trimmed)) return undefined;
  let offset = 0;
  let sign = 1;
  for (const match of trimmed.matchAll(RELATIVE_PART)) {
    if (match[1] === '-') sign = -1;
    else if (match[1] === '+') sign = 1;
    offset += sign * Number(match[2]) * (UNIT_MS[match[3] ?? 'd'] ?? 0);
  }
  return nowMs + offset;
};

export const INVALID_DATE_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);

/** A light stemmer so `validator` finds `validators` and `validated`, as Jira's English analyser does. */
const stem = (word: string): string => (word.length > 4 ? word.replace(/(ies|es|s|ing|ed)$/, '') : word);

/**
 * Jira's `~`: every term must occur as a word (stemmed; `term*` matches a prefix); a
 * query in double quotes inside the value is a phrase whose words must be consecutive.
 */
export const matchesText = (text: string, query: string): boolean => {
  const words = wordsOf(text);
  const trimmed = query.trim();
  if (trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    const phrase = wordsOf(trimmed.slice(1, -1)).map(stem);
    if (phrase.length === 0) return false;
    const stems = words.map(stem);
    return stems.some((_, i) => phrase.every((p, j) => stems[i + j] === p));
  }
  const terms = trimmed.split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0) return false;
  return terms.every((term) => {
    if (term.endsWith('*')) {
      const prefix = wordsOf(term.slice(0, -1)).join('');
      return prefix.length > 0 && words.some((w) => w.startsWith(prefix));
    }
    const termWords = wordsOf(term).map(stem);
    return termWords.every((t) => words.some((w) => stem(w) === t));
  });
};
