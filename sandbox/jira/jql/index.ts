/** Run a JQL query: the issues the viewer may see that match, in order. */
import type { StoredIssue } from '../model/state-schema';
import { canBrowseIssue, canBrowseProject } from '../permissions';
import { compileJql } from './compile';
import { parseJql } from './parser';
import type { JqlContext } from './searchers';

export type { JqlContext } from './searchers';

export const searchIssues = (ctx: JqlContext, jql: string): StoredIssue[] => {
  const compiled = compileJql(ctx, parseJql(jql));
  const visibleProjects = new Set(
    ctx.store
      .projects()
      .filter((p) => canBrowseProject(ctx.store, ctx.viewer, p.id))
      .map((p) => p.id),
  );
  return ctx.store
    .issues()
    .filter(
      (issue) =>
        visibleProjects.has(issue.projectId) && canBrowseIssue(ctx.store, ctx.viewer, issue) && compiled.matches(issue),
    )
    .sort(compiled.compare);
};
