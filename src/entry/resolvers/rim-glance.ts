/**
 * The resolver behind the glance on RIM issues (manifest: rim-glance): a Submission's
 * readiness, a Commitment's state, a letter's response due date. Read as the viewer.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { kvsSignedRecordStore } from '../../adapters/kvs/signed-record-repository';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { loadRimGlance } from '../../services/load-rim-glance';
import { defineTyped } from './define';
import { issueKeyOf, todayOf } from './issue-context';

const resolver = new Resolver();

defineTyped(resolver, 'rim-glance/get', async (_input, context) =>
  loadRimGlance(createJiraHttp(asUser().requestJira), issueKeyOf(context), {
    conventions: await loadConventions(),
    signedRecords: kvsSignedRecordStore,
    today: todayOf(new Date()),
  }),
);

export const rimGlanceResolver = resolver.getDefinitions();
