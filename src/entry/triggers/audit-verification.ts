/**
 * The daily `scheduledTrigger` that verifies the audit trail (src/adapters/kvs/audit-repository.ts)
 * and records the result, which the admin page shows; an intact result also raises the
 * high-water mark, so a later truncation back past it is reported. The clock is read here.
 */
import { verifyAndRecordAuditTrail } from '../../adapters/kvs/audit-repository';
import { listReferencedAuditSeqs } from '../../adapters/kvs/signed-record-repository';
import type { ReferencedAuditSeq } from '../../domain/audit-chain';
import type { AlteredCopy, AuditVerificationRun } from '../../contract/admin-page';
import { listAlteredCopies } from '../../services/traceability-index';
import { isAppError } from '../../ports/app-error';

export type AuditVerificationOutcome =
  { outcome: 'done'; run: AuditVerificationRun } | { outcome: 'failed'; reason: string };

/** The entries outside records reference: each signed record's audit entry (signed-record-repository.ts). */
export type ReferencedAuditSeqs = () => Promise<readonly ReferencedAuditSeq[]>;

export const runAuditVerification = async (deps: {
  now: Date;
  referencedAuditSeqs?: ReferencedAuditSeqs;
  alteredCopies?: () => Promise<readonly AlteredCopy[]>;
  log: (message: string) => void;
}): Promise<AuditVerificationOutcome> => {
  try {
    const referenced = deps.referencedAuditSeqs === undefined ? undefined : await deps.referencedAuditSeqs();
    const alteredCopies = deps.alteredCopies === undefined ? undefined : await deps.alteredCopies();
    const run = await verifyAndRecordAuditTrail({
      trigger: 'daily',
      now: deps.now,
      ...(referenced === undefined ? {} : { referenced }),
      ...(alteredCopies === undefined ? {} : { alteredCopies }),
    });
    if (!run.result.intact)
      deps.log(`qms-rim audit trail broken at entry ${run.result.firstBroken.seq}: ${run.result.firstBroken.message}`);
    if (alteredCopies !== undefined && alteredCopies.length > 0)
      deps.log(
        `qms-rim: Jira's copy of the assessment was changed outside the app on ${alteredCopies.map((c) => c.issueKey).join(', ')}`,
      );
    return { outcome: 'done', run };
  } catch (error) {
    const reason = isAppError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    deps.log(`qms-rim audit verification failed: ${reason}`);
    return { outcome: 'failed', reason };
  }
};

/** Forge handler of the `verify-audit-trail` scheduled trigger. */
export const auditVerificationScheduled = async (): Promise<AuditVerificationOutcome> =>
  runAuditVerification({
    now: new Date(),
    referencedAuditSeqs: listReferencedAuditSeqs,
    alteredCopies: listAlteredCopies,
    log: (message) => console.warn(message),
  });
