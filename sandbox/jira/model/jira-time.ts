/**
 * Time as Jira writes it, and the clocks tests use.
 *
 * Jira Cloud serialises instants as `2026-01-05T10:00:00.000+0000`: no colon in the
 * offset, so `Date.parse` copes but strict ISO parsers (zod's `z.iso.datetime()`) do not.
 * The stand-in writes that exact form so an adapter that only accepts `Z` fails here,
 * not in production.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An instant in Jira's wire format, always in UTC. */
export const formatJiraDateTime = (epochMs: number): string => {
  const d = new Date(epochMs);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
};

export const formatStoredInstant = (iso: string): string => formatJiraDateTime(Date.parse(iso));

/**
 * A deterministic clock for tests and demo data: each call returns an instant `stepMs`
 * after the previous one, starting at `start`.
 */
export const createSteppingClock = (start: Date | string, stepMs = 1000): (() => Date) => {
  let next = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (Number.isNaN(next)) throw new Error(`createSteppingClock: '${String(start)}' is not a date`);
  return () => {
    const current = new Date(next);
    next += stepMs;
    return current;
  };
};
