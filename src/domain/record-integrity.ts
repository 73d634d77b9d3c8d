/**
 * What gates, panels and the macro say about a record whose Jira copy no longer matches its
 * signed record (src/domain/signed-record.ts checks it, on the server). No hashing here: this
 * module is also bundled into the Custom UI.
 */
import type { RecordIntegrity } from './model';

/** The sentence gates and panels use for an altered record. */
export const alteredRecordMessage = (
  issueKey: string,
  integrity: Extract<RecordIntegrity, { state: 'altered' }>,
): string => {
  const when = integrity.changedAt !== undefined ? ` on ${integrity.changedAt}` : '';
  const who = integrity.changedBy !== undefined ? ` by ${integrity.changedBy}` : '';
  const how =
    integrity.how === 'unsigned'
      ? integrity.differences[0]?.startsWith('Jira shows an assessment') === true
        ? 'holds an assessment the app never recorded'
        : 'holds a value the app never recorded'
      : integrity.how === 'deleted'
        ? 'was deleted'
        : `was changed outside the app${when}${who}`;
  const history =
    integrity.changedBy === undefined && integrity.how === 'different'
      ? ' (Jira keeps no history of issue property changes, so who did it is not known)'
      : '';
  return `the regulatory impact of ${issueKey} ${how}${history}, so it no longer matches the signed record; a reviewer must re-sign in the app, or a Jira admin restore Jira's copy from the signed record`;
};
