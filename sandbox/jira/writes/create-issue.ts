/** Building a new issue: shared by POST /issue and the seed API. */
import type { StoredIssue, StoredIssueType, StoredProject } from '../model/state-schema';
import type { JiraStore } from '../state/store';
import { parseIssueKey } from '../state/store';
import { applyFieldEdits } from './field-edits';

export interface NewIssue {
  project: StoredProject;
  issueType: StoredIssueType;
  /** Defaults to the workflow's initial status. */
  statusId?: string;
  /** Resolved field values (see `resolveFieldEdits`). */
  edits: ReadonlyMap<string, unknown>;
  creatorAccountId: string;
  createdMs: number;
  updatedMs?: number;
  /** A seed may fix the key (e.g. `QMS-12`); otherwise the project's next number. */
  key?: string;
  properties?: Record<string, unknown>;
}

export const insertNewIssue = (store: JiraStore, spec: NewIssue): StoredIssue => {
  const workflow = store.workflowFor({ projectId: spec.project.id, issueTypeId: spec.issueType.id });
  if (!workflow)
    throw new Error(
      `No workflow is configured for issue type '${spec.issueType.name}' in project ${spec.project.key}.`,
    );
  const statusId = spec.statusId ?? workflow.initialStatusId;
  const status = store.status(statusId);
  if (!status) throw new Error(`status ${statusId} does not exist`);

  let key = `${spec.project.key}-${spec.project.nextIssueNumber}`;
  if (spec.key !== undefined) {
    const parsed = parseIssueKey(spec.key);
    if (!parsed || parsed.projectKey !== spec.project.key)
      throw new Error(`issue key ${spec.key} does not belong to project ${spec.project.key}`);
    key = `${parsed.projectKey}-${parsed.number}`;
    spec.project.nextIssueNumber = Math.max(spec.project.nextIssueNumber, parsed.number + 1);
  } else {
    spec.project.nextIssueNumber += 1;
  }

  const created = new Date(spec.createdMs).toISOString();
  const updated = new Date(spec.updatedMs ?? spec.createdMs).toISOString();
  const resolved = status.category === 'done';
  const issue: StoredIssue = {
    id: store.nextId('issue'),
    key,
    projectId: spec.project.id,
    issueTypeId: spec.issueType.id,
    statusId,
    summary: '',
    description: null,
    reporterAccountId: spec.creatorAccountId,
    creatorAccountId: spec.creatorAccountId,
    assigneeAccountId: null,
    labels: [],
    created,
    updated,
    resolutionDate: resolved ? updated : null,
    resolved,
    customFields: {},
    properties: structuredClone(spec.properties ?? {}),
    histories: [],
  };
  // Creation writes no history in Jira: the values are simply the issue's first state.
  applyFieldEdits(store, issue, spec.edits);
  store.insertIssue(issue);
  return issue;
};
