/**
 * The resolver behind the five gate validators' configuration views (create, edit, view in
 * Jira's workflow editor; static/gate-config). It only reads: the markets the registry names
 * and the site's statuses as the admin sees them. Jira itself stores the configuration the
 * view hands it (`workflowRules.onConfigure`), so nothing here writes.
 */
import { asUser } from '@forge/api';
import Resolver from '@forge/resolver';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { fetchStatuses } from '../../adapters/jira/site-configuration';
import { loadRegistry } from '../../adapters/kvs/registry-repository';
import { defineTyped } from './define';

const resolver = new Resolver();

defineTyped(resolver, 'gate-config/options', async () => {
  const [registry, statuses] = await Promise.all([loadRegistry(), fetchStatuses(createJiraHttp(asUser().requestJira))]);
  const markets = [...new Set((registry?.applications ?? []).map((a) => a.market))].sort();
  return { markets, statuses };
});

export const gateConfigResolver = resolver.getDefinitions();
