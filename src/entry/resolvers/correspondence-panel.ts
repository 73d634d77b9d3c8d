/**
 * The resolver behind the health-authority correspondence issue panel (manifest:
 * correspondence-panel). The letter comes from Forge's context; Jira is read and written as
 * the viewer, so Jira's permissions decide what is shown and whether a record may be linked.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { DEFAULT_JIRA_CONVENTIONS } from '../../config/jira-conventions';
import { linkRecordToCorrespondence, loadCorrespondencePanel } from '../../services/correspondence-panel';
import { defineTyped } from './define';
import { issueKeyOf, todayOf } from './issue-context';

const resolver = new Resolver();

const options = () => ({ conventions: DEFAULT_JIRA_CONVENTIONS, today: todayOf(new Date()) });

defineTyped(resolver, 'correspondence/get', async (_input, context) => loadCorrespondencePanel(createJiraHttp(asUser().requestJira), issueKeyOf(context), options()));
defineTyped(resolver, 'correspondence/link-record', async (input, context) => linkRecordToCorrespondence(createJiraHttp(asUser().requestJira), issueKeyOf(context), input, options()));

export const correspondencePanelResolver = resolver.getDefinitions();
