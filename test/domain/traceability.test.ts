import { ZodError } from 'zod';
import {
  buildTraceability,
  compareIssueKeys,
  isImplementing,
  TraceabilityGraphSchema,
  traceabilityRows,
  TraceRowSchema,
} from '../../src/domain/traceability';
import type { TraceabilityInput, TraceGap } from '../../src/domain/traceability';
import type { Commitment, QmsRecord, Submission } from '../../src/domain/model';
import { aCapa, aChangeControl, aCommitment, aComplaint, aRegistry, aSubmission } from '../builders';

const TODAY = '2026-03-01';

/** A tablet sold in the US and EU, and a 510(k) pump last cleared on 2025-06-01. */
const registry = () =>
  aRegistry()
    .withProduct('PRD-TAB', { name: 'Tablet', productClass: 'drug' })
    .withApplication('APP-TAB-US', { productId: 'PRD-TAB', market: 'US', type: 'NDA' })
    .withApplication('APP-TAB-EU', { productId: 'PRD-TAB', market: 'EU', type: 'MAA' })
    .withApplication('APP-PUMP-US', {
      productId: 'PRD-PUMP',
      market: 'US',
      type: '510K',
      lastClearanceDate: '2025-06-01',
    })
    .build();

/** A complete chain: a closed change filed PAS in the US (approved) and EU-IB in the EU (submitted), with a commitment not yet due. */
const cleanRecord = () =>
  aChangeControl('QMS-1')
    .withChange('formulation')
    .affecting({ productIds: ['PRD-TAB'] })
    .filingRequired(
      { applicationId: 'APP-TAB-US', market: 'US', decided: 'PAS', submissionKey: 'RIM-1' },
      { applicationId: 'APP-TAB-EU', market: 'EU', decided: 'EU-IB', submissionKey: 'RIM-2' },
    )
    .closedAndApproved()
    .created('2026-01-05T08:00:00.000Z')
    .build();
const cleanSubmissions = () => [
  aSubmission('RIM-1')
    .forApplication('APP-TAB-US', { productId: 'PRD-TAB', market: 'US' })
    .category('PAS')
    .filingFor('QMS-1')
    .approved()
    .build(),
  aSubmission('RIM-2')
    .forApplication('APP-TAB-EU', { productId: 'PRD-TAB', market: 'EU' })
    .category('EU-IB')
    .filingFor('QMS-1')
    .submitted()
    .build(),
];
const cleanCommitments = () => [
  aCommitment('RIM-100')
    .forApplication('APP-TAB-US', 'US')
    .forSubmission('RIM-1')
    .dueOn('2026-12-31')
    .implementedBy('QMS-1')
    .build(),
];

type Extra = { records?: QmsRecord[]; submissions?: Submission[]; commitments?: Commitment[] };

const input = (extra: Extra = {}, rest: Partial<TraceabilityInput> = {}): TraceabilityInput => ({
  registry: registry(),
  records: [cleanRecord(), ...(extra.records ?? [])],
  submissions: [...cleanSubmissions(), ...(extra.submissions ?? [])],
  commitments: [...cleanCommitments(), ...(extra.commitments ?? [])],
  today: TODAY,
  options: { letterToFileThreshold: 2 },
  ...rest,
});

const gapsOf = (extra: Extra = {}, rest: Partial<TraceabilityInput> = {}): TraceGap[] =>
  buildTraceability(input(extra, rest)).gaps;
const gapSummary = (gaps: readonly TraceGap[]) => gaps.map((g) => [g.code, g.issueKeys, g.applicationId]);

/** A letter-to-file decision on the pump, decided on the given date. */
const letterToFile = (key: string, date: string) =>
  aChangeControl(key)
    .withChange('component')
    .affecting({ productIds: ['PRD-PUMP'] })
    .noFiling({ applicationId: 'APP-PUMP-US', decided: 'LETTER-TO-FILE', at: `${date}T12:00:00.000Z` })
    .closedAndApproved()
    .build();

