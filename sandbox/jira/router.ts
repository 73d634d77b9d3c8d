/** Matches `METHOD /concrete/path` to a route by its OpenAPI template; literal segments win over parameters. */
import type { RouteDefinition } from './routes/route-kit';

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  route: RouteDefinition;
  segments: Segment[];
  /** Literal segments count: the more, the more specific (`issue/bulkfetch` beats `issue/{issueIdOrKey}`). */
  specificity: number;
}

export type RouteMatch =
  | { kind: 'matched'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'no-route' };

const compile = (route: RouteDefinition): CompiledRoute => {
  const segments: Segment[] = route.template
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const param = /^\{(.+)\}$/.exec(s)?.[1];
      return param === undefined ? { literal: s } : { param };
    });
  return { route, segments, specificity: segments.filter((s) => 'literal' in s).length };
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

export const createRouter = (routes: readonly RouteDefinition[]) => {
  const compiled = routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  return (method: string, pathname: string): RouteMatch => {
    const parts = pathname.split('/').filter((s) => s.length > 0);
    const allowed: string[] = [];
    for (const candidate of compiled) {
      if (candidate.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = candidate.segments.every((segment, i) => {
        const part = parts[i];
        if (part === undefined) return false;
        if ('literal' in segment) return segment.literal === part;
        const decoded = decodeSegment(part);
        if (decoded === undefined) return false;
        params[segment.param] = decoded;
        return true;
      });
      if (!fits) continue;
      if (candidate.route.method === method) return { kind: 'matched', route: candidate.route, params };
      allowed.push(candidate.route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'no-route' };
  };
};
