/**
 * Test-data builders. Each `build()` parses through the model's schema, so a test can never
 * run on data the app itself would reject.
 *
 *   aChangeControl('QMS-1').affecting({ supplierIds: ['SUP-1'] })
 *     .filingRequired({ applicationId: 'APP-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' }).build()
 */
import {
  ApplicationSchema,
  CommitmentSchema,
  emptyImpact,
  QmsRecordSchema,
  RegistrySchema,
  SubmissionSchema,
} from '../src/domain/model';
import type {
  Affected,
  Answer,
  Application,
  ApplicationDecision,
  ApplicationType,
  Commitment,
  CommitmentStatus,
  FilingCategory,
  ImpactStatus,
  IssueStatus,
  Product,
  ProductClass,
  QmsRecord,
  QmsRecordKind,
  RegulatoryImpact,
  Registry,
  ReviewerDecision,
  Signer,
  Site,
  Submission,
  SubmissionStatus,
  Supplier,
} from '../src/domain/model';

/** A fixed instant: tests never read the clock. */
export const AT = '2026-01-15T10:00:00.000Z';
export const REVIEWER: Signer = { accountId: 'acc-reviewer', displayName: 'Rita Reviewer' };
export const QUALITY_APPROVER = 'Quinn Quality';

const withoutDuplicates = <T>(items: readonly T[]): T[] => [...new Set(items)];

// ---------------------------------------------------------------- registry

const productClassOf = (type: ApplicationType): ProductClass => {
  if (type === 'BLA') return 'biologic';
  return ['510K', 'PMA', 'DE-NOVO', 'CE-MDR', 'CE-MDD'].includes(type) ? 'device' : 'drug';
};

export type ApplicationSpec = Partial<Omit<Application, 'id'>>;

/** An application with defaults (US NDA of PRD-1, approved, naming nothing). */
export const anApplication = (id: string, spec: ApplicationSpec = {}): Application =>
  ApplicationSchema.parse({
    productId: 'PRD-1',
    market: 'US',
    type: 'NDA',
    number: `N-${id}`,
    status: 'approved',
    siteIds: [],
    supplierIds: [],
    ...spec,
    id,
  });

export class RegistryBuilder {
  private readonly products: Product[] = [];
  private readonly sites: Site[] = [];
  private readonly suppliers: Supplier[] = [];
  private readonly applications: Application[] = [];

  withProduct(id: string, spec: Partial<Omit<Product, 'id'>> = {}): this {
    const product: Product = { name: `Product ${id}`, productClass: 'drug', ...spec, id };
    const index = this.products.findIndex((p) => p.id === id);
    if (index >= 0) this.products[index] = product;
    else this.products.push(product);
    return this;
  }

  withSite(id: string, spec: Partial<Omit<Site, 'id'>> = {}): this {
    if (!this.sites.some((s) => s.id === id)) this.sites.push({ name: `Site ${id}`, ...spec, id });
    return this;
  }

  withSupplier(id: string, spec: Partial<Omit<Supplier, 'id'>> = {}): this {
    if (!this.suppliers.some((s) => s.id === id)) this.suppliers.push({ name: `Supplier ${id}`, ...spec, id });
    return this;
  }

  /** Adds the application and any product, site or supplier it names that is not there yet. */
  withApplication(id: string, spec: ApplicationSpec = {}): this {
    const application = anApplication(id, spec);
    if (!this.products.some((p) => p.id === application.productId)) {
      this.withProduct(application.productId, { productClass: productClassOf(application.type) });
    }
    application.siteIds.forEach((siteId) => this.withSite(siteId));
    application.supplierIds.forEach((supplierId) => this.withSupplier(supplierId));
    this.applications.push(application);
    return this;
  }

  build(): Registry {
    return RegistrySchema.parse({
      products: this.products,
      sites: this.sites,
      suppliers: this.suppliers,
      applications: this.applications,
    });
  }
}

export const aRegistry = (): RegistryBuilder => new RegistryBuilder();

// ---------------------------------------------------------------- decisions

export type DecisionSpec = {
  applicationId: string;
  market?: string;
  /** Defaults to the decided category, or REVIEW-REQUIRED when undecided. */
  recommended?: FilingCategory;
  /** Leave out for an application the reviewer has not decided yet. */
  decided?: ReviewerDecision['category'];
  rationale?: string;
  by?: Signer;
  at?: string;
  submissionKey?: string;
};