describe('buildTraceability: the graph', () => {
  it('links product → record → decision per application → submission → commitment', () => {
    const graph = buildTraceability(input());
    const tablet = graph.products.find((p) => p.productId === 'PRD-TAB');
    expect(tablet?.records.map((r) => r.key)).toEqual(['QMS-1']);
    const [eu, us] = tablet?.records[0]?.decisions ?? [];
    expect(us).toMatchObject({ applicationId: 'APP-TAB-US', market: 'US', applicationType: 'NDA', decided: 'PAS' });
    expect(us?.submissions.map((s) => [s.key, s.status, s.commitments.map((c) => c.key)])).toEqual([
      ['RIM-1', 'approved', ['RIM-100']],
    ]);
    expect(eu).toMatchObject({ applicationId: 'APP-TAB-EU', market: 'EU', decided: 'EU-IB' });
    expect(tablet?.records[0]?.implements.map((c) => c.key)).toEqual(['RIM-100']);
  });

  it('flags no gap on a clean chain', () => {
    const graph = buildTraceability(input());
    expect(graph.gaps).toEqual([]);
    expect(traceabilityRows(graph).flatMap((row) => row.gapCodes)).toEqual([]);
  });

  it('lists every product, in id order, even one without records', () => {
    expect(buildTraceability(input()).products.map((p) => [p.productId, p.records.length])).toEqual([
      ['PRD-PUMP', 0],
      ['PRD-TAB', 1],
    ]);
  });

  it('does not depend on the order of its input', () => {
    const extra = {
      records: [
        aCapa('QMS-10').inAssessment().build(),
        aCapa('QMS-2').inAssessment().build(),
        letterToFile('QMS-3', '2025-07-01'),
      ],
    };
    const forward = input(extra);
    const backward = {
      ...forward,
      records: [...forward.records].reverse(),
      submissions: [...forward.submissions].reverse(),
    };
    expect(buildTraceability(backward)).toEqual(buildTraceability(forward));
    expect(buildTraceability(forward).unassignedRecords.map((r) => r.key)).toEqual(['QMS-2', 'QMS-10']);
  });

  it('returns a value its schema accepts', () => {
    const graph = buildTraceability(input({ records: [aCapa('QMS-2').build()] }));
    expect(() => TraceabilityGraphSchema.parse(graph)).not.toThrow();
    for (const row of traceabilityRows(graph)) expect(() => TraceRowSchema.parse(row)).not.toThrow();
  });
});

