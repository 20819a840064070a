/** Endpoints the server may mount; a name appears in discovery only when it is mounted. */
export interface ProviderEndpoints {
  readonly jwks_uri: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly userinfo_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly introspection_endpoint?: string;
  readonly end_session_endpoint?: string;
  readonly pushed_authorization_request_endpoint?: string;
  readonly device_authorization_endpoint?: string;
  /** RFC 7591 3: present only when dynamic client registration is enabled. */
  readonly registration_endpoint?: string;
}

/** What the server supports beyond its endpoints (OIDC Discovery 3, RFC 8414 2). */
export interface ProviderCapabilities {
  readonly scopes?: readonly string[];
  readonly claims?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly tokenEndpointAuthMethods?: readonly string[];
  readonly responseModes?: readonly string[];
  /** Algorithms that have signing keys, for ID tokens (RS256 alone when absent). */
  readonly idTokenSigningAlgs?: readonly string[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the provider metadata served at /.well-known/openid-configuration and
 * /.well-known/oauth-authorization-server. Endpoints are absolute URLs under the issuer
 * (paths are joined after stripping a trailing slash, so `https://x/tenant` stays a prefix).
 * Values that are policy, not endpoints (ID token algorithms, S256, code), are stated always:
 * they are REQUIRED members. The ID token algorithms are the ones the server keeps keys for
 * (RS256, which OIDC Discovery 3 requires, unless the operator chose otherwise).
 */
export function buildDiscoveryDocument(
  issuer: string,
  endpoints: ProviderEndpoints,
  capabilities: ProviderCapabilities = {},
): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, '');
  const absolute = Object.fromEntries(
    Object.entries(endpoints)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([name, path]) => [name, `${base}${path}`]),
  );
  return {
    issuer,
    ...absolute,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: capabilities.idTokenSigningAlgs ?? ['RS256'],
    code_challenge_methods_supported: ['S256'],
    ...(capabilities.responseModes ? { response_modes_supported: capabilities.responseModes } : {}),
    ...(capabilities.grantTypes ? { grant_types_supported: capabilities.grantTypes } : {}),
    ...(capabilities.tokenEndpointAuthMethods
      ? { token_endpoint_auth_methods_supported: capabilities.tokenEndpointAuthMethods }
      : {}),
    ...(capabilities.scopes ? { scopes_supported: capabilities.scopes } : {}),
    ...(capabilities.claims ? { claims_supported: capabilities.claims } : {}),
    ...capabilities.extra,
  };
}
