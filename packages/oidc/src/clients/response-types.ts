/**
 * RFC 7591 2.1 relates the two members: the `code` response type goes with the
 * `authorization_code` grant, and no other grant this server offers uses the authorization
 * endpoint. These keep a client's `response_types` consistent with its `grant_types`.
 */

/** The response types that fit `grantTypes`: `code` exactly when they include authorization_code. */
export function responseTypesFor(grantTypes: readonly string[]): 'code'[] {
  return grantTypes.includes('authorization_code') ? ['code'] : [];
}

/**
 * Why `responseTypes` does not fit `grantTypes` (RFC 7591 2.1: the server should keep them
 * consistent), or undefined when it does.
 */
export function responseTypesProblem(
  responseTypes: readonly string[],
  grantTypes: readonly string[],
): string | undefined {
  const code = responseTypes.includes('code');
  const authorizationCode = grantTypes.includes('authorization_code');
  if (code && !authorizationCode)
    return 'must not include code without the authorization_code grant (RFC 7591 2.1)';
  if (authorizationCode && !code)
    return 'must include code for the authorization_code grant (RFC 7591 2.1)';
  return undefined;
}
