import type { QmsRecordKind } from '../../../src/domain/model';

export const KIND_LABELS: Readonly<Record<QmsRecordKind, string>> = {
  'change-control': 'Change control',
  capa: 'CAPA',
  deviation: 'Deviation',
  complaint: 'Complaint',
  'supplier-change': 'Supplier change',
  'audit-finding': 'Audit finding',
};

export const STATE_LABELS: Readonly<
  Record<'not-assessed' | 'in-assessment' | 'no-filing' | 'filing-required', string>
> = {
  'not-assessed': 'Not assessed',
  'in-assessment': 'In assessment',
  'no-filing': 'No filing',
  'filing-required': 'Filing required',
};
