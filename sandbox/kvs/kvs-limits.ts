/**
 * Forge hosted-storage limits the stand-in enforces, so an app that breaks one fails in the
 * sandbox the way it would on Forge. Sources: Forge storage docs ("Storage limits",
 * "Error handling for the Key-Value Store / Custom Entity Store", "Executing transactions",
 * "Executing batch operations").
 */
export const KVS_LIMITS = {
  maxKeyLength: 500,
  /** 240 KiB, measured on the JSON text of the value in UTF-8. */
  maxValueBytes: 240 * 1024,
  /** Nesting depth of objects and arrays inside one value. */
  maxValueDepth: 32,
  /** `kvs.query()` and entity queries: a page holds 1..100 results. */
  maxPageSize: 100,
  /**
   * Page size when the app sets no `limit`. Forge's documentation does not state it; 10 is
   * what the legacy storage API used. A small default makes an app that forgets to follow
   * the cursor fail here instead of in production.
   */
  defaultPageSize: 10,
  maxTransactionOperations: 25,
  maxBatchItems: 25,
  /** Request payload of one transaction or batch. */
  maxPayloadBytes: 4 * 1024 * 1024,
  /** Attribute values of type `integer` are 32-bit signed. */
  minInteger: -2_147_483_648,
  maxInteger: 2_147_483_647,
} as const;

/**
 * Key format from Forge's KVS error reference: `/^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/`. In the
 * documented (non-unicode) regex `\s-#` is not a range but the three items `\s`, `-`, `#`;
 * written out explicitly here.
 */
export const VALID_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
