import { asApp, asUser, bindInvocationContext, getAppContext, NeedsAuthenticationError, route } from '@forge/api';
import {
  currentInvocation,
  installForgeRuntime,
  InvocationTimeoutError,
  runAs,
  type InstalledForgeRuntime,
  type ProductRequest,
} from '../../sandbox/runtime/forge-runtime';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the sandbox Forge runtime', () => {
  let runtime: InstalledForgeRuntime;
  let seen: ProductRequest[];

  beforeEach(() => {
    seen = [];
    runtime = installForgeRuntime({
      installation: { cloudId: 'cloud-under-test' },
      productHandler: async (request) => {
        seen.push(request);
        // Answer after a jittered delay so concurrent invocations interleave.
        await pause(Math.random() * 5);
        return { status: 200, body: JSON.stringify({ actingAs: request.accountId ?? 'app' }) };
      },
    });
  });
  afterEach(() => runtime.uninstall());

  describe('per-invocation identity', () => {
    it('keeps concurrent invocations as two users apart', async () => {
      const actAs = (accountId: string, moduleKey: string) =>
        runtime.runAs({ accountId, moduleKey }, async () => {
          const answers: unknown[] = [];
          for (let call = 0; call < 5; call++) {
            await pause(Math.random() * 3);
            const response = await asUser().requestJira(
              route`/rest/api/3/myself?call=${String(call)}&for=${accountId}`,
            );
            answers.push(await response.json());
            expect(getAppContext().moduleKey).toBe(moduleKey);
            expect(currentInvocation()?.accountId).toBe(accountId);
          }
          return answers;
        });

      const [alice, bob] = await Promise.all([actAs('alice', 'impact-panel'), actAs('bob', 'filings-macro')]);

      expect(alice).toEqual(Array(5).fill({ actingAs: 'alice' }));
      expect(bob).toEqual(Array(5).fill({ actingAs: 'bob' }));
      expect(seen).toHaveLength(10);
      for (const request of seen) expect(request.path).toContain(`for=${request.accountId ?? 'nobody'}`);
    });

    it('gives each invocation its own id and trace, and nested runAs its own identity', () => {
      const outer = runtime.runAs({ accountId: 'alice' }, () => {
        const inner = runtime.runAs({ moduleKey: 'trigger' }, () => currentInvocation());
        return { outer: currentInvocation(), inner };
      });
      expect(outer.inner?.accountId).toBeUndefined();
      expect(outer.outer?.accountId).toBe('alice');
      expect(outer.inner?.invocationId).not.toBe(outer.outer?.invocationId);
      expect(outer.inner?.traceId).not.toBe(outer.outer?.traceId);
      expect(currentInvocation()).toBeUndefined();
    });

    it('keeps the identity in callbacks bound with @forge/api bindInvocationContext', async () => {
      const later = runtime.runAs({ accountId: 'carol' }, () =>
        bindInvocationContext(() => currentInvocation()?.accountId),
      );
      await pause(1);
      expect(later()).toBe('carol');
    });

    it('acts as an explicitly named user for asUser(accountId), even with no user in the invocation', async () => {
      await runtime.invokeFunction(
        () => asUser('dave').requestJira(route`/rest/api/3/myself`),
        {},
        { moduleKey: 'scheduled' },
      );
      expect(seen.map((request) => [request.provider, request.accountId])).toEqual([['user', 'dave']]);
    });
  });

  describe('asUser() without a user', () => {
    it('fails like Forge in a trigger, a consumer and outside any invocation, while asApp() works', async () => {
      const asUserCall = () => asUser().requestJira(route`/rest/api/3/issue/${'QMS-1'}`);
      await expect(
        runtime.invokeFunction(asUserCall, { issue: { key: 'QMS-1' } }, { moduleKey: 'issue-updated' }),
      ).rejects.toBeInstanceOf(NeedsAuthenticationError);
      await expect(
        runtime.invokeConsumer(asUserCall, { queueName: 'q', jobId: 'j', body: {} }, { moduleKey: 'consumer' }),
      ).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', message: 'Authentication Required' });
      await expect(asUserCall()).rejects.toBeInstanceOf(NeedsAuthenticationError);
      expect(seen).toEqual([]);

      const response = await runtime.invokeFunction(
        () => asApp().requestJira(route`/rest/api/3/issue/${'QMS-1'}`),
        {},
        { moduleKey: 'issue-updated' },
      );
      expect(response.status).toBe(200);
    });
  });

  describe('handler invocation', () => {
    it('calls a plain function handler with (event, context) as Forge does', async () => {
      const result = await runtime.invokeFunction(
        (event: { issueKey: string }, context) => ({ event, context }),
        { issueKey: 'QMS-3' },
        { accountId: 'erin', moduleKey: 'gate' },
      );
      expect(result.event).toEqual({ issueKey: 'QMS-3' });
      expect(result.context).toMatchObject({
        installContext: 'ari:cloud:jira::site/cloud-under-test',
        principal: { accountId: 'erin' },
      });
      expect(result.context.installation.ari.toString()).toBe(
        `ari:cloud:ecosystem::installation/${runtime.installation.installationId}`,
      );
    });

    it('uses the Confluence site ARI for Confluence modules', async () => {
      const context = await runtime.invokeFunction(
        (_event: unknown, ctx) => ctx,
        {},
        { product: 'confluence', moduleKey: 'filings-macro' },
      );
      expect(context.installContext).toBe('ari:cloud:confluence::site/cloud-under-test');
      expect(context.principal).toBeUndefined();
    });

    it('passes resolver payloads and results through JSON, as the network does, and enforces the invoke size limit', async () => {
      const handler = async ({ call }: { call: { payload?: unknown } }) => ({
        echoed: call.payload,
        at: new Date(0),
        dropped: undefined,
      });
      const result = await runtime.invokeResolver(
        handler,
        { functionKey: 'echo', payload: { when: new Date(0), skip: undefined } },
        { accountId: 'frank' },
      );
      expect(result).toEqual({ echoed: { when: '1970-01-01T00:00:00.000Z' }, at: '1970-01-01T00:00:00.000Z' });
      await expect(
        runtime.invokeResolver(handler, { functionKey: 'echo', payload: { blob: 'x'.repeat(600 * 1024) } }, {}),
      ).rejects.toThrow('500 KB');
    });

    it('rejects an invocation that overruns its time limit', async () => {
      const slow = runtime.invokeFunction(() => pause(200), {}, { moduleKey: 'slow-gate', timeoutSeconds: 0.02 });
      await expect(slow).rejects.toBeInstanceOf(InvocationTimeoutError);
      await expect(slow).rejects.toThrow("Invocation of 'slow-gate' (module 'slow-gate') exceeded");
    });
  });

  describe('installation', () => {
    it('refuses a second runtime, and removes its globals on uninstall', () => {
      expect(() => installForgeRuntime()).toThrow('already installed');
      runtime.uninstall();
      expect(Reflect.get(globalThis, '__forge_fetch__')).toBeUndefined();
      expect(Reflect.get(globalThis, '__forge_runtime__')).toBeUndefined();
      expect(() => runAs({}, () => 1)).toThrow('not installed');
      runtime = installForgeRuntime();
      expect(runAs({ accountId: 'x' }, () => currentInvocation()?.accountId)).toBe('x');
    });

    it('guards the globals against being overwritten while installed', () => {
      expect(() => Reflect.set(globalThis, '__forge_fetch__', () => undefined)).toThrow(
        'belongs to the Forge sandbox runtime',
      );
    });
  });

  describe('boundaries', () => {
    const forgeFetch = (target: unknown, path: unknown, init?: unknown): Promise<unknown> => {
      const fetch: unknown = Reflect.get(globalThis, '__forge_fetch__');
      if (typeof fetch !== 'function') throw new Error('no __forge_fetch__');
      return Promise.resolve(fetch(target, path, init));
    };

    it('rejects a fetch target of unknown shape loudly', async () => {
      await expect(forgeFetch({ type: 'teleport' }, '/x')).rejects.toThrow('has the @forge seam moved?');
      await expect(forgeFetch({ type: 'fpp', provider: 'app', remote: 'jira', shiny: true }, '/x')).rejects.toThrow(
        'unknown shape',
      );
    });

    it('says plainly what the sandbox does not support', async () => {
      await expect(forgeFetch({ type: 'tpp', provider: 'github', remote: 'api' }, '/x')).rejects.toThrow(
        "does not support fetch target type 'tpp'",
      );
      await expect(forgeFetch({ type: 'fpp', provider: 'none', remote: 'jira' }, '/rest/api/3/myself')).rejects.toThrow(
        'bare requestJira',
      );
      await expect(forgeFetch({ type: 'fpp', provider: 'app', remote: 'bitbucket' }, '/x')).rejects.toThrow(
        "remote 'bitbucket'",
      );
    });

    it('rejects an invalid answer from the product handler', async () => {
      runtime.uninstall();
      runtime = installForgeRuntime({ productHandler: async () => ({ status: 99 }) });
      await expect(asApp().requestJira(route`/rest/api/3/myself`)).rejects.toThrow('invalid response');
    });

    it('refuses storage calls that lack the runtime bearer token on the modern target', async () => {
      const response = await forgeFetch({ type: 'kvs' }, '/api/v1/get', { method: 'POST', body: '{"key":"a"}' });
      expect(response).toBeInstanceOf(Response);
      if (response instanceof Response) expect(response.status).toBe(401);
    });
  });
});
