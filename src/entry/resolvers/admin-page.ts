/**
 * The resolver behind the Jira admin page (manifest: admin-page): the registry (products,
 * sites, suppliers, applications) with CSV import and export, the catalog and rules version
 * in force, the site's Jira mapping, and the audit chain's verification.
 *
 * Who may see or change anything: Forge shows a `jira:adminPage` only to Jira administrators,
 * but a resolver can be invoked by anyone who can load the app's frame, so every key, reads
 * included (`defineAdmin`), checks twice: the call must come from the admin page module, and
 * Jira must say the person holds the global "Administer Jira" permission
 * (`GET /rest/api/3/mypermissions?permissions=ADMINISTER` as the user). Otherwise FORBIDDEN,
 * nothing is answered and nothing is written. The registry, the mapping, who may sign
 * and the audit trail's reads (status, verification, export: who did what is for Jira admins
 * only) all go through it. The settings are app bookkeeping, kept in Forge app storage (KVS), not in Jira.
 */
import { whoAmI } from '../../adapters/jira/myself';
import { asUser, getAppContext } from '@forge/api';
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { createJiraHttp } from '../../adapters/jira/jira-http';
import { isJiraAdmin } from '../../adapters/jira/site-configuration';
import {
  listAuditEntries,
  readLastAuditVerification,
  verifyAndRecordAuditTrail,
} from '../../adapters/kvs/audit-repository';
import { loadRegistry, saveRegistryAudited } from '../../adapters/kvs/registry-repository';
import { loadSiteMapping, saveSiteMapping } from '../../services/site-mapping';
import { MAX_AUDIT_EXPORT_BYTES, MAX_REPORTED_CSV_ERRORS } from '../../contract/admin-page';
import { auditEntriesToCsv, auditEntriesToJson, entriesInRange } from '../../domain/audit-export';
import { restoreMirror } from '../../services/impact-write';
import { listAlteredCopies } from '../../services/traceability-index';
import { kvsSignedRecordStore, listReferencedAuditSeqs } from '../../adapters/kvs/signed-record-repository';
import { loadSignerRulesView, saveSignerRulesAudited } from '../../services/signer-rules-admin';
import { loadConventions } from '../../adapters/kvs/conventions-repository';
import { listCredentials, resetCredential } from '../../services/signing';
import { signerOf } from './signer-context';
import { CATALOG, RULES_VERSION, catalogDigest } from '../../domain/catalog';
import type { Registry } from '../../domain/model';
import { parseRegistryCsv, registryToCsv } from '../../domain/registry-csv';
import { AppError } from '../../ports/app-error';
import { defineTyped } from './define';
import { defineIndexAdminResolvers } from './admin-index';
import type { ResolverContext, TypedHandler } from './define';
import type { ResolverKey } from '../../contract/resolvers';

/** Forge app storage holds values of at most 240 KiB (JSON text in UTF-8). */
const MAX_REGISTRY_BYTES = 240 * 1024;

const EMPTY_REGISTRY: Registry = { products: [], sites: [], suppliers: [], applications: [] };

const AdminPageContextSchema = z.looseObject({ extension: z.looseObject({ type: z.literal('jira:adminPage') }) });

/** Every admin key starts here; see the top of this file. */
const requireJiraAdmin = async (context: ResolverContext): Promise<void> => {
  if (!AdminPageContextSchema.safeParse(context).success) {
    throw new AppError(
      'FORBIDDEN',
      'The app’s settings can only be seen and changed on its Jira admin page, which only Jira administrators see. Nothing was changed.',
    );
  }
  if (!(await isJiraAdmin(createJiraHttp(asUser().requestJira)))) {
    throw new AppError(
      'FORBIDDEN',
      'Only Jira administrators may see or change the app’s settings, and Jira says you are not one. Nothing was changed.',
    );
  }
};

/** `defineTyped` for an admin key: the handler runs only for a Jira admin on the admin page. */
const defineAdmin = <K extends ResolverKey>(resolver: Resolver, key: K, handler: TypedHandler<K>): Resolver =>
  defineTyped(resolver, key, async (input, context) => {
    await requireJiraAdmin(context);
    return handler(input, context);
  });

const countsOf = (registry: Registry) => ({
  products: registry.products.length,
  sites: registry.sites.length,
  suppliers: registry.suppliers.length,
  applications: registry.applications.length,
});

const appVersion = (): { appVersion?: string } => {
  try {
    const version = getAppContext().appVersion;
    return typeof version === 'string' && version !== '' ? { appVersion: version } : {};
  } catch {
    return {};
  }
};

const resolver = new Resolver();

defineAdmin(resolver, 'admin/registry/get', async () => {
  const registry = await loadRegistry();
  return { stored: registry !== undefined, registry: registry ?? EMPTY_REGISTRY };
});

