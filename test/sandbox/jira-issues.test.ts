import { z } from 'zod';
import { REGULATORY_IMPACT_FIELD, SITE_ACCOUNTS, adfParagraph } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import type { ImpactStatus } from '../../src/domain/model';

const F = REGULATORY_IMPACT_FIELD.id;
const impact = (status: ImpactStatus, version = 1) =>
  toImpactFieldValue({
    status,
    changes: [],
    affected: { productIds: [], siteIds: [], supplierIds: [], markets: ['US'], applicationIds: [] },
    decisions: [],
    version,
  });
const CreatedSchema = z.object({ id: z.string(), key: z.string(), self: z.string() });

describe('Jira stand-in: creating and editing issues', () => {
  it("creates an issue in the workflow's initial status and tells the triggers", async () => {
    const site = createTestSite();
    const res = await site.call('quality', 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'QMS' },
        issuetype: { name: 'Change Control' },
        summary: 'Change granulation solvent',
        description: adfParagraph('Switch from ethanol to IPA.'),
        labels: ['solvent'],
      },
      properties: [{ key: 'qms-rim.origin', value: { source: 'test' } }],
    });
    expect(res.status).toBe(201);
    const created = CreatedSchema.parse(res.body);
    expect(created).toEqual({ id: '10000', key: 'QMS-1', self: 'http://localhost:8080/rest/api/3/issue/10000' });
    const issue = await site.call('quality', 'GET', `/rest/api/3/issue/QMS-1?properties=*all`);
    expect(issue.body).toMatchObject({
      key: 'QMS-1',
      fields: {
        summary: 'Change granulation solvent',
        status: { name: 'Open', statusCategory: { key: 'new', id: 2, name: 'To Do' } },
        issuetype: { name: 'Change Control' },
        project: { key: 'QMS' },
        reporter: { accountId: SITE_ACCOUNTS.quality },
        creator: { accountId: SITE_ACCOUNTS.quality },
        description: adfParagraph('Switch from ethanol to IPA.'),
        labels: ['solvent'],
        created: '2026-01-05T09:00:00.000+0000',
        resolution: null,
        resolutiondate: null,
        [F]: null,
      },
      properties: { 'qms-rim.origin': { source: 'test' } },
    });
    await site.jira.whenEventsDelivered();
    expect(site.events).toEqual([
      {
        eventType: 'avi:jira:created:issue',
        event: expect.objectContaining({
          eventType: 'avi:jira:created:issue',
          atlassianId: SITE_ACCOUNTS.quality,
          selfGenerated: false,
          issue: expect.objectContaining({ id: '10000', key: 'QMS-1' }),
          associatedUsers: [{ accountId: SITE_ACCOUNTS.quality }],
        }),
      },
    ]);
  });

  it("reports every invalid field at once, in Jira's shape, and creates nothing", async () => {
    const site = createTestSite();
    const res = await site.call('quality', 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'QMS' },
        issuetype: { name: 'Submission' },
        description: 'plain text',
        status: { name: 'Closed' },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: [],
      errors: {
        issuetype: 'The issue type selected is invalid.',
        summary: 'You must specify a summary of the issue.',
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    expect(site.jira.readIssue('QMS-1')).toBeUndefined();
  });

  it('answers a malformed body with 400, never a crash', async () => {
    const site = createTestSite();
    for (const [method, path, body] of [
      ['POST', '/rest/api/3/issue', undefined],
      ['POST', '/rest/api/3/issue', 'not an object'],
      ['POST', '/rest/api/3/issue', { fields: { project: 42 } }],
      ['POST', '/rest/api/3/issueLink', { type: {}, inwardIssue: {} }],
      ['POST', '/rest/api/3/search/jql', { jql: 7 }],
      ['POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: 'QMS-1' }],
      ['POST', '/rest/api/3/changelog/bulkfetch', {}],
      ['PUT', '/rest/api/3/issue/QMS-1', []],
    ] as const) {
      const res = await site.call('admin', method, path, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toEqual({ errorMessages: expect.any(Array), errors: expect.any(Object) });
    }
  });

  it('edits fields with `fields` and `update`, records one history per edit, and emits the change', async () => {
    const site = createTestSite();
    const { key } = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Old summary', labels: ['a'] });
    const res = await site.call('quality', 'PUT', `/rest/api/3/issue/${key}`, {
      fields: { summary: 'New summary', assignee: { accountId: SITE_ACCOUNTS.regulatory } },
      update: { labels: [{ add: 'b' }, { remove: 'a' }] },
    });
    expect(res.status).toBe(204);
    const changelog = await site.call('quality', 'GET', `/rest/api/3/issue/${key}/changelog`);
    expect(changelog.body).toMatchObject({
      total: 1,
      isLast: true,
      values: [
        {
          author: { accountId: SITE_ACCOUNTS.quality, displayName: 'Quinn Quality' },
          items: [
            { field: 'summary', fieldId: 'summary', fromString: 'Old summary', toString: 'New summary' },
            { field: 'assignee', from: null, to: SITE_ACCOUNTS.regulatory, toString: 'Rita Regulatory' },
            { field: 'labels', fromString: 'a', toString: 'b' },
          ],
        },
      ],
    });
    // Nothing changed: no history, no event.
    expect(
      (await site.call('quality', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'New summary' } })).status,
    ).toBe(204);
    await site.jira.whenEventsDelivered();
    expect(site.events.map((e) => e.eventType)).toEqual(['avi:jira:updated:issue']);
    expect(site.jira.readIssue(key)?.histories).toHaveLength(1);
  });

  it("validates custom field values against the field's JSON Schema", async () => {
    const site = createTestSite();
    const { key } = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'x' });
    const bad = await site.call('quality', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [F]: { status: 'maybe' } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: { [F]: expect.stringContaining("does not match the field's schema") } });
    // The field's validation expression takes only the value the app recorded in qmsrim.impact.
    site.jira.seedIssueProperty({ issue: key, key: 'qmsrim.impact', value: impact('in-assessment') });
    const good = await site.call('quality', 'PUT', `/rest/api/3/issue/${key}`, {
      fields: { [F]: impact('in-assessment') },
    });
    expect(good.status).toBe(204);
  });

  it('deletes an issue and its links, and says so once', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    const b = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'b' });
    const link = site.jira.seedLink({ type: 'Relates', from: a.key, to: b.key });
    expect((await site.call('manager', 'DELETE', `/rest/api/3/issue/${a.key}`)).status).toBe(403);
    expect((await site.call('quality', 'DELETE', `/rest/api/3/issue/${a.key}`)).status).toBe(204);
    expect((await site.call('quality', 'GET', `/rest/api/3/issue/${a.key}`)).status).toBe(404);
    expect((await site.call('quality', 'GET', `/rest/api/3/issueLink/${link.id}`)).status).toBe(404);
    await site.jira.whenEventsDelivered();
    expect(site.events.map((e) => e.eventType)).toEqual(['avi:jira:deleted:issue']);
  });
});

