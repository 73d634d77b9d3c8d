/**
 * Holds the Jira stand-in to Atlassian's published OpenAPI spec: every request sent to it
 * in this file and every answer it gives (successes and documented refusals) is checked,
 * every operation it implements is driven, and not one contract error is tolerated.
 */
import { z } from 'zod';
import type { StandInResponse } from '../../sandbox/jira';
import { QMS_TRANSITIONS, REGULATORY_IMPACT_FIELD, SITE_ACCOUNTS, adfParagraph } from '../../sandbox/jira';
import type { SiteActor } from '../../sandbox/jira/fixtures/test-site';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';
import { createContractChecker } from '../support/openapi-contract';
import { toImpactFieldValue } from '../../src/domain/impact-field-value';
import type { ImpactStatus } from '../../src/domain/model';

/** Every REST operation the stand-in implements; adding a route without listing (and driving) it here fails this test. */
const IMPLEMENTED = [
  'GET /rest/api/3/myself',
  'GET /rest/api/3/project/{projectIdOrKey}',
  'GET /rest/api/3/issueLinkType',
  'GET /rest/api/3/field',
  'GET /rest/api/3/issue/{issueIdOrKey}',
  'POST /rest/api/3/issue',
  'PUT /rest/api/3/issue/{issueIdOrKey}',
  'DELETE /rest/api/3/issue/{issueIdOrKey}',
  'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
  'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
  'POST /rest/api/3/issueLink',
  'GET /rest/api/3/issueLink/{linkId}',
  'DELETE /rest/api/3/issueLink/{linkId}',
  'GET /rest/api/3/issue/{issueIdOrKey}/properties',
  'GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
  'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
  'DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
  'GET /rest/api/3/issue/{issueIdOrKey}/changelog',
  'POST /rest/api/3/changelog/bulkfetch',
  'GET /rest/api/3/search/jql',
  'POST /rest/api/3/search/jql',
  'POST /rest/api/3/issue/bulkfetch',
  'POST /rest/api/3/app/field/value',
  'PUT /rest/api/3/app/field/{fieldIdOrKey}/value',
  'GET /rest/api/3/status',
  'GET /rest/api/3/user/permission/search',
  'GET /rest/api/3/project/search',
  'GET /rest/api/3/mypermissions',
  'GET /rest/api/3/group/bulk',
  'GET /rest/api/3/project/{projectIdOrKey}/roledetails',
  'POST /rest/api/3/expression/evaluate',
];

const F = REGULATORY_IMPACT_FIELD.id;
const impact = (status: ImpactStatus, version: number) =>
  toImpactFieldValue({
    status,
    changes: [],
    affected: { productIds: ['PRD-1'], siteIds: [], supplierIds: [], markets: ['US'], applicationIds: [] },
    decisions: [],
    version,
  });
/** The test's validator refuses an impact at this version. */
const REFUSED_VERSION = 99;