export const aDecision = (spec: DecisionSpec): ApplicationDecision => {
  const recommended = spec.recommended ?? spec.decided ?? 'REVIEW-REQUIRED';
  return {
    applicationId: spec.applicationId,
    market: spec.market ?? 'US',
    recommended: { category: recommended, citations: ['test citation'], rationale: `recommended ${recommended}` },
    decided:
      spec.decided === undefined
        ? undefined
        : {
            category: spec.decided,
            rationale: spec.rationale ?? `decided ${spec.decided}`,
            by: spec.by ?? REVIEWER,
            at: spec.at ?? AT,
            meaning: 'approval',
          },
    submissionKey: spec.submissionKey,
  };
};

// ---------------------------------------------------------------- QMS records

export class QmsRecordBuilder {
  private summaryText: string;
  private issueStatus: IssueStatus = { name: 'Open', category: 'new' };
  private approval: QmsRecord['approval'];
  private closedAt: string | undefined;
  private createdAt: string | undefined;
  private readonly fields: Record<string, unknown> = {};
  private readonly impact: RegulatoryImpact = emptyImpact();

  constructor(
    private readonly kind: QmsRecordKind,
    private readonly key: string,
  ) {
    this.summaryText = `${kind} ${key}`;
  }

  summary(text: string): this {
    this.summaryText = text;
    return this;
  }

  status(name: string, category: IssueStatus['category']): this {
    this.issueStatus = { name, category };
    return this;
  }

  open(): this {
    return this.status('Open', 'new');
  }

  inProgress(name = 'In Progress'): this {
    return this.status(name, 'indeterminate');
  }

  closed(at = AT): this {
    this.closedAt = at;
    return this.status('Closed', 'done');
  }

  approved(by = QUALITY_APPROVER, at = AT): this {
    this.approval = { by, at };
    return this;
  }

  /** Closed with its quality approval recorded: complete evidence. */
  closedAndApproved(at = AT): this {
    return this.approved(QUALITY_APPROVER, at).closed(at);
  }

  created(at: string): this {
    this.createdAt = at;
    return this;
  }

  withField(name: string, value: unknown): this {
    this.fields[name] = value;
    return this;
  }

  withChange(code: string, answers?: Record<string, Answer>): this {
    this.impact.changes.push({ code, answers });
    return this;
  }

  /** Adds to what the record already names as affected. */
  affecting(affected: Partial<Affected>): this {
    const current = this.impact.affected;
    this.impact.affected = {
      productIds: withoutDuplicates([...current.productIds, ...(affected.productIds ?? [])]),
      siteIds: withoutDuplicates([...current.siteIds, ...(affected.siteIds ?? [])]),
      supplierIds: withoutDuplicates([...current.supplierIds, ...(affected.supplierIds ?? [])]),
      markets: withoutDuplicates([...current.markets, ...(affected.markets ?? [])]),
      applicationIds: withoutDuplicates([...current.applicationIds, ...(affected.applicationIds ?? [])]),
    };
    return this;
  }

  impactStatus(status: ImpactStatus): this {
    this.impact.status = status;
    return this;
  }

  inAssessment(): this {
    return this.impactStatus('in-assessment');
  }

  /** Adds decisions, and their applications and markets to `affected`, without changing the status. */
  withDecisions(...specs: DecisionSpec[]): this {
    const decisions = specs.map(aDecision);
    this.impact.decisions.push(...decisions);
    return this.affecting({
      applicationIds: decisions.map((d) => d.applicationId),
      markets: decisions.map((d) => d.market),
    });
  }

  filingRequired(...specs: DecisionSpec[]): this {
    return this.impactStatus('filing-required').withDecisions(...specs);
  }

  noFiling(...specs: DecisionSpec[]): this {
    return this.impactStatus('no-filing').withDecisions(...specs);
  }

  build(): QmsRecord {
    return QmsRecordSchema.parse({
      key: this.key,
      kind: this.kind,
      summary: this.summaryText,
      status: this.issueStatus,
      approval: this.approval,
      fields: this.fields,
      impact: this.impact,
      createdAt: this.createdAt,
      closedAt: this.closedAt,
    });
  }
}

export const aQmsRecord = (kind: QmsRecordKind, key = 'QMS-1'): QmsRecordBuilder => new QmsRecordBuilder(kind, key);
export const aChangeControl = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('change-control', key);
export const aCapa = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('capa', key);
export const aDeviation = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('deviation', key);
export const aComplaint = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('complaint', key);
export const aSupplierChange = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('supplier-change', key);
export const anAuditFinding = (key = 'QMS-1'): QmsRecordBuilder => aQmsRecord('audit-finding', key);

