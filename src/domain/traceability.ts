/**
 * The traceability graph product → QMS record → decision per application → submission →
 * commitment, with every gap flagged, and a flat row view of it for tables and CSV.
 */
import { z } from 'zod';
import { IN_HOUSE_CATEGORIES, needsPriorApproval } from './categories';
import { decidedCategoryOf, isImpactAssessed } from './gates';
import { alteredRecordMessage } from './record-integrity';
import {
  ApplicationTypeSchema,
  CommitmentStatusSchema,
  DateSchema,
  FilingCategorySchema,
  ImpactStatusSchema,
  InstantSchema,
  IssueKeySchema,
  IssueStatusSchema,
  MarketSchema,
  ProductClassSchema,
  QmsRecordKindSchema,
  RegistryIdSchema,
  SignerSchema,
  SignatureMeaningSchema,
  SignatureStateSchema,
  signatureStateIn,
  SubmissionStatusSchema,
} from './model';
import type { Application, ApplicationDecision, Commitment, Product, QmsRecord, Registry, Submission } from './model';

export const TraceabilityOptionsSchema = z.strictObject({
  /** More letter-to-file decisions than this on one application since its last clearance is a gap. */
  letterToFileThreshold: z.number().int().nonnegative(),
  /** Status names that mean the change is being implemented, besides those `isImplementing` derives. */
  implementStatusNames: z.array(z.string().min(1)).default([]),
});
export type TraceabilityOptions = z.infer<typeof TraceabilityOptionsSchema>;

export const TraceabilityFilterSchema = z
  .strictObject({
    productIds: z.array(RegistryIdSchema).optional(),
    markets: z.array(MarketSchema).optional(),
    kinds: z.array(QmsRecordKindSchema).optional(),
    /** Records created on or after this date. */
    from: DateSchema.optional(),
    /** Records created on or before this date. */
    to: DateSchema.optional(),
  })
  .refine((filter) => filter.from === undefined || filter.to === undefined || filter.from <= filter.to, {
    error: 'from must not be after to',
    path: ['from'],
  });
export type TraceabilityFilter = z.infer<typeof TraceabilityFilterSchema>;

export const TraceGapCodeSchema = z.enum([
  'RECORD_ALTERED',
  'ASSESSMENT_MISSING',
  'DECISION_MISSING',
  'APPLICATION_UNKNOWN',
  'SUBMISSION_MISSING',
  'EVIDENCE_OPEN',
  'PRIOR_APPROVAL_PENDING',
  'COMMITMENT_OVERDUE',
  'LETTER_TO_FILE_ACCUMULATION',
]);
export type TraceGapCode = z.infer<typeof TraceGapCodeSchema>;

export const TraceGapSchema = z.strictObject({
  code: TraceGapCodeSchema,
  message: z.string().min(1),
  /** The issues the gap concerns, the one to act on first. */
  issueKeys: z.array(IssueKeySchema).min(1),
  applicationId: RegistryIdSchema.optional(),
  market: MarketSchema.optional(),
});
export type TraceGap = z.infer<typeof TraceGapSchema>;

export const TraceCommitmentSchema = z.strictObject({
  key: IssueKeySchema,
  title: z.string(),
  market: MarketSchema,
  applicationId: RegistryIdSchema.optional(),
  dueDate: DateSchema,
  status: CommitmentStatusSchema,
  overdue: z.boolean(),
});
export type TraceCommitment = z.infer<typeof TraceCommitmentSchema>;

export const TraceSubmissionSchema = z.strictObject({
  key: IssueKeySchema,
  category: FilingCategorySchema,
  status: SubmissionStatusSchema,
  commitments: z.array(TraceCommitmentSchema),
});
export type TraceSubmission = z.infer<typeof TraceSubmissionSchema>;

export const TraceDecisionSchema = z.strictObject({
  applicationId: RegistryIdSchema,
  market: MarketSchema,
  applicationType: ApplicationTypeSchema,
  applicationNumber: z.string(),
  /** Absent when the application is affected but has no decision entry yet. */
  recommended: FilingCategorySchema.optional(),
  decided: FilingCategorySchema.optional(),
  decidedBy: SignerSchema.optional(),
  decidedAt: InstantSchema.optional(),
  /** 21 CFR 11.50: what the signature means, and whether it still binds what was signed. */
  meaning: SignatureMeaningSchema.optional(),
  signatureState: SignatureStateSchema.optional(),
  submissions: z.array(TraceSubmissionSchema),
  gapCodes: z.array(TraceGapCodeSchema),
});
export type TraceDecision = z.infer<typeof TraceDecisionSchema>;

