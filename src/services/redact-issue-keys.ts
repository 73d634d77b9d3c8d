/**
 * Messages built by the app can name issues (a Submission, a linked record). Before one is
 * shown to a person who may not browse that issue's project, keys they may not see are
 * replaced by what the issue is. Filing categories such as CBE-30 look like issue keys and
 * are never replaced.
 */
import { FilingCategorySchema } from '../domain/model';

const CATEGORY_NAMES: ReadonlySet<string> = new Set(FilingCategorySchema.options);
const ISSUE_KEY_TOKEN = /(?<![\w-])[A-Z][A-Z0-9_]*-[1-9][0-9]*(?![\w-])/g;

export const redactIssueKeys = (message: string, mayShow: (key: string) => boolean, replacement: string): string =>
  message.replace(ISSUE_KEY_TOKEN, (token) => (CATEGORY_NAMES.has(token) || mayShow(token) ? token : replacement));
