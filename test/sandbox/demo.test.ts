import { createJiraStandIn, QMS_ISSUE_TYPES, SITE_ACCOUNTS } from '../../sandbox/jira';
import type { JiraStandIn, JiraStandInSnapshot, StoredIssue } from '../../sandbox/jira';
import {
  DEMO_AS_OF,
  DEMO_GATES,
  DEMO_USERS,
  RESTRICTED_ACCOUNT_ID,
  createDemoClock,
  seedDemoJira,
} from '../../sandbox/demo/seed';
import { demoRegistry } from '../../sandbox/demo/registry';
import { loadManifest } from '../../sandbox/app-host';
import {
  COMMITMENT_PROPERTY_KEY,
  CORRESPONDENCE_PROPERTY_KEY,
  DEFAULT_JIRA_CONVENTIONS,
  IMPACT_PROPERTY_KEY,
  SUBMISSION_PROPERTY_KEY,
} from '../../src/config/jira-conventions';
import { CorrespondencePropertySchema } from '../../src/domain/correspondence';
import { CommitmentPropertySchema, SubmissionPropertySchema } from '../../src/adapters/jira/issue-mapping';
import { StoredImpactSchema, toImpactFieldValue } from '../../src/domain/impact-field-value';
import { REGULATORY_IMPACT_FIELD } from '../../sandbox/jira';
import type { RegulatoryImpact } from '../../src/domain/model';

const seeded = (): JiraStandIn => {
  const jira = createJiraStandIn({ now: createDemoClock() });
  seedDemoJira(jira);
  return jira;
};

const jira = seeded();
const state: JiraStandInSnapshot = jira.snapshot();
const issues = Object.values(state.issues);
const typeOf = (issue: StoredIssue): string => state.issueTypes[issue.issueTypeId]?.name ?? '';
const statusOf = (issue: StoredIssue): string => state.statuses[issue.statusId]?.name ?? '';
const byKey = (key: string): StoredIssue => {
  const issue = issues.find((i) => i.key === key);
  if (!issue) throw new Error(`no ${key}`);
  return issue;
};
const qmsIssues = issues.filter((i) => i.key.startsWith('QMS-'));
const impacts: Array<[string, RegulatoryImpact]> = qmsIssues.map((i) => [
  i.key,
  StoredImpactSchema.parse(i.properties[IMPACT_PROPERTY_KEY]),
]);
const ofType = (name: string) => issues.filter((i) => typeOf(i) === name);