describe('Jira stand-in: issue links', () => {
  it("creates a link with Jira's direction quirk, shows it on both issues, and emits the event", async () => {
    const site = createTestSite();
    const qms = site.jira.seedIssue({ project: 'QMS', issueType: 'Change Control', summary: 'change' });
    const rim = site.jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: 'PAS' });
    // inwardIssue is the source: "QMS-1 requires filing RIM-1".
    const res = await site.call('regulatory', 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Regulatory filing' },
      inwardIssue: { key: qms.key },
      outwardIssue: { key: rim.key },
    });
    expect(res.status).toBe(201);
    expect(res.body).toBeUndefined();
    const onQms = await site.call('regulatory', 'GET', `/rest/api/3/issue/${qms.key}?fields=issuelinks`);
    const onRim = await site.call('regulatory', 'GET', `/rest/api/3/issue/${rim.key}?fields=issuelinks`);
    expect(onQms.body).toMatchObject({
      fields: {
        issuelinks: [
          {
            type: { outward: 'requires filing' },
            outwardIssue: { key: rim.key, fields: { summary: 'PAS', status: { name: 'Planned' } } },
          },
        ],
      },
    });
    expect(onRim.body).toMatchObject({
      fields: { issuelinks: [{ type: { inward: 'is filing for' }, inwardIssue: { key: qms.key } }] },
    });
    const linkId =
      z.object({ fields: z.object({ issuelinks: z.array(z.object({ id: z.string() })) }) }).parse(onQms.body).fields
        .issuelinks[0]?.id ?? '';
    const bean = await site.call('regulatory', 'GET', `/rest/api/3/issueLink/${linkId}`);
    expect(bean.body).toMatchObject({
      id: linkId,
      type: { name: 'Regulatory filing' },
      inwardIssue: { key: qms.key },
      outwardIssue: { key: rim.key },
    });
    // Repeating it creates nothing new.
    expect(
      (
        await site.call('regulatory', 'POST', '/rest/api/3/issueLink', {
          type: { name: 'Regulatory filing' },
          inwardIssue: { key: qms.key },
          outwardIssue: { key: rim.key },
        })
      ).status,
    ).toBe(201);
    await site.jira.whenEventsDelivered();
    // Forge's documented issue-link payload: ids of both ends and their projects, the link type; no actor.
    expect(site.events).toEqual([
      {
        eventType: 'avi:jira:created:issuelink',
        event: {
          eventType: 'avi:jira:created:issuelink',
          id: linkId,
          sourceIssueId: qms.id,
          destinationIssueId: rim.id,
          sourceProjectId: expect.any(String),
          destinationProjectId: expect.any(String),
          issueLinkType: expect.objectContaining({
            name: 'Regulatory filing',
            inward: 'is filing for',
            outward: 'requires filing',
          }),
        },
      },
    ]);
    // Jira notes the link in both issues' history.
    expect(site.jira.readIssue(qms.key)?.histories[0]?.items[0]).toMatchObject({
      field: 'Link',
      to: rim.key,
      toString: `This issue requires filing ${rim.key}`,
    });
    expect(site.jira.readIssue(rim.key)?.histories[0]?.items[0]).toMatchObject({
      field: 'Link',
      to: qms.key,
      toString: `This issue is filing for ${qms.key}`,
    });

    expect((await site.call('regulatory', 'DELETE', `/rest/api/3/issueLink/${linkId}`)).status).toBe(204);
    expect((await site.call('regulatory', 'GET', `/rest/api/3/issueLink/${linkId}`)).status).toBe(404);
    await site.jira.whenEventsDelivered();
    expect(site.events.map((e) => e.eventType)).toEqual(['avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']);
  });

  it('refuses self links, unknown link types and bad link ids', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    expect(
      (
        await site.call('quality', 'POST', '/rest/api/3/issueLink', {
          type: { name: 'Relates' },
          inwardIssue: { key: a.key },
          outwardIssue: { id: a.id },
        })
      ).body,
    ).toEqual({ errorMessages: ['You cannot link an issue to itself.'], errors: {} });
    expect(
      (
        await site.call('quality', 'POST', '/rest/api/3/issueLink', {
          type: { name: 'Blocks' },
          inwardIssue: { key: a.key },
          outwardIssue: { key: a.key },
        })
      ).status,
    ).toBe(404);
    expect((await site.call('quality', 'GET', '/rest/api/3/issueLink/abc')).status).toBe(400);
    const types = await site.call('quality', 'GET', '/rest/api/3/issueLinkType');
    expect(types.body).toMatchObject({
      issueLinkTypes: [
        { name: 'Regulatory filing' },
        { name: 'Commitment' },
        { name: 'Relates' },
        { name: 'HA correspondence', outward: 'answers', inward: 'is answered by' },
      ],
    });
  });
});

