/**
 * The stand-in as the Forge runtime's product handler: `asUser()` calls arrive with the
 * invoking user's account id, `asApp()` calls with none. Bodies travel as text on that
 * seam, so they are parsed here. The shapes mirror sandbox/runtime's ProductRequest and
 * ProductResponse structurally, so neither side imports the other.
 */
import type { JiraStandIn } from '../stand-in';
import { errorAsResponse, parseRequestText, responseText } from './wire';

export interface JiraProductRequest {
  provider: 'user' | 'app';
  remote: 'jira' | 'confluence';
  accountId: string | undefined;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface JiraProductResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export const createJiraProductHandler =
  (standIn: JiraStandIn) =>
  async (request: JiraProductRequest): Promise<JiraProductResponse> => {
    if (request.remote !== 'jira') {
      return {
        status: 404,
        headers: { 'Content-Type': 'application/json;charset=UTF-8' },
        body: JSON.stringify({ errorMessages: [`The sandbox has no ${request.remote} stand-in.`], errors: {} }),
      };
    }
    const parsed = parseRequestText(request.body);
    const response = parsed.ok
      ? await standIn.handle({
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: parsed.body,
          // asUser() without a user cannot be answered as anyone: an empty account id is refused with 401.
          as: request.provider === 'app' ? { kind: 'app' } : { kind: 'user', accountId: request.accountId ?? '' },
        })
      : errorAsResponse(parsed.error);
    const text = responseText(response);
    return text === ''
      ? { status: response.status, headers: response.headers }
      : { status: response.status, headers: response.headers, body: text };
  };