export const TraceRecordSchema = z.strictObject({
  key: IssueKeySchema,
  kind: QmsRecordKindSchema,
  summary: z.string(),
  status: IssueStatusSchema,
  impactStatus: ImpactStatusSchema,
  implementing: z.boolean(),
  decisions: z.array(TraceDecisionSchema),
  /** Commitments this record implements. */
  implements: z.array(TraceCommitmentSchema),
  gapCodes: z.array(TraceGapCodeSchema),
});
export type TraceRecord = z.infer<typeof TraceRecordSchema>;

export const TraceProductSchema = z.strictObject({
  productId: RegistryIdSchema,
  name: z.string(),
  productClass: ProductClassSchema,
  records: z.array(TraceRecordSchema),
});
export type TraceProduct = z.infer<typeof TraceProductSchema>;

export const TraceabilityGraphSchema = z.strictObject({
  today: DateSchema,
  products: z.array(TraceProductSchema),
  /** Records that name no product yet (typically not assessed): they may concern any product. */
  unassignedRecords: z.array(TraceRecordSchema),
  gaps: z.array(TraceGapSchema),
});
export type TraceabilityGraph = z.infer<typeof TraceabilityGraphSchema>;

export type TraceabilityInput = {
  registry: Registry;
  records: readonly QmsRecord[];
  submissions: readonly Submission[];
  commitments: readonly Commitment[];
  /** `YYYY-MM-DD`: commitments due before it are overdue. */
  today: string;
  options: z.input<typeof TraceabilityOptionsSchema>;
  filter?: z.input<typeof TraceabilityFilterSchema>;
};

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const splitIssueKey = (key: string): [string, number] => {
  const dash = key.lastIndexOf('-');
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
};

/** Project first, then the number as a number: QMS-2 before QMS-10. */
export const compareIssueKeys = (a: string, b: string): number => {
  const [projectA, numberA] = splitIssueKey(a);
  const [projectB, numberB] = splitIssueKey(b);
  return byText(projectA, projectB) || numberA - numberB || byText(a, b);
};

/** Sorted as compareIssueKeys sorts, each key split once rather than at every comparison (the view sorts thousands). */
const sortByIssueKey = <T>(items: Iterable<T>, keyOf: (item: T) => string): T[] =>
  [...items]
    .map((item) => {
      const key = keyOf(item);
      const [project, number] = splitIssueKey(key);
      return { item, key, project, number };
    })
    .sort((a, b) => byText(a.project, b.project) || a.number - b.number || byText(a.key, b.key))
    .map(({ item }) => item);

const sortedKeys = (keys: Iterable<string>): string[] => sortByIssueKey(new Set(keys), (key) => key);
const sortedIds = (ids: readonly string[]): string[] => (ids.length <= 1 ? [...ids] : [...new Set(ids)].sort(byText));

const PRE_FILING_STATUSES: ReadonlySet<Submission['status']> = new Set(['planned', 'in-preparation', 'ready-to-file']);
const INACTIVE_STATUSES: ReadonlySet<Submission['status']> = new Set(['withdrawn', 'rejected']);

/**
 * The change is being (or has been) implemented once the record is closed, once its quality
 * approval is recorded while work is under way, or when its status is one the admin named as
 * an implement status (e.g. "Implementing", "Released").
 */
export const isImplementing = (record: QmsRecord, implementStatusNames: readonly string[] = []): boolean =>
  record.status.category === 'done' ||
  (record.status.category === 'indeterminate' && record.approval !== undefined) ||
  implementStatusNames.includes(record.status.name);

const isOpen = (record: QmsRecord): boolean => record.status.category !== 'done';
const isOverdue = (commitment: Commitment, today: string): boolean =>
  commitment.status === 'open' && commitment.dueDate < today;

type DecisionSlot = { applicationId: string; decision: ApplicationDecision | undefined };

