/**
 * Who may sign regulatory decisions (src/domain/signing-policy.ts), in Forge app storage under
 * the key `signer-rules`, with who saved them and when. A site whose admin has not saved rules
 * runs on DEFAULT_SIGNER_RULES: nobody may sign. A stored value the app would itself reject is
 * an error, never silently replaced by the defaults.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { InstantSchema, SignerSchema } from '../../domain/model';
import { SignerRulesSchema } from '../../domain/signing-policy';
import { AppError } from '../../ports/app-error';

export const SIGNER_RULES_KEY = 'signer-rules';

export const StoredSignerRulesSchema = z.strictObject({
  rules: SignerRulesSchema,
  savedAt: InstantSchema,
  savedBy: SignerSchema,
});
export type StoredSignerRules = z.infer<typeof StoredSignerRulesSchema>;

const failure = (what: string, error: unknown): AppError =>
  new AppError(
    'STORAGE_FAILED',
    `The app's signing rules could not be ${what} app storage: ${error instanceof Error ? error.message : String(error)}`,
  );

/** The saved rules with who saved them and when, or undefined when none were ever saved. */
export const loadStoredSignerRules = async (): Promise<StoredSignerRules | undefined> => {
  let raw: unknown;
  try {
    raw = await kvs.get<unknown>(SIGNER_RULES_KEY);
  } catch (error) {
    throw failure('read from', error);
  }
  if (raw === undefined || raw === null) return undefined;
  const parsed = StoredSignerRulesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'INVALID_RESPONSE',
      `The app's stored signing rules are not valid (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}); a Jira admin must save “Who may sign” again on the app's admin page.`,
    );
  }
  return parsed.data;
};

/** Replaces the rules in one storage write. Callers check the person is a Jira admin and audit the change. */
export const saveSignerRules = async (stored: StoredSignerRules): Promise<StoredSignerRules> => {
  const parsed = StoredSignerRulesSchema.parse(stored);
  try {
    await kvs.set(SIGNER_RULES_KEY, parsed);
  } catch (error) {
    throw failure('saved to', error);
  }
  return parsed;
};
