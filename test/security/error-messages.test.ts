/**
 * An error a person sees names what failed in words, never the app's internal REST paths
 * (`/rest/api/3/issue/QMS-1/properties/qmsrim.impact` tells an attacker which property to
 * forge and which calls the app makes as them). Every user path of the app (test/faults/paths.ts)
 * is run once to learn the Jira operations it makes as the person; then each operation in turn
 * fails (404, 400, 409 and a 500, each with a Jira error text that itself quotes a REST path)
 * and the resolver's answer must hold no `/rest/`.
 */
import { createJiraHttp, NoContent } from '../../src/adapters/jira/jira-http';
import type { JiraResponseLike } from '../../src/adapters/jira/jira-http';
import { route } from '@forge/api';
import { z } from 'zod';
import { USER_PATHS } from '../faults/paths';
import { recordRetryWaits, startFaultSite } from '../faults/harness';
import type { FaultSite, SiteState } from '../faults/harness';

jest.setTimeout(600_000);

const STATUSES = [404, 400, 409, 500] as const;
const LEAKY_DETAIL = 'Could not handle /rest/api/3/issue/QMS-1/properties/qmsrim.impact';

let site: FaultSite;
let base: SiteState;
let waits: ReturnType<typeof recordRetryWaits>;

beforeAll(async () => {
  site = await startFaultSite();
  base = await site.state();
  waits = recordRetryWaits();
});
afterAll(async () => {
  waits.restore();
  await site.app.close();
});

describe.each(USER_PATHS.map((p) => [p.name, p] as const))('%s', (_name, path) => {
  it('names no REST path in any error, whichever of its Jira calls fails', async () => {
    site.restore(base);
    await path.prepare?.(site);
    const prepared = await site.state();
    site.clearCalls();
    await site.invoke(path.call(site));
    const operations = [...new Set(site.personCalls())];
    const messages: string[] = [];
    for (const operation of operations) {
      for (const status of STATUSES) {
        site.restore(prepared);
        const call = path.call(site);
        site.app.jira.setFaults({
          failOperations: [{ operation, status, account: call.accountId, message: LEAKY_DETAIL }],
        });
        try {
          const answer = await site.invoke(call);
          if (!answer.ok) messages.push(answer.error.message);
        } finally {
          site.app.jira.clearFaults();
        }
      }
    }
    expect(messages.filter((m) => m.includes('/rest/'))).toEqual([]);
    if (operations.length > 0) expect(messages.length).toBeGreaterThan(0);
  });
});

describe('the Jira client’s own messages', () => {
  const answering = (status: number, text: string) => async (): Promise<JiraResponseLike> => ({
    status,
    headers: { get: () => null },
    text: async () => text,
  });
  const failureOf = async (status: number, text: string, schema: z.ZodType = z.object({ id: z.string() })) => {
    const jira = createJiraHttp(answering(status, text), {
      maxAttempts: 1,
      maxWaitMs: 0,
      baseBackoffMs: 0,
      sleep: async () => undefined,
    });
    return jira
      .requestJira(route`/rest/api/3/issue/${'QMS-1'}/properties/${'qmsrim.impact'}`, { method: 'PUT', schema })
      .then(
        () => 'no error',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
  };

  it.each([
    ['a 404', 404, '{"errorMessages":["Issue does not exist or you do not have permission to see it."]}'],
    ['a 500 with a path in its text', 500, LEAKY_DETAIL],
    ['an answer that is not JSON', 200, '<html>'],
    ['an answer of the wrong shape', 200, '{"id":1}'],
    ['a 403 whose text quotes a path', 403, `{"errorMessages":["${LEAKY_DETAIL}"]}`],
  ])('%s: says what failed in words, without the path', async (_what, status, text) => {
    const message = await failureOf(status, text);
    expect(message).not.toBe('no error');
    expect(message).not.toMatch(/\/rest\//);
    expect(message).toMatch(/the app’s data on an issue/);
  });

  it('keeps answering a 204 as before', async () => {
    expect(await failureOf(204, '', NoContent)).toBe('no error');
  });
});