/** Decision entries per application the record names, with a placeholder for an affected application not yet in `decisions`. */
const decisionSlots = (record: QmsRecord): DecisionSlot[] => {
  const { decisions, affected } = record.impact;
  if (decisions.length === 0 && affected.applicationIds.length === 0) return [];
  const slots: DecisionSlot[] = [];
  for (const applicationId of sortedIds([...affected.applicationIds, ...decisions.map((d) => d.applicationId)])) {
    let decided = false;
    for (const decision of decisions) {
      if (decision.applicationId !== applicationId) continue;
      slots.push({ applicationId, decision });
      decided = true;
    }
    if (!decided) slots.push({ applicationId, decision: undefined });
  }
  return slots;
};

const groupBy = <T>(items: readonly T[], keysOf: (item: T) => readonly (string | undefined)[]): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  const add = (key: string | undefined, item: T): void => {
    if (key === undefined) return;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  };
  for (const item of items) {
    const keys = keysOf(item);
    // One key (the usual case) needs no de-duplication.
    if (keys.length === 1) add(keys[0], item);
    else for (const key of new Set(keys)) add(key, item);
  }
  return groups;
};

type LinkedOf = (record: QmsRecord, slot: DecisionSlot) => Submission[];

/** The Submissions linked to one decision slot of a record: same application, named by the decision or linked to the record. */
type LinkedSubmissions = (
  record: QmsRecord,
  applicationId: string,
  decision: ApplicationDecision | undefined,
) => Submission[];

// Looked up rather than scanned: the view asks this for every decision of every record.
const linkedSubmissionsIn = (submissions: readonly Submission[]): LinkedSubmissions => {
  const byKey = groupBy(submissions, (s) => [s.key]);
  const byRecord = groupBy(submissions, (s) => s.recordKeys);
  return (record, applicationId, decision) => {
    const named = decision?.submissionKey === undefined ? undefined : byKey.get(decision.submissionKey);
    const linked = byRecord.get(record.key);
    // Most records have no Submission at all: no sets, no sorting.
    if (named === undefined && linked === undefined) return [];
    const candidates = new Set([...(named ?? []), ...(linked ?? [])]);
    return sortByIssueKey(
      [...candidates].filter((s) => s.applicationId === applicationId),
      (s) => s.key,
    );
  };
};

/** One product × record pair of the view (`product` undefined: a record that names no product yet). */
export interface TraceEntry {
  record: QmsRecord;
  product: Product | undefined;
}

export interface TraceEntryFacts {
  key: string;
  impactStatus: QmsRecord['impact']['status'];
  gapCodes: TraceGapCode[];
  /** The record, the Submissions and Commitments shown with it. */
  issueKeys: string[];
}

/** The view worked out once; each entry traced (`trace`) only when it is shown. */
export interface TraceAnalysis {
  today: string;
  products: readonly Product[];
  entries: readonly TraceEntry[];
  gaps: readonly TraceGap[];
  trace(entry: TraceEntry): TraceRecord;
  facts(entry: TraceEntry): TraceEntryFacts;
}

