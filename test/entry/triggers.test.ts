/**
 * The triggers, run as Forge would run them: real REST writes to the Jira stand-in emit
 * `avi:jira:*` events, the sandbox app host delivers them to the app's real trigger
 * handlers (src/index.ts through the sandbox runtime), and every Jira request the handlers
 * send is held to Atlassian's OpenAPI spec.
 */
import { recordSignedImpact } from '../../sandbox/signed-seed';
import { createSandboxApp, loadManifest } from '../../sandbox/app-host';
import type { HostedManifest, JiraExchange, SandboxApp, SandboxAppOptions } from '../../sandbox/app-host';
import { SITE_ACCOUNTS, SUBMISSION_TRANSITIONS, createSteppingClock, seedQmsRimSite } from '../../sandbox/jira';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  IMPACT_PROPERTY_KEY,
  OVERDUE_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../src/config/jira-conventions';
import type { RegulatoryImpact } from '../../src/domain/model';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import { createContractObserver } from '../support/contract-observer';
import { filingRequiredPas, reviewer } from './impact-fixtures';

const contract = createContractObserver();
const TRIGGER = 'keep-linked-issues-consistent';
const SCHEDULED = 'flag-overdue-commitments';

let app: SandboxApp;
let exchanges: JiraExchange[];

/** These tests are about keep-linked-issues-consistent: the app's other triggers (the traceability index) are left out. */
const withOnlyThisTrigger = (manifest: HostedManifest): HostedManifest => ({
  ...manifest,
  modules: { ...manifest.modules, trigger: (manifest.modules['trigger'] ?? []).filter((m) => m.key === TRIGGER) },
});

const start = (options: Partial<SandboxAppOptions> = {}) => {
  exchanges = [];
  app = createSandboxApp({
    now: createSteppingClock('2026-11-24T08:00:00.000Z', 1000),
    observeJira: (exchange) => {
      exchanges.push(exchange);
      contract.observe(exchange);
    },
    ...options,
    manifest: withOnlyThisTrigger(options.manifest ?? loadManifest()),
  });
  seedQmsRimSite(app.jira);
};

/** Writes the app sent to Jira (every request through the runtime is the app's here). */
const appWrites = () => exchanges.filter((e) => e.method !== 'GET' && !/\/(bulkfetch|search\/jql)(\?|$)/.test(e.path));

const asUser = (accountId: string, method: string, path: string, body?: unknown) =>
  app.jira.handle({ method, path, body, as: { kind: 'user', accountId } });

const property = async (key: string, propertyKey: string): Promise<unknown> => {
  const answer = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${key}/properties/${propertyKey}`,
    as: { kind: 'app' },
  });
  return answer.status === 200 ? (JSON.parse(JSON.stringify(answer.body)) as { value: unknown }).value : undefined;
};

const links = async (
  key: string,
): Promise<Array<{ type: { name: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } }>> => {
  const answer = await app.jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${key}?fields=issuelinks`,
    as: { kind: 'app' },
  });
  return (JSON.parse(JSON.stringify(answer.body)) as { fields: { issuelinks: [] } }).fields.issuelinks;
};

const submissionProperty = (category: string) => ({
  applicationId: 'APP-NDA-CARDIOLOL',
  productId: 'PRD-CARDIOLOL',
  market: 'US',
  category,
});

const decidedAs = (category: 'PAS' | 'CBE-30' | 'CBE-0'): RegulatoryImpact => ({
  ...filingRequiredPas,
  decisions: filingRequiredPas.decisions.map((d) => ({
    ...d,
    decided: {
      category,
      rationale: 'Re-assessed after the validation data came in.',
      by: reviewer,
      at: '2026-11-23T09:00:00.000Z',
      meaning: 'approval' as const,
    },
  })),
  version: filingRequiredPas.version + 1,
});

afterEach(async () => {
  await app.close();
  expect(app.jira.eventDeliveryFailures()).toEqual([]);
  expect(contract.violations()).toEqual([]);
  contract.reset();
  jest.restoreAllMocks();
});

