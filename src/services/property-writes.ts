/**
 * Several issue entity property writes made as one: the app's bookkeeping on an event
 * (a re-decided record's Submissions, an approval's records, the daily overdue flags) either
 * lands whole or not at all. Jira has no transaction over issues, so when one write fails
 * (say its retry budget is spent on 429s), the writes made before it are put back to the
 * values read moments before, newest first, and the error says so. A put-back that fails
 * too is named: the next event or daily run writes it again.
 */
import { route } from '@forge/api';
import type { JiraHttp } from '../adapters/jira/jira-http';
import { IgnoredBody, NoContent } from '../adapters/jira/jira-http';
import { AppError, isAppError } from '../ports/app-error';

export interface PropertyWrite {
  issueKey: string;
  propertyKey: string;
  /** The value to store; undefined deletes the property. */
  value: unknown;
  /** What the issue held when it was read; undefined when it had no such property. */
  previous: unknown;
}

const store = (jira: JiraHttp, issueKey: string, propertyKey: string, value: unknown): Promise<unknown> => {
  const path = route`/rest/api/3/issue/${issueKey}/properties/${propertyKey}`;
  return value === undefined
    ? jira.requestJira(path, { method: 'DELETE', schema: NoContent, absentOn404: true })
    : jira.requestJira(path, { method: 'PUT', schema: IgnoredBody, body: value });
};

export const writePropertiesAllOrNothing = async (jira: JiraHttp, writes: readonly PropertyWrite[]): Promise<void> => {
  const done: PropertyWrite[] = [];
  for (const write of writes) {
    try {
      await store(jira, write.issueKey, write.propertyKey, write.value);
      done.push(write);
    } catch (error) {
      const notPutBack: string[] = [];
      for (const made of [...done].reverse()) {
        try {
          await store(jira, made.issueKey, made.propertyKey, made.previous);
        } catch {
          notPutBack.push(`${made.propertyKey} on ${made.issueKey}`);
        }
      }
      const cause = isAppError(error)
        ? error
        : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
      const undo =
        done.length === 0
          ? ''
          : notPutBack.length === 0
            ? ` The ${done.length} earlier write${done.length > 1 ? 's' : ''} of this change ${done.length > 1 ? 'were' : 'was'} put back.`
            : ` Putting back ${notPutBack.join(', ')} failed too; the next run writes ${notPutBack.length > 1 ? 'them' : 'it'} again.`;
      throw new AppError(
        cause.code,
        `Writing ${write.propertyKey} on ${write.issueKey} failed: ${cause.message}${undo}`,
        cause.details,
      );
    }
  }
};
