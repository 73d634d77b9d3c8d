/**
 * Every call this bundle makes goes through here: its resolver through `invoke`, the Forge
 * context, and the Jira bridge's `workflowRules.onConfigure`, which hands Jira the
 * configuration when the admin presses Add or Update in the workflow editor.
 */
import { invoke, view } from '@forge/bridge';
import { workflowRules } from '@forge/jira-bridge';
import { z } from 'zod';
import type { Envelope } from '../../../src/contract/envelope';
import { GATE_OF_MODULE } from '../../../src/contract/gate-config';
import type { GateId } from '../../../src/domain/gates';
import { RESOLVER_CONTRACT } from '../../../src/contract/resolvers';
import type { ResolverOutput } from '../../../src/contract/resolvers';
import { parseEnvelope, unreachable } from '../../shared/resolver-client';

export type EntryPoint = 'create' | 'edit' | 'view';

/** What the workflow editor tells a validator's configuration view. */
const ValidatorContextSchema = z.looseObject({
  moduleKey: z.string(),
  extension: z.looseObject({
    entryPoint: z.enum(['create', 'edit', 'view']).optional(),
    /** The configuration saved before (edit, view): the JSON text onConfigure returned, or already parsed. */
    validatorConfig: z.unknown().optional(),
  }),
});

export interface ValidatorView {
  gate: GateId;
  entryPoint: EntryPoint;
  savedConfig: unknown;
}

export const readValidatorView = async (): Promise<ValidatorView | { problem: string }> => {
  const parsed = ValidatorContextSchema.safeParse(await view.getContext());
  if (!parsed.success) return { problem: 'Jira did not say which validator this is; reopen the workflow editor.' };
  const gate = GATE_OF_MODULE[parsed.data.moduleKey];
  if (gate === undefined)
    return { problem: `This view belongs to the app's gate validators, not to "${parsed.data.moduleKey}".` };
  // No entry point: Jira's older editor shows the create view without saying so.
  return {
    gate,
    entryPoint: parsed.data.extension.entryPoint ?? 'create',
    savedConfig: parsed.data.extension.validatorConfig,
  };
};

export const getOptions = async (): Promise<Envelope<ResolverOutput<'gate-config/options'>>> => {
  try {
    return parseEnvelope(RESOLVER_CONTRACT['gate-config/options'].output, await invoke('gate-config/options', {}));
  } catch {
    return unreachable;
  }
};

/** Registers what Jira calls on Add/Update: the configuration as JSON text, or undefined to keep the form open. */
export const onConfigure = (configure: () => string | undefined): Promise<void> =>
  // The bridge's type says string; returning undefined is how Forge documents "do not save".
  workflowRules.onConfigure(() => configure() as string);