describe('buildTraceability: gaps', () => {
  it('flags a missing assessment', () => {
    const record = aComplaint('QMS-2')
      .affecting({ productIds: ['PRD-TAB'] })
      .inAssessment()
      .build();
    expect(gapsOf({ records: [record] })).toEqual([
      {
        code: 'ASSESSMENT_MISSING',
        message: 'QMS-2 (complaint): the regulatory impact is "in-assessment", not assessed',
        issueKeys: ['QMS-2'],
      },
    ]);
  });

  it('flags an affected application without a reviewer decision', () => {
    const record = aChangeControl('QMS-2')
      .filingRequired({ applicationId: 'APP-TAB-US', recommended: 'REVIEW-REQUIRED' })
      .build();
    expect(gapSummary(gapsOf({ records: [record] }))).toEqual([['DECISION_MISSING', ['QMS-2'], 'APP-TAB-US']]);
  });

  it('flags a filing decision without a linked submission, naming application and market', () => {
    const record = aChangeControl('QMS-2')
      .filingRequired({ applicationId: 'APP-TAB-EU', market: 'EU', decided: 'EU-II' })
      .build();
    expect(gapsOf({ records: [record] })).toEqual([
      {
        code: 'SUBMISSION_MISSING',
        message: 'QMS-2: APP-TAB-EU (EU) is decided EU-II, but no active Submission is linked',
        issueKeys: ['QMS-2'],
        applicationId: 'APP-TAB-EU',
        market: 'EU',
      },
    ]);
  });

  it('counts a withdrawn submission as missing, and a submission linked only from the RIM side as present', () => {
    const withdrawn = aChangeControl('QMS-2')
      .filingRequired({ applicationId: 'APP-TAB-US', decided: 'CBE-30', submissionKey: 'RIM-3' })
      .build();
    const rimSideOnly = aChangeControl('QMS-4')
      .filingRequired({ applicationId: 'APP-TAB-US', decided: 'CBE-30' })
      .build();
    const submissions = [
      aSubmission('RIM-3')
        .forApplication('APP-TAB-US', { productId: 'PRD-TAB' })
        .category('CBE-30')
        .status('withdrawn')
        .build(),
      aSubmission('RIM-4')
        .forApplication('APP-TAB-US', { productId: 'PRD-TAB' })
        .category('CBE-30')
        .filingFor('QMS-4')
        .submitted()
        .build(),
    ];
    expect(gapSummary(gapsOf({ records: [withdrawn, rimSideOnly], submissions }))).toEqual([
      ['SUBMISSION_MISSING', ['QMS-2'], 'APP-TAB-US'],
    ]);
  });

  it('needs no submission for NONE or LETTER-TO-FILE', () => {
    const record = aChangeControl('QMS-2')
      .noFiling(
        { applicationId: 'APP-TAB-US', decided: 'NONE' },
        { applicationId: 'APP-PUMP-US', decided: 'LETTER-TO-FILE' },
      )
      .build();
    expect(gapsOf({ records: [record] })).toEqual([]);
  });

  it('flags a submission being prepared while a linked record is still open', () => {
    const record = aChangeControl('QMS-2')
      .inProgress()
      .filingRequired({ applicationId: 'APP-TAB-US', decided: 'CBE-30', submissionKey: 'RIM-3' })
      .build();
    const preparing = aSubmission('RIM-3')
      .forApplication('APP-TAB-US', { productId: 'PRD-TAB' })
      .category('CBE-30')
      .status('in-preparation')
      .build();
    expect(gapsOf({ records: [record], submissions: [preparing] })).toEqual([
      {
        code: 'EVIDENCE_OPEN',
        message: 'RIM-3 is in-preparation while its quality record QMS-2 is still "In Progress"',
        issueKeys: ['RIM-3', 'QMS-2'],
        applicationId: 'APP-TAB-US',
        market: 'US',
      },
    ]);
    const submitted = aSubmission('RIM-3')
      .forApplication('APP-TAB-US', { productId: 'PRD-TAB' })
      .category('CBE-30')
      .submitted()
      .build();
    expect(gapsOf({ records: [record], submissions: [submitted] })).toEqual([]);
  });

  describe('prior approval pending while the change is implemented', () => {
    const pasPending = (record: ReturnType<typeof aChangeControl>) =>
      record.filingRequired({ applicationId: 'APP-TAB-US', decided: 'PAS', submissionKey: 'RIM-3' }).build();
    const submitted = () => [
      aSubmission('RIM-3')
        .forApplication('APP-TAB-US', { productId: 'PRD-TAB' })
        .category('PAS')
        .filingFor('QMS-2')
        .submitted()
        .build(),
    ];

    it('flags a closed record whose PAS is not approved, naming the submission and its status', () => {
      const gaps = gapsOf({
        records: [pasPending(aChangeControl('QMS-2').closedAndApproved())],
        submissions: submitted(),
      });
      expect(gaps).toEqual([
        {
          code: 'PRIOR_APPROVAL_PENDING',
          message:
            'QMS-2 is "Closed" (being implemented), but APP-TAB-US (US) is decided PAS and its Submission is not approved (RIM-3 submitted)',
          issueKeys: ['QMS-2', 'RIM-3'],
          applicationId: 'APP-TAB-US',
          market: 'US',
        },
      ]);
    });

    it('flags a record in progress past its quality approval', () => {
      const record = pasPending(aChangeControl('QMS-2').inProgress('Implementing').approved());
      expect(gapSummary(gapsOf({ records: [record], submissions: submitted() }))).toEqual([
        ['PRIOR_APPROVAL_PENDING', ['QMS-2', 'RIM-3'], 'APP-TAB-US'],
      ]);
      expect(isImplementing(record)).toBe(true);
    });

    it('does not flag a record in progress before its quality approval, unless its status is a configured implement status', () => {
      const record = pasPending(aChangeControl('QMS-2').inProgress('Released'));
      expect(gapsOf({ records: [record], submissions: submitted() })).toEqual([]);
      const options = { letterToFileThreshold: 2, implementStatusNames: ['Released'] };
      expect(gapSummary(gapsOf({ records: [record], submissions: submitted() }, { options }))).toEqual([
        ['PRIOR_APPROVAL_PENDING', ['QMS-2', 'RIM-3'], 'APP-TAB-US'],
      ]);
    });
  });

  it('flags an open commitment due before today, not one due today or already fulfilled', () => {
    const commitments = [
      aCommitment('RIM-101')
        .titled('Submit stability data')
        .forApplication('APP-TAB-US', 'US')
        .dueOn('2026-02-28')
        .build(),
      aCommitment('RIM-102').forApplication('APP-TAB-US', 'US').dueOn(TODAY).build(),
      aCommitment('RIM-103').forApplication('APP-TAB-US', 'US').dueOn('2026-01-01').fulfilled().build(),
    ];
    expect(gapsOf({ commitments })).toEqual([
      {
        code: 'COMMITMENT_OVERDUE',
        message: 'RIM-101 ("Submit stability data", US) was due 2026-02-28 and is still open',
        issueKeys: ['RIM-101'],
        applicationId: 'APP-TAB-US',
        market: 'US',
      },
    ]);
  });

  describe('letter-to-file accumulation since the last clearance', () => {
    it('flags nothing at the threshold', () => {
      expect(gapsOf({ records: [letterToFile('QMS-2', '2025-07-01'), letterToFile('QMS-3', '2025-08-01')] })).toEqual(
        [],
      );
    });

    it('flags one decision past the threshold, naming the application and every record', () => {
      const records = [
        letterToFile('QMS-2', '2025-07-01'),
        letterToFile('QMS-3', '2025-08-01'),
        letterToFile('QMS-10', '2026-01-01'),
      ];
      expect(gapsOf({ records })).toEqual([
        {
          code: 'LETTER_TO_FILE_ACCUMULATION',
          message:
            'APP-PUMP-US (510K N-APP-PUMP-US, US) has 3 letter-to-file decisions since its last clearance on 2025-06-01, more than the threshold of 2 (QMS-2, QMS-3, QMS-10): assess whether together they need a new filing',
          issueKeys: ['QMS-2', 'QMS-3', 'QMS-10'],
          applicationId: 'APP-PUMP-US',
          market: 'US',
        },
      ]);
    });

    it('counts from the clearance day on, not before it', () => {
      const beforeClearance = [
        letterToFile('QMS-2', '2025-05-31'),
        letterToFile('QMS-3', '2025-08-01'),
        letterToFile('QMS-4', '2025-09-01'),
      ];
      expect(gapsOf({ records: beforeClearance })).toEqual([]);
      const onClearanceDay = [
        letterToFile('QMS-2', '2025-06-01'),
        letterToFile('QMS-3', '2025-08-01'),
        letterToFile('QMS-4', '2025-09-01'),
      ];
      expect(gapSummary(gapsOf({ records: onClearanceDay }))).toEqual([
        ['LETTER_TO_FILE_ACCUMULATION', ['QMS-2', 'QMS-3', 'QMS-4'], 'APP-PUMP-US'],
      ]);
    });

    it('follows the configured threshold', () => {
      const records = [letterToFile('QMS-2', '2025-07-01')];
      expect(gapsOf({ records }, { options: { letterToFileThreshold: 0 } }).map((g) => g.code)).toEqual([
        'LETTER_TO_FILE_ACCUMULATION',
      ]);
      expect(gapsOf({ records }, { options: { letterToFileThreshold: 1 } })).toEqual([]);
    });
  });

  it('flags a decision on an application the registry does not know', () => {
    const record = aChangeControl('QMS-2')
      .filingRequired({ applicationId: 'APP-GONE', decided: 'CBE-30', submissionKey: 'RIM-3' })
      .build();
    expect(gapSummary(gapsOf({ records: [record] }))).toEqual([['APPLICATION_UNKNOWN', ['QMS-2'], 'APP-GONE']]);
  });

  it('orders gaps by kind, then by issue key', () => {
    const records = [
      aCapa('QMS-10').inAssessment().build(),
      aCapa('QMS-9').build(),
      aChangeControl('QMS-3').filingRequired({ applicationId: 'APP-TAB-US', decided: 'CBE-0' }).build(),
    ];
    const commitments = [aCommitment('RIM-101').dueOn('2026-01-01').build()];
    expect(gapsOf({ records, commitments }).map((g) => [g.code, g.issueKeys[0]])).toEqual([
      ['ASSESSMENT_MISSING', 'QMS-9'],
      ['ASSESSMENT_MISSING', 'QMS-10'],
      ['SUBMISSION_MISSING', 'QMS-3'],
      ['COMMITMENT_OVERDUE', 'RIM-101'],
    ]);
  });
});