/** Works out the view and its gaps. Options, filter and `today` are parsed (a ZodError on bad input). */
export const analyzeTraceability = (input: TraceabilityInput): TraceAnalysis => {
  const today = DateSchema.parse(input.today);
  const options = TraceabilityOptionsSchema.parse(input.options);
  const filter = TraceabilityFilterSchema.parse(input.filter ?? {});
  const { registry, records, submissions, commitments } = input;

  const applications = new Map(registry.applications.map((a) => [a.id, a]));
  const productPasses = (productId: string | undefined): boolean =>
    filter.productIds === undefined || (productId !== undefined && filter.productIds.includes(productId));
  const marketPasses = (market: string | undefined): boolean =>
    filter.markets === undefined || (market !== undefined && filter.markets.includes(market));
  const applicationPasses = (application: Application): boolean =>
    productPasses(application.productId) && marketPasses(application.market);

  // Records without a creation date stay in view: hiding an unknown-dated record could hide a gap.
  const createdInRange = (record: QmsRecord): boolean => {
    const created = record.createdAt?.slice(0, 10);
    if (created === undefined) return true;
    return (filter.from === undefined || created >= filter.from) && (filter.to === undefined || created <= filter.to);
  };
  const recordFilterActive = filter.kinds !== undefined || filter.from !== undefined || filter.to !== undefined;
  const recordsInScope = sortByIssueKey(
    records.filter((r) => (filter.kinds === undefined || filter.kinds.includes(r.kind)) && createdInRange(r)),
    (r) => r.key,
  );
  const scopedKeys = new Set(recordsInScope.map((r) => r.key));
  // Each record's decision slots, and each slot's linked Submissions, are worked out once: the gaps and the matrix both ask.
  const linkedSubmissions = linkedSubmissionsIn(submissions);
  const recordsWithSubmissions = new Set(submissions.flatMap((s) => s.recordKeys));
  const submissionsLinkedTo = (recordKey: string): boolean => recordsWithSubmissions.has(recordKey);
  const slotCache = new Map<QmsRecord, DecisionSlot[]>();
  const slotsOf = (record: QmsRecord): DecisionSlot[] => {
    const cached = slotCache.get(record);
    if (cached) return cached;
    const slots = decisionSlots(record);
    slotCache.set(record, slots);
    return slots;
  };
  const linkedCache = new Map<DecisionSlot, Submission[]>();
  const linkedOf: LinkedOf = (record, slot) => {
    const cached = linkedCache.get(slot);
    if (cached) return cached;
    const linked = linkedSubmissions(record, slot.applicationId, slot.decision);
    linkedCache.set(slot, linked);
    return linked;
  };
  const submissionByKey = new Map<string, Submission>();
  for (const s of submissions) if (!submissionByKey.has(s.key)) submissionByKey.set(s.key, s);

  const productIdsOf = (record: QmsRecord): string[] => {
    const ids = [...record.impact.affected.productIds];
    for (const { applicationId } of slotsOf(record)) {
      const application = applications.get(applicationId);
      if (application) ids.push(application.productId);
    }
    return sortedIds(ids);
  };
  const marketsOf = (record: QmsRecord): string[] =>
    sortedIds([
      ...record.impact.affected.markets,
      ...record.impact.decisions.map((d) => d.market),
      ...record.impact.affected.applicationIds.flatMap((id) => {
        const application = applications.get(id);
        return application ? [application.market] : [];
      }),
    ]);
  // A record that names no market yet may concern any market, so a market filter keeps it.
  const recordMarketsPass = (record: QmsRecord): boolean => {
    if (filter.markets === undefined) return true;
    const markets = marketsOf(record);
    return markets.length === 0 || markets.some(marketPasses);
  };
  const productsInView = [...registry.products]
    .sort((a, b) => byText(a.id, b.id))
    .filter(
      (p) =>
        productPasses(p.id) &&
        (filter.markets === undefined ||
          registry.applications.some((a) => a.productId === p.id && marketPasses(a.market))),
    );
  const productIdsInView = new Set(productsInView.map((p) => p.id));
  // A record that names no product yet is shown unless the view is limited to products.
  const productIdsByRecord = new Map(recordsInScope.map((r) => [r, productIdsOf(r)] as const));
  const productIdsOfScoped = (record: QmsRecord): string[] => productIdsByRecord.get(record) ?? productIdsOf(record);
  const recordInView = (record: QmsRecord): boolean => {
    const productIds = productIdsOfScoped(record);
    const productsPass =
      productIds.length === 0 ? filter.productIds === undefined : productIds.some((id) => productIdsInView.has(id));
    return productsPass && recordMarketsPass(record);
  };
  const recordsInView = recordsInScope.filter(recordInView);

  // A loop rather than flatMap: this runs for every decision of every record in view.
  const gaps: TraceGap[] = [];
  for (const record of recordsInView) {
    // Jira's copy of the assessment no longer matches the signed record: the gates refuse the record.
    if (record.integrity?.state === 'altered')
      gaps.push({
        code: 'RECORD_ALTERED',
        message: alteredRecordMessage(record.key, record.integrity),
        issueKeys: [record.key],
      });
    gaps.push(
      ...gapsOfRecord(
        record,
        slotsOf,
        linkedOf,
        applications,
        applicationPasses,
        filter.productIds === undefined,
        marketPasses,
        options,
      ),
    );
  }
  gaps.push(
    ...evidenceOpenGaps(recordsInScope, submissions, (s) => productPasses(s.productId) && marketPasses(s.market)),
    ...overdueCommitmentGaps(commitments, today, (c) => {
      const submission = c.submissionKey === undefined ? undefined : submissionByKey.get(c.submissionKey);
      const productId = c.applicationId ? applications.get(c.applicationId)?.productId : submission?.productId;
      const related = [...c.implementedBy, ...(submission?.recordKeys ?? [])];
      return (
        productPasses(productId) &&
        marketPasses(c.market) &&
        (!recordFilterActive || related.some((key) => scopedKeys.has(key)))
      );
    }),
    // Counted over all records, whatever the kind or date filter: accumulation is a property of the device.
    ...letterToFileGaps(registry.applications.filter(applicationPasses), records, options.letterToFileThreshold),
  );
  sortGaps(gaps);

  const traceCommitment = (c: Commitment): TraceCommitment => ({
    key: c.key,
    title: c.title,
    market: c.market,
    applicationId: c.applicationId,
    dueDate: c.dueDate,
    status: c.status,
    overdue: isOverdue(c, today),
  });
  const tracedCommitments = sortByIssueKey(commitments, (c) => c.key).map((c) => ({
    commitment: c,
    traced: traceCommitment(c),
  }));
  const commitmentsBySubmission = groupBy(tracedCommitments, ({ commitment }) => [commitment.submissionKey]);
  const commitmentsByImplementer = groupBy(tracedCommitments, ({ commitment }) => commitment.implementedBy);
  const commitmentsIn = (
    groups: ReadonlyMap<string, ReadonlyArray<{ traced: TraceCommitment }>>,
    key: string,
  ): TraceCommitment[] => (groups.get(key) ?? []).map(({ traced }) => ({ ...traced }));

  const gapsByIssueKey = groupBy(gaps, (gap) => gap.issueKeys);
  const gapCodesConcerning = (keys: Iterable<string>, applicationId?: string): TraceGapCode[] => {
    let codes: Set<TraceGapCode> | undefined;
    for (const key of keys) {
      const concerning = gapsByIssueKey.get(key);
      if (concerning === undefined) continue;
      for (const gap of concerning)
        if (applicationId === undefined || gap.applicationId === undefined || gap.applicationId === applicationId)
          (codes ??= new Set()).add(gap.code);
    }
    return codes === undefined ? [] : GAP_ORDER.filter((code) => codes.has(code));
  };

  /** The decision slots of `record` shown under `productId`, with their application and linked Submissions. */
  const shownSlots = (record: QmsRecord, productId: string | undefined) => {
    const shown: Array<{ slot: DecisionSlot; application: Application; linked: Submission[] }> = [];
    for (const slot of slotsOf(record)) {
      const application = applications.get(slot.applicationId);
      if (
        application === undefined ||
        application.productId !== productId ||
        !marketPasses(slot.decision?.market ?? application.market)
      )
        continue;
      shown.push({ slot, application, linked: linkedOf(record, slot) });
    }
    return shown;
  };

  const traceRecord = (record: QmsRecord, productId: string | undefined): TraceRecord => {
    const decisions = shownSlots(record, productId).map(({ slot, application, linked }): TraceDecision => {
      const { applicationId, decision } = slot;
      const traced = linked.map((s): TraceSubmission => ({
        key: s.key,
        category: s.category,
        status: s.status,
        commitments: commitmentsIn(commitmentsBySubmission, s.key),
      }));
      const concerned = new Set([record.key, ...traced.flatMap((s) => [s.key, ...s.commitments.map((c) => c.key)])]);
      return {
        applicationId,
        market: decision?.market ?? application.market,
        applicationType: application.type,
        applicationNumber: application.number,
        recommended: decision?.recommended.category,
        decided: decision ? decidedCategoryOf(decision) : undefined,
        decidedBy: decision?.decided?.by,
        decidedAt: decision?.decided?.at,
        meaning: decision?.decided?.meaning,
        signatureState: decision ? signatureStateIn(record, decision) : undefined,
        submissions: traced,
        gapCodes: gapCodesConcerning(concerned, applicationId),
      };
    });
    return {
      key: record.key,
      kind: record.kind,
      summary: record.summary,
      status: record.status,
      impactStatus: record.impact.status,
      implementing: isImplementing(record, options.implementStatusNames),
      decisions,
      implements: commitmentsIn(commitmentsByImplementer, record.key),
      gapCodes: gapCodesConcerning([record.key]),
    };
  };

  /**
   * What narrowing and the summary need of a record under a product, without building its
   * TraceRecord: the gap codes `gapCodesOfRecord` would find on it, and the issues it shows.
   */
  const factsOf = (record: QmsRecord, productId: string | undefined): TraceEntryFacts => {
    const own = gapCodesConcerning([record.key]);
    const implemented = commitmentsByImplementer.get(record.key);
    const issueKeys =
      implemented === undefined ? [record.key] : [record.key, ...implemented.map(({ traced }) => traced.key)];
    let codes: Set<TraceGapCode> | undefined;
    for (const slot of slotsOf(record)) {
      // A decision with no Submission concerns only the record, whose own codes already hold
      // every gap about it: nothing to add (the usual case, so it is skipped before any lookup).
      if (slot.decision?.submissionKey === undefined && !submissionsLinkedTo(record.key)) continue;
      const application = applications.get(slot.applicationId);
      if (
        application === undefined ||
        application.productId !== productId ||
        !marketPasses(slot.decision?.market ?? application.market)
      )
        continue;
      const linked = linkedOf(record, slot);
      if (linked.length === 0) continue;
      const concerned = [record.key];
      for (const s of linked) {
        concerned.push(s.key);
        for (const { traced } of commitmentsBySubmission.get(s.key) ?? []) concerned.push(traced.key);
      }
      for (const code of gapCodesConcerning(concerned, slot.applicationId)) (codes ??= new Set(own)).add(code);
      for (let i = 1; i < concerned.length; i++) issueKeys.push(concerned[i] ?? '');
    }
    return {
      key: record.key,
      impactStatus: record.impact.status,
      gapCodes: codes === undefined ? own : GAP_ORDER.filter((code) => codes.has(code)),
      issueKeys,
    };
  };

  const recordsByProduct = groupBy(recordsInView, productIdsOfScoped);
  const entries: TraceEntry[] = [
    ...productsInView.flatMap((product) =>
      (recordsByProduct.get(product.id) ?? []).map((record) => ({ record, product })),
    ),
    ...recordsInView
      .filter((r) => productIdsOfScoped(r).length === 0)
      .map((record) => ({ record, product: undefined })),
  ];
  return {
    today,
    products: productsInView,
    entries,
    gaps,
    trace: ({ record, product }) => traceRecord(record, product?.id),
    facts: ({ record, product }) => factsOf(record, product?.id),
  };
};

