/**
 * Holds every Jira request the app sends through the sandbox runtime, and every answer the
 * stand-in gives, to Atlassian's OpenAPI spec. Pass `observe` as createSandboxApp's
 * `observeJira` and assert `violations()` is empty after each test.
 */
import type { JiraExchange } from '../../sandbox/app-host';
import { createContractChecker } from './openapi-contract';

export const createContractObserver = () => {
  const checker = createContractChecker();
  const found: string[] = [];
  let exchanges = 0;
  return {
    observe(exchange: JiraExchange): void {
      exchanges += 1;
      const what = `${exchange.method} ${exchange.path.split('?')[0] ?? ''}`;
      const request = checker.checkRequest({
        method: exchange.method,
        path: exchange.path,
        body: exchange.requestBody,
      });
      // 429 and 5xx come from Jira's edge for any operation, so the spec lists them for few;
      // the sandbox injects them on purpose (faults), and their body shape is not checked here.
      const injectable = exchange.status === 429 || exchange.status >= 500;
      const response = injectable
        ? []
        : checker.checkResponse({
            method: exchange.method,
            path: exchange.path,
            status: exchange.status,
            body: exchange.responseBody,
          });
      found.push(
        ...request.map((e) => `${what} request: ${e}`),
        ...response.map((e) => `${what} → ${exchange.status}: ${e}`),
      );
    },
    violations: (): string[] => [...found],
    exchanges: (): number => exchanges,
    reset(): void {
      found.length = 0;
      exchanges = 0;
    },
  };
};
