/**
 * Rate limits and Jira errors on every user-facing read and write path, through the real
 * handlers on the demo site (paths.ts lists them). For each path, its own Jira calls (as the
 * person) are found by running it once without faults; then:
 *
 * - a 429 with Retry-After on every other request, or a 503 once on each call it makes, is
 *   waited out (the wait Retry-After names; exponential backoff for the 503) and the path
 *   ends exactly as without faults;
 * - when any one of its calls keeps answering 429 (or 503) until the retry budget is spent,
 *   the person gets RATE_LIMITED (JIRA_UNAVAILABLE) with a message, and Jira and app storage
 *   are as they were before, apart from the bookkeeping `contentOf` documents and what the
 *   message says was created and deleted again;
 * - a Retry-After beyond the budget is not waited for at all.
 *
 * Faults are scoped to the person's account, so the app's own triggers and the undo keep
 * working (no-orphans.test.ts fails those). The waits are recorded instead of slept
 * (`recordRetryWaits`): the production policy's attempts, budget and backoff are unchanged.
 */
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { defaultRetryPolicy } from '../../src/adapters/jira/jira-http';
import { AUDIT_HIGH_WATER_SECRET } from '../../src/adapters/kvs/audit-repository';
import {
  contentOf,
  differences,
  historiesOnlyGainedLinks,
  recordRetryWaits,
  scrubbed,
  startFaultSite,
} from './harness';
import type { FaultSite, SiteState } from './harness';
import { USER_PATHS } from './paths';

jest.setTimeout(180_000);

const NOTHING_CHANGED = /nothing was (changed|saved|created|recorded)/i;
const READ_POSTS = new Set([
  'POST /rest/api/3/issue/bulkfetch',
  'POST /rest/api/3/search/jql',
  'POST /rest/api/3/expression/evaluate',
]);
/** A POST that creates something is not retried on a 5xx: it may have been applied (jira-http.ts). */
const retriedOn5xx = (operation: string) => !operation.startsWith('POST ') || READ_POSTS.has(operation);

/** Every request of each operation, once: `{ operation, after }` fails the `after`+1-th. */
const stepsOf = (calls: readonly string[]) => {
  const seen = new Map<string, number>();
  return calls.map((operation) => {
    const after = seen.get(operation) ?? 0;
    seen.set(operation, after + 1);
    return { operation, after };
  });
};

/**
 * The writes of Jira's copy of a signed record come after the record and its audit entry are
 * committed (src/services/impact-write.ts): a failure there leaves the change recorded and the
 * copy flagged as out of step, which the person is told and can bring back.
 */
