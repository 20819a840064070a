/** JOSE `typ` of RFC 9068 JWT access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/**
 * Our refresh tokens' `typ`. Distinct from `at+jwt` and from ID tokens (no `typ`), so neither can
 * be presented as the other (RFC 8725 3.11).
 */
export const REFRESH_TOKEN_TYP = 'rt+jwt';
