/**
 * The small JSON beans Jira nests everywhere: users, statuses, issue types, projects,
 * link types. Each carries only properties its OpenAPI schema allows (most of Jira's
 * schemas set `additionalProperties: false`), so the contract test can hold them to it.
 */
import type {
  StatusCategoryKey,
  StoredIssueType,
  StoredLinkType,
  StoredProject,
  StoredStatus,
  StoredUser,
} from '../model/state-schema';

export interface AvatarUrls {
  '16x16': string;
  '24x24': string;
  '32x32': string;
  '48x48': string;
}

const avatarUrls = (baseUrl: string, kind: 'user' | 'project', id: string): AvatarUrls => ({
  '16x16': `${baseUrl}/secure/${kind}avatar?size=xsmall&id=${encodeURIComponent(id)}`,
  '24x24': `${baseUrl}/secure/${kind}avatar?size=small&id=${encodeURIComponent(id)}`,
  '32x32': `${baseUrl}/secure/${kind}avatar?size=medium&id=${encodeURIComponent(id)}`,
  '48x48': `${baseUrl}/secure/${kind}avatar?size=large&id=${encodeURIComponent(id)}`,
});

/** UserDetails: what issue fields, changelog authors and link beans carry. */
export const userDetailsBean = (baseUrl: string, user: StoredUser) => ({
  self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
  accountId: user.accountId,
  ...(user.email === undefined ? {} : { emailAddress: user.email }),
  avatarUrls: avatarUrls(baseUrl, 'user', user.accountId),
  displayName: user.displayName,
  active: user.active,
  timeZone: user.timeZone,
  accountType: user.accountType,
});

/** A user Jira no longer knows (a deleted account): Jira still names the account id. */
export const unknownUserBean = (baseUrl: string, accountId: string) => ({
  self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
  accountId,
  displayName: 'Former user',
  active: false,
  accountType: 'atlassian',
});

/** User: what GET /myself and a project's `lead` carry. */
export const userBean = (baseUrl: string, user: StoredUser) => ({
  ...userDetailsBean(baseUrl, user),
  locale: 'en_US',
  groups: { size: 0, items: [] },
  applicationRoles: { size: 0, items: [] },
  expand: 'groups,applicationRoles',
});

/** Jira's fixed status categories, with the ids and colours Jira uses. */
export const STATUS_CATEGORIES: Record<StatusCategoryKey, { id: number; name: string; colorName: string }> = {
  undefined: { id: 1, name: 'No Category', colorName: 'medium-gray' },
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  done: { id: 3, name: 'Done', colorName: 'green' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
};

export const statusCategoryBean = (baseUrl: string, key: StatusCategoryKey) => {
  const category = STATUS_CATEGORIES[key];
  return {
    self: `${baseUrl}/rest/api/3/statuscategory/${category.id}`,
    id: category.id,
    key,
    colorName: category.colorName,
    name: category.name,
  };
};

export const statusBean = (baseUrl: string, status: StoredStatus) => ({
  self: `${baseUrl}/rest/api/3/status/${status.id}`,
  description: status.description,
  iconUrl: `${baseUrl}/images/icons/statuses/generic.png`,
  name: status.name,
  id: status.id,
  statusCategory: statusCategoryBean(baseUrl, status.category),
});

export const issueTypeBean = (baseUrl: string, issueType: StoredIssueType) => ({
  self: `${baseUrl}/rest/api/3/issuetype/${issueType.id}`,
  id: issueType.id,
  description: issueType.description,
  iconUrl: `${baseUrl}/secure/viewavatar?size=medium&avatarId=10318&avatarType=issuetype`,
  name: issueType.name,
  subtask: issueType.subtask,
  avatarId: 10318,
  hierarchyLevel: issueType.subtask ? -1 : 0,
});

/** The short project form an issue's `project` field carries. */
export const projectFieldBean = (baseUrl: string, project: StoredProject) => ({
  self: `${baseUrl}/rest/api/3/project/${project.id}`,
  id: project.id,
  key: project.key,
  name: project.name,
  projectTypeKey: project.projectTypeKey,
  simplified: false,
  avatarUrls: avatarUrls(baseUrl, 'project', project.id),
});

/** The full Project bean of GET /project/{projectIdOrKey}. */
export const projectBean = (
  baseUrl: string,
  project: StoredProject,
  lead: ReturnType<typeof userBean> | undefined,
  issueTypes: StoredIssueType[],
) => ({
  expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
  self: `${baseUrl}/rest/api/3/project/${project.id}`,
  id: project.id,
  key: project.key,
  description: project.description,
  ...(lead === undefined ? {} : { lead }),
  components: [],
  issueTypes: issueTypes.map((t) => issueTypeBean(baseUrl, t)),
  assigneeType: 'UNASSIGNED',
  versions: [],
  name: project.name,
  roles: {},
  avatarUrls: avatarUrls(baseUrl, 'project', project.id),
  projectTypeKey: project.projectTypeKey,
  simplified: false,
  style: 'classic',
  isPrivate: false,
  properties: {},
});

export const linkTypeBean = (baseUrl: string, linkType: StoredLinkType) => ({
  id: linkType.id,
  name: linkType.name,
  inward: linkType.inward,
  outward: linkType.outward,
  self: `${baseUrl}/rest/api/3/issueLinkType/${linkType.id}`,
});
