/**
 * Who is signing: the accountId Forge puts in the resolver's server-side context (never the
 * payload), with the name Jira shows for that person (`GET /rest/api/3/myself` as the user).
 */
import { whoAmI } from '../../adapters/jira/myself';
import { z } from 'zod';
import type { JiraHttp } from '../../adapters/jira/jira-http';
import type { Signer } from '../../domain/model';
import { SignerSchema } from '../../domain/model';
import { AppError } from '../../ports/app-error';
import type { ResolverContext } from './define';

const CallerContextSchema = z.looseObject({ accountId: SignerSchema.shape.accountId });

const notSignedIn = (): AppError =>
  new AppError(
    'FORBIDDEN',
    'Forge did not say who you are, so nothing about signing can be done. Reload the page signed in to Jira; nothing was changed.',
  );

/** The caller's accountId from the Forge context. */
export const accountIdOf = (context: ResolverContext): string => {
  const parsed = CallerContextSchema.safeParse(context);
  if (!parsed.success) throw notSignedIn();
  return parsed.data.accountId;
};

/** The caller as a signer; `jira` must act as the user. */
export const signerOf = async (context: ResolverContext, jira: JiraHttp): Promise<Signer> => {
  const accountId = accountIdOf(context);
  const me = await whoAmI(jira);
  if (me.accountId !== accountId) throw notSignedIn();
  return me;
};
