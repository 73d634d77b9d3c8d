/**
 * The macro's export as the page runs it, without a browser: the parts the resolver answers
 * are asked for in turn and joined, and parts from two states of Jira are never stitched.
 */
// The host-side bridge first: @forge/bridge looks for it when it is imported.
import './host-bridge';
import { createHash } from 'node:crypto';
import { createApi } from '../../static/traceability-macro/src/api';

const file = '\uFEFFline,record\r\ntrace,QMS-1\r\ntrace,QMS-2\r\ngap,QMS-2\r\n';
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const parts = ['\uFEFFline,record\r\ntrace,QMS-1\r\n', 'trace,QMS-2\r\n', 'gap,QMS-2\r\n'];
const answer = (part: number, digest = sha(file)) => ({
  ok: true,
  data: {
    filename: 'regulatory-traceability-2026-12-01.csv',
    mediaType: 'text/csv;charset=utf-8',
    content: parts[part],
    part,
    parts: parts.length,
    sha256: digest,
  },
});

describe('traceability macro export', () => {
  it('asks for every part with the same filter and joins them into the whole file', async () => {
    const calls: unknown[] = [];
    const progress: Array<[number, number | undefined]> = [];
    const api = createApi(async (key, payload) => {
      calls.push([key, payload]);
      return answer(typeof payload['part'] === 'number' ? payload['part'] : 0);
    });
    const whole = await api.exportWholeCsv({ onlyWithGaps: true }, (part, of) => progress.push([part, of]));
    expect(whole).toMatchObject({ ok: true, data: { content: file } });
    expect(calls).toEqual([
      ['traceability/export', { onlyWithGaps: true }],
      ['traceability/export', { onlyWithGaps: true, part: 1 }],
      ['traceability/export', { onlyWithGaps: true, part: 2 }],
    ]);
    expect(progress).toEqual([
      [0, undefined],
      [1, 3],
      [2, 3],
    ]);
  });

  it('refuses to join parts of two different files', async () => {
    const api = createApi(async (_key, payload) =>
      payload['part'] === 2
        ? answer(2, sha('another state of Jira'))
        : answer(typeof payload['part'] === 'number' ? payload['part'] : 0),
    );
    await expect(api.exportWholeCsv({}, () => undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Nothing was downloaded') },
    });
  });

  it('passes a failed part on as it came', async () => {
    const api = createApi(async (_key, payload) =>
      payload['part'] === 1 ? { ok: false, error: { code: 'RATE_LIMITED', message: 'Jira is busy.' } } : answer(0),
    );
    await expect(api.exportWholeCsv({}, () => undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'Jira is busy.' },
    });
  });
});
