import type { SigningAlgorithm } from './signing-algorithm.js';

/** The public members of a signing key's JWK (RFC 7518 6.2, 6.3; RFC 8037 2), nothing else. */
export type PublicSigningJwk =
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string }
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string };

/**
 * A signing key as stored: public JWK, encrypted private key and the lifecycle timestamps.
 * Times are milliseconds since the epoch. Each key signs with one algorithm only.
 *
 * The state is not stored but derived from the timestamps (see `keyState`), so every instance
 * reading the same rows at the same time agrees, and time-driven transitions (pending -> active,
 * retired -> removed) need no job to happen.
 */
export interface StoredSigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  /** Key size in bits: the RSA modulus length; 256 for P-256 and Ed25519. */
  readonly size: number;
  readonly publicJwk: PublicSigningJwk;
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
