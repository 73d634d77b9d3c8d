/**
 * What the "Regulatory impact" field's edit view shows and may submit, decided without a
 * browser. The field only ever takes the value the app recorded in `qmsrim.impact`: the
 * record is parsed with the domain's schema and turned into the stored value the same way
 * the app writes it, so a refresh can never submit anything the panel did not record.
 */
import { ImpactFieldValueSchema, StoredImpactSchema, toImpactFieldValue } from '../../../src/domain/impact-field-value';
import type { ImpactFieldValue } from '../../../src/domain/impact-field-value';
import type { ImpactStatus } from '../../../src/domain/model';

export const STATUS_LABEL: Readonly<Record<ImpactStatus, string>> = {
  'not-assessed': 'Not assessed',
  'in-assessment': 'In assessment',
  'no-filing': 'No filing',
  'filing-required': 'Filing required',
};

export type FieldEditView =
  | { kind: 'in-step'; status: ImpactStatus; decidedByMarket: string[] }
  /** The field differs from the record (or is empty): `refresh` is the value to submit. */
  | { kind: 'out-of-step'; status: ImpactStatus; decidedByMarket: string[]; refresh: ImpactFieldValue }
  /** The record has no assessment yet: nothing to show or submit. */
  | { kind: 'no-assessment' }
  | { kind: 'unreadable'; message: string };

const shown = (value: ImpactFieldValue) => ({ status: value.status, decidedByMarket: value.decidedByMarket });

/** `fieldValue` from the edit view's context; `stored` the `qmsrim.impact` value, undefined when there is none. */
export const fieldEditViewOf = (fieldValue: unknown, stored: unknown): FieldEditView => {
  if (stored === undefined || stored === null) return { kind: 'no-assessment' };
  const record = StoredImpactSchema.safeParse(stored);
  if (!record.success)
    return {
      kind: 'unreadable',
      message:
        "The app's stored assessment of this record is not valid, so the field cannot be refreshed from it. Open the Regulatory impact panel, or tell your Jira admin.",
    };
  const recorded = toImpactFieldValue(record.data);
  const current = ImpactFieldValueSchema.safeParse(fieldValue);
  if (current.success && JSON.stringify(current.data) === JSON.stringify(recorded))
    return { kind: 'in-step', ...shown(recorded) };
  return { kind: 'out-of-step', ...shown(recorded), refresh: recorded };
};