const MIRROR_WRITES = new Set([
  'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
  'PUT /rest/api/3/issue/{issueIdOrKey}',
]);
const COMMITS_SIGNED_RECORD = new Set(['save assessment', 'decide', 'create submission plan']);
/** What the restore's own audit entry moves: the entry, the chain's head, and its high-water mark (secret storage). */
const RESTORE_BOOKKEEPING = (path: string, state: SiteState): boolean => {
  const secret = /^kvs\.secrets\.(\d+)\.value/.exec(path);
  if (secret) return state.kvs.secrets[Number(secret[1])]?.key === AUDIT_HIGH_WATER_SECRET;
  return path === 'kvs.keyValues.length' || path.startsWith('kvs.entities.audit-head');
};
const RECORDED =
  /is signed and in the audit trail .*(Jira's copy of the assessment|the "Regulatory impact" field) could not be updated/s;

/**
 * While "add commitment" runs, the sandbox delivers the Commitment's creation to the consistency
 * trigger at once, and the trigger asks Jira whether the person may link the record (its reads
 * and the person's retries alternate, waits not being slept). A limiter refusing exactly every
 * other request then gives the trigger every allowed slot and the person none, in lockstep, which
 * no real limiter does (and Forge delivers product events later). For that path every third
 * request is refused instead; the trigger's requests still count.
 */
const LOCKSTEP_WITH_TRIGGER = new Set(['add commitment']);

// The admin page's reads ask Jira whether the person is a Jira admin first (test/security/admin-page-access.test.ts), so they are not Jira-free.
const JIRA_FREE = new Set(['macro options']);

describe.each(USER_PATHS.filter((p) => !JIRA_FREE.has(p.name)).map((p) => [p.name, p] as const))(
  '%s',
  (_name, path) => {
    let site: FaultSite;
    let before: SiteState;
    let withoutFaults: unknown;
    let calls: string[];
    let waits: ReturnType<typeof recordRetryWaits>;

    beforeAll(async () => {
      site = await startFaultSite();
      await path.prepare?.(site);
      before = await site.state();
      site.clearCalls();
      const answer = await site.invoke(path.call(site));
      expect(answer).toMatchObject({ ok: true });
      calls = site.personCalls();
      expect(calls.length).toBeGreaterThan(0);
      withoutFaults = scrubbed({ answer, content: contentOf(await site.state()) });
    });
    beforeEach(() => {
      site.restore(before);
      waits = recordRetryWaits();
    });
    afterEach(() => {
      waits.restore();
      site.app.jira.clearFaults();
    });
    afterAll(async () => {
      await site.app.close();
      expect(site.contract.violations()).toEqual([]);
    });

    it('waits out a 429 on the first request of each of its Jira calls for the Retry-After Jira names, and ends as without faults', async () => {
      const distinct = [...new Set(calls)];
      site.app.jira.setFaults({
        failOperations: distinct.map((operation) => ({
          operation,
          status: 429,
          retryAfterSeconds: 2,
          times: 1,
          account: path.call(site).accountId,
        })),
      });
      const answer = await site.invoke(path.call(site));
      site.app.jira.clearFaults();
      expect(scrubbed({ answer, content: contentOf(await site.state()) })).toEqual(withoutFaults);
      expect(waits.waits).toEqual(distinct.map(() => 2000));
    });

    it("gets through Jira's limiter refusing every other request (the app's triggers included), and ends as without faults", async () => {
      site.app.jira.setFaults({
        rateLimit: { every: LOCKSTEP_WITH_TRIGGER.has(path.name) ? 3 : 2, retryAfterSeconds: 0 },
      });
      const answer = await site.invoke(path.call(site));
      site.app.jira.clearFaults();
      expect(scrubbed({ answer, content: contentOf(await site.state()) })).toEqual(withoutFaults);
    });

    it('backs off on a 503 to each of its retryable calls, and ends as without faults', async () => {
      const retryable = [...new Set(calls.filter(retriedOn5xx))];
      site.app.jira.setFaults({
        failOperations: retryable.map((operation) => ({
          operation,
          status: 503,
          times: 1,
          account: path.call(site).accountId,
        })),
      });
      const answer = await site.invoke(path.call(site));
      site.app.jira.clearFaults();
      expect(scrubbed({ answer, content: contentOf(await site.state()) })).toEqual(withoutFaults);
      expect(waits.waits).toEqual(retryable.map(() => defaultRetryPolicy.baseBackoffMs));
    });

    it('does not wait for a Retry-After beyond its budget: RATE_LIMITED at once, nothing changed', async () => {
      site.app.jira.setFaults({
        failOperations: [
          { operation: calls[0] ?? '', status: 429, retryAfterSeconds: 60, account: path.call(site).accountId },
        ],
      });
      const answer = await site.invoke(path.call(site));
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(NOTHING_CHANGED) },
      });
      expect(waits.waits).toEqual([]);
      expect(differences(contentOf(before), contentOf(await site.state()))).toEqual([]);
    });

    it.each([
      [429, 'RATE_LIMITED'],
      [503, 'JIRA_UNAVAILABLE'],
    ])(
      'when any one of its Jira calls keeps answering %i, answers %s within the budget and leaves nothing half-written',
      async (status, code) => {
        const outcomes: unknown[] = [];
        for (const { operation, after } of stepsOf(calls)) {
          site.restore(before);
          waits.waits.length = 0;
          const call = path.call(site);
          site.app.jira.setFaults({ failOperations: [{ operation, after, status, account: call.accountId }] });
          const answer = await site.invoke(call);
          site.app.jira.clearFaults();
          const state = await site.state();
          const attempts = status === 429 || retriedOn5xx(operation) ? defaultRetryPolicy.maxAttempts : 1;
          if (COMMITS_SIGNED_RECORD.has(path.name) && MIRROR_WRITES.has(operation)) {
            // Recorded, flagged, and brought back to exactly the fault-free outcome by "Update Jira's copy".
            const message = answer.ok ? '' : answer.error.message;
            const flagged = await site.invoke({
              module: 'impact-panel',
              key: 'impact/get',
              payload: {},
              extension: { type: 'jira:issuePanel', issue: { key: 'QMS-1' }, project: { key: 'QMS' } },
              accountId: call.accountId,
            });
            const restored = await site.invoke({
              module: 'impact-panel',
              key: 'impact/restore-mirror',
              payload: {},
              extension: { type: 'jira:issuePanel', issue: { key: 'QMS-1' }, project: { key: 'QMS' } },
              accountId: call.accountId,
            });
            const restoredState = await site.state();
            const left = differences(
              (withoutFaults as { content: unknown }).content,
              scrubbed(contentOf(restoredState)),
            );
            outcomes.push({
              step: `${operation} #${after + 1}`,
              code: answer.ok ? 'ok' : answer.error.code,
              saysRecorded: RECORDED.test(message),
              flagged: flagged.ok && flagged.data.applies && flagged.data.integrity.state,
              restored: restored.ok && restored.data.restored,
            });
            expect(outcomes.at(-1)).toEqual({
              step: `${operation} #${after + 1}`,
              code,
              saysRecorded: true,
              // The gates read the property: a stale property is flagged; a stale field alone misleads no gate.
              flagged: operation.endsWith('{propertyKey}') ? 'altered' : 'intact',
              restored: true,
            });
            // Only the restore's own audit entry (and the head it moved) differ from the fault-free run.
            expect(left.length).toBeGreaterThan(0);
            expect(left.filter((p) => !RESTORE_BOOKKEEPING(p, restoredState))).toEqual([]);
            continue;
          }
          const waited = waits.waits.reduce((sum, ms) => sum + ms, 0);
          const message = answer.ok ? '' : answer.error.message;
          // Only what the message owns up to may differ: keys created on the way and deleted again.
          const undone = [...message.matchAll(/\b(RIM-\d+)\b/g)].map((m) => m[1]);
          outcomes.push({
            step: `${operation} #${after + 1}`,
            code: answer.ok ? 'ok' : answer.error.code,
            saysNothingChanged: !path.writes || NOTHING_CHANGED.test(message),
            attempts: waits.waits.length + 1,
            withinBudget: waited <= defaultRetryPolicy.maxWaitMs,
            changed: differences(contentOf(before), contentOf(state)),
            historiesBeyondLinks: historiesOnlyGainedLinks(before, state),
            linkHistoryOnlyForUndone: undone.length > 0 || historiesOnlyGainedLinks(before, state).length === 0,
          });
          expect(outcomes.at(-1)).toEqual({
            step: `${operation} #${after + 1}`,
            code,
            saysNothingChanged: true,
            attempts,
            withinBudget: true,
            changed: [],
            historiesBeyondLinks: [],
            linkHistoryOnlyForUndone: true,
          });
        }
        expect(outcomes.length).toBe(calls.length);
      },
    );
  },
);

