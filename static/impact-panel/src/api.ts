/**
 * Every call this bundle makes to its resolver goes through here: `invoke` from
 * @forge/bridge, and the answer parsed with the shared contract's envelope schema, so the
 * components only ever see a typed value or a typed error with a message for the person.
 */
import { invoke } from '@forge/bridge';
import type { AddCommitmentInput, SaveAssessmentInput } from '../../../src/contract/resolvers';
import type { ResolverInput } from '../../../src/contract/resolvers';
import type { AssessmentDraft } from '../../../src/domain/propose-assessment.schema';
import { createResolverRequest, parseEnvelope } from '../../shared/resolver-client';

export { parseEnvelope };

export type Invoke = (functionKey: string, payload: unknown) => Promise<unknown>;

export const createApi = (call: Invoke) => {
  const request = createResolverRequest(call);
  return {
    getImpact: () => request('impact/get', {}),
    getFormData: () => request('impact/form-data', {}),
    propose: (draft: AssessmentDraft) => request('impact/propose', draft),
    saveAssessment: (input: SaveAssessmentInput) => request('impact/save-assessment', input),
    decide: (input: ResolverInput<'impact/decide'>) => request('impact/decide', input),
    getHistory: () => request('impact/history', {}),
    createSubmissionPlan: (input: ResolverInput<'impact/create-submission-plan'>) =>
      request('impact/create-submission-plan', input),
    addCommitment: (input: AddCommitmentInput) => request('impact/add-commitment', input),
    restoreMirror: () => request('impact/restore-mirror', {}),
    signingStatus: () => request('signing/status', {}),
    startEnrolment: () => request('signing/enrol-start', {}),
    confirmEnrolment: (code: string) => request('signing/enrol-confirm', { code }),
  };
};

export type ImpactApi = ReturnType<typeof createApi>;

export const api = createApi((functionKey, payload) => invoke(functionKey, payload as Record<string, unknown>));