describe('Jira stand-in: OpenAPI contract', () => {
  const checker = createContractChecker();
  // The gate refuses when the impact set on the transition screen is at REFUSED_VERSION.
  const site = createTestSite({
    runValidator: async ({ modifiedFields }) => {
      const value = modifiedFields[F];
      return {
        result: !(
          typeof value === 'object' &&
          value !== null &&
          'version' in value &&
          value.version === REFUSED_VERSION
        ),
        errorMessage: 'Impact not assessed.',
      };
    },
  });
  const violations: string[] = [];

  /** Sends a request through the checker: request checked, answer checked, every error kept. */
  const call = async (actor: SiteActor, method: string, path: string, body?: unknown): Promise<StandInResponse> => {
    for (const error of checker.checkRequest({ method, path, body }))
      violations.push(`request ${method} ${path}: ${error}`);
    const res = await site.call(actor, method, path, body);
    for (const error of checker.checkResponse({ method, path, status: res.status, body: res.body }))
      violations.push(`response ${res.status} ${method} ${path}: ${error}`);
    return res;
  };
  const expectStatus = async (expected: number, actor: SiteActor, method: string, path: string, body?: unknown) => {
    const res = await call(actor, method, path, body);
    expect({ method, path, status: res.status }).toEqual({ method, path, status: expected });
    return res;
  };

  beforeAll(() => {
    const { jira } = site;
    jira.seedIssue({
      project: 'QMS',
      issueType: 'Change Control',
      summary: 'Replace tablet press supplier',
      description: 'Supplier B replaces supplier A.',
      customFields: { [F]: impact('filing-required', 1) },
    });
    jira.seedIssue({ project: 'QMS', issueType: 'CAPA', summary: 'Hardness out of trend', status: 'In Assessment' });
    jira.seedIssue({ project: 'RIM', issueType: 'Submission', summary: 'PAS: alternate supplier' });
    jira.seedLink({ type: 'Regulatory filing', from: 'QMS-1', to: 'RIM-1' });
    jira.seedIssueProperty({
      issue: 'QMS-1',
      key: 'qms-rim.index',
      value: { status: 'filing-required', markets: ['US'] },
    });
    jira.seedHistory({
      issue: 'QMS-1',
      author: jira.appAccountId,
      items: [
        {
          field: 'Regulatory impact',
          fieldtype: 'custom',
          fieldId: F,
          from: null,
          fromString: null,
          to: null,
          toString: '{"status":"filing-required"}',
        },
      ],
    });
  });

  it('lists exactly the operations the stand-in implements, all of them in the spec', () => {
    expect([...IMPLEMENTED].sort()).toEqual([...site.jira.operations].sort());
    expect(checker.coverage(IMPLEMENTED).notInSpec).toEqual([]);
  });

  it('answers site reads in the documented shapes', async () => {
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/myself');
    await expectStatus(200, 'app', 'GET', '/rest/api/3/myself');
    await expectStatus(200, 'regulatory', 'GET', '/rest/api/3/project/RIM');
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/project/10000');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/project/RIM');
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issueLinkType');
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/field');
    const rim = await expectStatus(
      200,
      'regulatory',
      'GET',
      '/rest/api/3/mypermissions?projectKey=RIM&permissions=CREATE_ISSUES,LINK_ISSUES',
    );
    expect(rim.body).toMatchObject({
      permissions: { CREATE_ISSUES: { havePermission: true }, LINK_ISSUES: { havePermission: true } },
    });
    const onIssue = await expectStatus(
      200,
      'manager',
      'GET',
      '/rest/api/3/mypermissions?issueKey=QMS-1&permissions=BROWSE_PROJECTS,EDIT_ISSUES',
    );
    expect(onIssue.body).toMatchObject({
      permissions: { BROWSE_PROJECTS: { havePermission: true }, EDIT_ISSUES: { havePermission: false } },
    });
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/mypermissions?permissions=CREATE_ISSUES');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/mypermissions?projectKey=RIM&permissions=CREATE_ISSUES');
    await expectStatus(400, 'quality', 'GET', '/rest/api/3/mypermissions?projectKey=QMS');
    await expectStatus(
      400,
      'quality',
      'GET',
      '/rest/api/3/mypermissions?projectKey=QMS&permissions=ADMINISTER_EVERYTHING',
    );
    const unauthenticated = await site.jira.handle({
      method: 'GET',
      path: '/rest/api/3/myself',
      as: { kind: 'user', accountId: 'nobody' },
    });
    expect(
      checker.checkResponse({
        method: 'GET',
        path: '/rest/api/3/myself',
        status: unauthenticated.status,
        body: unauthenticated.body,
      }),
    ).toEqual([]);
  });

  it("answers what a Jira admin's configuration reads in the documented shapes", async () => {
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/status');
    const projects = await expectStatus(200, 'admin', 'GET', '/rest/api/3/project/search?expand=issueTypes');
    expect(
      z
        .object({ values: z.array(z.object({ key: z.string(), issueTypes: z.array(z.object({ name: z.string() })) })) })
        .parse(projects.body)
        .values.map((p) => p.key),
    ).toEqual(['QMS', 'RIM']);
    const page = await expectStatus(200, 'admin', 'GET', '/rest/api/3/project/search?startAt=0&maxResults=1');
    expect(page.body).toMatchObject({ isLast: false, total: 2, nextPage: expect.any(String) });
    const quality = await expectStatus(200, 'quality', 'GET', '/rest/api/3/project/search?keys=QMS,RIM');
    expect(
      z
        .object({ values: z.array(z.object({ key: z.string() })) })
        .parse(quality.body)
        .values.map((p) => p.key),
    ).toEqual(['QMS']);
    const admin = await expectStatus(
      200,
      'admin',
      'GET',
      '/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS',
    );
    expect(admin.body).toMatchObject({
      permissions: { ADMINISTER: { havePermission: true, type: 'GLOBAL' }, BROWSE_PROJECTS: { havePermission: true } },
    });
    const engineer = await expectStatus(200, 'quality', 'GET', '/rest/api/3/mypermissions?permissions=ADMINISTER');
    expect(engineer.body).toMatchObject({ permissions: { ADMINISTER: { havePermission: false } } });
    const inRim = await expectStatus(
      200,
      'manager',
      'GET',
      '/rest/api/3/mypermissions?permissions=EDIT_ISSUES&projectKey=RIM',
    );
    expect(inRim.body).toMatchObject({ permissions: { EDIT_ISSUES: { havePermission: false } } });
    await expectStatus(400, 'quality', 'GET', '/rest/api/3/mypermissions');
    await expectStatus(400, 'quality', 'GET', '/rest/api/3/mypermissions?permissions=FLY');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=RIM');
  });

  it('answers who holds permissions on an issue to a Jira admin, as the commitment trigger asks it', async () => {
    const found = await expectStatus(
      200,
      'admin',
      'GET',
      `/rest/api/3/user/permission/search?accountId=${SITE_ACCOUNTS.regulatory}&issueKey=QMS-1&permissions=BROWSE_PROJECTS,LINK_ISSUES`,
    );
    expect(found.body).toMatchObject([{ accountId: SITE_ACCOUNTS.regulatory }]);
    await expectStatus(
      403,
      'quality',
      'GET',
      '/rest/api/3/user/permission/search?issueKey=QMS-1&permissions=BROWSE_PROJECTS',
    );
  });

  it('answers what the signing rules read (groups, project roles, a Jira expression) in the documented shapes', async () => {
    const groups = await expectStatus(200, 'admin', 'GET', '/rest/api/3/group/bulk?startAt=0&maxResults=2');
    expect(groups.body).toMatchObject({
      isLast: false,
      total: 3,
      values: [{ name: 'jira-administrators' }, { name: 'quality-engineers' }],
    });
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/group/bulk');
    const roles = await expectStatus(200, 'admin', 'GET', '/rest/api/3/project/QMS/roledetails');
    expect(
      z
        .array(z.object({ name: z.string() }))
        .parse(roles.body)
        .map((r) => r.name),
    ).toEqual(['Administrators', 'Quality Engineers', 'Regulatory Reviewers']);
    await expectStatus(200, 'admin', 'GET', '/rest/api/3/project/QMS/roledetails?currentMember=true');
    await expectStatus(404, 'regulatory', 'GET', '/rest/api/3/project/QMS/roledetails');
    const expression =
      '{ accountId: user.accountId, groups: user.groups, projectRoles: user.getProjectRoles(issue.project).map(role => role.name) }';
    const rita = await expectStatus(200, 'regulatory', 'POST', '/rest/api/3/expression/evaluate', {
      expression,
      context: { issue: { key: 'QMS-1' } },
    });
    expect(rita.body).toEqual({
      value: {
        accountId: '557058:rita-regulatory',
        groups: ['regulatory-reviewers'],
        projectRoles: ['Regulatory Reviewers'],
      },
    });
    const onProject = await expectStatus(200, 'quality', 'POST', '/rest/api/3/expression/evaluate', {
      expression: 'user.getProjectRoles(project).map(role => role.name)',
      context: { project: { key: 'QMS' } },
    });
    expect(onProject.body).toEqual({ value: ['Quality Engineers'] });
    await expectStatus(404, 'quality', 'POST', '/rest/api/3/expression/evaluate', {
      expression,
      context: { issue: { key: 'RIM-1' } },
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/expression/evaluate', {
      expression: 'issue.links.map(l => { id: l.id })',
      context: { issue: { key: 'QMS-1' } },
    });
  });

  it('reads issues in every documented form', async () => {
    await expectStatus(200, 'regulatory', 'GET', '/rest/api/3/issue/QMS-1');
    await expectStatus(
      200,
      'regulatory',
      'GET',
      '/rest/api/3/issue/QMS-1?fields=summary,status,issuelinks,customfield_10050&properties=*all&expand=changelog,names,transitions',
    );
    await expectStatus(200, 'regulatory', 'GET', '/rest/api/3/issue/10000?fields=*all,-description&fields=updated');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/issue/RIM-1');
    await expectStatus(200, 'quality', 'POST', '/rest/api/3/issue/bulkfetch', {
      issueIdsOrKeys: ['QMS-1', 'RIM-1', 'QMS-2'],
      fields: ['summary', 'status', 'issuelinks'],
      properties: ['qms-rim.index'],
      expand: ['names'],
    });
    await expectStatus(200, 'quality', 'POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: ['QMS-1'] });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: [] });
  });

  it('searches in the documented shapes', async () => {
    await expectStatus(
      200,
      'quality',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('project = QMS ORDER BY key')}&maxResults=1&fields=key`,
    );
    const first = await expectStatus(
      200,
      'quality',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('project = QMS')}&maxResults=1`,
    );
    const token = z.object({ nextPageToken: z.string() }).parse(first.body).nextPageToken;
    await expectStatus(
      200,
      'quality',
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('project = QMS')}&maxResults=1&nextPageToken=${encodeURIComponent(token)}`,
    );
    await expectStatus(200, 'regulatory', 'POST', '/rest/api/3/search/jql', {
      jql: '"Regulatory impact".status = "filing-required" OR issue in linkedIssues("QMS-1")',
      fields: ['summary', 'status', F],
      properties: ['qms-rim.index'],
      expand: 'names,changelog',
      maxResults: 10,
    });
    await expectStatus(200, 'regulatory', 'POST', '/rest/api/3/search/jql', {
      jql: 'issue.property[qms-rim.index].markets = US',
      fields: ['id'],
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/search/jql', { jql: 'assignee = currentUser()' });
    await expectStatus(400, 'quality', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = (')}`);
  });

  it('creates, edits and deletes issues in the documented shapes', async () => {
    await expectStatus(201, 'quality', 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'QMS' },
        issuetype: { name: 'Deviation' },
        summary: 'Temperature excursion',
        description: adfParagraph('Room 4 at 27 °C.'),
        labels: ['cold-chain'],
      },
      properties: [{ key: 'qms-rim.origin', value: { source: 'contract' } }],
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'QMS' }, issuetype: { name: 'Deviation' } },
    });
    await expectStatus(204, 'quality', 'PUT', '/rest/api/3/issue/QMS-2', {
      fields: { summary: 'Hardness out of trend (line 3)' },
      update: { labels: [{ add: 'line-3' }] },
    });
    await expectStatus(200, 'quality', 'PUT', '/rest/api/3/issue/QMS-2?returnIssue=true', {
      fields: { summary: 'Hardness out of trend (line 3, batch 7)' },
    });
    await expectStatus(400, 'quality', 'PUT', '/rest/api/3/issue/QMS-2', { fields: { status: { id: '1' } } });
    await expectStatus(404, 'quality', 'PUT', '/rest/api/3/issue/RIM-1', { fields: { summary: 'x' } });
    await expectStatus(403, 'manager', 'DELETE', '/rest/api/3/issue/QMS-3');
    await expectStatus(204, 'quality', 'DELETE', '/rest/api/3/issue/QMS-3');
    await expectStatus(404, 'quality', 'DELETE', '/rest/api/3/issue/QMS-3');
  });

  it('transitions in the documented shapes', async () => {
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issue/QMS-2/transitions');
    await expectStatus(
      200,
      'quality',
      'GET',
      `/rest/api/3/issue/QMS-2/transitions?transitionId=${QMS_TRANSITIONS.submitForReview}`,
    );
    await expectStatus(204, 'quality', 'POST', '/rest/api/3/issue/QMS-2/transitions', {
      transition: { id: QMS_TRANSITIONS.submitForReview },
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/issue/QMS-2/transitions', {
      transition: { id: QMS_TRANSITIONS.close },
    });
    await expectStatus(404, 'quality', 'POST', '/rest/api/3/issue/RIM-1/transitions', { transition: { id: '11' } });
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/issue/RIM-1/transitions');
  });

  it('runs validators and reports their refusal in the documented shape', async () => {
    site.jira.seedWorkflow({
      projectKey: 'QMS',
      issueTypes: ['Audit Finding'],
      initialStatus: 'Open',
      transitions: [
        {
          id: '11',
          name: 'Start assessment',
          from: ['Open'],
          to: 'In Assessment',
          validators: [{ moduleKey: 'impact-assessed-gate', configuration: {} }],
          screenFields: [F],
        },
      ],
    });
    const { key } = site.jira.seedIssue({
      project: 'QMS',
      issueType: 'Audit Finding',
      summary: 'Missing calibration record',
    });
    await expectStatus(400, 'quality', 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: '11' },
      fields: { [F]: impact('in-assessment', REFUSED_VERSION) },
    });
    await expectStatus(204, 'quality', 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: '11' },
      fields: { [F]: impact('in-assessment', 1) },
    });
  });

  it('links issues in the documented shapes', async () => {
    await expectStatus(201, 'regulatory', 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Relates' },
      inwardIssue: { key: 'QMS-2' },
      outwardIssue: { key: 'RIM-1' },
    });
    await expectStatus(404, 'quality', 'POST', '/rest/api/3/issueLink', {
      type: { name: 'Relates' },
      inwardIssue: { key: 'QMS-2' },
      outwardIssue: { key: 'RIM-1' },
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/issueLink', {
      type: { id: '10002' },
      inwardIssue: { id: '10001' },
      outwardIssue: { key: 'QMS-2' },
    });
    const links = await expectStatus(200, 'regulatory', 'GET', '/rest/api/3/issue/QMS-2?fields=issuelinks');
    const linkId =
      z.object({ fields: z.object({ issuelinks: z.array(z.object({ id: z.string() })) }) }).parse(links.body).fields
        .issuelinks[0]?.id ?? '';
    await expectStatus(200, 'regulatory', 'GET', `/rest/api/3/issueLink/${linkId}`);
    await expectStatus(404, 'quality', 'GET', `/rest/api/3/issueLink/${linkId}`);
    await expectStatus(400, 'quality', 'GET', '/rest/api/3/issueLink/not-a-number');
    await expectStatus(204, 'regulatory', 'DELETE', `/rest/api/3/issueLink/${linkId}`);
    await expectStatus(404, 'regulatory', 'DELETE', `/rest/api/3/issueLink/${linkId}`);
  });

  it('handles entity properties in the documented shapes', async () => {
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issue/QMS-1/properties');
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issue/QMS-1/properties/qms-rim.index');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/issue/QMS-1/properties/missing');
    await expectStatus(201, 'quality', 'PUT', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra', { reviewed: true });
    await expectStatus(200, 'quality', 'PUT', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra', { reviewed: false });
    await expectStatus(403, 'manager', 'PUT', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra', { reviewed: true });
    await expectStatus(400, 'quality', 'PUT', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra', {
      big: 'x'.repeat(40_000),
    });
    await expectStatus(204, 'quality', 'DELETE', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra');
    await expectStatus(404, 'quality', 'DELETE', '/rest/api/3/issue/QMS-1/properties/qms-rim.extra');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/issue/RIM-1/properties');
  });

  it('reads changelogs in the documented shapes', async () => {
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issue/QMS-1/changelog');
    await expectStatus(200, 'quality', 'GET', '/rest/api/3/issue/QMS-2/changelog?startAt=0&maxResults=1');
    await expectStatus(404, 'quality', 'GET', '/rest/api/3/issue/RIM-1/changelog');
    const page = await expectStatus(200, 'quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ['QMS-1', 'QMS-2', 'RIM-1'],
      maxResults: 1,
    });
    const token = z.object({ nextPageToken: z.string() }).parse(page.body).nextPageToken;
    await expectStatus(200, 'quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ['QMS-1', 'QMS-2', 'RIM-1'],
      maxResults: 1,
      nextPageToken: token,
    });
    await expectStatus(200, 'quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ['QMS-1'],
      fieldIds: ['status', F],
    });
    await expectStatus(400, 'quality', 'POST', '/rest/api/3/changelog/bulkfetch', {
      issueIdsOrKeys: ['QMS-1'],
      nextPageToken: 'garbage',
    });
  });

  it("sets the app's field values in the documented shapes", async () => {
    await expectStatus(204, 'app', 'POST', '/rest/api/3/app/field/value', {
      updates: [{ customField: F, issueIds: [10000, 10001], value: impact('no-filing', 2) }],
    });
    await expectStatus(204, 'app', 'POST', '/rest/api/3/app/field/value?generateChangelog=false', {
      updates: [{ customField: F, issueIds: [10001], value: impact('no-filing', 3) }],
    });
    await expectStatus(204, 'app', 'PUT', `/rest/api/3/app/field/${F}/value`, {
      updates: [{ issueIds: [10000], value: impact('filing-required', 3) }],
    });
    await expectStatus(
      204,
      'app',
      'PUT',
      `/rest/api/3/app/field/${REGULATORY_IMPACT_FIELD.key}/value?generateChangelog=true`,
      { updates: [{ issueIds: [10000], value: null }] },
    );
    await expectStatus(403, 'quality', 'PUT', `/rest/api/3/app/field/${F}/value`, {
      updates: [{ issueIds: [10000], value: impact('no-filing', 4) }],
    });
    await expectStatus(404, 'app', 'PUT', '/rest/api/3/app/field/customfield_99999/value', {
      updates: [{ issueIds: [10000], value: 1 }],
    });
    await expectStatus(400, 'app', 'POST', '/rest/api/3/app/field/value', {
      updates: [{ customField: F, issueIds: [10000], value: { status: 'unknown' } }],
    });
  });

  it('drove every implemented operation and found no contract violation', () => {
    const coverage = checker.coverage(IMPLEMENTED);
    expect(coverage.missing).toEqual([]);
    expect(violations).toEqual([]);
  });
});
