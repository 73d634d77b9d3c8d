/**
 * Jira's `fields`, `properties` and `expand` parameters. Each may be repeated and each
 * value may be comma-separated (`fields=a,b&fields=c`); the POST endpoints take arrays.
 */

export interface FieldSelection {
  /** `*all` / `*navigable`, or only exclusions were given. */
  all: boolean;
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

const splitList = (values: readonly string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/**
 * `defaultSpec` is what an absent parameter means: GET issue `*all`, bulkfetch
 * `*navigable`, search/jql `id`. Every field the stand-in has is navigable, so the two
 * wildcard forms select the same fields.
 */
export const parseFieldSelection = (
  values: readonly string[] | undefined,
  defaultSpec: '*all' | '*navigable' | 'id',
): FieldSelection => {
  const tokens = splitList(values ?? []);
  const effective = tokens.length === 0 ? [defaultSpec] : tokens;
  const include = new Set<string>();
  const exclude = new Set<string>();
  let wildcard = false;
  for (const token of effective) {
    if (token === '*all' || token === '*navigable') wildcard = true;
    else if (token.startsWith('-')) exclude.add(token.slice(1));
    else include.add(token);
  }
  // "-description" alone means "the default fields except description".
  const all = wildcard || (include.size === 0 && exclude.size > 0);
  return { all, include, exclude };
};

export const selectsField = (selection: FieldSelection, fieldId: string): boolean =>
  !selection.exclude.has(fieldId) && (selection.all || selection.include.has(fieldId));

/** Only `id` and/or `key` asked for: search/jql may then answer up to 5,000 per page. */
export const isIdsOnlySelection = (selection: FieldSelection): boolean =>
  !selection.all && [...selection.include].every((field) => field === 'id' || field === 'key');

export interface PropertySelection {
  all: boolean;
  include: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

export const parsePropertySelection = (values: readonly string[] | undefined): PropertySelection => {
  const include = new Set<string>();
  const exclude = new Set<string>();
  let all = false;
  for (const token of splitList(values ?? [])) {
    if (token === '*all') all = true;
    else if (token.startsWith('-')) exclude.add(token.slice(1));
    else include.add(token);
  }
  return { all, include, exclude };
};

export const isEmptyPropertySelection = (selection: PropertySelection): boolean =>
  !selection.all && selection.include.size === 0;

export const selectsProperty = (selection: PropertySelection, key: string): boolean =>
  !selection.exclude.has(key) && (selection.all || selection.include.has(key));

export const parseExpand = (values: readonly string[] | undefined): ReadonlySet<string> =>
  new Set(splitList(values ?? []));
