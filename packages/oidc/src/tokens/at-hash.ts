import { createHash } from 'node:crypto';

/**
 * OIDC Core 3.1.3.6: the left-most half of the SHA-256 hash of the access token's ASCII octets,
 * base64url-encoded (SHA-256 because the ID token is signed with RS256).
 */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