/** A reviewer's re-decision as the app records it: the signed record in app storage, then Jira's copy, written as the reviewer. */
const decideInApp = async (impact: RegulatoryImpact) => {
  recordSignedImpact(app.runtime.kvs, 'QMS-1', impact, new Date().toISOString());
  return asUser(
    SITE_ACCOUNTS.regulatory,
    'PUT',
    `/rest/api/3/issue/QMS-1/properties/${IMPACT_PROPERTY_KEY}`,
    toImpactFieldValue(impact),
  );
};

describe('a changed decision on a QMS record → the linked Submission shows the decided category', () => {
  const seed = () => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'PAS: granulation',
      status: 'In Preparation',
      properties: { [SUBMISSION_PROPERTY_KEY]: submissionProperty('PAS') },
    });
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Granulation',
      status: 'Under Review',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
  };

  it('updates the category after the reviewer re-decides, writing once and not triggering itself again', async () => {
    start();
    seed();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('PAS'));
    const answer = await decideInApp(decidedAs('CBE-30'));
    expect(answer.status).toBe(200);
    await app.jira.whenEventsDelivered();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('CBE-30'));
    expect(appWrites().map((e) => `${e.method} ${e.path}`)).toEqual([
      `PUT /rest/api/3/issue/RIM-1/properties/${SUBMISSION_PROPERTY_KEY}`,
    ]);
    expect(contract.exchanges()).toBeGreaterThan(0);
  });

  it('changes nothing when the category already agrees or no category is decided yet', async () => {
    start();
    seed();
    await decideInApp(decidedAs('PAS'));
    const undecided: RegulatoryImpact = {
      ...filingRequiredPas,
      status: 'in-assessment',
      decisions: filingRequiredPas.decisions.map(({ decided: _decided, ...d }) => d),
      version: filingRequiredPas.version + 2,
    };
    await decideInApp(undecided);
    await app.jira.whenEventsDelivered();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('PAS'));
    expect(appWrites()).toEqual([]);
  });

  it('guards against its own events in code too: without the manifest filter, the app write is delivered back and ignored', async () => {
    const manifest = loadManifest();
    const triggers = (manifest.modules['trigger'] ?? []).map((m) => ({ ...m, filter: undefined }));
    start({ manifest: { ...manifest, modules: { ...manifest.modules, trigger: triggers } } });
    seed();
    const invoked = jest.spyOn(app.runtime, 'invokeFunction');
    await decideInApp(decidedAs('CBE-0'));
    await app.jira.whenEventsDelivered();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('CBE-0'));
    // The person's write and the app's own write were both delivered; only the first did anything.
    expect(invoked).toHaveBeenCalledTimes(2);
    const outcomes = await Promise.all(invoked.mock.results.map((r) => r.value as Promise<unknown>));
    expect(outcomes).toEqual([
      { outcome: 'done', action: 'sync-submission-categories', updated: ['RIM-1'] },
      { outcome: 'ignored', reason: 'caused by the app itself' },
    ]);
    expect(appWrites()).toHaveLength(1);
  });

  it('propagates nothing from a decision written into Jira outside the app (a forged copy)', async () => {
    start();
    seed();
    // Rita may edit QMS-1, so Jira lets her write the property; the app never recorded this decision.
    const answer = await asUser(
      SITE_ACCOUNTS.regulatory,
      'PUT',
      `/rest/api/3/issue/QMS-1/properties/${IMPACT_PROPERTY_KEY}`,
      decidedAs('CBE-30'),
    );
    expect(answer.status).toBe(200);
    await app.jira.whenEventsDelivered();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('PAS'));
    expect(appWrites()).toEqual([]);
  });

  it('with the manifest filter, the app write is not delivered at all', async () => {
    start();
    seed();
    const invoked = jest.spyOn(app.runtime, 'invokeFunction');
    await decideInApp(decidedAs('CBE-0'));
    await app.jira.whenEventsDelivered();
    expect(invoked).toHaveBeenCalledTimes(1);
    expect(appWrites()).toHaveLength(1);
  });
});

