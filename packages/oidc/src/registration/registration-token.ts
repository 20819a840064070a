import { randomBytes } from 'node:crypto';
import { sha256Hex, sha256Matches } from '../hash.js';

/**
 * Registration access tokens (RFC 7592 1) and initial access tokens (RFC 7591 3): 256-bit random
 * bearer tokens, stored only as SHA-256 (enough for a value that cannot be guessed).
 */
export function generateRegistrationToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRegistrationToken(token: string): string {
  return sha256Hex(token);
}

/** Constant-time comparison of a presented token with the stored hash. */
export function registrationTokenMatches(presented: string, storedHash: string): boolean {
  return sha256Matches(presented, storedHash);
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 2.1; the scheme is
 * case-insensitive), or undefined when there is none or it is malformed.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
