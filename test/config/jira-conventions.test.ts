import { DEFAULT_JIRA_CONVENTIONS, JiraConventionsSchema } from '../../src/config/jira-conventions';

describe('Jira conventions: health-authority correspondence', () => {
  it('reads a mapping saved before correspondence existed with the correspondence defaults', () => {
    const {
      correspondenceIssueType: _t,
      correspondenceLinkType: _l,
      correspondenceStatuses: _s,
      ...older
    } = DEFAULT_JIRA_CONVENTIONS;
    expect(JiraConventionsSchema.parse(older)).toMatchObject({
      correspondenceIssueType: 'Health Authority Correspondence',
      correspondenceLinkType: 'HA correspondence',
      correspondenceStatuses: { Received: 'awaiting-response', Responded: 'responded' },
    });
  });

  it('refuses a correspondence status mapped to a state the app does not know', () => {
    expect(
      JiraConventionsSchema.safeParse({ ...DEFAULT_JIRA_CONVENTIONS, correspondenceStatuses: { Received: 'pending' } })
        .success,
    ).toBe(false);
  });
});