/** The full graph of an analysis: every entry traced. */
export const traceAll = (analysis: TraceAnalysis): TraceabilityGraph =>
  graphOf(
    analysis,
    analysis.entries.map((entry) => ({ entry, record: analysis.trace(entry) })),
  );

/** Builds the graph and its gaps. Options, filter and `today` are parsed (a ZodError on bad input). */
export const buildTraceability = (input: TraceabilityInput): TraceabilityGraph => traceAll(analyzeTraceability(input));

/** A graph of traced entries, in the analysis's order: every product in view (with its records, maybe none), then the unassigned records. */
export const graphOf = (
  analysis: TraceAnalysis,
  traced: ReadonlyArray<{ entry: TraceEntry; record: TraceRecord }>,
  gaps: readonly TraceGap[] = analysis.gaps,
  options: { dropEmptyProducts?: boolean } = {},
): TraceabilityGraph => {
  const byProduct = groupBy(traced, ({ entry }) => [entry.product?.id]);
  const products = analysis.products
    .map((product): TraceProduct => ({
      productId: product.id,
      name: product.name,
      productClass: product.productClass,
      records: (byProduct.get(product.id) ?? []).map(({ record }) => record),
    }))
    .filter((p) => options.dropEmptyProducts !== true || p.records.length > 0);
  return {
    today: analysis.today,
    products,
    unassignedRecords: traced.filter(({ entry }) => entry.product === undefined).map(({ record }) => record),
    gaps: [...gaps],
  };
};

