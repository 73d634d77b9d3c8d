/**
 * The resolver behind the "Submission readiness" issue panel (manifest: readiness-panel).
 * The Submission comes from Forge's server-side context, never from the payload, and Jira
 * is read as the viewer: the panel and the evidence packet show only what Jira lets that
 * person see.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { exportEvidencePacket, loadReadinessPanel } from '../../services/load-readiness-panel';
import { defineTyped } from './define';
import { issueKeyOf, todayOf } from './issue-context';

const resolver = new Resolver();

defineTyped(resolver, 'readiness/get', async (_input, context) =>
  loadReadinessPanel(createJiraHttp(asUser().requestJira), issueKeyOf(context), {
    conventions: await loadConventions(),
    signedRecords: kvsSignedRecordStore,
    today: todayOf(new Date()),
  }),
);

defineTyped(resolver, 'readiness/export', async (input, context) =>
  exportEvidencePacket(createJiraHttp(asUser().requestJira), issueKeyOf(context), input.format, {
    conventions: await loadConventions(),
    signedRecords: kvsSignedRecordStore,
    now: () => new Date(),
  }),
);

export const readinessPanelResolver = resolver.getDefinitions();