describe('buildTraceability: filters', () => {
  const mixed = (): Extra => ({
    records: [
      aCapa('QMS-2')
        .affecting({ productIds: ['PRD-TAB'] })
        .inAssessment()
        .created('2026-02-10T08:00:00.000Z')
        .build(),
      letterToFile('QMS-3', '2025-07-01'),
      aComplaint('QMS-4').build(),
    ],
    commitments: [
      aCommitment('RIM-101').forApplication('APP-PUMP-US', 'US').dueOn('2026-01-01').implementedBy('QMS-3').build(),
    ],
  });

  it('keeps only the given products', () => {
    const graph = buildTraceability(input(mixed(), { filter: { productIds: ['PRD-PUMP'] } }));
    expect(graph.products.map((p) => [p.productId, p.records.map((r) => r.key)])).toEqual([['PRD-PUMP', ['QMS-3']]]);
    expect(graph.unassignedRecords).toEqual([]);
    expect(graph.gaps.map((g) => g.code)).toEqual(['COMMITMENT_OVERDUE']);
  });

  it('keeps only the given markets, down to the decisions', () => {
    const graph = buildTraceability(input(mixed(), { filter: { markets: ['EU'] } }));
    expect(graph.products.map((p) => p.productId)).toEqual(['PRD-TAB']);
    expect(graph.products[0]?.records.map((r) => [r.key, r.decisions.map((d) => d.applicationId)])).toEqual([
      ['QMS-1', ['APP-TAB-EU']],
      ['QMS-2', []],
    ]);
    expect(graph.gaps.map((g) => [g.code, g.issueKeys[0]])).toEqual([
      ['ASSESSMENT_MISSING', 'QMS-2'],
      ['ASSESSMENT_MISSING', 'QMS-4'],
    ]);
  });

  it('keeps only the given record kinds, and commitments implemented by them', () => {
    const graph = buildTraceability(input(mixed(), { filter: { kinds: ['capa', 'complaint'] } }));
    expect(graph.products.flatMap((p) => p.records.map((r) => r.key))).toEqual(['QMS-2']);
    expect(graph.unassignedRecords.map((r) => r.key)).toEqual(['QMS-4']);
    expect(graph.gaps.map((g) => g.code)).toEqual(['ASSESSMENT_MISSING', 'ASSESSMENT_MISSING']);
  });

  it('keeps records created in the date range, and those without a creation date', () => {
    const graph = buildTraceability(input(mixed(), { filter: { from: '2026-02-01', to: '2026-02-28' } }));
    expect(graph.products.flatMap((p) => p.records.map((r) => r.key))).toEqual(['QMS-3', 'QMS-2']);
    expect(graph.products.find((p) => p.productId === 'PRD-TAB')?.records.map((r) => r.key)).toEqual(['QMS-2']);
  });

  it('rejects a bad filter, date or option with a ZodError', () => {
    expect(() => buildTraceability(input({}, { filter: { from: '2026-03-01', to: '2026-02-01' } }))).toThrow(
      /from must not be after to/,
    );
    expect(() => buildTraceability(input({}, { today: '01/03/2026' }))).toThrow(ZodError);
    expect(() => buildTraceability(input({}, { options: { letterToFileThreshold: -1 } }))).toThrow(ZodError);
  });
});

