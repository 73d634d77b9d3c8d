/** Text <-> JSON at the transport edge, shared by the HTTP listener and the Forge product handler. */
import type { StandInResponse } from '../config';
import { JiraError } from '../errors';

/** The JSON value of a request body, or Jira's 400 for text that is not JSON. Empty text is no body. */
export const parseRequestText = (
  text: string | undefined,
): { ok: true; body: unknown } | { ok: false; error: JiraError } => {
  if (text === undefined || text.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      error: new JiraError(400, [
        `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      ]),
    };
  }
};

export const errorAsResponse = (error: JiraError): StandInResponse => ({
  status: error.status,
  headers: { 'Content-Type': 'application/json;charset=UTF-8', ...error.headers },
  body: error.body(),
});

/** The response body as text: empty for no body. */
export const responseText = (response: StandInResponse): string =>
  response.body === undefined ? '' : JSON.stringify(response.body);
