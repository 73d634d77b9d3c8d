/**
 * The resolver behind the "Submission readiness" issue panel (manifest: readiness-panel).
 * The Submission comes from Forge's server-side context, never from the payload, and Jira
 * is read as the viewer: the panel and the evidence packet show only what Jira lets that
 * person see.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { IssueKeySchema } from '../../domain/model';
import { AppError } from '../../ports/app-error';
import { exportEvidencePacket, loadReadinessPanel } from '../../services/load-readiness-panel';
import type { ResolverContext } from './define';
import { defineTyped } from './define';

const IssuePanelContextSchema = z.looseObject({
  extension: z.looseObject({ issue: z.looseObject({ key: IssueKeySchema }) }),
});

const issueKeyOf = (context: ResolverContext): string => {
  const parsed = IssuePanelContextSchema.safeParse(context);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', 'This panel can only be shown on a Jira issue, and Forge did not say which issue it is on. Reload the issue page.');
  }
  return parsed.data.extension.issue.key;
};

const resolver = new Resolver();

defineTyped(resolver, 'readiness/get', async (_input, context) =>
  loadReadinessPanel(createJiraHttp(asUser().requestJira), issueKeyOf(context), { conventions: await loadConventions() }),
);

defineTyped(resolver, 'readiness/export', async (input, context) =>
  exportEvidencePacket(createJiraHttp(asUser().requestJira), issueKeyOf(context), input.format, { conventions: await loadConventions(), now: () => new Date() }),
);

export const readinessPanelResolver = resolver.getDefinitions();
