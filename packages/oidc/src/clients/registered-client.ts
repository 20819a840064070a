/** Token endpoint client authentication methods we implement (RFC 7591 2, OIDC Core 9). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

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
  /** Trusted first-party app: no consent page. */
  readonly firstParty: boolean;
  /** PKCE on every authorization request; false (confidential clients only) also admits nonce alone. */
  readonly requirePkce: boolean;
}
