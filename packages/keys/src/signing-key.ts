/**
 * A signing key as stored: public JWK, encrypted private key and the lifecycle timestamps.
 * Times are milliseconds since the epoch.
 *
 * The state is not stored but derived from the timestamps (see `keyState`), so every instance
 * reading the same rows at the same time agrees, and time-driven transitions (pending -> active,
 * retired -> removed) need no job to happen.
 */
export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: 'RS256';
  /** RSA modulus length in bits. */
  readonly size: number;
  /** Public members only: kty, n, e. */
  readonly publicJwk: { readonly kty: 'RSA'; readonly n: string; readonly e: string };
  /** AES-256-GCM envelope of the PKCS#8 private key (see `encryptPrivateKey`). */
  readonly privateKey: string;
  readonly createdAt: number;
  readonly activatesAt: number;
  readonly retiredAt: number | null;
  readonly revokedAt: number | null;
}

/**
 * pending: published, signs nothing yet; active: the one key that signs; retired: signs nothing,
 * published until its tokens have expired; removed: gone from the JWKS; revoked: removed at once.
 */
export type KeyState = 'pending' | 'active' | 'retired' | 'removed' | 'revoked';
