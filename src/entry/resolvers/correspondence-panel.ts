/**
 * The resolver behind the health-authority correspondence issue panel (manifest:
 * correspondence-panel). The letter comes from Forge's context; Jira is read and written as
 * the viewer, so Jira's permissions decide what is shown and whether a record may be linked.
 */
import { asApp, asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { linkRecordToCorrespondence, loadCorrespondencePanel } from '../../services/correspondence-panel';
import { defineTyped } from './define';
import { issueKeyOf, todayOf } from './issue-context';
import { signerOf } from './signer-context';

const resolver = new Resolver();

const options = async () => ({
  conventions: await loadConventions(),
  signedRecords: kvsSignedRecordStore,
  today: todayOf(new Date()),
});

defineTyped(resolver, 'correspondence/get', async (_input, context) =>
  loadCorrespondencePanel(createJiraHttp(asUser().requestJira), issueKeyOf(context), await options()),
);
defineTyped(resolver, 'correspondence/link-record', async (input, context) => {
  const jira = createJiraHttp(asUser().requestJira);
  return linkRecordToCorrespondence(jira, issueKeyOf(context), input, {
    ...(await options()),
    actor: () => signerOf(context, jira),
    appJira: createJiraHttp(asApp().requestJira),
    now: () => new Date(),
  });
});

export const correspondencePanelResolver = resolver.getDefinitions();
