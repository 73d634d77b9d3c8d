/**
 * What a registry import records in the audit trail: the registry's counts and SHA-256 digest
 * before and after (the digest identifies the exact content; an export taken at the time can be
 * checked against it), and which ids were added, removed or changed per kind. The registry
 * itself may be up to 240 KiB, as large as one stored value, so it is not copied into the entry:
 * each list keeps at most MAX_AUDITED_IDS ids (in id order) with its true total.
 */
import { z } from 'zod';
import { digestOf } from './canonical';
import { RegistryIdSchema } from './model';
import type { Registry } from './model';

/** 4 kinds × 3 lists × 40 ids of at most 64 characters: about 32 KiB at the very worst (test: registry-audit). */
export const MAX_AUDITED_IDS = 40;

const KINDS = ['products', 'sites', 'suppliers', 'applications'] as const;
type Kind = (typeof KINDS)[number];

const CountsSchema = z.strictObject({
  products: z.number().int().min(0),
  sites: z.number().int().min(0),
  suppliers: z.number().int().min(0),
  applications: z.number().int().min(0),
});
const IdListSchema = z.strictObject({
  total: z.number().int().min(0),
  ids: z.array(RegistryIdSchema).max(MAX_AUDITED_IDS),
});
const KindChangesSchema = z.strictObject({ added: IdListSchema, removed: IdListSchema, changed: IdListSchema });
const RegistryStateSchema = z.strictObject({ counts: CountsSchema, digest: z.string().regex(/^[0-9a-f]{64}$/) });

/** A stored registry the app could no longer read (it was altered in storage): only its digest. */
const UnreadableStateSchema = z.strictObject({
  unreadable: z.literal(true),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type UnreadableRegistry = z.infer<typeof UnreadableStateSchema>;

export const RegistryImportAuditSchema = z.strictObject({
  summary: z.string().min(1),
  before: z.union([RegistryStateSchema, UnreadableStateSchema]).nullable(),
  after: RegistryStateSchema.extend({
    changes: z.strictObject({
      products: KindChangesSchema,
      sites: KindChangesSchema,
      suppliers: KindChangesSchema,
      applications: KindChangesSchema,
    }),
  }),
});
export type RegistryImportAudit = z.infer<typeof RegistryImportAuditSchema>;
type IdList = z.infer<typeof IdListSchema>;
type KindChanges = z.infer<typeof KindChangesSchema>;

const countsOf = (registry: Registry): z.infer<typeof CountsSchema> => ({
  products: registry.products.length,
  sites: registry.sites.length,
  suppliers: registry.suppliers.length,
  applications: registry.applications.length,
});

const listOf = (ids: string[]): IdList => ({ total: ids.length, ids: [...ids].sort().slice(0, MAX_AUDITED_IDS) });

const changesOf = (before: readonly { id: string }[], after: readonly { id: string }[]): KindChanges => {
  const old = new Map(before.map((item) => [item.id, digestOf(item)]));
  const now = new Map(after.map((item) => [item.id, digestOf(item)]));
  return {
    added: listOf([...now.keys()].filter((id) => !old.has(id))),
    removed: listOf([...old.keys()].filter((id) => !now.has(id))),
    changed: listOf([...now].filter(([id, digest]) => old.has(id) && old.get(id) !== digest).map(([id]) => id)),
  };
};

const SINGULAR: Record<Kind, string> = {
  products: 'product',
  sites: 'site',
  suppliers: 'supplier',
  applications: 'application',
};
const counted = (n: number, kind: Kind): string => `${n} ${n === 1 ? SINGULAR[kind] : kind}`;

const isUnreadable = (value: Registry | UnreadableRegistry): value is UnreadableRegistry => 'unreadable' in value;

/**
 * The audit payload of replacing `before` with `after`: `before` is undefined when no registry
 * was stored, and only a digest when the stored one was no longer valid (every id then counts as added).
 */
export const registryImportAudit = (
  before: Registry | UnreadableRegistry | undefined,
  after: Registry,
): RegistryImportAudit => {
  const empty: Registry = { products: [], sites: [], suppliers: [], applications: [] };
  const old = before === undefined || isUnreadable(before) ? empty : before;
  const changes = {
    products: changesOf(old.products, after.products),
    sites: changesOf(old.sites, after.sites),
    suppliers: changesOf(old.suppliers, after.suppliers),
    applications: changesOf(old.applications, after.applications),
  };
  const counts = countsOf(after);
  const total = (list: 'added' | 'removed' | 'changed'): number =>
    KINDS.reduce((sum, kind) => sum + changes[kind][list].total, 0);
  return {
    summary: `Imported the registry (${KINDS.map((kind) => counted(counts[kind], kind)).join(', ')}): ${total('added')} added, ${total('removed')} removed, ${total('changed')} changed${before !== undefined && isUnreadable(before) ? ', replacing a stored registry that was no longer valid' : ''}`,
    before:
      before === undefined
        ? null
        : isUnreadable(before)
          ? before
          : { counts: countsOf(before), digest: digestOf(before) },
    after: { counts, digest: digestOf(after), changes },
  };
};
