/**
 * A custom field's `edit.validation` expression, run when a person sets the field through
 * create or edit issue (never when the app sets it through /app/field/value), with the
 * context variables Jira documents: `value`, and `issue` (null on create). `true` lets the
 * value through; `false` answers the manifest's error message, a string answers itself.
 */
import { JiraError } from '../errors';
import { evaluateExpression } from '../model/expressions';
import type { StoredIssue } from '../model/state-schema';
import type { JiraStore } from '../state/store';

export const checkFieldValidations = (
  store: JiraStore,
  issue: StoredIssue | undefined,
  edits: ReadonlyMap<string, unknown>,
): void => {
  const errors: Record<string, string> = {};
  for (const [fieldId, value] of edits) {
    const validation = store.customField(fieldId)?.validation;
    if (!validation) continue;
    const verdict = evaluateExpression(validation.expression, {
      value,
      issue: issue ? { id: Number(issue.id), key: issue.key, properties: structuredClone(issue.properties) } : null,
    });
    if (verdict === true) continue;
    errors[fieldId] = typeof verdict === 'string' ? verdict : validation.errorMessage;
  }
  if (Object.keys(errors).length > 0) throw new JiraError(400, [], errors);
};
