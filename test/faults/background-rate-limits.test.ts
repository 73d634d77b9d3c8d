/**
 * Rate limits and Jira errors on the app's own paths, which no person is waiting on: the
 * triggers (`keep-linked-issues-consistent`, `maintain-traceability-index`), the daily
 * `flag-overdue-commitments` and the `rebuild-traceability-index` consumer, on the demo site
 * through the real handlers. Each job's own Jira calls (as the app) are found by running it
 * once without faults; then each of them in turn answers 429 (Retry-After 1 s) or 503 until
 * the retry budget is spent, and Jira recovers after that (so an undo can get through).
 *
 * The job must say it failed, never "done", and leave nothing half-written: Jira and app
 * storage are as before the job ran, or exactly as the run without faults left them (apart
 * from the bookkeeping `contentOf` documents). The rebuild is the exception by design: it
 * works in chunks over the whole site, so it is held to every index entry being as before
 * or as rebuilt, no "index built" mark, and its run recorded as failed with the reason.
 *
 * The event each job handles is staged by editing the sandbox's state directly (no Jira
 * event), so only the job under test reacts to it.
 */
import { defaultRetryPolicy } from '../../src/adapters/jira/jira-http';
import { IMPACT_PROPERTY_KEY, OVERDUE_PROPERTY_KEY, SUBMISSION_PROPERTY_KEY } from '../../src/config/jira-conventions';
import { StoredImpactSchema, toImpactFieldValue } from '../../src/domain/impact-field-value';
import { RegulatoryImpactSchema } from '../../src/domain/model';
import { IndexAdminStatusSchema } from '../../src/contract/traceability';
import type { StoredIssue } from '../../sandbox/jira';
import { contentOf, dataOf, differences, recordRetryWaits, startFaultSite } from './harness';
import type { FaultSite, SiteState } from './harness';
import { USER_PATHS, assessAndDecide, planCall } from './paths';

jest.setTimeout(180_000);

const FAILED = /^(RATE_LIMITED|JIRA_UNAVAILABLE): /;

const issueByKey = (state: SiteState, key: string): StoredIssue => {
  const issue = Object.values(state.jira.issues).find((i) => i.key === key);
  if (!issue) throw new Error(`no ${key}`);
  return issue;
};

/** A copy of `state` with `edit` applied to its Jira part. */
const editedJira = (state: SiteState, edit: (jira: SiteState['jira']) => void): SiteState => {
  const jira = structuredClone(state.jira);
  edit(jira);
  return { ...state, jira };
};

const rebuildCall = (site: FaultSite) => {
  const call = USER_PATHS.find((p) => p.name === 'index rebuild')?.call(site);
  if (!call) throw new Error('no index rebuild path');
  return call;
};

interface Job {
  name: string;
  /** The site just after what the job reacts to happened, before the job ran. */
  stage(site: FaultSite): Promise<SiteState>;
  /**
   * Runs the job; answers its outcome, as its handler reported it. What its writes cause in
   * turn (the index following a property the trigger wrote) runs after, when the test next
   * looks: it is another job, with its own test here.
   */
  run(site: FaultSite, staged: SiteState): Promise<{ outcome: string; reason?: string }>;
  /** The triggers that get Jira events while it runs: itself, when it is one. */
  triggers: string[];
  /** It writes several issue properties for one run, so a failed write has earlier ones to put back. */
  writesSeveral?: true;
  /** Whole-state all-or-nothing (default), or per index entry (the chunked rebuild). */
  perEntry?: boolean;
}

const outcomeOf = (answer: unknown): { outcome: string; reason?: string } =>
  answer as { outcome: string; reason?: string };

/** The id of the Commitment the index trigger's event says was deleted. */
let deletedId = '';

