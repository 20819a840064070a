import { randomBytes } from 'node:crypto';
import { sha256Hex, sha256Matches } from '../hash.js';

/**
 * Client secrets are 256-bit random values, so a fast hash is enough to keep a database leak
 * from revealing them; a slow password hash would cost ~25 ms of CPU per token request and
 * buy nothing against a secret that cannot be guessed.
 */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return sha256Hex(secret);
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function clientSecretMatches(presented: string, storedHash: string): boolean {
  return sha256Matches(presented, storedHash);
}