describe('Jira stand-in: entity properties', () => {
  it('sets (201 then 200), reads, lists and deletes properties without touching the changelog', async () => {
    const site = createTestSite();
    const { key } = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    const path = `/rest/api/3/issue/${key}/properties/qms-rim.index`;
    expect((await site.call('quality', 'PUT', path, { status: 'no-filing' })).status).toBe(201);
    expect((await site.call('quality', 'PUT', path, { status: 'filing-required' })).status).toBe(200);
    expect((await site.call('quality', 'GET', path)).body).toEqual({
      key: 'qms-rim.index',
      value: { status: 'filing-required' },
    });
    expect((await site.call('quality', 'GET', `/rest/api/3/issue/${key}/properties`)).body).toEqual({
      keys: [{ key: 'qms-rim.index', self: `http://localhost:8080/rest/api/3/issue/${key}/properties/qms-rim.index` }],
    });
    expect((await site.call('quality', 'PUT', path, { big: 'x'.repeat(33_000) })).status).toBe(400);
    expect((await site.call('quality', 'DELETE', path)).status).toBe(204);
    expect((await site.call('quality', 'GET', path)).status).toBe(404);
    expect((await site.call('quality', 'DELETE', path)).status).toBe(404);
    expect(site.jira.readIssue(key)?.histories).toEqual([]);
    await site.jira.whenEventsDelivered();
    expect(site.events.map((e) => e.eventType)).toEqual([
      'avi:jira:set:issue-property',
      'avi:jira:set:issue-property',
      'avi:jira:deleted:issue-property',
    ]);
  });
});

