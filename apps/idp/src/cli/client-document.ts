import type { RegisteredClient } from '@idp/oidc';

/**
 * A registered client as the seed file describes it: RFC 7591 metadata names, every member the
 * server stores, and no secret (only its hash is stored). A list of these under `clients` is a
 * seed document that `idp import` accepts back without changing anything, secrets included.
 */
export function clientDocument(client: RegisteredClient) {
  return {
    client_id: client.clientId,
    client_name: client.clientName,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    grant_types: [...client.grantTypes],
    response_types: [...client.responseTypes],
    scope: client.scopes.join(' '),
    resources: [...client.resources],
    first_party: client.firstParty,
    require_pkce: client.requirePkce,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    // Absent members stay absent, so the document passes the schema's either/or rules.
    ...(client.jwks ? { jwks: client.jwks } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.tokenEndpointAuthSigningAlg
      ? { token_endpoint_auth_signing_alg: client.tokenEndpointAuthSigningAlg }
      : {}),
    ...(client.requestObjectSigningAlg
      ? { request_object_signing_alg: client.requestObjectSigningAlg }
      : {}),
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    ...(client.securityProfile ? { security_profile: client.securityProfile } : {}),
    // The logout members only where set, so documents of clients without them stay as they were.
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
    ...(client.backchannelLogoutUri || client.backchannelLogoutSessionRequired
      ? { backchannel_logout_session_required: client.backchannelLogoutSessionRequired ?? false }
      : {}),
    ...(client.frontchannelLogoutUri
      ? { frontchannel_logout_uri: client.frontchannelLogoutUri }
      : {}),
    ...(client.frontchannelLogoutUri || client.frontchannelLogoutSessionRequired
      ? { frontchannel_logout_session_required: client.frontchannelLogoutSessionRequired ?? false }
      : {}),
    // The sign-in policy only where set, as the logout members.
    ...(client.defaultAcrValues?.length
      ? { default_acr_values: [...client.defaultAcrValues] }
      : {}),
    ...(client.requireMfa ? { require_mfa: true } : {}),
    // Absent means plain JSON from UserInfo, so the member appears only when a JWT is asked for.
    ...(client.userinfoSignedResponseAlg
      ? { userinfo_signed_response_alg: client.userinfoSignedResponseAlg }
      : {}),
  };
}
