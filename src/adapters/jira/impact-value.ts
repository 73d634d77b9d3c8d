/**
 * Writes a record's regulatory impact to both places Jira keeps it: the issue entity
 * property `qmsrim.impact` (what the panel, the gates and the triggers read) and the
 * "Regulatory impact" custom field (what people see in the issue view and exports, and
 * search with JQL). Both get the same value: the assessment with its derived search values.
 *
 * `jira` acts as the person (asUser), so Jira's own permissions decide: the property through
 * the issue property API, the field through Edit issue (`PUT /issue/{key}`), which is the
 * field-value operation a person may call (`/app/field/{id}/value` is only for the app).
 * Both are mirrors of the signed record in app storage (src/domain/signed-record.ts): the
 * readers check them against it, so a value written here by anyone but the app is noticed.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import { IMPACT_FIELD_MODULE_KEY, IMPACT_FIELD_NAME } from '../../config/impact-field';
import { IMPACT_PROPERTY_KEY } from '../../config/jira-conventions';
import { toImpactFieldValue } from '../../domain/impact-field-value';
import type { RegulatoryImpact } from '../../domain/model';
import { AppError, isAppError } from '../../ports/app-error';
import type { JiraHttp } from './jira-http';
import { IgnoredBody, NoContent } from './jira-http';

const FieldListSchema = z.array(z.looseObject({ id: z.string(), key: z.string().optional(), name: z.string() }));

/** A Forge field's key is `<app id>__<environment>__<module key>`; its id (`customfield_…`) differs per site. */
export const findImpactFieldId = async (jira: JiraHttp): Promise<string> => {
  const fields = await jira.requestJira(route`/rest/api/3/field`, { method: 'GET', schema: FieldListSchema });
  const field = fields.find((f) => f.key?.endsWith(`__${IMPACT_FIELD_MODULE_KEY}`));
  if (!field) {
    throw new AppError(
      'NOT_FOUND',
      `Jira has no "${IMPACT_FIELD_NAME}" field that this app provides, so the impact could not be saved. Nothing was changed; a Jira admin should check that the app is installed completely.`,
    );
  }
  return field.id;
};

const why = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Jira keeps an issue entity property value of at most this many characters of JSON. */
export const MAX_PROPERTY_CHARS = 32_768;

/** INVALID_INPUT unless Jira can keep the assessment: checked before anything is committed. */
export const assertFitsInJira = (issueKey: string, impact: RegulatoryImpact): void => {
  const size = JSON.stringify(toImpactFieldValue(impact)).length;
  if (size > MAX_PROPERTY_CHARS) {
    throw new AppError(
      'INVALID_INPUT',
      `${issueKey}'s assessment is too large for Jira to keep: it affects ${impact.affected.applicationIds.length} applications and needs ${size.toLocaleString('en')} characters, over the ${MAX_PROPERTY_CHARS.toLocaleString('en')} Jira allows. Nothing was saved; narrow it to fewer markets or products, or split the change into one record per product.`,
    );
  }
};

/**
 * Writes Jira's copy of a signed assessment: the property, then the field (whose validation
 * expression accepts only the value the property holds). Called after the signed record is
 * committed, so nothing is put back on failure: the property either holds the signed value
 * or the readers find it out of step, and the error says which write failed.
 */
export const writeImpactValue = async (
  jira: JiraHttp,
  issueKey: string,
  impact: RegulatoryImpact,
  knownFieldId?: string,
): Promise<void> => {
  assertFitsInJira(issueKey, impact);
  const value = toImpactFieldValue(impact);
  const fieldId = knownFieldId ?? (await findImpactFieldId(jira));
  try {
    await jira.requestJira(route`/rest/api/3/issue/${issueKey}/properties/${IMPACT_PROPERTY_KEY}`, {
      method: 'PUT',
      schema: IgnoredBody,
      body: value,
    });
  } catch (error) {
    throw new AppError(
      isAppError(error) ? error.code : 'INTERNAL',
      `Jira's copy of ${issueKey}'s assessment could not be written (${why(error)}).`,
      { [FAILED_WRITE]: 'property' },
    );
  }
  try {
    await jira.requestJira(route`/rest/api/3/issue/${issueKey}`, {
      method: 'PUT',
      schema: NoContent,
      body: { fields: { [fieldId]: value } },
    });
  } catch (error) {
    throw new AppError(
      isAppError(error) ? error.code : 'INTERNAL',
      `The "${IMPACT_FIELD_NAME}" field of ${issueKey} could not be updated (${why(error)}). If the field is not on the issue's edit screen, a Jira admin must add it.`,
      { [FAILED_WRITE]: 'field' },
    );
  }
};

const FIELD_OUT_OF_STEP = 'fieldOutOfStep';
const FAILED_WRITE = 'failedWrite';

/** Which of the two writes of Jira's copy failed: the property the gates read, or only the field people see. */
export const failedMirrorWrite = (error: unknown): 'property' | 'field' | undefined => {
  const value = isAppError(error) ? error.details?.[FAILED_WRITE] : undefined;
  return value === 'property' || value === 'field' ? value : undefined;
};

/** Marks an error as "the change is recorded; only Jira's copy is behind". */
export const markFieldOutOfStep = (error: AppError): AppError =>
  new AppError(error.code, error.message, { ...error.details, [FIELD_OUT_OF_STEP]: true });

/**
 * The signed record holds the change and only Jira's copy is stale: the write happened, as far
 * as the app's own reads go. A multi-step write that gets this must not undo the steps the
 * signed record now refers to.
 */
export const isFieldOutOfStep = (error: unknown): error is AppError =>
  isAppError(error) && error.details?.[FIELD_OUT_OF_STEP] === true;