describe('demo data', () => {
  it('is deterministic', () => {
    expect(seeded().snapshot()).toEqual(state);
  });

  it('has a QMS record of every kind and one in every QMS workflow state', () => {
    expect(new Set(qmsIssues.map(typeOf))).toEqual(new Set(QMS_ISSUE_TYPES));
    const qms = Object.values(state.projects).find((p) => p.key === 'QMS');
    const workflow = qms && Object.values(qms.workflows)[0];
    if (!workflow) throw new Error('no QMS workflow');
    const workflowStatuses = new Set([
      workflow.initialStatusId,
      ...workflow.transitions.flatMap((t) => [...t.fromStatusIds, t.toStatusId]),
    ]);
    const present = new Set(qmsIssues.map((i) => i.statusId));
    for (const statusId of workflowStatuses)
      expect({ status: state.statuses[statusId]?.name, present: present.has(statusId) }).toEqual({
        status: state.statuses[statusId]?.name,
        present: true,
      });
  });

  it('gives every QMS record a valid qmsrim.impact, in every impact status', () => {
    expect(impacts).toHaveLength(qmsIssues.length);
    expect(new Set(impacts.map(([, i]) => i.status))).toEqual(
      new Set(['not-assessed', 'in-assessment', 'no-filing', 'filing-required']),
    );
    const decided = impacts.flatMap(([, i]) => i.decisions.map((d) => d.decided?.category));
    expect(decided).toEqual(expect.arrayContaining(['PAS', 'NB-PRIOR-APPROVAL', 'NONE', 'LETTER-TO-FILE']));
    expect(impacts.some(([, i]) => i.status === 'no-filing' && i.decisions.length > 0)).toBe(true);
    expect(impacts.some(([, i]) => i.status === 'filing-required' && i.decisions.length > 0)).toBe(true);
  });

  it('gives every QMS record the same value in its Regulatory impact field as in qmsrim.impact, with the derived search values of its assessment', () => {
    for (const issue of qmsIssues) {
      const [, assessment] = impacts.find(([key]) => key === issue.key) ?? [];
      if (!assessment) throw new Error(`no assessment on ${issue.key}`);
      expect({ key: issue.key, field: issue.customFields[REGULATORY_IMPACT_FIELD.id] }).toEqual({
        key: issue.key,
        field: issue.properties[IMPACT_PROPERTY_KEY],
      });
      expect(issue.properties[IMPACT_PROPERTY_KEY]).toEqual(toImpactFieldValue(assessment));
    }
  });

  it('includes the scenario: a Supplier Change on SUP-POLYMERA reaching several US and EU applications, not yet assessed', () => {
    const scenario = qmsIssues.find(
      (i) =>
        typeOf(i) === 'Supplier Change' &&
        StoredImpactSchema.parse(i.properties[IMPACT_PROPERTY_KEY]).affected.supplierIds.includes('SUP-POLYMERA'),
    );
    if (!scenario) throw new Error('no Polymera supplier change');
    expect(StoredImpactSchema.parse(scenario.properties[IMPACT_PROPERTY_KEY]).status).toBe('not-assessed');
    const reached = demoRegistry.applications.filter((a) => a.supplierIds.includes('SUP-POLYMERA'));
    expect(reached.filter((a) => a.market === 'US').length).toBeGreaterThanOrEqual(2);
    expect(reached.filter((a) => a.market === 'EU').length).toBeGreaterThanOrEqual(2);
  });

  it('names every application of the registry somewhere in the QMS records', () => {
    const named = new Set(
      impacts.flatMap(([, i]) => [...i.affected.applicationIds, ...i.decisions.map((d) => d.applicationId)]),
    );
    expect(demoRegistry.applications.map((a) => a.id).filter((id) => !named.has(id))).toEqual([]);
    const known = new Set(demoRegistry.applications.map((a) => a.id));
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
  });

  it('has Submissions with valid qmsrim.submission in several states, one HA Approved, each linked from its decision', () => {
    const submissions = ofType('Submission');
    for (const s of submissions) {
      const data = SubmissionPropertySchema.parse(s.properties[SUBMISSION_PROPERTY_KEY]);
      const app = demoRegistry.applications.find((a) => a.id === data.applicationId);
      expect(app && { productId: app.productId, market: app.market }).toEqual({
        productId: data.productId,
        market: data.market,
      });
    }
    const statuses = submissions.map(statusOf);
    expect(new Set(statuses).size).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain('HA Approved');

    const filingType = Object.values(state.linkTypes).find((t) => t.name === DEFAULT_JIRA_CONVENTIONS.filingLinkType);
    const links = Object.values(state.links).filter((l) => l.typeId === filingType?.id);
    for (const [key, impact] of impacts) {
      for (const decision of impact.decisions) {
        if (!decision.submissionKey) continue;
        const linked = links.some(
          (l) => l.sourceIssueId === byKey(key).id && l.destinationIssueId === byKey(decision.submissionKey ?? '').id,
        );
        expect({ key, submission: decision.submissionKey, linked }).toEqual({
          key,
          submission: decision.submissionKey,
          linked: true,
        });
      }
    }
  });

  it('has Commitments with valid qmsrim.commitment, exactly one open and overdue, each implemented by a record', () => {
    const commitments = ofType('Commitment');
    expect(commitments.length).toBeGreaterThanOrEqual(2);
    const today = DEMO_AS_OF.slice(0, 10);
    const overdue = commitments.filter(
      (c) =>
        CommitmentPropertySchema.parse(c.properties[COMMITMENT_PROPERTY_KEY]).dueDate < today &&
        statusOf(c) !== 'Fulfilled',
    );
    expect(overdue).toHaveLength(1);
    const commitmentType = Object.values(state.linkTypes).find(
      (t) => t.name === DEFAULT_JIRA_CONVENTIONS.commitmentLinkType,
    );
    for (const c of commitments)
      expect(
        Object.values(state.links).some((l) => l.typeId === commitmentType?.id && l.destinationIssueId === c.id),
      ).toBe(true);
  });

  it('has health-authority letters with valid qmsrim.correspondence, one response overdue, each answered by a QMS record and about a Submission', () => {
    const letters = ofType('Health Authority Correspondence');
    expect(letters.length).toBeGreaterThanOrEqual(2);
    const today = DEMO_AS_OF.slice(0, 10);
    const data = letters.map((l) => CorrespondencePropertySchema.parse(l.properties[CORRESPONDENCE_PROPERTY_KEY]));
    expect(
      data.filter(
        (c, i) =>
          c.responseDueDate !== undefined &&
          c.responseDueDate < today &&
          statusOf(letters[i] as StoredIssue) === 'Received',
      ),
    ).toHaveLength(1);
    const answers = Object.values(state.linkTypes).find(
      (t) => t.name === DEFAULT_JIRA_CONVENTIONS.correspondenceLinkType,
    );
    for (const letter of letters) {
      const answering = Object.values(state.links)
        .filter((l) => l.typeId === answers?.id && l.destinationIssueId === letter.id)
        .map((l) => state.issues[l.sourceIssueId]);
      expect({
        letter: letter.key,
        answeredByQms: answering.length > 0 && answering.every((i) => i?.key.startsWith('QMS-')),
      }).toEqual({ letter: letter.key, answeredByQms: true });
      const aboutSubmission = Object.values(state.links).some(
        (l) =>
          [l.sourceIssueId, l.destinationIssueId].includes(letter.id) &&
          typeOf(
            state.issues[l.sourceIssueId === letter.id ? l.destinationIssueId : l.sourceIssueId] as StoredIssue,
          ) === 'Submission',
      );
      expect({ letter: letter.key, aboutSubmission }).toEqual({ letter: letter.key, aboutSubmission: true });
    }
  });

  it('records approvals in the changelog, by their author', () => {
    for (const issue of qmsIssues.filter((i) => ['Approved', 'Implemented', 'Closed'].includes(statusOf(i)))) {
      const approval = issue.histories.find((h) =>
        h.items.some((item) => item.field === 'status' && item.toString === 'Approved'),
      );
      expect({ key: issue.key, by: approval?.authorAccountId }).toEqual({ key: issue.key, by: SITE_ACCOUNTS.admin });
    }
    for (const issue of issues) {
      const last = issue.histories.at(-1)?.items[0];
      if (last) expect({ key: issue.key, status: last.toString }).toEqual({ key: issue.key, status: statusOf(issue) });
    }
  });

  it('has five people; the quality engineer and the restricted user cannot browse RIM', () => {
    expect(DEMO_USERS.map((u) => u.role)).toEqual([
      'quality-engineer',
      'regulatory-reviewer',
      'manager',
      'admin',
      'restricted',
    ]);
    for (const user of DEMO_USERS) expect(state.users[user.accountId]?.email).toBe(user.email);
    const rim = Object.values(state.projects).find((p) => p.key === 'RIM');
    const qms = Object.values(state.projects).find((p) => p.key === 'QMS');
    expect(rim?.permissions[RESTRICTED_ACCOUNT_ID] ?? []).not.toContain('BROWSE_PROJECTS');
    expect(rim?.permissions[SITE_ACCOUNTS.quality] ?? []).not.toContain('BROWSE_PROJECTS');
    expect(qms?.permissions[RESTRICTED_ACCOUNT_ID]).toContain('BROWSE_PROJECTS');
    expect(rim?.permissions[SITE_ACCOUNTS.regulatory]).toContain('BROWSE_PROJECTS');
  });

  it("puts the manifest's validators on the gated transitions", () => {
    const validatorKeys = new Set((loadManifest().modules['jira:workflowValidator'] ?? []).map((m) => m.key));
    for (const gate of DEMO_GATES) for (const key of gate.moduleKeys) expect(validatorKeys.has(key)).toBe(true);
    expect(new Set(DEMO_GATES.flatMap((g) => g.moduleKeys))).toEqual(validatorKeys);
    const qms = Object.values(state.projects).find((p) => p.key === 'QMS');
    for (const workflow of Object.values(qms?.workflows ?? {})) {
      expect(workflow.transitions.find((t) => t.id === '21')?.validators.map((v) => v.moduleKey)).toEqual([
        'gate-impact-assessed',
      ]);
      expect(workflow.transitions.find((t) => t.id === '41')?.validators.map((v) => v.moduleKey)).toEqual([
        'gate-prior-approval-granted',
      ]);
    }
  });

  it('has a Root cause field (customfield_10060) filled on CAPAs and Deviations', () => {
    expect(state.customFields['customfield_10060']?.name).toBe('Root cause');
    for (const issue of qmsIssues.filter((i) => ['CAPA', 'Deviation'].includes(typeOf(i)))) {
      expect(typeof issue.customFields['customfield_10060']).toBe('string');
    }
  });
});