describe.each(USER_PATHS.filter((p) => JIRA_FREE.has(p.name)).map((p) => [p.name, p] as const))('%s', (_name, path) => {
  it('reads only app storage, so Jira refusing every request does not reach it', async () => {
    const site = await startFaultSite();
    try {
      await path.prepare?.(site);
      const withoutFaults = await site.invoke(path.call(site));
      site.clearCalls();
      site.app.jira.setFaults({ rateLimit: { every: 1, retryAfterSeconds: 0 } });
      const answer = await site.invoke(path.call(site));
      expect(site.personCalls()).toEqual([]);
      expect(answer).toMatchObject({ ok: true });
      expect(scrubbed(answer)).toEqual(scrubbed(withoutFaults));
    } finally {
      await site.app.close();
    }
  });
});

describe('the real wait', () => {
  it('sleeps for the Retry-After Jira names before trying again', async () => {
    const site = await startFaultSite();
    try {
      const call = USER_PATHS.find((p) => p.name === 'impact panel')?.call(site);
      if (!call) throw new Error('no impact panel path');
      site.app.jira.setFaults({
        failOperations: [
          {
            operation: 'GET /rest/api/3/issue/{issueIdOrKey}',
            status: 429,
            retryAfterSeconds: 1,
            times: 1,
            account: SITE_ACCOUNTS.regulatory,
          },
        ],
      });
      // The fault site fakes Date for the signers' codes; the monotonic clock measures the real wait.
      const started = performance.now();
      const answer = await site.invoke(call);
      expect(answer).toMatchObject({ ok: true });
      expect(performance.now() - started).toBeGreaterThanOrEqual(995);
    } finally {
      await site.app.close();
    }
  });
});
