/**
 * Why an audit chain does not verify. Its own module, free of hashing, because the admin page's
 * contract (bundled into the browser) names these reasons too.
 */
import { z } from 'zod';

export const ChainBreakReasonSchema = z.enum([
  'seq-gap',
  'seq-out-of-order',
  'prev-hash-mismatch',
  'hash-mismatch',
  /** An entry hashed without the key where the key applies (or keyed where it did not exist). */
  'not-keyed',
  'head-mismatch',
  /** Entries missing from the end: fewer than a high-water mark or an outside reference says exist. */
  'truncated',
  /** An outside record references an entry that is about something else. */
  'reference-mismatch',
]);