describe("Jira stand-in: the app's custom field values", () => {
  it('lets only the app set its field, writes the changelog as the app and marks the event as self-generated', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    const b = site.jira.seedIssue({ project: 'QMS', issueType: 'Deviation', summary: 'b' });
    const body = {
      updates: [{ customField: F, issueIds: [Number(a.id), Number(b.id)], value: impact('filing-required') }],
    };
    const asUser = await site.call('quality', 'POST', '/rest/api/3/app/field/value', body);
    expect(asUser.status).toBe(403);
    expect(site.jira.readIssue(a.key)?.customFields).toEqual({});

    expect((await site.call('app', 'POST', '/rest/api/3/app/field/value', body)).status).toBe(204);
    expect(
      (
        await site.call('app', 'PUT', `/rest/api/3/app/field/${REGULATORY_IMPACT_FIELD.key}/value`, {
          updates: [{ issueIds: [Number(b.id)], value: impact('no-filing', 2) }],
        })
      ).status,
    ).toBe(204);

    const fetched = await site.call('quality', 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: [b.key, a.key],
      fields: [F],
    });
    expect(fetched.body).toMatchObject({
      issues: [
        { key: a.key, fields: { [F]: { status: 'filing-required' } } },
        { key: b.key, fields: { [F]: { status: 'no-filing', version: 2 } } },
      ],
      issueErrors: [],
    });
    const history = site.jira.readIssue(b.key)?.histories ?? [];
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({
      authorAccountId: site.jira.appAccountId,
      items: [{ field: 'Regulatory impact', fieldtype: 'custom', fieldId: F }],
    });
    await site.jira.whenEventsDelivered();
    expect(site.events.map((e) => [e.eventType, e.event.atlassianId, e.event.selfGenerated])).toEqual([
      ['avi:jira:updated:issue', site.jira.appAccountId, true],
      ['avi:jira:updated:issue', site.jira.appAccountId, true],
      ['avi:jira:updated:issue', site.jira.appAccountId, true],
    ]);
  });

  it('refuses the whole request when one value is bad, a field is unknown, or an issue is missing', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    const cases: Array<[unknown, number]> = [
      [
        {
          updates: [
            { customField: F, issueIds: [Number(a.id)], value: impact('filing-required') },
            { customField: F, issueIds: [Number(a.id)], value: { status: 'nonsense' } },
          ],
        },
        400,
      ],
      [{ updates: [{ customField: 'customfield_99999', issueIds: [Number(a.id)], value: 1 }] }, 404],
      [{ updates: [{ customField: F, issueIds: [999999], value: impact('no-filing') }] }, 400],
      [{ updates: [{ customField: F, issueIds: [Number(a.id)] }] }, 400],
    ];
    for (const [body, status] of cases)
      expect((await site.call('app', 'POST', '/rest/api/3/app/field/value', body)).status).toBe(status);
    expect(site.jira.readIssue(a.key)?.customFields).toEqual({});
  });
});

