import type { RegisteredClient } from '../clients/registered-client.js';
import type { DpopNonces } from '../dpop/dpop-nonce.js';
import type {
  AuditLog,
  AuthorizationCodeStore,
  Clock,
  DeviceAuthorizationStore,
  RefreshTokenStore,
  SingleUseStore,
  TokenFamilyStore,
  TokenSigner,
} from '../ports/index.js';

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
  verify(
    token: string,
    options: { typ: string; issuer: string; audience?: string; remember?: boolean },
  ): Promise<{ payload: Record<string, unknown> }>;
  /**
   * The claims of a token, NOT verified: the caller MUST prove the token's bytes another way (its
   * hash in the database) before trusting any claim. The key named must still verify, and `typ`,
   * `iss` and `aud` must match. Throws otherwise.
   */
  decodeUnverified(
    token: string,
    options: { typ: string; issuer: string; audience: string | readonly string[] },
  ): Record<string, unknown>;
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
  /** DPoP (RFC 9449): where proof `jti`s are remembered, and the server's nonces when required. */
  readonly dpop: {
    readonly replay: Pick<SingleUseStore, 'consume'>;
    readonly nonces?: DpopNonces | undefined;
  };
}

/**
 * What binds the tokens of one token request to a key (RFC 9449 5): the SHA-256 thumbprint of
 * the key that signed the request's valid DPoP proof; absent without a proof.
 */
export interface TokenBinding {
  readonly jkt?: string;
}

/** RFC 6749 5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  /** `DPoP` when the access token is bound to a key (RFC 9449 5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  /** RFC 8693 2.2.1, token exchange only. */
  issued_token_type?: string;
}

export interface GrantHandler {
  readonly grantType: string;
  handle(
    params: Readonly<Record<string, string | undefined>>,
    client: RegisteredClient,
    ctx: TokenContext,
    binding?: TokenBinding,
  ): Promise<TokenResponse>;
}
