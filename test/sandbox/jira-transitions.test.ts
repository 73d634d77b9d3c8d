import type { ValidatorInvocation, ValidatorRunner } from '../../sandbox/jira';
import { QMS_TRANSITIONS, SITE_ACCOUNTS } from '../../sandbox/jira';
import { createTestSite } from '../../sandbox/jira/fixtures/test-site';

const GATE = { moduleKey: 'impact-assessed-gate', configuration: { requireDecisions: true } };

const setUp = (runValidator?: ValidatorRunner) => {
  const calls: ValidatorInvocation[] = [];
  const recordingRunner: ValidatorRunner | undefined = runValidator
    ? async (invocation) => {
        calls.push(invocation);
        return runValidator(invocation);
      }
    : undefined;
  const site = createTestSite(recordingRunner ? { runValidator: recordingRunner } : {});
  const issue = site.jira.seedIssue({
    project: 'QMS',
    issueType: 'Change Control',
    summary: 'Replace tablet press supplier',
    status: 'In Assessment',
  });
  for (const issueType of ['Change Control', 'CAPA']) {
    site.jira.setTransitionValidators({
      projectKey: 'QMS',
      issueType,
      transitionId: QMS_TRANSITIONS.submitForReview,
      validators: [GATE],
    });
  }
  const before = site.jira.readIssue(issue.key);
  return { ...site, issue, calls, before };
};

const submitForReview = (site: ReturnType<typeof setUp>, body: Record<string, unknown> = {}) =>
  site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
    transition: { id: QMS_TRANSITIONS.submitForReview },
    ...body,
  });

