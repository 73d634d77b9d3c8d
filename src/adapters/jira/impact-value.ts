/**
 * Writes a record's regulatory impact to both places Jira keeps it: the issue entity
 * property `qmsrim.impact` (what the panel, the gates and the triggers read) and the
 * "Regulatory impact" custom field (what people see in the issue view and exports, and
 * search with JQL). Both get the same value: the assessment with its derived search values.
 *
 * `jira` acts as the person (asUser), so Jira's own permissions decide: the property through
 * the issue property API, the field through Edit issue (`PUT /issue/{key}`), which is the
 * field-value operation a person may call (`/app/field/{id}/value` is only for the app).
 * The property is written first, because the field's validation expression accepts only the
 * value the property holds; if the field write fails, the property is put back as it was.
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
const EntityPropertySchema = z.looseObject({ key: z.string(), value: z.unknown() });

/** A Forge field's key is `<app id>__<environment>__<module key>`; its id (`customfield_…`) differs per site. */
export const findImpactFieldId = async (jira: JiraHttp): Promise<string> => {
  const fields = await jira.requestJira(route`/rest/api/3/field`, { method: 'GET', schema: FieldListSchema });
  const field = fields.find((f) => f.key?.endsWith(`__${IMPACT_FIELD_MODULE_KEY}`));
  if (!field) {
    throw new AppError('NOT_FOUND', `Jira has no "${IMPACT_FIELD_NAME}" field that this app provides, so the impact could not be saved. Nothing was changed; a Jira admin should check that the app is installed completely.`);
  }
  return field.id;
};

const why = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Jira keeps an issue entity property value of at most this many characters of JSON. */
export const MAX_PROPERTY_CHARS = 32_768;

/** The one place the impact value is written to Jira: the field and its entity property, together. */
export const writeImpactValue = async (jira: JiraHttp, issueKey: string, impact: RegulatoryImpact): Promise<void> => {
  const value = toImpactFieldValue(impact);
  const size = JSON.stringify(value).length;
  if (size > MAX_PROPERTY_CHARS) {
    throw new AppError(
      'INVALID_INPUT',
      `${issueKey}'s assessment is too large for Jira to keep: it affects ${impact.affected.applicationIds.length} applications and needs ${size.toLocaleString('en')} characters, over the ${MAX_PROPERTY_CHARS.toLocaleString('en')} Jira allows. Nothing was saved; narrow it to fewer markets or products, or split the change into one record per product.`,
    );
  }
  const fieldId = await findImpactFieldId(jira);
  const propertyRoute = route`/rest/api/3/issue/${issueKey}/properties/${IMPACT_PROPERTY_KEY}`;
  const previous = await jira.requestJira(propertyRoute, { method: 'GET', schema: EntityPropertySchema, absentOn404: true });

  await jira.requestJira(propertyRoute, { method: 'PUT', schema: IgnoredBody, body: value });
  try {
    await jira.requestJira(route`/rest/api/3/issue/${issueKey}`, { method: 'PUT', schema: NoContent, body: { fields: { [fieldId]: value } } });
  } catch (error) {
    let restored = true;
    try {
      if (previous) await jira.requestJira(propertyRoute, { method: 'PUT', schema: IgnoredBody, body: previous.value });
      else await jira.requestJira(propertyRoute, { method: 'DELETE', schema: NoContent, absentOn404: true });
    } catch {
      restored = false;
    }
    const code = isAppError(error) ? error.code : 'INTERNAL';
    if (restored) {
      throw new AppError(
        code,
        `The "${IMPACT_FIELD_NAME}" field of ${issueKey} could not be updated (${why(error)}), so nothing was saved: the record is as it was. If the field is not on the issue's edit screen, a Jira admin must add it.`,
      );
    }
    throw new AppError(
      code,
      `The "${IMPACT_FIELD_NAME}" field of ${issueKey} could not be updated (${why(error)}), and putting the record's stored assessment back failed too: the assessment the panel and the gates read has the change, while the field still shows the previous value. Open the field and choose "Refresh from the assessment", or tell your Jira admin.`,
      { [FIELD_OUT_OF_STEP]: true },
    );
  }
};

const FIELD_OUT_OF_STEP = 'fieldOutOfStep';

/**
 * The property (what the panel, the gates and the triggers read) holds the new value and only
 * the field is stale: the write happened, as far as the app's own reads go. A multi-step
 * write that gets this must not undo the steps the property now refers to.
 */
export const isFieldOutOfStep = (error: unknown): error is AppError => isAppError(error) && error.details?.[FIELD_OUT_OF_STEP] === true;
