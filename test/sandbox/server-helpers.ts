/** Shared by the sandbox server tests: HTTP calls against a started server. */
import { SITE_EMAILS } from '../../sandbox/jira';

export type Who = keyof typeof SITE_EMAILS | 'restricted' | 'nobody';

const EMAILS: Record<Exclude<Who, 'nobody'>, string> = { ...SITE_EMAILS, restricted: 'sam.second@qms-rim.example' };

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export const basicAuth = (email: string): string => `Basic ${Buffer.from(`${email}:any-api-token`).toString('base64')}`;

export const httpCall = async (
  baseUrl: string,
  method: string,
  path: string,
  options: { as?: Who; body?: unknown; rawBody?: string } = {},
): Promise<Answer> => {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.as && options.as !== 'nobody') headers['Authorization'] = basicAuth(EMAILS[options.as]);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
};