describe('traceabilityRows', () => {
  it('has one row per product × record × application decision, with submission, commitment and gap codes', () => {
    const overdue = aCommitment('RIM-101')
      .forApplication('APP-TAB-US', 'US')
      .forSubmission('RIM-1')
      .dueOn('2026-01-01')
      .build();
    const rows = traceabilityRows(
      buildTraceability(input({ records: [aComplaint('QMS-4').build()], commitments: [overdue] })),
    );
    expect(
      rows.map((r) => [
        r.productId,
        r.recordKey,
        r.applicationId,
        r.decidedCategory,
        r.submissionKeys,
        r.commitmentKeys,
        r.gapCodes,
      ]),
    ).toEqual([
      ['PRD-TAB', 'QMS-1', 'APP-TAB-EU', 'EU-IB', ['RIM-2'], [], []],
      ['PRD-TAB', 'QMS-1', 'APP-TAB-US', 'PAS', ['RIM-1'], ['RIM-100', 'RIM-101'], ['COMMITMENT_OVERDUE']],
      [undefined, 'QMS-4', undefined, undefined, [], [], ['ASSESSMENT_MISSING']],
    ]);
  });
});

describe('compareIssueKeys', () => {
  it('orders by project, then by number', () => {
    expect(['RIM-2', 'QMS-10', 'QMS-9', 'AB-100'].sort(compareIssueKeys)).toEqual([
      'AB-100',
      'QMS-9',
      'QMS-10',
      'RIM-2',
    ]);
  });
});
