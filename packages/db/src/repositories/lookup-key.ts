/**
 * Whether a lookup key can match a stored row at all. PostgreSQL's text cannot hold a NUL
 * character and refuses a parameter that has one (an error, where the caller expects a miss), so
 * a key with a NUL, which anyone can send as a client_id, a username or a token's claim, is
 * answered as not found without a query, on both databases alike.
 */
export function canMatchStoredText(key: string): boolean {
  return !key.includes('\u0000');
}