/** The approvals the trigger recorded for a record: app storage, never the record's properties (they name RIM issues). */
const approvalsOf = (key: string): unknown =>
  app.runtime.kvs.snapshot().keyValues.find((e) => e.key === `approvals:${key}`)?.value;
const seedApprovals = (key: string, value: unknown): void => {
  expect(
    app.runtime.kvs.handle({
      method: 'POST',
      path: '/api/v1/set',
      body: JSON.stringify({ key: `approvals:${key}`, value }),
    }).status,
  ).toBeLessThan(300);
};
/** Nothing about approvals is written to the quality record in Jira, where people who may not browse RIM could read it. */
const noApprovalsInJira = (key: string): void =>
  expect(app.jira.readIssue(key)?.properties['qmsrim.approvals']).toBeUndefined();

describe('a Submission approved → the linked QMS records show the approval for its market', () => {
  it('records the approval for every linked record after the "Record approval" transition', async () => {
    start();
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'PAS',
      status: 'Submitted',
      properties: { [SUBMISSION_PROPERTY_KEY]: submissionProperty('PAS') },
    });
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Granulation',
      status: 'Approved',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'CAPA',
      key: 'QMS-2',
      summary: 'Granulation CAPA',
      status: 'Approved',
    });
    seedApprovals('QMS-2', { EU: { submissionKey: 'RIM-9', approvedAt: '2026-01-01T00:00:00.000Z' } });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-2', to: 'RIM-1' });
    expect(approvalsOf('QMS-1')).toBeUndefined();

    const answer = await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issue/RIM-1/transitions', {
      transition: { id: SUBMISSION_TRANSITIONS.recordApproval },
    });
    expect(answer.status).toBe(204);
    await app.jira.whenEventsDelivered();

    const us = { submissionKey: 'RIM-1', approvedAt: expect.stringMatching(/^2026-11-24T/) };
    expect(approvalsOf('QMS-1')).toEqual({ US: us });
    expect(approvalsOf('QMS-2')).toEqual({
      EU: { submissionKey: 'RIM-9', approvedAt: '2026-01-01T00:00:00.000Z' },
      US: us,
    });
    expect(appWrites()).toEqual([]);
    noApprovalsInJira('QMS-1');
  });

  it('does nothing on a transition that is not an approval', async () => {
    start();
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'PAS',
      status: 'Ready to File',
      properties: { [SUBMISSION_PROPERTY_KEY]: submissionProperty('PAS') },
    });
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Granulation',
      status: 'Approved',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issue/RIM-1/transitions', {
      transition: { id: SUBMISSION_TRANSITIONS.submit },
    });
    await app.jira.whenEventsDelivered();
    expect(approvalsOf('QMS-1')).toBeUndefined();
    expect(exchanges).toEqual([]);
  });
});

describe('a Commitment created from a QMS record → the record links back to it', () => {
  it('creates the "Commitment" link once (record implements Commitment)', async () => {
    start();
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Granulation',
      status: 'Approved',
      properties: { [IMPACT_PROPERTY_KEY]: filingRequiredPas },
    });
    const commitment = { market: 'US', applicationId: 'APP-NDA-CARDIOLOL', dueDate: '2027-03-31', recordKey: 'QMS-1' };
    const created = await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'RIM' }, issuetype: { name: 'Commitment' }, summary: 'Submit 12-month stability data' },
      properties: [{ key: COMMITMENT_PROPERTY_KEY, value: commitment }],
    });
    expect(created.status).toBe(201);
    const key = (JSON.parse(JSON.stringify(created.body)) as { key: string }).key;
    await app.jira.whenEventsDelivered();

    expect(await links('QMS-1')).toEqual([
      expect.objectContaining({
        type: expect.objectContaining({ name: 'Commitment' }),
        outwardIssue: expect.objectContaining({ key }),
      }),
    ]);
    // Setting the property again (an edit) finds the link and creates no second one.
    await asUser(
      SITE_ACCOUNTS.regulatory,
      'PUT',
      `/rest/api/3/issue/${key}/properties/${COMMITMENT_PROPERTY_KEY}`,
      commitment,
    );
    await app.jira.whenEventsDelivered();
    expect(await links('QMS-1')).toHaveLength(1);
    expect(appWrites().map((e) => `${e.method} ${e.path}`)).toEqual(['POST /rest/api/3/issueLink']);
  });

  it('links nothing for a Commitment that names no record', async () => {
    start();
    await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'RIM' }, issuetype: { name: 'Commitment' }, summary: 'Annual report' },
      properties: [{ key: COMMITMENT_PROPERTY_KEY, value: { market: 'US', dueDate: '2027-03-31' } }],
    });
    await app.jira.whenEventsDelivered();
    expect(appWrites()).toEqual([]);
  });
});

