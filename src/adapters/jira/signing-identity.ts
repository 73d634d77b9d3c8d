/**
 * What Jira says of a person for the signing rules: their groups and their project roles on a
 * record's project, in ONE call, as that person (`jira` must be asUser): a Jira expression
 * evaluated by `POST /rest/api/3/expression/evaluate`. Jira's REST API has no other operation a
 * person without project admin rights may call to learn their own project roles
 * (`/project/{key}/roledetails?currentMember=true` needs "Administer projects"), and the
 * expression gives the groups in the same answer.
 *
 * The admin page's choices (every group, the project roles) are read as the Jira admin.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { SigningPerson } from '../../domain/signing-policy';
import { AppError } from '../../ports/app-error';
import type { JiraHttp } from './jira-http';

/** Evaluated with the record as `issue`; `user` is whoever the request is made as. */
export const SIGNING_IDENTITY_EXPRESSION =
  '{ accountId: user.accountId, groups: user.groups, projectRoles: user.getProjectRoles(issue.project).map(role => role.name) }';

const SigningIdentityAnswerSchema = z.looseObject({
  value: z.strictObject({
    accountId: z.string().min(1).max(128),
    groups: z.array(z.string()),
    projectRoles: z.array(z.string()),
  }),
});

/** The person's groups and project roles on `issueKey`'s project. NOT_FOUND when they cannot see the issue. */
export const fetchSigningIdentity = async (jira: JiraHttp, issueKey: string): Promise<SigningPerson> => {
  const answer = await jira.requestJira(route`/rest/api/3/expression/evaluate`, {
    method: 'POST',
    read: true,
    schema: SigningIdentityAnswerSchema,
    body: { expression: SIGNING_IDENTITY_EXPRESSION, context: { issue: { key: issueKey } } },
  });
  return answer.value;
};

const GroupPageSchema = z.looseObject({
  values: z.array(z.looseObject({ name: z.string().min(1), groupId: z.string().nullable().optional() })),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});

const GROUP_PAGE = 50;
/** 2,000 groups: far beyond what an admin picks signers from; the page says when there are more. */
const MAX_GROUP_PAGES = 40;

/** Every group on the site by name, sorted; `complete` is false when there were more than the page limit. Needs "Browse users and groups". */
export const fetchGroupNames = async (jira: JiraHttp): Promise<{ names: string[]; complete: boolean }> => {
  const names: string[] = [];
  for (let page = 0; page < MAX_GROUP_PAGES; page++) {
    const startAt = page * GROUP_PAGE;
    const answer = await jira.requestJira(route`/rest/api/3/group/bulk?startAt=${startAt}&maxResults=${GROUP_PAGE}`, {
      method: 'GET',
      schema: GroupPageSchema,
    });
    names.push(...answer.values.map((g) => g.name));
    if (answer.isLast !== false || answer.values.length === 0)
      return { names: [...new Set(names)].sort((a, b) => a.localeCompare(b)), complete: true };
  }
  return { names: [...new Set(names)].sort((a, b) => a.localeCompare(b)), complete: false };
};

const RoleDetailsSchema = z.array(z.looseObject({ id: z.number().optional(), name: z.string().min(1) }));

/** The site's project role names (Jira Cloud shares one list across projects), read on `projectKey`. Needs "Administer projects" there or "Administer Jira". */
export const fetchProjectRoleNames = async (jira: JiraHttp, projectKey: string): Promise<string[]> => {
  if (projectKey === '')
    throw new AppError(
      'INVALID_INPUT',
      'No quality project is mapped, so the project roles cannot be listed; save the Jira mapping first.',
    );
  const roles = await jira.requestJira(route`/rest/api/3/project/${projectKey}/roledetails`, {
    method: 'GET',
    schema: RoleDetailsSchema,
  });
  return [...new Set(roles.map((r) => r.name))].sort((a, b) => a.localeCompare(b));
};
