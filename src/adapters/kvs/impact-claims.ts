/**
 * Compare-and-set for the impact value's `version`. Jira entity properties and fields have
 * no conditional write, so two people saving on the same version could both "win" a
 * read-then-write check. Before writing version N+1 to Jira, a writer claims N+1 in the
 * custom entity `impact-claim` (key: the issue key) with a transaction condition that holds
 * only while the stored claim is still at N: exactly one of two concurrent writers gets it.
 *
 * The Jira value stays the source of truth. A claim whose Jira write failed is released; one
 * left behind by an invocation that died (Forge stops an invocation after 25 s) stops
 * blocking once it is older than CLAIM_LEASE_MS, and a value changed in Jira outside the app
 * (no claim at its version) is claimable in the same way.
 */
import { Filter, FilterConditions, ForgeKvsAPIError, kvs } from '@forge/kvs';
import { AppError } from '../../ports/app-error';

export const IMPACT_CLAIM_ENTITY = 'impact-claim';
export const CLAIM_LEASE_MS = 60_000;

interface ClaimValue {
  version: number;
  claimedAt: number;
}

export interface ImpactClaim extends ClaimValue {
  issueKey: string;
}

const isConditionFailure = (error: unknown): boolean => error instanceof ForgeKvsAPIError && (error.responseDetails.status === 409 || error.code === 'CONDITIONAL_CHECK_FAILED');

/** Claims version `basedOn + 1` of the issue's impact, or throws CONFLICT when another write holds it. */
export const claimImpactVersion = async (issueKey: string, basedOn: number, nowMs: number): Promise<ImpactClaim> => {
  const value: ClaimValue = { version: basedOn + 1, claimedAt: nowMs };
  const conditions = new Filter<ClaimValue>()
    .or('version', FilterConditions.notExists())
    .or('version', FilterConditions.equalTo(basedOn))
    .or('claimedAt', FilterConditions.lessThan(nowMs - CLAIM_LEASE_MS));
  try {
    await kvs.transact().set(issueKey, value, { entityName: IMPACT_CLAIM_ENTITY, conditions }).execute();
  } catch (error) {
    if (isConditionFailure(error)) {
      throw new AppError(
        'CONFLICT',
        `Someone else is saving version ${value.version} of ${issueKey}'s assessment right now, and your change was based on version ${basedOn}. Nothing was saved; reload the panel to see version ${value.version}, then apply your change again.`,
        { currentVersion: value.version },
      );
    }
    throw new AppError('STORAGE_FAILED', `The app could not reserve the next version of ${issueKey}'s assessment in app storage, so nothing was saved. Try again.`);
  }
  return { issueKey, ...value };
};

/** Gives a claim back after its Jira write failed, so the next save is not blocked. Only our own claim is removed. */
export const releaseImpactClaim = async (claim: ImpactClaim): Promise<void> => {
  const conditions = new Filter<ClaimValue>().and('version', FilterConditions.equalTo(claim.version)).and('claimedAt', FilterConditions.equalTo(claim.claimedAt));
  try {
    await kvs.transact().delete(claim.issueKey, { entityName: IMPACT_CLAIM_ENTITY, conditions }).execute();
  } catch {
    // Someone else's claim replaced ours (ours had expired), or storage failed: the lease frees it in time.
  }
};