describe('issue-link events: a Submission linked or unlinked by hand', () => {
  const linkFiling = (as: string, from: string, to: string) =>
    asUser(as, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Regulatory filing' },
      inwardIssue: { key: from },
      outwardIssue: { key: to },
    });
  const linkIdBetween = async (from: string, to: string): Promise<string> => {
    const answer = await app.jira.handle({
      method: 'GET',
      path: `/rest/api/3/issue/${from}?fields=issuelinks`,
      as: { kind: 'app' },
    });
    const parsed = JSON.parse(JSON.stringify(answer.body)) as {
      fields: { issuelinks: Array<{ id: string; outwardIssue?: { key: string } }> };
    };
    const id = parsed.fields.issuelinks.find((l) => l.outwardIssue?.key === to)?.id;
    if (id === undefined) throw new Error(`no link ${from} → ${to}`);
    return id;
  };
  const seedPair = (submissionStatus: string, decided: 'PAS' | 'CBE-30' = 'CBE-30') => {
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-1',
      summary: 'Submission',
      status: submissionStatus,
      properties: { [SUBMISSION_PROPERTY_KEY]: submissionProperty('PAS') },
    });
    app.jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      key: 'QMS-1',
      summary: 'Granulation',
      status: 'Approved',
      properties: { [IMPACT_PROPERTY_KEY]: decidedAs(decided) },
    });
  };

  it('checks the category of a Submission linked by hand, in at most 3 Jira calls, writing only the category that differs', async () => {
    start();
    seedPair('In Preparation', 'CBE-30');
    expect((await linkFiling(SITE_ACCOUNTS.regulatory, 'QMS-1', 'RIM-1')).status).toBe(201);
    await app.jira.whenEventsDelivered();
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('CBE-30'));
    expect(exchanges.length).toBeLessThanOrEqual(3);
    expect(appWrites().map((e) => `${e.method} ${e.path}`)).toEqual([
      `PUT /rest/api/3/issue/RIM-1/properties/${SUBMISSION_PROPERTY_KEY}`,
    ]);
  });

  it('writes nothing when the linked Submission already shows the decided category (one call)', async () => {
    start();
    seedPair('In Preparation', 'PAS');
    await linkFiling(SITE_ACCOUNTS.regulatory, 'QMS-1', 'RIM-1');
    await app.jira.whenEventsDelivered();
    expect(exchanges).toHaveLength(1);
    expect(appWrites()).toEqual([]);
  });

  it('records the approval of an already approved Submission on the record linked to it', async () => {
    start();
    seedPair('Submitted', 'PAS');
    await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issue/RIM-1/transitions', {
      transition: { id: SUBMISSION_TRANSITIONS.recordApproval },
    });
    await app.jira.whenEventsDelivered();
    exchanges.length = 0;
    await linkFiling(SITE_ACCOUNTS.regulatory, 'QMS-1', 'RIM-1');
    await app.jira.whenEventsDelivered();
    expect(approvalsOf('QMS-1')).toEqual({
      US: { submissionKey: 'RIM-1', approvedAt: expect.stringMatching(/^2026-11-24T/) },
    });
    expect(exchanges.length).toBeLessThanOrEqual(3);
    expect(appWrites()).toEqual([]);
    noApprovalsInJira('QMS-1');
  });

  it('an unlinked Submission no longer counts: its approval leaves the record, other markets stay, in at most 2 calls', async () => {
    start();
    seedPair('HA Approved', 'PAS');
    const eu = { submissionKey: 'RIM-9', approvedAt: '2026-01-01T00:00:00.000Z' };
    seedApprovals('QMS-1', { US: { submissionKey: 'RIM-1', approvedAt: '2026-11-01T00:00:00.000Z' }, EU: eu });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    await app.jira.whenEventsDelivered();
    exchanges.length = 0;

    expect(
      (
        await asUser(
          SITE_ACCOUNTS.regulatory,
          'DELETE',
          `/rest/api/3/issueLink/${await linkIdBetween('QMS-1', 'RIM-1')}`,
        )
      ).status,
    ).toBe(204);
    await app.jira.whenEventsDelivered();
    expect(approvalsOf('QMS-1')).toEqual({ EU: eu });
    expect(exchanges.length).toBeLessThanOrEqual(2);
    expect(appWrites()).toEqual([]);
  });

  it('removes the record’s approvals when the unlinked Submission gave its only approval, and changes nothing when it gave none', async () => {
    start();
    seedPair('HA Approved', 'PAS');
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Submission',
      key: 'RIM-2',
      summary: 'Other',
      status: 'Planned',
      properties: { [SUBMISSION_PROPERTY_KEY]: submissionProperty('PAS') },
    });
    seedApprovals('QMS-1', { US: { submissionKey: 'RIM-1', approvedAt: '2026-11-01T00:00:00.000Z' } });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    app.jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-2' });
    await app.jira.whenEventsDelivered();

    exchanges.length = 0;
    await asUser(SITE_ACCOUNTS.regulatory, 'DELETE', `/rest/api/3/issueLink/${await linkIdBetween('QMS-1', 'RIM-2')}`);
    await app.jira.whenEventsDelivered();
    expect(approvalsOf('QMS-1')).toEqual({ US: { submissionKey: 'RIM-1', approvedAt: '2026-11-01T00:00:00.000Z' } });

    await asUser(SITE_ACCOUNTS.regulatory, 'DELETE', `/rest/api/3/issueLink/${await linkIdBetween('QMS-1', 'RIM-1')}`);
    await app.jira.whenEventsDelivered();
    expect(approvalsOf('QMS-1')).toBeUndefined();
    expect(appWrites()).toEqual([]);
  });

  it('ignores links of other types without a single Jira call', async () => {
    start();
    seedPair('In Preparation', 'CBE-30');
    await asUser(SITE_ACCOUNTS.regulatory, 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Relates' },
      inwardIssue: { key: 'QMS-1' },
      outwardIssue: { key: 'RIM-1' },
    });
    await app.jira.whenEventsDelivered();
    expect(exchanges).toEqual([]);
    expect(await property('RIM-1', SUBMISSION_PROPERTY_KEY)).toEqual(submissionProperty('PAS'));
  });

  it('is not delivered a link the app made itself: the manifest filter keys on who caused it, as link payloads name no actor', async () => {
    start();
    seedPair('In Preparation', 'CBE-30');
    const invoked = jest.spyOn(app.runtime, 'invokeFunction');
    await app.jira.handle({
      method: 'POST',
      path: '/rest/api/3/issueLink',
      body: { type: { name: 'Regulatory filing' }, inwardIssue: { key: 'QMS-1' }, outwardIssue: { key: 'RIM-1' } },
      as: { kind: 'app' },
    });
    await app.jira.whenEventsDelivered();
    expect(invoked).not.toHaveBeenCalled();
  });

  it('parses the documented link payload and refuses one without issue ids, calling Jira not at all', async () => {
    start();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(
      app.invokeFunction(TRIGGER, {
        eventType: 'avi:jira:created:issuelink',
        id: '1',
        issueLinkType: { id: '10000', name: 'Regulatory filing' },
      }),
    ).resolves.toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('malformed event') });
    expect(warn).toHaveBeenCalled();
    await expect(
      app.invokeFunction(TRIGGER, {
        eventType: 'avi:jira:deleted:issuelink',
        id: '1',
        sourceIssueId: '10001',
        destinationIssueId: '10002',
        sourceProjectId: '1',
        destinationProjectId: '2',
        issueLinkType: { id: '10002', name: 'Relates' },
      }),
    ).resolves.toEqual({ outcome: 'ignored', reason: 'nothing to keep consistent' });
    expect(exchanges).toEqual([]);
  });
});