defineAdmin(resolver, 'admin/registry/import', async ({ csv }) => {
  const parsed = parseRegistryCsv(csv);
  if (!parsed.ok) {
    const count = parsed.errors.length;
    return {
      imported: false as const,
      message: `The file was not imported: ${count} ${count === 1 ? 'error' : 'errors'} (listed by line). Nothing was changed; fix the file and import it again.`,
      errorCount: count,
      errors: parsed.errors.slice(0, MAX_REPORTED_CSV_ERRORS),
    };
  }
  const bytes = Buffer.byteLength(JSON.stringify(parsed.registry), 'utf8');
  if (bytes > MAX_REGISTRY_BYTES) {
    throw new AppError(
      'INVALID_INPUT',
      `The registry in this file is too large to store (${Math.ceil(bytes / 1024)} KiB as stored; app storage holds at most 240 KiB). Nothing was changed.`,
    );
  }
  // One storage transaction replaces the whole registry and records it in the audit trail: a
  // failed write leaves the previous registry in place, and no entry.
  const { registry: saved } = await saveRegistryAudited(
    parsed.registry,
    await whoAmI(createJiraHttp(asUser().requestJira)),
    new Date(),
  );
  return { imported: countsOf(saved) };
});

defineAdmin(resolver, 'admin/registry/export', async () => {
  const registry = (await loadRegistry()) ?? EMPTY_REGISTRY;
  return {
    filename: 'qms-rim-registry.csv',
    mediaType: 'text/csv;charset=utf-8' as const,
    content: `\uFEFF${registryToCsv(registry)}`,
  };
});

defineAdmin(resolver, 'admin/catalog/get', async () => ({
  rulesVersion: RULES_VERSION,
  catalogDigest: catalogDigest(),
  codes: CATALOG.length,
  ...appVersion(),
}));

defineAdmin(resolver, 'admin/mapping/get', async () => loadSiteMapping(createJiraHttp(asUser().requestJira)));

defineAdmin(resolver, 'admin/mapping/save', async ({ conventions }) => {
  return saveSiteMapping(createJiraHttp(asUser().requestJira), conventions, new Date());
});

defineAdmin(resolver, 'admin/audit/verify', async () => {
  const [by, referenced, alteredCopies] = await Promise.all([
    whoAmI(createJiraHttp(asUser().requestJira)),
    listReferencedAuditSeqs(),
    listAlteredCopies(),
  ]);
  return verifyAndRecordAuditTrail({ trigger: 'admin', now: new Date(), by, referenced, alteredCopies });
});

defineAdmin(resolver, 'admin/audit/status', async () => {
  const last = await readLastAuditVerification();
  return last === undefined ? {} : { last };
});

defineAdmin(resolver, 'admin/audit/export', async ({ from, to, format }) => {
  const entries = entriesInRange(await listAuditEntries(), from, to);
  const content =
    format === 'csv'
      ? `\uFEFF${auditEntriesToCsv(entries)}`
      : auditEntriesToJson(entries, { from, to, exportedAt: new Date().toISOString() });
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_AUDIT_EXPORT_BYTES) {
    throw new AppError(
      'INVALID_INPUT',
      `The audit trail from ${from} to ${to} is too large for one file (${entries.length} entries, ${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${MAX_AUDIT_EXPORT_BYTES / 1024 / 1024} MB). Export a shorter range, in parts.`,
    );
  }
  return {
    filename: `qms-rim-audit-trail_${from}_${to}.${format}`,
    mediaType: format === 'csv' ? ('text/csv;charset=utf-8' as const) : ('application/json;charset=utf-8' as const),
    content,
    entries: entries.length,
  };
});

// An admin brings a record's Jira copy back to its signed record (as themselves, audited).
defineAdmin(resolver, 'admin/mirror/restore', async ({ issueKey }) =>
  restoreMirror(
    {
      jira: createJiraHttp(asUser().requestJira),
      conventions: await loadConventions(),
      signedRecords: kvsSignedRecordStore,
      now: () => new Date(),
    },
    issueKey,
  ),
);

// Who may sign regulatory decisions: the rules and the site's groups are not for everyone to browse.
defineAdmin(resolver, 'admin/signers/get', async () =>
  loadSignerRulesView(createJiraHttp(asUser().requestJira), await loadConventions()),
);
defineAdmin(resolver, 'admin/signers/save', async ({ rules }) =>
  saveSignerRulesAudited(createJiraHttp(asUser().requestJira), await loadConventions(), rules, new Date()),
);

defineIndexAdminResolvers(resolver, defineAdmin);

// Signing credentials: who is enrolled, pending, locked; an admin reset makes the person enrol again.
const signingDeps = { now: () => new Date() };
defineTyped(resolver, 'admin/signing/list', async (_input, context) => {
  await requireJiraAdmin(context);
  return listCredentials(signingDeps);
});
defineTyped(resolver, 'admin/signing/reset', async ({ accountId }, context) => {
  await requireJiraAdmin(context);
  return resetCredential(signingDeps, accountId, await signerOf(context, createJiraHttp(asUser().requestJira)));
});

export const adminPageResolver = resolver.getDefinitions();
