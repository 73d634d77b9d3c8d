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
import type { GateId, GateReason, GateSubject } from '../../domain/gates';
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
  transition: z
    .looseObject({ from: z.looseObject({ id: z.string() }).optional(), to: z.looseObject({ id: z.string() }) })
    .optional(),
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

const projectOf = (key: string): string => key.split('-')[0] ?? '';

/** What a gate wants of a decision's Submission, in words that hold whatever the Submission's state. */
const WANTED_OF_SUBMISSION: Partial<Record<GateId, string>> = {
  'prior-approval-granted': 'its Submission is not approved by the health authority yet',
  'filing-planned': 'no active Submission is linked for it yet',
};

/**
 * Forge passes a validator no account (the issue, the configuration and the transition only),
 * so the app cannot tell whether the person transitioning may browse RIM, and Jira shows them
 * the message as it is. A reason about a RIM issue, on a transition outside RIM, therefore says
 * what the gate wants of the decision (its application, market and decided category: the
 * record's own data) and never the Submission's key, status or application: the same words
 * whatever the Submission's state (test/security/gate-refusals.test.ts). Those who may browse
 * RIM see the detail in the record's Regulatory impact panel, which reads as them.
 */
const reasonAsTold = (
  gate: GateId,
  subject: GateSubject,
  reason: GateReason,
  ownKey: string,
  rimProjectKey: string,
): string => {
  const about = reason.issueKey;
  if (about === undefined || projectOf(ownKey) === rimProjectKey || projectOf(about) !== rimProjectKey)
    return reason.message;
  const decision =
    subject.kind === 'qms-record'
      ? subject.record.impact.decisions.find((d) => d.applicationId === reason.applicationId)
      : undefined;
  const where = reason.applicationId
    ? `${reason.applicationId}${reason.market ? ` (${reason.market})` : ''}${decision?.decided ? ` is decided ${decision.decided.category}, and ` : ': '}`
    : '';
  return `${where}${WANTED_OF_SUBMISSION[gate] ?? 'a linked issue in another project does not satisfy this gate yet'}; the Regulatory impact panel shows why to people who may browse the ${rimProjectKey} project`;
};

const answerFrom = (
  gateTitle: string,
  gate: GateId,
  subject: GateSubject,
  ownKey: string,
  rimProjectKey: string,
): ValidatorAnswer => {
  const result = evaluateGate(gate, subject);
  if (result.ok) return { result: true };
  const told = [
    ...new Set(result.reasons.map((r) => reasonAsTold(gate, subject, r, ownKey, rimProjectKey).replace(/[.\s]+$/, ''))),
  ];
  return { result: false, errorMessage: withoutForeignIssueKeys(`${gateTitle}: ${told.join('; ')}.`, ownKey) };
};

export const runGateValidator = async (
  gate: GateId,
  gateTitle: string,
  event: unknown,
  jira: JiraHttp,
): Promise<ValidatorAnswer> => {
  const parsedEvent = ValidatorEventSchema.safeParse(event);
  if (!parsedEvent.success)
    return {
      result: false,
      errorMessage: `${gateTitle}: the transition could not be checked because Jira sent no valid issue key.`,
    };
  const key = parsedEvent.data.issue.key;

  const parsedConfig = parseGateConfig(gate, parsedEvent.data.configuration);
  if (!parsedConfig.ok) {
    return {
      result: false,
      errorMessage: `${gateTitle}: this validator's configuration is invalid (${parsedConfig.message}); ask a Jira admin to fix it in the workflow editor.`,
    };
  }
  const config = parsedConfig.config;

  if (config.implementStatusIds !== undefined) {
    const target = parsedEvent.data.transition?.to.id;
    if (target === undefined)
      return {
        result: false,
        errorMessage: `${gateTitle}: the transition could not be checked because Jira did not say which status it leads to.`,
      };
    // Configured for "implement"/"release" only: any other transition it sits on is not its business.
    if (!config.implementStatusIds.includes(target)) return { result: true };
  }

  try {
    const conventions = await loadConventions();
    const subject = await loadGateSubject(jira, key, {
      conventions,
      signedRecords: kvsSignedRecordStore,
      ...(config.markets ? { markets: config.markets } : {}),
    });
    return answerFrom(gateTitle, gate, subject, key, conventions.rimProjectKey);
  } catch (error) {
    const why = isAppError(error) ? error.message : 'an unexpected error occurred';
    if (!config.failClosed && isAppError(error) && (error.code === 'JIRA_UNAVAILABLE' || error.code === 'RATE_LIMITED'))
      return { result: true };
    return {
      result: false,
      errorMessage: withoutForeignIssueKeys(
        `${gateTitle}: the transition is blocked because the gate could not be checked: ${why}`,
        key,
      ),
    };
  }
};

/** A Forge function handler for one gate. The validator reads as the app: see withoutForeignIssueKeys. */
export const gateValidator =
  (gate: GateId, gateTitle: string) =>
  (event: unknown): Promise<ValidatorAnswer> =>
    runGateValidator(gate, gateTitle, event, createJiraHttp(asApp().requestJira));
