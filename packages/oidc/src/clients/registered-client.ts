import type { SecurityProfile } from '../profiles/fapi2.js';
import type { JwsSigningAlgorithm } from '../tokens/signing-algorithms.js';

/** Token endpoint client authentication methods we implement (RFC 7591 2, OIDC Core 9). */
export type ClientAuthMethod =
  'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** Asymmetric JWS algorithms a client may sign its assertions and request objects with. */
export const CLIENT_SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type ClientSigningAlg = (typeof CLIENT_SIGNING_ALGS)[number];

/**
 * What a signature of a client may carry in its `alg` header, for a registered algorithm or for
 * any: `EdDSA` with an Ed25519 key is also written `Ed25519`, the fully-specified name of RFC 9864
 * (oauth4webapi, for one, signs with that name).
 */
export function acceptedClientAlgs(
  registered: ClientSigningAlg | null | undefined,
): readonly string[] {
  const algs: readonly string[] = registered ? [registered] : CLIENT_SIGNING_ALGS;
  return algs.includes('EdDSA') ? [...algs, 'Ed25519'] : algs;
}

/** Every `alg` accepted on client assertions and request objects (for discovery). */
export const CLIENT_VERIFICATION_ALGS: readonly string[] = acceptedClientAlgs(undefined);

/** A client's public keys (RFC 7517 5): public members only, checked at registration. */
export interface ClientJwks {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

export type GrantType =
  | 'authorization_code'
  | 'refresh_token'
  | 'client_credentials'
  | 'urn:ietf:params:oauth:grant-type:device_code'
  | 'urn:ietf:params:oauth:grant-type:token-exchange';

/** A client as the protocol core sees it. Metadata names follow RFC 7591, in camelCase. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly clientName: string;
  /** SHA-256 (hex) of the secret; null for public clients. */
  readonly secretHash: string | null;
  readonly tokenEndpointAuthMethod: ClientAuthMethod;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly responseTypes: readonly string[];
  /** Scopes the client may request. */
  readonly scopes: readonly string[];
  /** RFC 8707 resources the client may ask tokens for; empty = the issuer's default audience. */
  readonly resources: readonly string[];
  /**
   * Set on clients nobody vetted (self-registered, metadata document) as the server looks them
   * up: the RFC 8707 resources the operator's registration policy admits for them
   * (`withRegistrationPolicy`). Absent: not limited beyond `resources`.
   */
  readonly resourcePolicy?: readonly string[];
  /**
   * Set on clients nobody vetted as the server looks them up (`withRegistrationPolicy`). One that
   * registered no `resources` names its resource per request, as a metadata-document client does
   * (an MCP client registering itself names the MCP server only at /authorize).
   */
  readonly selfRegistered?: true;
  /** Trusted first-party app: no consent page. */
  readonly firstParty: boolean;
  /** PKCE on every authorization request; false (confidential clients only) also admits nonce alone. */
  readonly requirePkce: boolean;
  /** OIDC Registration 2 `id_token_signed_response_alg` (RS256 unless the client registered another). */
  readonly idTokenSignedResponseAlg: JwsSigningAlgorithm;
  /** RFC 7591 `jwks`: the client's public keys by value (absent: none registered). */
  readonly jwks?: ClientJwks | null;
  /** RFC 7591 `jwks_uri`: where the client publishes its public keys. */
  readonly jwksUri?: string | null;
  /** OIDC Registration `token_endpoint_auth_signing_alg`: the only alg its assertions may use. */
  readonly tokenEndpointAuthSigningAlg?: ClientSigningAlg | null;
  /** OIDC Registration / RFC 9101 `request_object_signing_alg`: the only alg of its request objects. */
  readonly requestObjectSigningAlg?: ClientSigningAlg | null;
  /** RFC 9126 5: this client's authorization requests must come through /par. */
  readonly requirePushedAuthorizationRequests: boolean;
  /** RFC 9449 5.2: this client's access tokens are always DPoP-bound. */
  readonly dpopBoundAccessTokens: boolean;
  /**
   * Our own `security_profile` (DESIGN.md): `fapi2` puts the client under the FAPI 2.0 Security
   * Profile's rules (`profiles/fapi2.ts`). Null or absent as stored: the server's default
   * (IDP_SECURITY_PROFILE), which the server's client lookup resolves before the core sees it.
   */
  readonly securityProfile?: SecurityProfile | null;
  /**
   * The client_id is a Client ID Metadata Document URL (draft-ietf-oauth-client-id-metadata-document):
   * its metadata was fetched from there, nobody registered it, so consent is asked every time.
   * Absent for registered clients.
   */
  readonly metadataDocument?: true;
  /** Back-Channel Logout 1.0 2.2 `backchannel_logout_uri` (absent: none). */
  readonly backchannelLogoutUri?: string | null;
  /** Back-Channel Logout 1.0 2.2 `backchannel_logout_session_required`. */
  readonly backchannelLogoutSessionRequired?: boolean;
  /** Front-Channel Logout 1.0 2 `frontchannel_logout_uri` (absent: none). */
  readonly frontchannelLogoutUri?: string | null;
  /** Front-Channel Logout 1.0 2 `frontchannel_logout_session_required`. */
  readonly frontchannelLogoutSessionRequired?: boolean;
  /** OIDC Registration 2 `default_acr_values`: used when a request names no acr (absent: none). */
  readonly defaultAcrValues?: readonly string[];
  /** Our own `require_mfa`: every sign-in for this client needs a second factor. */
  readonly requireMfa?: boolean;
  /**
   * OIDC Registration 2 `userinfo_signed_response_alg`: UserInfo answers this client with a JWT
   * signed with this algorithm (OIDC Core 5.3.2). Null or absent: plain JSON.
   */
  readonly userinfoSignedResponseAlg?: JwsSigningAlgorithm | null;
}

/** Whether a client asked to hear when a session it took part in ends (back or front channel). */
export function wantsLogoutNotice(
  client: Pick<RegisteredClient, 'backchannelLogoutUri' | 'frontchannelLogoutUri'>,
): boolean {
  return Boolean(client.backchannelLogoutUri || client.frontchannelLogoutUri);
}