describe('Jira stand-in: changelog bulk fetch', () => {
  it('returns histories oldest first, filtered by field, paged by token, leaving out hidden issues', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a0' });
    const hidden = site.jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: 'r0' });
    for (let i = 1; i <= 3; i++)
      await site.call('quality', 'PUT', `/rest/api/3/issue/${a.key}`, {
        fields: { summary: `a${i}`, labels: [`l${i}`] },
      });
    await site.call('regulatory', 'PUT', `/rest/api/3/issue/${hidden.key}`, { fields: { summary: 'r1' } });
    const Page = z.object({
      issueChangeLogs: z.array(
        z.object({
          issueId: z.string(),
          changeHistories: z.array(
            z.object({ items: z.array(z.object({ fieldId: z.string().optional(), toString: z.string().nullable() })) }),
          ),
        }),
      ),
      nextPageToken: z.string().optional(),
    });
    const first = Page.parse(
      (
        await site.call('quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
          issueIdsOrKeys: [a.key, hidden.key],
          fieldIds: ['summary'],
          maxResults: 2,
        })
      ).body,
    );
    expect(first.issueChangeLogs).toEqual([
      {
        issueId: a.id,
        changeHistories: [
          { items: [expect.objectContaining({ fieldId: 'summary', toString: 'a1' })] },
          { items: [expect.objectContaining({ toString: 'a2' })] },
        ],
      },
    ]);
    const second = Page.parse(
      (
        await site.call('quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
          issueIdsOrKeys: [a.key, hidden.key],
          fieldIds: ['summary'],
          maxResults: 2,
          nextPageToken: first.nextPageToken,
        })
      ).body,
    );
    expect(second.issueChangeLogs[0]?.changeHistories.map((h) => h.items[0]?.toString)).toEqual(['a3']);
    expect(second.nextPageToken).toBeUndefined();
  });
});

describe('Jira stand-in: snapshot and restore', () => {
  it('round-trips the whole state as plain JSON', async () => {
    const site = createTestSite();
    const a = site.jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'a' });
    await site.call('quality', 'PUT', `/rest/api/3/issue/${a.key}`, { fields: { summary: 'edited' } });
    const saved = JSON.parse(JSON.stringify(site.jira.snapshot()));
    await site.call('quality', 'PUT', `/rest/api/3/issue/${a.key}`, { fields: { summary: 'after the snapshot' } });
    await site.call('quality', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'b' },
    });

    site.jira.restore(saved);
    expect(site.jira.readIssue(a.key)).toMatchObject({ summary: 'edited', histories: { length: 1 } });
    expect((await site.call('quality', 'GET', '/rest/api/3/issue/QMS-2')).status).toBe(404);
    // Counters were restored too: the next issue reuses QMS-2, not QMS-3.
    const again = await site.call('quality', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'b again' },
    });
    expect(again.body).toMatchObject({ key: 'QMS-2' });
    expect(() => site.jira.restore({ ...saved, version: 2 })).toThrow(/not a Jira stand-in snapshot/);
  });
});

describe('Jira stand-in: event delivery', () => {
  it('delivers events after the response, in order, and keeps a failing trigger from failing the call', async () => {
    const delivered: string[] = [];
    const site = createTestSite({
      emit: async (eventType) => {
        delivered.push(eventType);
        if (eventType === 'avi:jira:created:issue') throw new Error('trigger crashed');
      },
    });
    const res = await site.call('quality', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'CAPA' }, summary: 'a' },
    });
    expect(res.status).toBe(201);
    await site.call('quality', 'PUT', '/rest/api/3/issue/QMS-1', { fields: { summary: 'b' } });
    await site.jira.whenEventsDelivered();
    expect(delivered).toEqual(['avi:jira:created:issue', 'avi:jira:updated:issue']);
    expect(site.jira.eventDeliveryFailures()).toEqual([
      { eventType: 'avi:jira:created:issue', error: expect.any(Error) },
    ]);
  });
});
