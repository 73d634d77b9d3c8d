import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraResponseLike, RequestJira, RetryPolicy } from '../../src/adapters/jira/jira-http';
import { NoContent, createJiraHttp } from '../../src/adapters/jira/jira-http';
import { AppError } from '../../src/ports/app-error';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): JiraResponseLike => ({
  status,
  headers: { get: (name) => headers[name] ?? null },
  text: async () => (body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
});

/** A scripted Jira: answers in order and records what was asked and how long the client waited. */
const scripted = (...answers: JiraResponseLike[]) => {
  const calls: { path: string; method: string | undefined; body: string | undefined }[] = [];
  const waits: number[] = [];
  const requestJira: RequestJira = async (r, init) => {
    calls.push({ path: r.value, method: init?.method, body: init?.body });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return next;
  };
  const policy: RetryPolicy = {
    maxAttempts: 4,
    maxWaitMs: 10_000,
    baseBackoffMs: 100,
    sleep: async (ms) => void waits.push(ms),
  };
  return { requestJira, policy, calls, waits };
};

const Issue = z.object({ key: z.string() });

describe('createJiraHttp', () => {
  it('parses a successful answer with the given schema', async () => {
    const s = scripted(answer(200, { key: 'QMS-1', extra: true }));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/${'QMS-1'}`, { method: 'GET', schema: Issue }),
    ).resolves.toEqual({ key: 'QMS-1' });
    expect(s.calls).toEqual([{ path: '/rest/api/3/issue/QMS-1', method: 'GET', body: undefined }]);
  });

  it('rejects an answer of the wrong shape as INVALID_RESPONSE naming the path', async () => {
    const s = scripted(answer(200, { key: 42 }));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'GET', schema: Issue }),
    ).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('key') });
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const s = scripted(answer(429, '', { 'Retry-After': '3' }), answer(200, { key: 'QMS-1' }));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'GET', schema: Issue })).resolves.toEqual({
      key: 'QMS-1',
    });
    expect(s.waits).toEqual([3000]);
  });

  it('backs off exponentially on 5xx for reads', async () => {
    const s = scripted(answer(503, { errorMessages: ['down'] }), answer(500, ''), answer(200, { key: 'QMS-1' }));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'GET', schema: Issue })).resolves.toEqual({
      key: 'QMS-1',
    });
    expect(s.waits).toEqual([100, 200]);
  });

  it('gives up with RATE_LIMITED once the wait budget is spent', async () => {
    const s = scripted(answer(429, '', { 'Retry-After': '6' }), answer(429, '', { 'Retry-After': '6' }));
    const http = createJiraHttp(s.requestJira, s.policy);
    const error = await http
      .requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'GET', schema: Issue })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Nothing was changed') });
    expect(s.waits).toEqual([6000]);
  });

  it('gives up with JIRA_UNAVAILABLE after the attempt budget', async () => {
    const s = scripted(answer(500, ''), answer(500, ''), answer(500, ''), answer(500, ''));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'GET', schema: Issue }),
    ).rejects.toMatchObject({ code: 'JIRA_UNAVAILABLE' });
    expect(s.calls).toHaveLength(4);
  });

  it('never retries a creating POST on 5xx (it may have been applied), but does on 429', async () => {
    const s = scripted(answer(429, '', { 'Retry-After': '1' }), answer(502, ''));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue`, { method: 'POST', schema: Issue, body: { fields: {} } }),
    ).rejects.toMatchObject({ code: 'JIRA_UNAVAILABLE' });
    expect(s.calls).toHaveLength(2);
    expect(s.calls[0]?.body).toBe('{"fields":{}}');
  });

  it('retries a read sent as POST (query) on 5xx', async () => {
    const s = scripted(answer(500, ''), answer(200, { key: 'QMS-1' }));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/search/jql`, {
        method: 'POST',
        schema: Issue,
        body: { jql: 'project = QMS' },
        read: true,
      }),
    ).resolves.toEqual({ key: 'QMS-1' });
  });

  it("maps 404 to NOT_FOUND with Jira's message, or undefined when absence is an answer", async () => {
    const body = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };
    const s = scripted(answer(404, body), answer(404, body));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/RIM-9`, { method: 'GET', schema: Issue }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('permission to see it') });
    await expect(
      http.requestJira(route`/rest/api/3/issue/RIM-9`, { method: 'GET', schema: Issue, absentOn404: true }),
    ).resolves.toBeUndefined();
  });

  it('maps a 400 to JIRA_REJECTED with the field errors', async () => {
    const s = scripted(
      answer(400, { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } }),
    );
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'PUT', schema: NoContent, body: {} }),
    ).rejects.toMatchObject({ code: 'JIRA_REJECTED', message: expect.stringContaining('summary: You must specify') });
  });
});

describe('createJiraHttp no-content answers', () => {
  it('accepts an empty 204 with the NoContent schema', async () => {
    const s = scripted(answer(204, undefined));
    const http = createJiraHttp(s.requestJira, s.policy);
    await expect(
      http.requestJira(route`/rest/api/3/issue/QMS-1`, { method: 'PUT', schema: NoContent, body: { fields: {} } }),
    ).resolves.toBeUndefined();
  });
});
