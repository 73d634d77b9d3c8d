/**
 * Input checks at the domain's entry points (gates, readiness): bad input is refused with an
 * error that says what was being checked and the path of each bad value, and nothing is computed
 * from it.
 */
import { z } from 'zod';

export class DomainInputError extends Error {
  constructor(what: string, error: z.ZodError) {
    super(`${what} is not valid: ${z.prettifyError(error).replace(/\n/g, ' ')}`);
    this.name = 'DomainInputError';
  }
}

export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DomainInputError(what, parsed.error);
  return parsed.data;
};
