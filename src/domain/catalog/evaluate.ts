/**
 * How a rule's ordered outcomes are read against the facts of one change and one
 * application. A condition is true, false, or unknown (it reads an answer or a device
 * class that is missing); a false part makes the whole condition false, so a missing fact
 * only blocks the decision when it could change it.
 */
import type { Answer, DeviceClass } from '../model';
import type { Outcome } from './schema';

export type Facts = {
  answers: Readonly<Record<string, Answer>>;
  deviceClass: DeviceClass | undefined;
};

export type OutcomesEvaluation =
  | { kind: 'matched'; outcome: Outcome; index: number }
  | { kind: 'blocked'; index: number; missingQuestionIds: string[]; missingDeviceClass: boolean }
  | { kind: 'unmatched' };

type ConditionValue =
  | { value: 'true' }
  | { value: 'false' }
  | { value: 'unknown'; missingQuestionIds: string[]; missingDeviceClass: boolean };

const evaluateCondition = (when: Outcome['when'], facts: Facts): ConditionValue => {
  let missingDeviceClass = false;
  if (when.deviceClass) {
    if (facts.deviceClass === undefined) missingDeviceClass = true;
    else if (!when.deviceClass.includes(facts.deviceClass)) return { value: 'false' };
  }
  const missingQuestionIds: string[] = [];
  for (const [id, expected] of Object.entries(when.answers ?? {})) {
    const given = facts.answers[id];
    if (given === undefined) missingQuestionIds.push(id);
    else if (given !== expected) return { value: 'false' };
  }
  if (missingDeviceClass || missingQuestionIds.length > 0)
    return { value: 'unknown', missingQuestionIds, missingDeviceClass };
  return { value: 'true' };
};

export const evaluateOutcomes = (outcomes: readonly Outcome[], facts: Facts): OutcomesEvaluation => {
  for (const [index, outcome] of outcomes.entries()) {
    const condition = evaluateCondition(outcome.when, facts);
    if (condition.value === 'true') return { kind: 'matched', outcome, index };
    if (condition.value === 'unknown') {
      return {
        kind: 'blocked',
        index,
        missingQuestionIds: condition.missingQuestionIds,
        missingDeviceClass: condition.missingDeviceClass,
      };
    }
  }
  return { kind: 'unmatched' };
};

/** The question ids the outcomes read, in the order they are first read. */
export const questionIdsOf = (outcomes: readonly Outcome[]): string[] => [
  ...new Set(outcomes.flatMap((outcome) => Object.keys(outcome.when.answers ?? {}))),
];

export const dependsOnDeviceClass = (outcomes: readonly Outcome[]): boolean =>
  outcomes.some((o) => o.when.deviceClass !== undefined);