describe('malformed or foreign events', () => {
  it.each([
    ['null', null],
    ['a string', 'avi:jira:updated:issue'],
    ['an unknown event type', { eventType: 'avi:jira:exploded:issue', issue: { key: 'QMS-1' } }],
    ['a bad issue key', { eventType: 'avi:jira:updated:issue', issue: { key: '../../etc' } }],
    ['a property event without a key', { eventType: 'avi:jira:set:issue-property', issue: { key: 'QMS-1' } }],
  ])('ignores %s with a log line and no Jira call', async (_what, event) => {
    start();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(app.invokeFunction(TRIGGER, event)).resolves.toMatchObject({
      outcome: 'ignored',
      reason: expect.stringContaining('malformed event'),
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('malformed event'));
    expect(exchanges).toEqual([]);
  });

  it('ignores an event the app caused, by selfGenerated or by the app account', async () => {
    start();
    const event = {
      eventType: 'avi:jira:set:issue-property',
      issue: { key: 'QMS-1' },
      propertyKey: IMPACT_PROPERTY_KEY,
      atlassianId: app.jira.appAccountId,
      selfGenerated: true,
    };
    await expect(app.invokeFunction(TRIGGER, event)).resolves.toEqual({
      outcome: 'ignored',
      reason: 'caused by the app itself',
    });
    expect(exchanges).toEqual([]);
  });

  it('logs and survives an event about an issue Jira no longer has', async () => {
    start();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const event = {
      eventType: 'avi:jira:set:issue-property',
      issue: { key: 'QMS-404' },
      propertyKey: IMPACT_PROPERTY_KEY,
      atlassianId: SITE_ACCOUNTS.quality,
      selfGenerated: false,
    };
    await expect(app.invokeFunction(TRIGGER, event)).resolves.toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('NOT_FOUND'),
    });
    expect(warn).toHaveBeenCalled();
  });
});