// ---------------------------------------------------------------- submissions

export class SubmissionBuilder {
  private applicationId = 'APP-1';
  private productId = 'PRD-1';
  private market = 'US';
  private filingCategory: FilingCategory = 'PAS';
  private submissionStatus: SubmissionStatus = 'planned';
  private readonly recordKeys: string[] = [];
  private submittedAt: string | undefined;
  private approvedAt: string | undefined;

  constructor(private readonly key: string) {}

  forApplication(applicationId: string, where: { productId?: string; market?: string } = {}): this {
    this.applicationId = applicationId;
    this.productId = where.productId ?? this.productId;
    this.market = where.market ?? this.market;
    return this;
  }

  category(category: FilingCategory): this {
    this.filingCategory = category;
    return this;
  }

  status(status: SubmissionStatus): this {
    this.submissionStatus = status;
    return this;
  }

  submitted(at = AT): this {
    this.submittedAt = at;
    return this.status('submitted');
  }

  approved(at = AT): this {
    this.submittedAt ??= at;
    this.approvedAt = at;
    return this.status('approved');
  }

  filingFor(...recordKeys: string[]): this {
    this.recordKeys.push(...recordKeys);
    return this;
  }

  build(): Submission {
    return SubmissionSchema.parse({
      key: this.key,
      applicationId: this.applicationId,
      productId: this.productId,
      market: this.market,
      category: this.filingCategory,
      status: this.submissionStatus,
      recordKeys: withoutDuplicates(this.recordKeys),
      submittedAt: this.submittedAt,
      approvedAt: this.approvedAt,
    });
  }
}

export const aSubmission = (key = 'RIM-1'): SubmissionBuilder => new SubmissionBuilder(key);

// ---------------------------------------------------------------- commitments

export class CommitmentBuilder {
  private title: string;
  private market = 'US';
  private applicationId: string | undefined;
  private submissionKey: string | undefined;
  private dueDate = '2026-06-30';
  private commitmentStatus: CommitmentStatus = 'open';
  private readonly implementedByKeys: string[] = [];

  constructor(private readonly key: string) {
    this.title = `Commitment ${key}`;
  }

  titled(title: string): this {
    this.title = title;
    return this;
  }

  forApplication(applicationId: string, market = this.market): this {
    this.applicationId = applicationId;
    this.market = market;
    return this;
  }

  inMarket(market: string): this {
    this.market = market;
    return this;
  }

  forSubmission(submissionKey: string): this {
    this.submissionKey = submissionKey;
    return this;
  }

  dueOn(date: string): this {
    this.dueDate = date;
    return this;
  }

  status(status: CommitmentStatus): this {
    this.commitmentStatus = status;
    return this;
  }

  fulfilled(): this {
    return this.status('fulfilled');
  }

  implementedBy(...recordKeys: string[]): this {
    this.implementedByKeys.push(...recordKeys);
    return this;
  }

  build(): Commitment {
    return CommitmentSchema.parse({
      key: this.key,
      title: this.title,
      market: this.market,
      applicationId: this.applicationId,
      submissionKey: this.submissionKey,
      dueDate: this.dueDate,
      status: this.commitmentStatus,
      implementedBy: withoutDuplicates(this.implementedByKeys),
    });
  }
}

export const aCommitment = (key = 'RIM-100'): CommitmentBuilder => new CommitmentBuilder(key);

// ---------------------------------------------------------------- audit trail

/** Input for `appendEntry`, with defaults for what a test does not care about. */
export const anAuditInput = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  at: AT,
  actor: REVIEWER,
  action: 'impact/decide',
  subject: 'QMS-1',
  payload: { applicationId: 'APP-1', category: 'PAS' },
  ...overrides,
});

/**
 * An audit key (src/domain/audit-chain.ts) made from a fixed byte, so two tests with the same
 * `fill` hash alike and a different `fill` is "another key". Covers the whole chain by default.
 */
export const anAuditKey = (
  fill = 7,
  overrides: Partial<{ since: number; anchorHash: string; createdAt: string }> = {},
) => ({
  secret: Buffer.alloc(32, fill).toString('base64'),
  since: 1,
  anchorHash: '0'.repeat(64),
  createdAt: AT,
  ...overrides,
});
