/**
 * Who the person is, as Jira names them (`GET /rest/api/3/myself`, as the user): the one read of
 * it every signature, assessment and audited admin change uses for its "who".
 */
import { route } from '@forge/api';
import { z } from 'zod';
import { SignerSchema } from '../../domain/model';
import type { Signer } from '../../domain/model';
import type { JiraHttp } from './jira-http';

const MyselfSchema = z.looseObject({ accountId: z.string().min(1), displayName: z.string().min(1) });

/** `jira` must act as the user. The printed name is cut to what a signer's record holds. */
export const whoAmI = async (jira: JiraHttp): Promise<Signer> => {
  const me = await jira.requestJira(route`/rest/api/3/myself`, { method: 'GET', schema: MyselfSchema });
  return SignerSchema.parse({ accountId: me.accountId, displayName: me.displayName.slice(0, 200) });
};
