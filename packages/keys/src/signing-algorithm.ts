/**
 * The JWS algorithms (RFC 7518 3.1, RFC 8037 3.1) this server signs with, one key type each:
 * RS256 and PS256 on RSA keys, ES256 on P-256 keys, EdDSA on Ed25519 keys.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * Whether signing the same input twice with the same key gives the same bytes: RSASSA-PKCS1-v1_5
 * and Ed25519 do; PSS (random salt) and ECDSA (random nonce) do not. A refresh token signed
 * again for a grace-period retry must come out identical (its hash is all that is stored).
 */
export function isDeterministic(alg: SigningAlgorithm): boolean {
  return alg === 'RS256' || alg === 'EdDSA';
}
