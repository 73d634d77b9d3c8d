/**
 * The panel's one frontend API module, without a browser: envelope parsing, and the
 * production `api` through the real @forge/bridge, whose host seam (`globalThis.__bridge`)
 * is wired here to the real resolver running in the sandbox.
 */
import { answerBridgeWith } from './host-bridge';
import { z } from 'zod';
import { createSandboxApp } from '../../sandbox/app-host';
import { SITE_ACCOUNTS, seedQmsRimSite } from '../../sandbox/jira';
import { impactPanelResolver } from '../../src';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import { api, createApi, parseEnvelope } from '../../static/impact-panel/src/api';

const InvokeCallSchema = z.looseObject({ functionKey: z.string(), payload: z.unknown() });

const output = RESOLVER_CONTRACT['impact/get'].output;
const notApplicable = { applies: false, issueKey: 'RIM-1', message: 'RIM-1 is not a quality record.' };

describe('impact panel api', () => {
  it('passes a valid success envelope through', () => {
    expect(parseEnvelope(output, { ok: true, data: notApplicable })).toEqual({ ok: true, data: notApplicable });
  });

  it('passes a typed error envelope through', () => {
    const failure = { ok: false, error: { code: 'NOT_FOUND', message: 'Jira found nothing.' } };
    expect(parseEnvelope(output, failure)).toEqual(failure);
  });

  it.each([
    [undefined],
    ['text'],
    [{ ok: true, data: { applies: true } }],
    [{ ok: false, error: { code: 'NOPE', message: 'x' } }],
  ])('turns %j into INVALID_RESPONSE', (answer) => {
    expect(parseEnvelope(output, answer)).toMatchObject({ ok: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it('sends an empty payload to impact/get, and turns a failed invoke into a message', async () => {
    const calls: unknown[] = [];
    const ok = createApi(async (key, payload) => {
      calls.push([key, payload]);
      return { ok: true, data: notApplicable };
    });
    await expect(ok.getImpact()).resolves.toEqual({ ok: true, data: notApplicable });
    expect(calls).toEqual([['impact/get', {}]]);
    const broken = createApi(async () => {
      throw new Error('bridge down');
    });
    await expect(broken.getImpact()).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it("sends each write to its own key with the input as given, and parses the answer with that key's contract", async () => {
    const calls: unknown[] = [];
    const client = createApi(async (key, payload) => {
      calls.push([key, payload]);
      return { ok: false, error: { code: 'CONFLICT', message: 'QMS-1 is now at version 3.' } };
    });
    const decision = {
      version: 2,
      applicationId: 'APP-1',
      decision: 'accept' as const,
      rationale: '',
      meaning: 'approval' as const,
      signatureCode: '123456',
    };
    await expect(client.decide(decision)).resolves.toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'QMS-1 is now at version 3.' },
    });
    await client.createSubmissionPlan({ version: 3, applicationIds: ['APP-1'] });
    expect(calls).toEqual([
      ['impact/decide', decision],
      ['impact/create-submission-plan', { version: 3, applicationIds: ['APP-1'] }],
    ]);
    const wrongShape = createApi(async () => ({ ok: true, data: { version: 'three' } }));
    await expect(
      wrongShape.saveAssessment({
        version: 0,
        changes: [{ code: 'x' }],
        affected: { productIds: [], siteIds: [], supplierIds: ['S'], markets: [] },
      }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it('reaches the real resolver through @forge/bridge invoke and gets a typed answer', async () => {
    const app = createSandboxApp();
    try {
      seedQmsRimSite(app.jira);
      app.jira.seedIssue({
        project: 'QMS',
        issueType: 'Deviation',
        key: 'QMS-7',
        summary: 'Temperature excursion',
        status: 'Open',
      });
      answerBridgeWith(async (name, payload) => {
        if (name !== 'invoke') throw new Error(`unexpected bridge call ${name}`);
        const call = InvokeCallSchema.parse(payload);
        return app.runtime.invokeResolver(
          impactPanelResolver,
          {
            functionKey: call.functionKey,
            payload: call.payload,
            extension: { type: 'jira:issuePanel', issue: { key: 'QMS-7' } },
          },
          { accountId: SITE_ACCOUNTS.quality, moduleKey: 'impact-panel' },
        );
      });
      const answer = await api.getImpact();
      expect(answer).toMatchObject({
        ok: true,
        data: { applies: true, issue: { key: 'QMS-7', kind: 'deviation' }, impact: { status: 'not-assessed' } },
      });
    } finally {
      await app.close();
    }
  });
});
