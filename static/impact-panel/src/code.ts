/** What an authenticator code field accepts: six digits. */
export const SIX_DIGITS = /^\d{6}$/;

/** Keeps only digits, at most six (a pasted "123 456" becomes "123456"). */
export const digitsOnly = (value: string): string => value.replace(/\D/g, '').slice(0, 6);
