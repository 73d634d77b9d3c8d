/**
 * Who is signed in to the sandbox host pages, and in which theme: two cookies,
 * `sandbox_user=<accountId>` (default the quality engineer) and `sandbox_theme=light|dark`.
 */
import type { IncomingMessage } from 'node:http';
import { DEMO_USERS } from '../demo/seed';
import type { DemoUser } from '../demo/seed';

export const USER_COOKIE = 'sandbox_user';
export const THEME_COOKIE = 'sandbox_theme';

export type ColorMode = 'light' | 'dark';

export interface HostSession {
  user: DemoUser;
  colorMode: ColorMode;
}

const defaultUser = (): DemoUser => {
  const user = DEMO_USERS.find((u) => u.role === 'quality-engineer') ?? DEMO_USERS[0];
  if (!user) throw new Error('The demo has no users.');
  return user;
};

export const parseCookies = (header: string | undefined): Record<string, string> => {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed cookie is ignored, as a browser's server would
    }
  }
  return cookies;
};

export const sessionOf = (req: IncomingMessage): HostSession => {
  const cookies = parseCookies(req.headers.cookie);
  const user = DEMO_USERS.find((u) => u.accountId === cookies[USER_COOKIE]) ?? defaultUser();
  return { user, colorMode: cookies[THEME_COOKIE] === 'dark' ? 'dark' : 'light' };
};

export const sessionCookies = (accountId: string, colorMode: ColorMode): string[] => [
  `${USER_COOKIE}=${encodeURIComponent(accountId)}; Path=/; SameSite=Lax`,
  `${THEME_COOKIE}=${colorMode}; Path=/; SameSite=Lax`,
];