const gapsOfRecord = (
  record: QmsRecord,
  slotsOf: (record: QmsRecord) => DecisionSlot[],
  linkedOf: LinkedOf,
  applications: ReadonlyMap<string, Application>,
  applicationPasses: (application: Application) => boolean,
  unknownApplicationsInView: boolean,
  marketPasses: (market: string | undefined) => boolean,
  options: TraceabilityOptions,
): TraceGap[] => {
  if (!isImpactAssessed(record.impact)) {
    return [
      {
        code: 'ASSESSMENT_MISSING',
        message: `${record.key} (${record.kind}): the regulatory impact is "${record.impact.status}", not assessed`,
        issueKeys: [record.key],
      },
    ];
  }
  return slotsOf(record).flatMap((slot): TraceGap[] => {
    const { applicationId, decision } = slot;
    const application = applications.get(applicationId);
    const market = decision?.market ?? application?.market;
    const where = `${applicationId}${market ? ` (${market})` : ''}`;
    if (application === undefined) {
      return unknownApplicationsInView && marketPasses(market)
        ? [
            {
              code: 'APPLICATION_UNKNOWN',
              message: `${record.key} names application ${applicationId}, which is not in the registry`,
              issueKeys: [record.key],
              applicationId,
              market,
            },
          ]
        : [];
    }
    if (!applicationPasses(application) || !marketPasses(market)) return [];
    const category = decision ? decidedCategoryOf(decision) : undefined;
    if (category === undefined) {
      return [
        {
          code: 'DECISION_MISSING',
          message: `${record.key}: ${where} has no reviewer decision`,
          issueKeys: [record.key],
          applicationId,
          market,
        },
      ];
    }
    const linked = linkedOf(record, slot);
    const found: TraceGap[] = [];
    if (!IN_HOUSE_CATEGORIES.has(category) && !linked.some((s) => !INACTIVE_STATUSES.has(s.status))) {
      found.push({
        code: 'SUBMISSION_MISSING',
        message: `${record.key}: ${where} is decided ${category}, but no active Submission is linked`,
        issueKeys: [record.key],
        applicationId,
        market,
      });
    }
    if (
      needsPriorApproval(category) &&
      isImplementing(record, options.implementStatusNames) &&
      !linked.some((s) => s.status === 'approved')
    ) {
      found.push({
        code: 'PRIOR_APPROVAL_PENDING',
        message: `${record.key} is "${record.status.name}" (being implemented), but ${where} is decided ${category} and its Submission is not approved${linked.length > 0 ? ` (${linked.map((s) => `${s.key} ${s.status}`).join(', ')})` : ''}`,
        issueKeys: [record.key, ...linked.map((s) => s.key)],
        applicationId,
        market,
      });
    }
    return found;
  });
};

