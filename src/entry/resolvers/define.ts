/**
 * A typed wrapper over `@forge/resolver`'s `define`: every resolver key is bound to its
 * contract (src/contract/resolvers.ts). The payload is parsed before the handler runs
 * (nothing runs on a bad payload), the answer is parsed before it leaves, and every
 * outcome is one envelope. Unexpected errors become INTERNAL with a fixed message: a
 * stack trace or a library's message never reaches the browser.
 */
import type Resolver from '@forge/resolver';
import type { Request } from '@forge/resolver';
import type { z } from 'zod';
import type { Envelope } from '../../contract/envelope';
import { RESOLVER_CONTRACT } from '../../contract/resolvers';
import type { ResolverInput, ResolverKey, ResolverOutput } from '../../contract/resolvers';
import { AppError, isAppError } from '../../ports/app-error';

/** The Forge context as Forge hands it to a resolver (`accountId`, `extension`, ...); untrusted shape. */
export type ResolverContext = Request['context'];

/** One key's schemas, typed by that key alone (indexing the contract with a generic key gives a union). */
type ContractOf<K extends ResolverKey> = { input: z.ZodType<ResolverInput<K>>; output: z.ZodType<ResolverOutput<K>> };

export type TypedHandler<K extends ResolverKey> = (
  input: ResolverInput<K>,
  context: ResolverContext,
) => Promise<ResolverOutput<K>>;

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
    .join('; ');

const failure = (error: AppError): Envelope<never> => ({
  ok: false,
  error: { code: error.code, message: error.message },
});

export const runTyped = async <I extends z.ZodType, O extends z.ZodType>(
  key: string,
  contract: { input: I; output: O },
  handler: (input: z.infer<I>, context: ResolverContext) => Promise<z.infer<O>>,
  payload: unknown,
  context: ResolverContext,
): Promise<Envelope<z.infer<O>>> => {
  const input = contract.input.safeParse(payload);
  if (!input.success)
    return failure(
      new AppError('INVALID_INPUT', `The request to ${key} is not valid: ${describeIssues(input.error)}.`),
    );
  try {
    const output = contract.output.safeParse(await handler(input.data, context));
    if (!output.success) {
      console.error(`resolver ${key} produced an answer outside its contract: ${describeIssues(output.error)}`);
      return failure(
        new AppError(
          'INTERNAL',
          'The app produced an answer it could not vouch for, so it was not shown. Try again; if it persists, tell your Jira admin.',
        ),
      );
    }
    return { ok: true, data: output.data };
  } catch (error) {
    if (isAppError(error)) return failure(error);
    console.error(`resolver ${key} failed unexpectedly`, error);
    return failure(
      new AppError(
        'INTERNAL',
        'Something went wrong in the app. Nothing was changed; try again, and tell your Jira admin if it persists.',
      ),
    );
  }
};

/** `resolver.define(key, ...)` with the contract's input and output schemas applied. */
export const defineTyped = <K extends ResolverKey>(resolver: Resolver, key: K, handler: TypedHandler<K>): Resolver =>
  resolver.define(key, ({ payload, context }: Request<unknown>) =>
    runTyped(key, RESOLVER_CONTRACT[key] as unknown as ContractOf<K>, handler, payload, context),
  );