const JOBS: Job[] = [
  {
    name: 'keep-linked-issues-consistent: a record re-decided, its three Submissions get the new categories',
    triggers: ['keep-linked-issues-consistent'],
    writesSeveral: true,
    async stage(site) {
      await assessAndDecide(site);
      dataOf(await site.invoke(planCall(site)));
      const planned = await site.state();
      // A reviewer re-decides all three applications at once, as the app records it: the signed
      // record in app storage and Jira's copy of it (the signatures are not re-bound: the trigger does not check them).
      const recategorised: Record<string, string> = {
        'APP-NDA-CARDIOLOL': 'CBE-30',
        'APP-MAA-CARDIOLOL': 'EU-II',
        'APP-BLA-IMMUNOMAB': 'PAS',
      };
      const qms1 = issueByKey(planned, 'QMS-1');
      const assessment = StoredImpactSchema.parse(structuredClone(qms1.properties[IMPACT_PROPERTY_KEY]));
      const recategorisedImpact = RegulatoryImpactSchema.parse({
        ...assessment,
        decisions: assessment.decisions.map((d) =>
          d.decided
            ? { ...d, decided: { ...d.decided, category: recategorised[d.applicationId] ?? d.decided.category } }
            : d,
        ),
      });
      const edited = editedJira(planned, (jira) => {
        const issue = Object.values(jira.issues).find((i) => i.key === 'QMS-1');
        if (!issue) throw new Error('no QMS-1');
        issue.properties[IMPACT_PROPERTY_KEY] = toImpactFieldValue(recategorisedImpact);
      });
      const kvs = structuredClone(edited.kvs);
      const signed = (kvs.entities['impact-record'] ?? []).find((e) => e.key === 'QMS-1');
      if (!signed || typeof signed.value !== 'object' || signed.value === null)
        throw new Error('QMS-1 has no signed record');
      (signed.value as { impact: unknown }).impact = recategorisedImpact;
      return { ...edited, kvs };
    },
    async run(site, staged) {
      const qms1 = issueByKey(staged, 'QMS-1');
      const answer = await site.app.invokeFunction('keep-linked-issues-consistent', {
        eventType: 'avi:jira:set:issue-property',
        issue: { id: qms1.id, key: 'QMS-1' },
        propertyKey: IMPACT_PROPERTY_KEY,
        atlassianId: 'someone-else',
      });
      return outcomeOf(answer);
    },
  },
  {
    name: 'maintain-traceability-index: a Commitment deleted, its entry goes and its record no longer lists it',
    triggers: ['maintain-traceability-index'],
    async stage(site) {
      const demo = await site.state();
      const rim7 = issueByKey(demo, 'RIM-7');
      deletedId = rim7.id;
      return editedJira(demo, (jira) => {
        delete jira.issues[rim7.id];
        for (const [id, link] of Object.entries(jira.links))
          if (link.sourceIssueId === rim7.id || link.destinationIssueId === rim7.id) delete jira.links[id];
      });
    },
    async run(site, staged) {
      const qms5 = issueByKey(staged, 'QMS-5');
      const answer = await site.app.invokeFunction('maintain-traceability-index', {
        eventType: 'avi:jira:deleted:issue',
        issue: { id: deletedId, key: 'RIM-7', fields: { issuelinks: [{ inwardIssue: { id: qms5.id } }] } },
      });
      return outcomeOf(answer);
    },
  },
  {
    name: 'flag-overdue-commitments: the open Commitment and the letter past their due dates get flagged',
    triggers: [],
    writesSeveral: true,
    async stage(site) {
      // No flags yet: the daily run has two to set.
      return editedJira(await site.state(), (jira) => {
        for (const issue of Object.values(jira.issues)) delete issue.properties[OVERDUE_PROPERTY_KEY];
      });
    },
    async run(site) {
      const answer = await site.app.invokeFunction('flag-overdue-commitments', {});
      return outcomeOf(answer);
    },
  },
  {
    name: 'rebuild-traceability-index: a stale entry rewritten, a vanished issue dropped',
    triggers: [],
    perEntry: true,
    async stage(site) {
      const demo = await site.state();
      const rim1 = issueByKey(demo, 'RIM-1');
      const rim9 = issueByKey(demo, 'RIM-9');
      // Changed and deleted behind the triggers' back: only a rebuild notices.
      return editedJira(demo, (jira) => {
        const submission = jira.issues[rim1.id];
        if (submission)
          submission.properties[SUBMISSION_PROPERTY_KEY] = {
            ...(submission.properties[SUBMISSION_PROPERTY_KEY] as object),
            category: 'CBE-0',
          };
        delete jira.issues[rim9.id];
        for (const [id, link] of Object.entries(jira.links))
          if (link.sourceIssueId === rim9.id || link.destinationIssueId === rim9.id) delete jira.links[id];
      });
    },
    async run(site) {
      dataOf(await site.invoke(rebuildCall(site)));
      const status = IndexAdminStatusSchema.parse(
        dataOf(await site.invoke({ ...rebuildCall(site), key: 'admin/index/status' })),
      );
      const run = status.run;
      return { outcome: run?.phase ?? 'none', ...(run?.error !== undefined ? { reason: run.error } : {}) };
    },
  },
];
const entriesOf = (state: SiteState): Map<string, string> => {
  const content = contentOf(state) as { kvs: { entities: Record<string, { key: string; value: unknown }[]> } };
  return new Map((content.kvs.entities['traceability-entry'] ?? []).map((e) => [e.key, JSON.stringify(e.value)]));
};

