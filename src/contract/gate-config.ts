/**
 * The configuration a Jira admin saves on each of the five gate validators, in the workflow
 * editor's create/edit views (static/gate-config). One schema, parsed by the config UI before
 * it hands the JSON to Jira and by the validator function every time it runs, so the two
 * cannot disagree. Browser-safe: no Node or @forge imports.
 */
import { z } from 'zod';
import { GateIdSchema } from '../domain/gates';
import type { GateId } from '../domain/gates';
import { MarketSchema } from '../domain/model';

/** Jira's new workflow editor stores at most 32 KB of configuration per rule. */
export const MAX_VALIDATOR_CONFIG_BYTES = 32 * 1024;

const StatusIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a Jira status id such as 10003');

export const GateValidatorConfigSchema = z.strictObject({
  /** Only these markets hold the gate; every market when absent. */
  markets: z
    .array(MarketSchema)
    .min(1, 'name at least one market, or leave markets out for every market')
    .max(100)
    .optional(),
  /** Refuse the transition when Jira cannot be read (outage, rate limit). Default true. */
  failClosed: z.boolean().default(true),
  /**
   * Prior approval only: the statuses whose entry means "implement" or "release". On a
   * transition into any other status the gate lets the issue through. Jira tells a validator
   * function the target status, not the transition, so this is how the transition is named.
   */
  implementStatusIds: z
    .array(StatusIdSchema)
    .min(1, 'pick at least one status, or leave the setting out')
    .max(50)
    .optional(),
});
export type GateValidatorConfig = z.infer<typeof GateValidatorConfigSchema>;
export type GateValidatorConfigInput = z.input<typeof GateValidatorConfigSchema>;

/** Which settings mean something for which gate; a setting a gate would ignore is refused, not silently dropped. */
export const GATE_CONFIG_SETTINGS: Readonly<Record<GateId, { markets: boolean; implementStatuses: boolean }>> = {
  'impact-assessed': { markets: false, implementStatuses: false },
  'filing-planned': { markets: true, implementStatuses: false },
  'prior-approval-granted': { markets: true, implementStatuses: true },
  'evidence-complete': { markets: true, implementStatuses: false },
  'commitment-fulfilled': { markets: true, implementStatuses: false },
};

/** The validator modules of manifest.yml and the gate each one runs. */
export const GATE_OF_MODULE: Readonly<Record<string, GateId>> = {
  'gate-impact-assessed': 'impact-assessed',
  'gate-filing-planned': 'filing-planned',
  'gate-prior-approval-granted': 'prior-approval-granted',
  'gate-evidence-complete': 'evidence-complete',
  'gate-commitment-fulfilled': 'commitment-fulfilled',
};

export type GateConfigParse = { ok: true; config: GateValidatorConfig } | { ok: false; message: string };

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Jira hands a validator the configuration the config UI saved, parsed or as JSON text;
 * nothing saved yet means the defaults. Each failure names the setting and what is wrong.
 */
export const parseGateConfig = (gate: GateId, raw: unknown): GateConfigParse => {
  let value: unknown = raw;
  if (raw === undefined || raw === null || raw === '') value = {};
  else if (typeof raw === 'string') {
    if (utf8Bytes(raw) > MAX_VALIDATOR_CONFIG_BYTES)
      return {
        ok: false,
        message: `the configuration is larger than Jira's ${MAX_VALIDATOR_CONFIG_BYTES / 1024} KB limit`,
      };
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, message: 'the configuration is not JSON' };
    }
  }
  const parsed = GateValidatorConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: issue
        ? `${issue.path.join('.') || 'configuration'}: ${issue.message}`
        : 'the configuration is not valid',
    };
  }
  const settings = GATE_CONFIG_SETTINGS[GateIdSchema.parse(gate)];
  if (!settings.markets && parsed.data.markets !== undefined)
    return {
      ok: false,
      message: `markets: the ${gate} gate holds for every market (an assessment is complete or not), so it takes no markets`,
    };
  if (!settings.implementStatuses && parsed.data.implementStatusIds !== undefined)
    return {
      ok: false,
      message: `implementStatusIds: only the prior-approval gate takes the statuses that mean "implement"`,
    };
  if (utf8Bytes(JSON.stringify(parsed.data)) > MAX_VALIDATOR_CONFIG_BYTES)
    return {
      ok: false,
      message: `the configuration is larger than Jira's ${MAX_VALIDATOR_CONFIG_BYTES / 1024} KB limit`,
    };
  return { ok: true, config: parsed.data };
};

/** What the config UI hands Jira (`workflowRules.onConfigure`): the parsed configuration as JSON text. */
export const serializeGateConfig = (
  gate: GateId,
  input: GateValidatorConfigInput,
): { ok: true; json: string } | { ok: false; message: string } => {
  const parsed = parseGateConfig(gate, input);
  return parsed.ok ? { ok: true, json: JSON.stringify(parsed.config) } : parsed;
};

/** The options the config UI offers: the registry's markets and the site's statuses, as the admin sees them. */
export const GateConfigOptionsSchema = z.strictObject({
  markets: z.array(MarketSchema),
  statuses: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      category: z.enum(['new', 'indeterminate', 'done', 'undefined']),
    }),
  ),
});
export type GateConfigOptions = z.infer<typeof GateConfigOptionsSchema>;

/** One sentence per setting, for the workflow editor's summary (view) of a configured gate. */
export const describeGateConfig = (
  gate: GateId,
  config: GateValidatorConfig,
  statusName: (id: string) => string = (id) => `status ${id}`,
): string[] => {
  const settings = GATE_CONFIG_SETTINGS[gate];
  const lines: string[] = [];
  if (settings.markets)
    lines.push(config.markets ? `Holds for ${config.markets.join(', ')} only.` : 'Holds for every market.');
  if (settings.implementStatuses) {
    lines.push(
      config.implementStatusIds
        ? `Holds only on transitions into ${config.implementStatusIds.map(statusName).join(', ')} (implement or release).`
        : 'Holds on every transition it is put on.',
    );
  }
  lines.push(
    config.failClosed
      ? 'When Jira cannot be read, the transition is refused (fail closed).'
      : 'When Jira cannot be read, the transition is let through (fail open, outages only).',
  );
  return lines;
};
