/**
 * Who and what the current function invocation is, kept per invocation in an
 * AsyncLocalStorage, never in a global: two resolvers running at the same time as two users
 * must each see their own user, as on Forge where every invocation is its own process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';

export type ForgeProduct = 'jira' | 'confluence';

/** One app installation on one site: fixed for the sandbox's lifetime. */
export interface InstallationConfig {
  appId: string;
  appVersion: string;
  environmentId: string;
  environmentType: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';
  installationId: string;
  cloudId: string;
  siteUrl: string;
  locale: string;
  timezone: string;
}

export const DEFAULT_INSTALLATION: InstallationConfig = {
  appId: '00000000-0000-4000-8000-00000000a991',
  appVersion: '1.0.0',
  environmentId: '00000000-0000-4000-8000-0000000e0e01',
  environmentType: 'DEVELOPMENT',
  installationId: '00000000-0000-4000-8000-00000000015a',
  cloudId: '00000000-0000-4000-8000-0000000c10d1',
  siteUrl: 'https://sandbox.atlassian.net',
  locale: 'en-US',
  timezone: 'Europe/Berlin',
};

/** Forge's license object as the function context carries it (`License` in @forge/api runtime.d.ts). */
export interface ForgeLicense {
  active?: boolean;
  isActive?: boolean;
  billingPeriod?: string;
  isEvaluation?: boolean;
  type?: string;
}

/** What a caller states about an invocation; everything else is derived. */
export interface InvocationIdentity {
  /** The user behind the invocation; absent for triggers, scheduled functions and consumers. */
  accountId?: string;
  moduleKey?: string;
  /** The manifest `function` key whose handler runs. */
  functionKey?: string;
  moduleType?: string;
  product?: ForgeProduct;
  license?: ForgeLicense;
  /** 25 s for most modules; consumers and scheduled triggers may declare up to 900 s. */
  timeoutSeconds?: number;
}

export interface InvocationContext {
  invocationId: string;
  accountId: string | undefined;
  moduleKey: string;
  functionKey: string;
  moduleType: string;
  product: ForgeProduct;
  /** The site ARI Forge passes as `installContext`, e.g. `ari:cloud:jira::site/<cloudId>`. */
  installContext: string;
  license: ForgeLicense | undefined;
  installation: InstallationConfig;
  traceId: string;
  spanId: string;
  startedAtMs: number;
  deadlineMs: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 25;

export const invocationStorage = new AsyncLocalStorage<InvocationContext>();

export const currentInvocation = (): InvocationContext | undefined => invocationStorage.getStore();

export const siteAri = (product: ForgeProduct, cloudId: string): string => `ari:cloud:${product}::site/${cloudId}`;

export const resolveInvocation = (
  identity: InvocationIdentity,
  installation: InstallationConfig,
  nowMs: number,
): InvocationContext => {
  const product = identity.product ?? 'jira';
  return {
    invocationId: randomUUID(),
    accountId: identity.accountId,
    moduleKey: identity.moduleKey ?? 'sandbox-module',
    functionKey: identity.functionKey ?? identity.moduleKey ?? 'sandbox-function',
    moduleType: identity.moduleType ?? 'core:function',
    product,
    installContext: siteAri(product, installation.cloudId),
    license: identity.license,
    installation,
    traceId: randomBytes(8).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    startedAtMs: nowMs,
    deadlineMs: nowMs + (identity.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
  };
};