const evidenceOpenGaps = (
  records: readonly QmsRecord[],
  submissions: readonly Submission[],
  submissionInView: (s: Submission) => boolean,
): TraceGap[] => {
  // Looked up rather than scanned: a Submission's open records, linked to it or named by one of their decisions.
  const open = records.filter(isOpen);
  const openByKey = groupBy(open, (r) => [r.key]);
  const openNaming = groupBy(open, (r) => r.impact.decisions.map((d) => d.submissionKey));
  return submissions
    .filter((s) => PRE_FILING_STATUSES.has(s.status) && submissionInView(s))
    .flatMap((submission) =>
      sortByIssueKey(
        new Set([
          ...submission.recordKeys.flatMap((key) => openByKey.get(key) ?? []),
          ...(openNaming.get(submission.key) ?? []),
        ]),
        (r) => r.key,
      ).map((record): TraceGap => ({
        code: 'EVIDENCE_OPEN',
        message: `${submission.key} is ${submission.status} while its quality record ${record.key} is still "${record.status.name}"`,
        issueKeys: [submission.key, record.key],
        applicationId: submission.applicationId,
        market: submission.market,
      })),
    );
};

const overdueCommitmentGaps = (
  commitments: readonly Commitment[],
  today: string,
  inView: (c: Commitment) => boolean,
): TraceGap[] =>
  commitments
    .filter((c) => isOverdue(c, today) && inView(c))
    .map((c) => ({
      code: 'COMMITMENT_OVERDUE',
      message: `${c.key} ("${c.title}", ${c.market}) was due ${c.dueDate} and is still open`,
      issueKeys: [c.key],
      applicationId: c.applicationId,
      market: c.market,
    }));

/**
 * Several small changes since the last clearance can add up to a significant one
 * (filing-rules.md), so more than `threshold` letter-to-file decisions on one application
 * since its `lastClearanceDate` (inclusive) is a gap. The decision's date is its UTC date.
 */
const letterToFileGaps = (
  applications: readonly Application[],
  records: readonly QmsRecord[],
  threshold: number,
): TraceGap[] => {
  // One pass over the records, not one per application.
  const letterToFile = groupBy(
    records.flatMap((record) =>
      record.impact.decisions
        .filter((d) => decidedCategoryOf(d) === 'LETTER-TO-FILE')
        .map((decision) => ({ key: record.key, decision })),
    ),
    ({ decision }) => [decision.applicationId],
  );
  return applications.flatMap((application): TraceGap[] => {
    const since = application.lastClearanceDate;
    const keys = sortedKeys(
      (letterToFile.get(application.id) ?? [])
        .filter(({ decision }) => since === undefined || (decision.decided?.at.slice(0, 10) ?? '') >= since)
        .map(({ key }) => key),
    );
    if (keys.length <= threshold) return [];
    return [
      {
        code: 'LETTER_TO_FILE_ACCUMULATION',
        message: `${application.id} (${application.type} ${application.number}, ${application.market}) has ${keys.length} letter-to-file decisions ${since ? `since its last clearance on ${since}` : 'and no recorded clearance date'}, more than the threshold of ${threshold} (${keys.join(', ')}): assess whether together they need a new filing`,
        issueKeys: keys,
        applicationId: application.id,
        market: application.market,
      },
    ];
  });
};

