/**
 * Serves the stand-in over HTTP at the server root, so any Jira client pointed at
 * `http://localhost:PORT` works: `http.createServer(createJiraHttpListener(standIn))`.
 *
 * Authentication is Jira Cloud's basic auth for scripts: `email:api-token`. Any token is
 * accepted for a seeded person's e-mail; anything else answers 401 in Jira's shape.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { JiraError, unauthenticated } from '../errors';
import type { JiraStandIn } from '../stand-in';
import { errorAsResponse, parseRequestText, responseText } from './wire';
import type { StandInResponse } from '../config';

const readText = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** The e-mail of `Authorization: Basic base64(email:token)`, or undefined. */
export const basicAuthEmail = (header: string | undefined): string | undefined => {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
};

const send = (res: ServerResponse, response: StandInResponse): void => {
  const text = responseText(response);
  res.writeHead(response.status, {
    ...response.headers,
    ...(text === '' ? {} : { 'Content-Length': String(Buffer.byteLength(text)) }),
  });
  res.end(text);
};

export const createJiraHttpListener =
  (standIn: JiraStandIn): RequestListener =>
  (req, res) => {
    void (async () => {
      try {
        const email = basicAuthEmail(req.headers.authorization);
        const user = email === undefined ? undefined : standIn.userByEmail(email);
        if (!user) {
          send(res, {
            ...errorAsResponse(unauthenticated()),
            headers: {
              'Content-Type': 'application/json;charset=UTF-8',
              'WWW-Authenticate': 'Basic realm="Jira stand-in"',
            },
          });
          return;
        }
        const parsed = parseRequestText(await readText(req));
        if (!parsed.ok) {
          send(res, errorAsResponse(parsed.error));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
        send(
          res,
          await standIn.handle({
            method: req.method ?? 'GET',
            path: req.url ?? '/',
            headers,
            body: parsed.body,
            as: { kind: 'user', accountId: user.accountId },
          }),
        );
      } catch (error) {
        const failure =
          error instanceof JiraError
            ? error
            : new JiraError(500, [
                `The Jira stand-in's HTTP listener failed: ${error instanceof Error ? error.message : String(error)}`,
              ]);
        if (!res.headersSent) send(res, errorAsResponse(failure));
        else res.end();
      }
    })();
  };
