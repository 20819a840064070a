import { hash } from 'node:crypto';
import type { JwsSigningAlgorithm } from './signing-algorithms.js';

/**
 * The hash OIDC Core 3.1.3.6 names for the ID token's `alg`: the one its signature uses, SHA-256
 * for RS256, PS256 and ES256. Ed25519 hashes with SHA-512 (RFC 8032 5.1), which is what
 * certified relying parties (oauth4webapi, node-oidc-provider's oidc-token-hash) expect for EdDSA.
 */
const HASHES: Record<JwsSigningAlgorithm, 'sha256' | 'sha512'> = {
  RS256: 'sha256',
  PS256: 'sha256',
  ES256: 'sha256',
  EdDSA: 'sha512',
};

/**
 * OIDC Core 3.1.3.6: the left-most half of the hash of the access token's ASCII octets,
 * base64url-encoded. A JWS compact serialisation is ASCII, so its UTF-8 octets, which hash()
 * takes from a string, are the same.
 */
export function atHash(accessToken: string, alg: JwsSigningAlgorithm = 'RS256'): string {
  const digest = hash(HASHES[alg], accessToken, 'buffer');
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
