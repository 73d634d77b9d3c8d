/**
 * The correspondence surfaces' frontend calls without a browser: the panel's api and the
 * impact panel's correspondence loader, each sending the contract's payload and turning a
 * failed invoke or an answer outside the contract into a typed error.
 */
import './host-bridge';
import { createApi } from '../../static/correspondence-panel/src/api';
import { loadRecordCorrespondence } from '../../static/impact-panel/src/correspondence-api';

const notApplicable = { applies: false, issueKey: 'RIM-1', message: 'RIM-1 is not a Health Authority Correspondence.' };

describe('correspondence panel api', () => {
  it('sends an empty payload to correspondence/get and the record key to correspondence/link-record', async () => {
    const calls: unknown[] = [];
    const api = createApi(async (key, payload) => {
      calls.push([key, payload]);
      return { ok: true, data: notApplicable };
    });
    await expect(api.getPanel()).resolves.toEqual({ ok: true, data: notApplicable });
    await expect(api.linkRecord('QMS-3')).resolves.toEqual({ ok: true, data: notApplicable });
    expect(calls).toEqual([
      ['correspondence/get', {}],
      ['correspondence/link-record', { recordKey: 'QMS-3' }],
    ]);
  });

  it('turns a failed invoke and an answer outside the contract into typed errors', async () => {
    await expect(createApi(async () => Promise.reject(new Error('down'))).linkRecord('QMS-3')).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    await expect(createApi(async () => ({ ok: true, data: { applies: true } })).getPanel()).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_RESPONSE' },
    });
  });
});

describe('impact panel: correspondence loader', () => {
  it('asks impact/correspondence with an empty payload and passes the list through', async () => {
    const calls: unknown[] = [];
    const answer = await loadRecordCorrespondence(async (key, payload) => {
      calls.push([key, payload]);
      return { ok: true, data: [] };
    });
    expect(answer).toEqual({ ok: true, data: [] });
    expect(calls).toEqual([['impact/correspondence', {}]]);
    await expect(
      loadRecordCorrespondence(async () => ({ ok: true, data: [{ key: 'RIM-10' }] })),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_RESPONSE' } });
  });
});
