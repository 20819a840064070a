import { hash } from 'node:crypto';

/**
 * OIDC Core 3.1.3.6: the left-most half of the SHA-256 hash of the access token's ASCII octets,
 * base64url-encoded (SHA-256 because the ID token is signed with RS256). A JWS compact
 * serialisation is ASCII, so its UTF-8 octets, which hash() takes from a string, are the same.
 */
export function atHash(accessToken: string): string {
  const digest = hash('sha256', accessToken, 'buffer');
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
