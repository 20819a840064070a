/** JOSE `typ` of RFC 9068 JWT access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/**
 * Our refresh tokens' `typ`. Distinct from `at+jwt` and from ID tokens (no `typ`), so neither can
 * be presented as the other (RFC 8725 3.11).
 */
export const REFRESH_TOKEN_TYP = 'rt+jwt';

/**
 * Our refresh tokens' `aud`: the token endpoint's URL, the only place that accepts them. No access
 * token carries it (a resource server that forgets to check `typ` still refuses a refresh token
 * for the wrong audience): `accessTokenAudience` leaves it out and registration refuses it as a
 * client's resource. Keep it in step with the server's TOKEN_PATH.
 */
export function refreshTokenAudience(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/token`;
}

/**
 * The audiences a presented refresh token may carry: ours, and the issuer that refresh tokens
 * signed before the dedicated audience carried (they stay usable until they expire; the issuer
 * may go from this list once IDP_REFRESH_TOKEN_ABSOLUTE_TTL has passed since that change).
 */
export function acceptedRefreshTokenAudiences(issuer: string): readonly string[] {
  return [refreshTokenAudience(issuer), issuer];
}

/** Why `resource` cannot be a client's RFC 8707 resource under `issuer`, or undefined if it can. */
export function reservedResourceProblem(resource: string, issuer: string): string | undefined {
  return resource === refreshTokenAudience(issuer)
    ? 'is the token endpoint, the audience of refresh tokens; no access token may carry it'
    : undefined;
}