describe("Jira stand-in: transitions run the app's workflow validators", () => {
  it("refuses the transition with the validator's message, and changes nothing", async () => {
    const site = setUp(async () => ({
      result: false,
      errorMessage: 'Impact not assessed: decide a filing category for application NDA-021234 (US).',
    }));
    const res = await submitForReview(site);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: ['Impact not assessed: decide a filing category for application NDA-021234 (US).'],
      errors: {},
    });
    expect(site.jira.readIssue(site.issue.key)).toEqual(site.before);
    await site.jira.whenEventsDelivered();
    expect(site.events).toEqual([]);
  });

  it('passes the validator what Jira passes a Forge validator function', async () => {
    const site = setUp(async () => ({ result: true }));
    await submitForReview(site);
    const statuses = Object.values(site.jira.snapshot().statuses);
    const id = (name: string) => statuses.find((s) => s.name === name)?.id;
    expect(site.calls).toEqual([
      {
        moduleKey: 'impact-assessed-gate',
        configuration: { requireDecisions: true },
        issue: { id: site.issue.id, key: site.issue.key },
        transition: {
          id: QMS_TRANSITIONS.submitForReview,
          name: 'Submit for review',
          from: { id: id('In Assessment') },
          to: { id: id('Under Review') },
        },
        modifiedFields: {},
      },
    ]);
  });

  it('performs the transition when the validator passes: status, changelog and event', async () => {
    const site = setUp(async () => ({ result: true }));
    const res = await submitForReview(site);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const issue = await site.call(
      'quality',
      'GET',
      `/rest/api/3/issue/${site.issue.key}?fields=status,updated&expand=changelog`,
    );
    expect(issue.body).toMatchObject({
      fields: { status: { name: 'Under Review', statusCategory: { key: 'indeterminate', id: 4 } } },
      changelog: {
        total: 1,
        histories: [
          {
            author: { accountId: SITE_ACCOUNTS.quality },
            items: [
              {
                field: 'status',
                fieldtype: 'jira',
                fieldId: 'status',
                fromString: 'In Assessment',
                toString: 'Under Review',
              },
            ],
          },
        ],
      },
    });
    await site.jira.whenEventsDelivered();
    expect(site.events).toHaveLength(1);
    expect(site.events[0]).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      event: {
        eventType: 'avi:jira:updated:issue',
        atlassianId: SITE_ACCOUNTS.quality,
        selfGenerated: false,
        issue: { id: site.issue.id, key: site.issue.key, fields: { status: { name: 'Under Review' } } },
        changelog: { items: [{ fieldId: 'status', fromString: 'In Assessment', toString: 'Under Review' }] },
      },
    });
  });

  it('refuses when the validator throws (fail closed) or answers something that is not a verdict', async () => {
    const throwing = setUp(async () => {
      throw new Error('function timed out');
    });
    const res = await submitForReview(throwing);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: [
        expect.stringContaining("The workflow validator 'impact-assessed-gate' failed (function timed out)"),
      ],
      errors: {},
    });
    expect(throwing.jira.readIssue(throwing.issue.key)).toEqual(throwing.before);

    const garbled = setUp(async () => JSON.parse('{"ok":true}'));
    expect((await submitForReview(garbled)).status).toBe(400);
    expect(garbled.jira.readIssue(garbled.issue.key)).toEqual(garbled.before);
    await Promise.all([throwing.jira.whenEventsDelivered(), garbled.jira.whenEventsDelivered()]);
    expect([...throwing.events, ...garbled.events]).toEqual([]);
  });

  it('refuses a gated transition when no validator runner is configured', async () => {
    const site = setUp();
    const res = await submitForReview(site);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorMessages: [expect.stringContaining('no validator runner is configured')] });
  });

  it('runs validators in order and stops at the first refusal; ungated transitions run none', async () => {
    const site = setUp(async (inv) => ({
      result: inv.moduleKey !== 'second',
      errorMessage: `${inv.moduleKey} says no`,
    }));
    site.jira.setTransitionValidators({
      projectKey: 'QMS',
      issueType: 'Change Control',
      transitionId: QMS_TRANSITIONS.submitForReview,
      validators: [GATE, { moduleKey: 'second', configuration: {} }, { moduleKey: 'third', configuration: {} }],
    });
    const res = await submitForReview(site);
    expect(res.body).toEqual({ errorMessages: ['second says no'], errors: {} });
    expect(site.calls.map((c) => c.moduleKey)).toEqual(['impact-assessed-gate', 'second']);
    const cancel = await site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
      transition: { id: QMS_TRANSITIONS.cancel },
    });
    expect(cancel.status).toBe(204);
    expect(site.calls).toHaveLength(2);
  });

  it('runs validators for the app too', async () => {
    const site = setUp(async () => ({ result: false, errorMessage: 'no' }));
    const res = await site.call('app', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
      transition: { id: QMS_TRANSITIONS.submitForReview },
    });
    expect(res.status).toBe(400);
  });

  it('answers 409 when the issue moved while its validators ran', async () => {
    let release: () => void = () => undefined;
    const site = setUp(() => new Promise((resolve) => (release = () => resolve({ result: true }))));
    const pending = submitForReview(site);
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      (
        await site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
          transition: { id: QMS_TRANSITIONS.cancel },
        })
      ).status,
    ).toBe(204);
    release();
    const res = await pending;
    expect(res.status).toBe(409);
    expect(site.jira.readIssue(site.issue.key)?.histories).toHaveLength(1);
  });

  it('lists only the transitions available from the current status, and refuses the others', async () => {
    const site = setUp(async () => ({ result: true }));
    const list = await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}/transitions`);
    expect(list.body).toMatchObject({
      transitions: [
        { id: QMS_TRANSITIONS.submitForReview, name: 'Submit for review', to: { name: 'Under Review' } },
        { id: QMS_TRANSITIONS.cancel, isGlobal: true },
      ],
    });
    const wrong = await site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
      transition: { id: QMS_TRANSITIONS.close },
    });
    expect(wrong.body).toEqual({
      errorMessages: [`Transition id '${QMS_TRANSITIONS.close}' is not valid for this issue.`],
      errors: {},
    });
    const missing = await site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {});
    expect(missing.body).toEqual({ errorMessages: ["Missing 'transition' identifier"], errors: {} });
    const screenField = await submitForReview(site, { fields: { summary: 'new' } });
    expect(screenField.body).toEqual({
      errorMessages: [],
      errors: { summary: "Field 'summary' cannot be set. It is not on the appropriate screen, or unknown." },
    });
  });

  it('resolves an issue entering a done status and unresolves it on leaving', async () => {
    const site = setUp(async () => ({ result: true }));
    await site.call('quality', 'POST', `/rest/api/3/issue/${site.issue.key}/transitions`, {
      transition: { id: QMS_TRANSITIONS.cancel },
    });
    const issue = await site.call(
      'quality',
      'GET',
      `/rest/api/3/issue/${site.issue.key}?fields=resolution,resolutiondate,status`,
    );
    expect(issue.body).toMatchObject({
      fields: {
        status: { name: 'Cancelled', statusCategory: { key: 'done' } },
        resolution: { name: 'Done' },
        resolutiondate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      },
    });
    const changes = await site.call('quality', 'GET', `/rest/api/3/issue/${site.issue.key}/changelog`);
    expect(changes.body).toMatchObject({
      values: [
        {
          items: [
            expect.objectContaining({ field: 'status' }),
            expect.objectContaining({ field: 'resolution', toString: 'Done' }),
          ],
        },
      ],
    });
  });
});
