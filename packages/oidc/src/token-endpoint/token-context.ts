import type { RegisteredClient } from '../clients/registered-client.js';
import type { AuditLog, AuthorizationCodeStore, Clock, DeviceAuthorizationStore, RefreshTokenStore, TokenFamilyStore, TokenSigner } from '../ports/index.js';

/** Lifetimes in seconds. */
export interface TokenLifetimes {
  readonly accessToken: number;
  readonly idToken: number;
  readonly refreshTokenIdle: number;
  readonly refreshTokenAbsolute: number;
  /** Seconds a just-rotated refresh token may be presented again without revoking its family. */
  readonly refreshTokenReuseGrace: number;
}

/**
 * Verifies our own JWTs (signature by a current key, typ, issuer, audience, expiry). `remember`:
 * the token is expected again (access tokens), so a repeat may skip the signature check.
 */
export interface TokenVerifier {
  verify(token: string, options: { typ: string; issuer: string; audience?: string; remember?: boolean }): Promise<{ payload: Record<string, unknown> }>;
  /**
   * The claims of a token, NOT verified: the caller MUST prove the token's bytes another way (its
   * hash in the database) before trusting any claim. The key named must still verify, and `typ`,
   * `iss` and `aud` must match. Throws otherwise.
   */
  decodeUnverified(token: string, options: { typ: string; issuer: string; audience: string | readonly string[] }): Record<string, unknown>;
}

/** Everything a grant needs besides the request: settings and ports. */
export interface TokenContext {
  readonly issuer: string;
  readonly clock: Clock;
  readonly signer: TokenSigner;
  readonly verifier: TokenVerifier;
  readonly codes: AuthorizationCodeStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly deviceAuthorizations: DeviceAuthorizationStore;
  /** Families and the revocation list: whether a presented access token still stands (token exchange). */
  readonly families: TokenFamilyStore;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly lifetimes: TokenLifetimes;
  /** Hook for facts worth logging or auditing (no token values). */
  readonly emit: (event: string, data: Record<string, unknown>) => void;
}

/** RFC 6749 5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  /** RFC 8693 2.2.1, token exchange only. */
  issued_token_type?: string;
}

export interface GrantHandler {
  readonly grantType: string;
  handle(params: Readonly<Record<string, string | undefined>>, client: RegisteredClient, ctx: TokenContext): Promise<TokenResponse>;
}
