/**
 * What every route handler gets and returns, and the helpers they share for query
 * parameters and answers.
 */
import type { ResolvedConfig, StandInResponse } from '../config';
import { badRequest } from '../errors';
import type { EventContext, EventDispatcher } from '../events';
import type { Viewer } from '../permissions';
import { actorAccountId } from '../permissions';
import type { RenderContext } from '../render/render-context';
import type { JiraStore } from '../state/store';

export interface RouteContext {
  store: JiraStore;
  config: ResolvedConfig;
  viewer: Viewer;
  /** Decoded path parameters, by the template's names. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  events: EventDispatcher;
  /** The viewer's render context (links to hidden issues left out). */
  render: RenderContext;
}

export type RouteHandler = (ctx: RouteContext) => Promise<StandInResponse> | StandInResponse;

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The OpenAPI path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`: also the metrics key. */
  template: string;
  handler: RouteHandler;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json;charset=UTF-8' };

export const json = (status: number, body: unknown): StandInResponse => ({
  status,
  headers: { ...JSON_HEADERS },
  body,
});
export const noContent = (status = 204): StandInResponse => ({ status, headers: {}, body: undefined });

export const param = (ctx: RouteContext, name: string): string => {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no path parameter ${name}`);
  return value;
};

/** Every value of a repeatable parameter (`fields=a,b&fields=c` gives `['a,b', 'c']`). */
export const queryList = (ctx: RouteContext, name: string): string[] | undefined => {
  const values = ctx.query.getAll(name);
  return values.length > 0 ? values : undefined;
};

export const queryString = (ctx: RouteContext, name: string): string | undefined => ctx.query.get(name) ?? undefined;

export const queryInt = (ctx: RouteContext, name: string, fallback: number, min = 0): number => {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw badRequest(`The value '${raw}' of the '${name}' parameter is not a number.`);
  const value = Number(raw);
  if (value < min) throw badRequest(`The '${name}' parameter must be at least ${min}.`);
  return value;
};

export const queryBool = (ctx: RouteContext, name: string, fallback: boolean): boolean => {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw badRequest(`The value '${raw}' of the '${name}' parameter is not true or false.`);
};

export const eventContext = (ctx: RouteContext): EventContext => ({
  store: ctx.store,
  baseUrl: ctx.config.baseUrl,
  actorAccountId: actorAccountId(ctx.viewer),
});
