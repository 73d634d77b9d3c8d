/**
 * Errors in the shape @forge/kvs expects from the storage service: a non-2xx status with a
 * JSON body `{ code, message }` (see `checkResponseError` in @forge/kvs/out/utils). The
 * client turns it into a `ForgeKvsAPIError` carrying that code; `KEY_NOT_FOUND` on a get or
 * delete is the one code it swallows (as "absent").
 *
 * Codes come from Forge's storage error reference and the client's own tests. Where Forge
 * documents no code for a situation the stand-in must still answer, the code is marked
 * "sandbox-chosen" so nobody mistakes it for a platform fact.
 */
export type KvsErrorCode =
  // documented (Forge storage error reference, @forge/kvs tests)
  | 'BAD_REQUEST'
  | 'KEY_NOT_FOUND'
  | 'KEY_TOO_SHORT'
  | 'EMPTY_KEY'
  | 'KEY_TOO_LONG'
  | 'INVALID_KEY'
  | 'MAX_SIZE'
  | 'MAX_DEPTH'
  | 'INVALID_ENTITY_TYPE'
  | 'INVALID_ENTITY_VALUE'
  | 'INVALID_ENTITY_INDEX'
  | 'INVALID_FILTER_CONDITION'
  | 'INVALID_FILTER_VALUES'
  | 'INSUFFICIENT_FILTER_VALUES'
  | 'EMPTY_FILTER_OPERATOR'
  | 'INVALID_FILTER_OPERATORS_COMBINATION'
  | 'LIST_QUERY_LIMIT_EXCEEDED'
  | 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE'
  | 'QUERY_WHERE_INVALID'
  | 'QUERY_WHERE_FIELD_INVALID'
  | 'INTERNAL_SERVER_ERROR'
  // sandbox-chosen: Forge documents the rule but not the code it answers with
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'INVALID_CURSOR'
  | 'INVALID_PARTITION'
  | 'KEY_ALREADY_EXISTS'
  | 'CONDITIONAL_CHECK_FAILED'
  | 'TOO_MANY_OPERATIONS'
  | 'DUPLICATE_KEYS'
  | 'PAYLOAD_TOO_LARGE';

/** Thrown inside the stand-in and turned into an HTTP answer at its edge. */
export class KvsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: KvsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KvsRequestError';
  }
}

export const badRequest = (code: KvsErrorCode, message: string): KvsRequestError =>
  new KvsRequestError(400, code, message);

/** What a batch reports for one item that failed, instead of failing the whole batch. */
export interface KvsItemError {
  code: KvsErrorCode;
  message: string;
}

export const toItemError = (error: KvsRequestError): KvsItemError => ({ code: error.code, message: error.message });
