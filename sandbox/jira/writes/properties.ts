/**
 * Issue entity properties. They are app data beside the issue: setting one writes no
 * changelog and does not move `updated`, as in Jira.
 */
import { badRequest } from '../errors';
import type { StoredIssue } from '../model/state-schema';

/** Jira's limits: key ≤ 255 characters, value ≤ 32,768 characters of JSON. */
export const PROPERTY_VALUE_LIMIT = 32_768;

export const checkPropertyWrite = (key: string, value: unknown): void => {
  if (key.length === 0 || key.length > 255)
    throw badRequest('The property key must be between 1 and 255 characters long.');
  if (value === undefined) throw badRequest('The property value must be a valid, non-empty JSON value.');
  const serialized = JSON.stringify(value);
  if (serialized.length > PROPERTY_VALUE_LIMIT) {
    throw badRequest(
      `The property value is ${serialized.length} characters long; the limit is ${PROPERTY_VALUE_LIMIT}.`,
    );
  }
};

/** Sets a property; answers whether it was created (Jira answers 201) rather than replaced (200). */
export const setIssueProperty = (issue: StoredIssue, key: string, value: unknown): { created: boolean } => {
  checkPropertyWrite(key, value);
  const created = !(key in issue.properties);
  issue.properties[key] = structuredClone(value);
  return { created };
};