describe('the daily overdue-commitment check', () => {
  // Due dates far in the past or future: the entry reads the real clock.
  const commitment = (key: string, status: string, dueDate: string, overdue?: unknown) =>
    app.jira.seedIssue({
      project: 'RIM',
      issueType: 'Commitment',
      key,
      summary: `Commitment ${key}`,
      status,
      properties: {
        [COMMITMENT_PROPERTY_KEY]: { market: 'US', dueDate },
        ...(overdue === undefined ? {} : { [OVERDUE_PROPERTY_KEY]: overdue }),
      },
    });

  it('flags exactly the overdue open commitments and clears a fulfilled one, with one search', async () => {
    start();
    commitment('RIM-1', 'Open', '2020-01-31');
    commitment('RIM-2', 'In Progress', '2020-06-30');
    commitment('RIM-3', 'Open', '2099-12-31');
    commitment('RIM-4', 'Fulfilled', '2020-03-31', { overdue: true, since: '2020-03-31' });
    commitment('RIM-5', 'Open', '2020-02-29', { overdue: true, since: '2020-02-29' });
    commitment('RIM-6', 'Cancelled', '2020-02-29');

    await expect(app.invokeFunction(SCHEDULED, {})).resolves.toEqual({
      outcome: 'done',
      flagged: ['RIM-1', 'RIM-2'],
      cleared: ['RIM-4'],
    });
    await app.jira.whenEventsDelivered();

    expect(await property('RIM-1', OVERDUE_PROPERTY_KEY)).toEqual({ overdue: true, since: '2020-01-31' });
    expect(await property('RIM-2', OVERDUE_PROPERTY_KEY)).toEqual({ overdue: true, since: '2020-06-30' });
    expect(await property('RIM-3', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(await property('RIM-4', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(await property('RIM-5', OVERDUE_PROPERTY_KEY)).toEqual({ overdue: true, since: '2020-02-29' });
    expect(await property('RIM-6', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(exchanges.filter((e) => e.path.startsWith('/rest/api/3/search/jql'))).toHaveLength(1);

    // A second run the same day changes nothing.
    exchanges.length = 0;
    await expect(app.invokeFunction(SCHEDULED, {})).resolves.toEqual({ outcome: 'done', flagged: [], cleared: [] });
    expect(appWrites()).toEqual([]);
  });

  it('pages through the search by nextPageToken', async () => {
    start();
    for (let i = 1; i <= 105; i++) commitment(`RIM-${i}`, 'Open', '2020-01-31');
    const result = await app.invokeFunction(SCHEDULED, {});
    expect(result).toMatchObject({ outcome: 'done', cleared: [] });
    expect((result as { flagged: string[] }).flagged).toHaveLength(105);
    expect(exchanges.filter((e) => e.path.startsWith('/rest/api/3/search/jql'))).toHaveLength(2);
  });

  it('flags a health-authority letter whose response is overdue and clears one that was answered, in the same one search', async () => {
    start();
    commitment('RIM-1', 'Open', '2020-01-31');
    const letter = (key: string, status: string, responseDueDate: string | undefined, overdue?: unknown) =>
      app.jira.seedIssue({
        project: 'RIM',
        issueType: 'Health Authority Correspondence',
        key,
        summary: `Letter ${key}`,
        status,
        properties: {
          [CORRESPONDENCE_PROPERTY_KEY]: {
            authority: 'FDA',
            market: 'US',
            reference: `IR-${key}`,
            receivedDate: '2019-12-01',
            ...(responseDueDate ? { responseDueDate } : {}),
          },
          ...(overdue === undefined ? {} : { [OVERDUE_PROPERTY_KEY]: overdue }),
        },
      });
    letter('RIM-2', 'Received', '2020-01-15');
    letter('RIM-3', 'Responded', '2020-01-15', { overdue: true, since: '2020-01-15' });
    letter('RIM-4', 'Received', '2099-01-15');
    letter('RIM-5', 'Received', undefined);

    await expect(app.invokeFunction(SCHEDULED, {})).resolves.toEqual({
      outcome: 'done',
      flagged: ['RIM-1', 'RIM-2'],
      cleared: ['RIM-3'],
    });
    expect(await property('RIM-2', OVERDUE_PROPERTY_KEY)).toEqual({ overdue: true, since: '2020-01-15' });
    expect(await property('RIM-3', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(await property('RIM-4', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(await property('RIM-5', OVERDUE_PROPERTY_KEY)).toBeUndefined();
    expect(exchanges.filter((e) => e.path.startsWith('/rest/api/3/search/jql'))).toHaveLength(1);
  });

  it('is a scheduledTrigger that runs daily', () => {
    start();
    expect(app.modules.find((m) => m.key === SCHEDULED)).toMatchObject({ type: 'scheduledTrigger' });
    const manifest = loadManifest();
    // The other daily trigger verifies the audit trail (test/entry/admin-page.test.ts).
    expect(manifest.modules['scheduledTrigger']).toEqual([
      expect.objectContaining({ key: SCHEDULED, interval: 'day' }),
      expect.objectContaining({ key: 'verify-audit-trail', function: 'fn-audit-verification', interval: 'day' }),
    ]);
    expect(manifest.modules['trigger']).toContainEqual(
      expect.objectContaining({ key: TRIGGER, filter: { ignoreSelf: true } }),
    );
  });
});
