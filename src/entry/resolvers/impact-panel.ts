/**
 * The resolver behind the "Regulatory impact" issue panel (manifest: impact-panel).
 * The issue comes from Forge's server-side context, never from the payload, and Jira is
 * read as the viewer: the panel shows only what Jira lets that person see.
 */
import { asApp, asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { addCommitment, createSubmissionPlan } from '../../services/create-linked-filing';
import type { LinkedFilingDeps } from '../../services/create-linked-filing';
import {
  checkVersion,
  decide,
  decisionHistory,
  loadFormData,
  loadRecord,
  propose,
  restoreMirror,
  saveAssessment,
} from '../../services/impact-write';
import { requireMaySign } from '../../services/signing-policy';
import { loadImpactPanel } from '../../services/load-impact-panel';
import { confirmEnrolment, requireSignatureCode, signingStatus, startEnrolment } from '../../services/signing';
import { defineTyped } from './define';
import { loadRecordCorrespondence } from '../../services/record-correspondence';
import { issueKeyOf, todayOf } from './issue-context';
import { accountIdOf, signerOf } from './signer-context';

const resolver = new Resolver();

defineTyped(resolver, 'impact/get', async (_input, context) =>
  loadImpactPanel(createJiraHttp(asUser().requestJira), issueKeyOf(context), {
    conventions: await loadConventions(),
    signedRecords: kvsSignedRecordStore,
  }),
);

/** Jira as the person for everything they do and see; as the app only to undo a half-made multi-step write. */
const writeDeps = async (): Promise<LinkedFilingDeps> => ({
  jira: createJiraHttp(asUser().requestJira),
  appJira: createJiraHttp(asApp().requestJira),
  conventions: await loadConventions(),
  signedRecords: kvsSignedRecordStore,
  now: () => new Date(),
});

defineTyped(resolver, 'impact/form-data', async (_input, context) => {
  issueKeyOf(context);
  return loadFormData(await writeDeps());
});
defineTyped(resolver, 'impact/propose', async (input, context) => {
  issueKeyOf(context);
  return propose(input);
});
defineTyped(resolver, 'impact/save-assessment', async (input, context) =>
  saveAssessment(await writeDeps(), issueKeyOf(context), input),
);
/**
 * A signature, in the order that writes nothing for anyone who may not sign: who signs (the Forge
 * context, named by Jira); the record at the version the signer saw; segregation of duties
 * (services/signing-policy.ts), so a barred person never spends a code or counts towards a
 * lock-out; 21 CFR 11.200(a) re-authentication, the signer's authenticator code, checked and
 * spent; then the decision itself (services/impact-write.ts).
 */
defineTyped(resolver, 'impact/decide', async (input, context) => {
  const key = issueKeyOf(context);
  const deps = await writeDeps();
  const signer = await signerOf(context, deps.jira);
  const record = await loadRecord(deps, key);
  checkVersion(record, input.version);
  await requireMaySign(deps.jira, record);
  await requireSignatureCode(deps, signer, input.signatureCode);
  return decide(deps, key, input, { record, signer });
});
defineTyped(resolver, 'impact/restore-mirror', async (_input, context) =>
  restoreMirror(await writeDeps(), issueKeyOf(context)),
);
defineTyped(resolver, 'impact/history', async (_input, context) =>
  decisionHistory(await writeDeps(), issueKeyOf(context)),
);
defineTyped(resolver, 'impact/create-submission-plan', async (input, context) =>
  createSubmissionPlan(await writeDeps(), issueKeyOf(context), input),
);
defineTyped(resolver, 'impact/add-commitment', async (input, context) =>
  addCommitment(await writeDeps(), issueKeyOf(context), input),
);

// The health-authority correspondence this record answers, as far as the viewer may see it.
defineTyped(resolver, 'impact/correspondence', async (_input, context) =>
  loadRecordCorrespondence(createJiraHttp(asUser().requestJira), issueKeyOf(context), {
    conventions: await loadConventions(),
    today: todayOf(new Date()),
  }),
);

// The person's own authenticator for signing (src/services/signing.ts); who they are comes from the Forge context.
const signingDeps = { now: () => new Date() };
defineTyped(resolver, 'signing/status', async (_input, context) => signingStatus(signingDeps, accountIdOf(context)));
defineTyped(resolver, 'signing/enrol-start', async (_input, context) =>
  startEnrolment(signingDeps, await signerOf(context, createJiraHttp(asUser().requestJira))),
);
defineTyped(resolver, 'signing/enrol-confirm', async ({ code }, context) => {
  const signer = await signerOf(context, createJiraHttp(asUser().requestJira));
  await confirmEnrolment(signingDeps, signer, code);
  return signingStatus(signingDeps, signer.accountId);
});

export const impactPanelResolver = resolver.getDefinitions();
