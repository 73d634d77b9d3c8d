/**
 * The issue a UI module is on, from Forge's server-side context (never from the payload),
 * and today's date for the surfaces that say what is overdue.
 */
import { z } from 'zod';
import { IssueKeySchema } from '../../domain/model';
import { AppError } from '../../ports/app-error';
import type { ResolverContext } from './define';

const IssueContextSchema = z.looseObject({
  extension: z.looseObject({ issue: z.looseObject({ key: IssueKeySchema }) }),
});

export const issueKeyOf = (context: ResolverContext): string => {
  const parsed = IssueContextSchema.safeParse(context);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_INPUT',
      'This can only be shown on a Jira issue, and Forge did not say which issue it is on. Reload the issue page; nothing was changed.',
    );
  }
  return parsed.data.extension.issue.key;
};

/** Today as YYYY-MM-DD (UTC). */
export const todayOf = (now: Date): string => now.toISOString().slice(0, 10);