const GAP_ORDER: readonly TraceGapCode[] = TraceGapCodeSchema.options;

/**
 * Gaps in the order the page lists them: by kind, then by the first issue (project, then
 * number), application and issues. Each gap's sort key is worked out once, not at every
 * comparison (a large view sorts thousands).
 */
const sortGaps = (gaps: TraceGap[]): void => {
  const keyed = gaps.map((gap) => {
    const [project, number] = splitIssueKey(gap.issueKeys[0] ?? '');
    return {
      gap,
      order: GAP_ORDER.indexOf(gap.code),
      first: gap.issueKeys[0] ?? '',
      project,
      number,
      applicationId: gap.applicationId ?? '',
      keys: gap.issueKeys.join(','),
    };
  });
  keyed.sort(
    (a, b) =>
      a.order - b.order ||
      byText(a.project, b.project) ||
      a.number - b.number ||
      byText(a.first, b.first) ||
      byText(a.applicationId, b.applicationId) ||
      byText(a.keys, b.keys),
  );
  keyed.forEach(({ gap }, i) => {
    gaps[i] = gap;
  });
};

export const TraceRowSchema = z.strictObject({
  productId: RegistryIdSchema.optional(),
  productName: z.string().optional(),
  recordKey: IssueKeySchema,
  recordKind: QmsRecordKindSchema,
  recordSummary: z.string(),
  recordStatus: z.string(),
  impactStatus: ImpactStatusSchema,
  applicationId: RegistryIdSchema.optional(),
  market: MarketSchema.optional(),
  recommendedCategory: FilingCategorySchema.optional(),
  decidedCategory: FilingCategorySchema.optional(),
  decidedBy: z.string().optional(),
  decidedAt: InstantSchema.optional(),
  meaning: SignatureMeaningSchema.optional(),
  signatureState: SignatureStateSchema.optional(),
  submissionKeys: z.array(IssueKeySchema),
  commitmentKeys: z.array(IssueKeySchema),
  gapCodes: z.array(TraceGapCodeSchema),
});
export type TraceRow = z.infer<typeof TraceRowSchema>;

const rowsOf = (record: TraceRecord, product: TraceProduct | undefined): TraceRow[] => {
  const base = {
    productId: product?.productId,
    productName: product?.name,
    recordKey: record.key,
    recordKind: record.kind,
    recordSummary: record.summary,
    recordStatus: record.status.name,
    impactStatus: record.impactStatus,
  };
  if (record.decisions.length === 0)
    return [{ ...base, submissionKeys: [], commitmentKeys: [], gapCodes: record.gapCodes }];
  return record.decisions.map((decision) => ({
    ...base,
    applicationId: decision.applicationId,
    market: decision.market,
    recommendedCategory: decision.recommended,
    decidedCategory: decision.decided,
    decidedBy: decision.decidedBy?.displayName,
    decidedAt: decision.decidedAt,
    meaning: decision.meaning,
    signatureState: decision.signatureState,
    submissionKeys: decision.submissions.map((s) => s.key),
    commitmentKeys: sortedKeys([
      ...decision.submissions.flatMap((s) => s.commitments.map((c) => c.key)),
      ...record.implements
        .filter(
          (c) =>
            c.applicationId === decision.applicationId ||
            (c.applicationId === undefined && c.market === decision.market),
        )
        .map((c) => c.key),
    ]),
    gapCodes: decision.gapCodes,
  }));
};

/** One row per product × record × application decision (one row for a record without decisions), in graph order. */
export const traceabilityRows = (graph: TraceabilityGraph): TraceRow[] => [
  ...graph.products.flatMap((product) => product.records.flatMap((record) => rowsOf(record, product))),
  ...graph.unassignedRecords.flatMap((record) => rowsOf(record, undefined)),
];