describe.each(JOBS.map((job) => [job.name, job] as const))('%s', (_name, job) => {
  let site: FaultSite;
  let staged: SiteState;
  let success: SiteState;
  let steps: { operation: string; after: number }[];
  let waits: ReturnType<typeof recordRetryWaits>;

  beforeAll(async () => {
    site = await startFaultSite({ triggers: job.triggers });
    waits = recordRetryWaits();
    staged = await job.stage(site);
    site.restore(staged);
    site.clearCalls();
    const outcome = await job.run(site, staged);
    const calls = site.appCalls();
    expect(outcome).toEqual(expect.objectContaining({ outcome: expect.stringMatching(/^(done|finished)$/) }));
    success = await site.state();
    // The job did something, so "as before" and "as done" are told apart.
    expect(differences(contentOf(staged), contentOf(success)).length).toBeGreaterThan(0);
    const seen = new Map<string, number>();
    steps = calls.map((operation) => {
      const after = seen.get(operation) ?? 0;
      seen.set(operation, after + 1);
      return { operation, after };
    });
    expect(steps.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    waits.restore();
    await site.app.close();
    expect(site.contract.violations()).toEqual([]);
  });

  it.each([429, 503])(
    'when any one of its Jira calls answers %i until the retry budget is spent, says it failed and leaves nothing half-written',
    async (status) => {
      for (const { operation, after } of steps) {
        site.restore(staged);
        site.app.jira.setFaults({
          failOperations: [
            {
              operation,
              after,
              status,
              account: 'app',
              times: defaultRetryPolicy.maxAttempts,
              ...(status === 429 ? { retryAfterSeconds: 1 } : {}),
            },
          ],
        });
        const outcome = await job.run(site, staged);
        site.app.jira.clearFaults();
        const state = await site.state();
        const verdict = job.perEntry
          ? (() => {
              const [before, done, now] = [entriesOf(staged), entriesOf(success), entriesOf(state)];
              const keys = new Set([...before.keys(), ...done.keys(), ...now.keys()]);
              return {
                halfWritten: [...keys].filter((k) => now.get(k) !== before.get(k) && now.get(k) !== done.get(k)),
                builtMarkUnchanged:
                  JSON.stringify(state.kvs.keyValues.filter((e) => /built/i.test(e.key))) ===
                  JSON.stringify(staged.kvs.keyValues.filter((e) => /built/i.test(e.key))),
              };
            })()
          : (() => {
              const asBefore = differences(contentOf(staged), contentOf(state));
              const asDone = differences(contentOf(success), contentOf(state));
              return {
                halfWritten: asBefore.length === 0 || asDone.length === 0 ? [] : asDone,
                builtMarkUnchanged: true,
              };
            })();
        expect({
          step: `${operation} #${after + 1}`,
          outcome: outcome.outcome,
          saysWhy: FAILED.test(outcome.reason ?? ''),
          ...verdict,
        }).toEqual({
          step: `${operation} #${after + 1}`,
          outcome: 'failed',
          saysWhy: true,
          halfWritten: [],
          builtMarkUnchanged: true,
        });
      }
    },
  );

  // Only a job that writes several properties has earlier writes to put back.
  if (job.writesSeveral)
    it('when Jira stays down for the put-back too, names the write it could not put back', async () => {
      expect(
        steps.filter((s) => s.operation === 'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}').length,
      ).toBeGreaterThanOrEqual(2);
      site.restore(staged);
      // The second write fails, and so does every later one: the first write cannot be put back.
      site.app.jira.setFaults({
        failOperations: [
          {
            operation: 'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
            after: 1,
            status: 503,
            account: 'app',
          },
          // Putting back a property the issue did not have is deleting it.
          {
            operation: 'DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
            status: 503,
            account: 'app',
          },
        ],
      });
      const outcome = await job.run(site, staged);
      site.app.jira.clearFaults();
      const state = await site.state();
      const notPutBack = /Putting back (\S+) on ([A-Z]+-\d+) failed too; the next run writes it again/.exec(
        outcome.reason ?? '',
      );
      expect({ outcome: outcome.outcome, named: notPutBack !== null }).toEqual({ outcome: 'failed', named: true });
      // Exactly that one write is left over: the issue it names is as done, everything else as before.
      const [, propertyKey = '', issueKey = ''] = notPutBack ?? [];
      expect(
        differences(contentOf(staged), contentOf(state)).filter(
          (path) => !path.startsWith(`jira.issues.${issueKey}.properties.${propertyKey}`),
        ),
      ).toEqual([]);
      expect(
        differences(contentOf(success), contentOf(state)).filter((path) => path.startsWith(`jira.issues.${issueKey}.`)),
      ).toEqual([]);
    });
});
