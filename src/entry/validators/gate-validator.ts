/**
 * One factory for the five `jira:workflowValidator` functions: parse Jira's event and the
 * validator's configuration, read the issue and its linked issues, run the domain gate, and
 * answer `{ result, errorMessage }`. The panel's preview runs the same `evaluateGate`.
 *
 * Fail closed: when the event or configuration is malformed, or Jira cannot be read, the
 * transition is refused with a message saying why, unless an admin configured the validator
 * with `failClosed: false` for Jira outages (a malformed event is always refused).
 */
import { asApp } from '@forge/api';
import { z } from 'zod';
import type { GateId, GateResult } from '../../domain/gates';
import { evaluateGate } from '../../domain/gates';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import type { JiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { parseGateConfig } from '../../contract/gate-config';
import { loadGateSubject } from '../../services/load-gate-subject';
import { isAppError } from '../../ports/app-error';
import { redactIssueKeys } from '../../services/redact-issue-keys';

export const ValidatorEventSchema = z.looseObject({
  issue: z.looseObject({ key: z.string().regex(/^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/) }),
  configuration: z.unknown().optional(),
  transition: z.looseObject({ from: z.looseObject({ id: z.string() }).optional(), to: z.looseObject({ id: z.string() }) }).optional(),
});

export interface ValidatorAnswer {
  result: boolean;
  errorMessage?: string;
}

/**
 * The person transitioning may not be allowed to see the RIM project. A validator reads as
 * the app, so its message names issues of other projects only by what they are, never by key.
 */
export const withoutForeignIssueKeys = (message: string, ownKey: string): string => {
  const ownProject = ownKey.split('-')[0];
  return redactIssueKeys(message, (key) => key.split('-')[0] === ownProject, '(key withheld)');
};

const answerFrom = (gateTitle: string, result: GateResult, ownKey: string): ValidatorAnswer =>
  result.ok
    ? { result: true }
    : { result: false, errorMessage: withoutForeignIssueKeys(`${gateTitle}: ${result.reasons.map((r) => r.message.replace(/[.\s]+$/, '')).join('; ')}.`, ownKey) };

export const runGateValidator = async (gate: GateId, gateTitle: string, event: unknown, jira: JiraHttp): Promise<ValidatorAnswer> => {
  const parsedEvent = ValidatorEventSchema.safeParse(event);
  if (!parsedEvent.success) return { result: false, errorMessage: `${gateTitle}: the transition could not be checked because Jira sent no valid issue key.` };
  const key = parsedEvent.data.issue.key;

  const parsedConfig = parseGateConfig(gate, parsedEvent.data.configuration);
  if (!parsedConfig.ok) {
    return { result: false, errorMessage: `${gateTitle}: this validator's configuration is invalid (${parsedConfig.message}); ask a Jira admin to fix it in the workflow editor.` };
  }
  const config = parsedConfig.config;

  if (config.implementStatusIds !== undefined) {
    const target = parsedEvent.data.transition?.to.id;
    if (target === undefined) return { result: false, errorMessage: `${gateTitle}: the transition could not be checked because Jira did not say which status it leads to.` };
    // Configured for "implement"/"release" only: any other transition it sits on is not its business.
    if (!config.implementStatusIds.includes(target)) return { result: true };
  }

  try {
    const subject = await loadGateSubject(jira, key, { conventions: await loadConventions(), signedRecords: kvsSignedRecordStore, ...(config.markets ? { markets: config.markets } : {}) });
    return answerFrom(gateTitle, evaluateGate(gate, subject), key);
  } catch (error) {
    const why = isAppError(error) ? error.message : 'an unexpected error occurred';
    if (!config.failClosed && isAppError(error) && (error.code === 'JIRA_UNAVAILABLE' || error.code === 'RATE_LIMITED')) return { result: true };
    return { result: false, errorMessage: withoutForeignIssueKeys(`${gateTitle}: the transition is blocked because the gate could not be checked: ${why}`, key) };
  }
};

/** A Forge function handler for one gate. The validator reads as the app: see withoutForeignIssueKeys. */
export const gateValidator =
  (gate: GateId, gateTitle: string) =>
  (event: unknown): Promise<ValidatorAnswer> =>
    runGateValidator(gate, gateTitle, event, createJiraHttp(asApp().requestJira));
