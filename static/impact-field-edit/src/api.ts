/**
 * The edit view's calls to Jira and to the host, through @forge/bridge: the record's
 * `qmsrim.impact` read as the person (`requestJira`), the field's current value and issue
 * from `view.getContext()`, and `view.submit` for the new value, parsed again before it goes.
 */
import { requestJira, view } from '@forge/bridge';
import { z } from 'zod';
import { IMPACT_PROPERTY_KEY } from '../../../src/config/jira-conventions';
import { ImpactFieldValueSchema } from '../../../src/domain/impact-field-value';
import type { ImpactFieldValue } from '../../../src/domain/impact-field-value';
import { IssueKeySchema } from '../../../src/domain/model';

const ContextSchema = z.looseObject({
  extension: z.looseObject({ issue: z.looseObject({ key: IssueKeySchema }), fieldValue: z.unknown().optional() }),
});
const PropertySchema = z.looseObject({ value: z.unknown() });

export interface FieldEditContext {
  issueKey: string;
  fieldValue: unknown;
}

export interface Bridge {
  getContext(): Promise<unknown>;
  requestJira(path: string): Promise<{ status: number; json(): Promise<unknown> }>;
  submit(value: unknown): Promise<void>;
  close(): Promise<void>;
}

export const createFieldEditApi = (bridge: Bridge) => ({
  context: async (): Promise<FieldEditContext> => {
    const parsed = ContextSchema.parse(await bridge.getContext());
    return { issueKey: parsed.extension.issue.key, fieldValue: parsed.extension.fieldValue ?? null };
  },
  /** The record's stored value, undefined when the app has stored none. */
  storedImpact: async (issueKey: string): Promise<unknown> => {
    const response = await bridge.requestJira(
      `/rest/api/3/issue/${encodeURIComponent(IssueKeySchema.parse(issueKey))}/properties/${encodeURIComponent(IMPACT_PROPERTY_KEY)}`,
    );
    if (response.status === 404) return undefined;
    if (response.status !== 200)
      throw new Error(`Jira answered ${response.status} when the record's assessment was read.`);
    return PropertySchema.parse(await response.json()).value;
  },
  submit: async (value: ImpactFieldValue): Promise<void> => bridge.submit(ImpactFieldValueSchema.parse(value)),
  close: (): Promise<void> => bridge.close(),
});

export const fieldEditApi = createFieldEditApi({
  getContext: () => view.getContext(),
  requestJira: (path) => requestJira(path),
  submit: (value) => view.submit(value),
  close: () => view.close(),
});
