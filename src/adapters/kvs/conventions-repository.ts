/**
 * The site's Jira mapping (which projects, issue types, statuses and link types mean what to
 * the app) in Forge app storage under the key `config`. Every handler reads it through
 * `loadConventions()`; a site whose admin has not saved a mapping runs on the defaults of
 * src/config/jira-conventions.ts. A stored value the app would itself reject is an error,
 * never silently replaced by the defaults: a gate must not run on a mapping nobody chose.
 * A save is written in the same storage transaction as its audit entry (`saveSiteConfigAudited`).
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { DEFAULT_JIRA_CONVENTIONS, JiraConventionsSchema } from '../../config/jira-conventions';
import type { JiraConventions } from '../../config/jira-conventions';
import { digestOf } from '../../domain/canonical';
import { InstantSchema, SignerSchema } from '../../domain/model';
import { AppError } from '../../ports/app-error';
import { appendAuditEntry } from './audit-repository';

export const CONFIG_KEY = 'config';

export const StoredSiteConfigSchema = z.strictObject({
  conventions: JiraConventionsSchema,
  savedAt: InstantSchema,
  savedBy: SignerSchema,
});
export type StoredSiteConfig = z.infer<typeof StoredSiteConfigSchema>;

const failure = (what: string, error: unknown): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The app's Jira mapping could not be ${what} app storage: ${error instanceof Error ? error.message : String(error)}`,
  );

/** The saved mapping with who saved it and when, or undefined when the site runs on the defaults. */
export const loadStoredSiteConfig = async (): Promise<StoredSiteConfig | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(CONFIG_KEY);
  } catch (error) {
    throw failure('read from', error);
  }
  if (raw === undefined || raw === null) return undefined;
  const parsed = StoredSiteConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'INVALID_RESPONSE',
      `The app's stored Jira mapping is not valid (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}); a Jira admin must save the mapping again on the app's admin page.`,
    );
  }
  return parsed.data;
};

/** The mapping every handler runs on: the saved one, or the defaults. */
export const loadConventions = async (): Promise<JiraConventions> =>
  (await loadStoredSiteConfig())?.conventions ?? DEFAULT_JIRA_CONVENTIONS;

/** Replaces the mapping in one storage write, unaudited: for seeding the sandbox and tests only; the admin's save uses `saveSiteConfigAudited`. */
export const saveSiteConfig = async (config: StoredSiteConfig): Promise<StoredSiteConfig> => {
  const parsed = StoredSiteConfigSchema.parse(config);
  try {
    await kvs.set(CONFIG_KEY, parsed);
  } catch (error) {
    throw failure('saved to', error);
  }
  return parsed;
};

/** The mapping a save replaces, as the audit entry's old value: the saved one, the defaults, or (altered in storage) only its digest. */
const previousMapping = async (): Promise<{
  value: JiraConventions | { unreadable: true; digest: string };
  was: string;
}> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(CONFIG_KEY);
  } catch (error) {
    throw failure('read from', error);
  }
  if (raw === undefined || raw === null) return { value: DEFAULT_JIRA_CONVENTIONS, was: 'the built-in defaults' };
  const parsed = StoredSiteConfigSchema.safeParse(raw);
  if (!parsed.success)
    return { value: { unreadable: true, digest: digestOf(raw) }, was: 'a stored mapping that was no longer valid' };
  return {
    value: parsed.data.conventions,
    was: `the mapping ${parsed.data.savedBy.displayName} saved on ${parsed.data.savedAt}`,
  };
};

/**
 * Replaces the mapping in the same storage transaction as the audit entry that records it
 * (subject `app:mapping`, the conventions before and after): both are written, or neither.
 * Validate it against Jira before calling this.
 */
export const saveSiteConfigAudited = async (config: StoredSiteConfig): Promise<StoredSiteConfig> => {
  const parsed = StoredSiteConfigSchema.parse(config);
  const before = await previousMapping();
  await appendAuditEntry(
    {
      at: parsed.savedAt,
      actor: parsed.savedBy,
      action: 'admin/mapping/save',
      subject: 'app:mapping',
      payload: {
        summary: `Saved the app's Jira mapping, replacing ${before.was}`,
        before: before.value,
        after: parsed.conventions,
      },
    },
    { writes: () => [(transaction) => transaction.set(CONFIG_KEY, parsed)], onConditionFailed: async () => undefined },
  );
  return parsed;
};
