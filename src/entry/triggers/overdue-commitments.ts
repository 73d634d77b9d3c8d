/**
 * The daily `scheduledTrigger`: flag overdue open Commitments and health-authority letters
 * whose response is overdue (`qmsrim.overdue`), and clear the flag on those no longer
 * overdue. The clock is read here and passed in as a day.
 */
import { asApp } from '@forge/api';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import type { JiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import type { JiraConventions } from '../../config/jira-conventions';
import { isAppError } from '../../ports/app-error';
import { flagOverdue } from '../../services/keep-consistent';
import type { OverdueResult } from '../../services/keep-consistent';

export type OverdueOutcome = ({ outcome: 'done' } & OverdueResult) | { outcome: 'failed'; reason: string };

export const runOverdueCheck = async (deps: {
  jira: JiraHttp;
  conventions: JiraConventions | (() => Promise<JiraConventions>);
  now: Date;
  log: (message: string) => void;
}): Promise<OverdueOutcome> => {
  const today = deps.now.toISOString().slice(0, 10);
  try {
    const conventions = typeof deps.conventions === 'function' ? await deps.conventions() : deps.conventions;
    return { outcome: 'done', ...(await flagOverdue(deps.jira, today, conventions)) };
  } catch (error) {
    const reason = isAppError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    deps.log(`qms-rim overdue check failed: ${reason}`);
    return { outcome: 'failed', reason };
  }
};

/** Forge handler of the `flag-overdue-commitments` scheduled trigger. */
export const overdueCommitmentsScheduled = async (): Promise<OverdueOutcome> =>
  runOverdueCheck({
    jira: createJiraHttp(asApp().requestJira),
    conventions: loadConventions,
    now: new Date(),
    log: (message) => console.warn(message),
  });
