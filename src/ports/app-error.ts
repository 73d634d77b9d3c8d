/**
 * The one error type that crosses layers. `code` is stable and machine-readable; `message`
 * is written for the person using the app and says what is wrong and what to do.
 */
export type AppErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'JIRA_UNAVAILABLE'
  | 'JIRA_REJECTED'
  | 'INVALID_RESPONSE'
  | 'STORAGE_FAILED'
  | 'INTERNAL';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
