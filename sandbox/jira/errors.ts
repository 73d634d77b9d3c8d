/**
 * Jira's error body is `{ errorMessages: string[], errors: { field: message } }`; every
 * refusal from the stand-in has that shape. Routes throw `JiraError`; the router turns it
 * into a response, so no handler builds error bodies by hand.
 */
import type { z } from 'zod';

export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.name = 'JiraError';
  }

  body(): JiraErrorBody {
    return { errorMessages: [...this.errorMessages], errors: { ...this.errors } };
  }
}

/** Jira's exact words when an issue is missing or hidden: the two cases must be indistinguishable. */
export const ISSUE_NOT_VISIBLE = 'Issue does not exist or you do not have permission to see it.';

export const badRequest = (message: string): JiraError => new JiraError(400, [message]);
export const fieldErrors = (errors: Record<string, string>, status = 400): JiraError =>
  new JiraError(status, [], errors);
export const notFound = (message: string): JiraError => new JiraError(404, [message]);
export const forbidden = (message: string): JiraError => new JiraError(403, [message]);
export const issueNotFound = (): JiraError => notFound(ISSUE_NOT_VISIBLE);
export const unauthenticated = (): JiraError =>
  new JiraError(401, ['Client must be authenticated to access this resource.']);

/** Parse a request body at the boundary: a shape mismatch is Jira's 400, never a crash. */
export const parseBody = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S> => {
  if (body === undefined) throw badRequest('The request body is missing.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const messages = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new JiraError(400, [`The request body is not valid: ${messages.join('; ')}`]);
};
