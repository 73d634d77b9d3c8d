/**
 * JQL functions. Only `linkedIssues(issueKey [, linkDescription])` is implemented; a
 * function Jira has but the stand-in lacks is refused by name, an unknown one as Jira does.
 *
 * `linkedIssues("QMS-1", "requires filing")` finds the issues QMS-1 "requires filing",
 * i.e. links where QMS-1 is the source and the description is the outward one; with an
 * inward description ("is filing for") it follows links the other way. A link type's name
 * follows both directions, as does the one-argument form.
 */
import { badRequest } from '../errors';
import { findVisibleIssue } from '../permissions';
import type { FunctionCall } from './ast';
import type { JqlContext } from './searchers';

const KNOWN_UNSUPPORTED_FUNCTIONS = new Set(
  [
    'currentuser',
    'now',
    'startofday',
    'endofday',
    'startofweek',
    'endofweek',
    'startofmonth',
    'endofmonth',
    'startofyear',
    'endofyear',
    'membersof',
    'issuehistory',
    'updatedby',
    'watchedissues',
    'votedissues',
    'linkedissue',
    'subtaskissuetypes',
    'standardissuetypes',
    'openSprints',
    'closedsprints',
    'futuresprints',
    'releasedversions',
    'unreleasedversions',
    'latestreleasedversion',
    'earliestunreleasedversion',
    'componentsleadbyuser',
    'projectsleadbyuser',
    'projectswhereuserhasrole',
    'projectswhereuserhaspermission',
    'issuesWithRemoteLinksByGlobalId',
    'lastlogin',
    'currentlogin',
    'parentepic',
    'portfoliochildissuesof',
    'approved',
    'pending',
    'myapproval',
    'myapprovalhistory',
  ].map((name) => name.toLowerCase()),
);

const linkedIssueIds = (ctx: JqlContext, call: FunctionCall): Set<number> => {
  if (call.args.length < 1 || call.args.length > 2) {
    throw badRequest(
      `Function '${call.name}' expected between '1' and '2' arguments but received '${call.args.length}'.`,
    );
  }
  const [issueRef = '', description] = call.args;
  const anchor = findVisibleIssue(ctx.store, ctx.viewer, issueRef);
  if (!anchor) throw badRequest(`Issue '${issueRef}' could not be found in function '${call.name}'.`);

  let direction: 'outward' | 'inward' | 'both' = 'both';
  let typeIds: Set<string> | undefined;
  if (description !== undefined) {
    const wanted = description.toLowerCase();
    const types = ctx.store.linkTypes();
    const outward = types.filter((t) => t.outward.toLowerCase() === wanted);
    const inward = types.filter((t) => t.inward.toLowerCase() === wanted);
    const named = types.filter((t) => t.name.toLowerCase() === wanted);
    if (outward.length > 0 && inward.length === 0)
      [direction, typeIds] = ['outward', new Set(outward.map((t) => t.id))];
    else if (inward.length > 0 && outward.length === 0)
      [direction, typeIds] = ['inward', new Set(inward.map((t) => t.id))];
    else if (outward.length + inward.length + named.length > 0)
      typeIds = new Set([...outward, ...inward, ...named].map((t) => t.id));
    else throw badRequest(`Issue link type '${description}' could not be found in function '${call.name}'.`);
  }

  const ids = new Set<number>();
  for (const link of ctx.store.linksOf(anchor.id)) {
    if (typeIds && !typeIds.has(link.typeId)) continue;
    const anchorIsSource = link.sourceIssueId === anchor.id;
    if (direction === 'outward' && !anchorIsSource) continue;
    if (direction === 'inward' && anchorIsSource) continue;
    ids.add(Number(anchorIsSource ? link.destinationIssueId : link.sourceIssueId));
  }
  return ids;
};

/** The issue ids a function in an `issue in f(...)` clause stands for. */
export const evaluateIssueFunction = (ctx: JqlContext, call: FunctionCall): Set<number> => {
  const lower = call.name.toLowerCase();
  if (lower === 'linkedissues') return linkedIssueIds(ctx, call);
  if (KNOWN_UNSUPPORTED_FUNCTIONS.has(lower))
    throw badRequest(
      `The Jira stand-in does not support the JQL function '${call.name}()'. Supported: linkedIssues(issueKey[, linkDescription]).`,
    );
  throw badRequest(`Unable to find JQL function '${call.name}()'.`);
};

/** A function in a clause whose field takes no functions. */
export const functionNotAllowed = (call: FunctionCall, fieldLabel: string) => {
  const lower = call.name.toLowerCase();
  if (lower !== 'linkedissues' && !KNOWN_UNSUPPORTED_FUNCTIONS.has(lower))
    return badRequest(`Unable to find JQL function '${call.name}()'.`);
  if (lower !== 'linkedissues')
    return badRequest(
      `The Jira stand-in does not support the JQL function '${call.name}()'. Supported: linkedIssues(issueKey[, linkDescription]).`,
    );
  return badRequest(
    `The function '${call.name}' is not supported by the field '${fieldLabel}'; use 'issue in ${call.name}(...)'.`,
  );
};
