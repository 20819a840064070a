import type { TokenFamilyRecord } from '../src/index.js';

/** The clock of the token tests, in milliseconds. */
export const NOW = 1_950_000_000_000;

/** A live family with offline access, signed in with a password a minute before NOW. */
export function tokenFamily(overrides: Partial<TokenFamilyRecord> = {}): TokenFamilyRecord {
  return {
    id: 'family-1',
    clientId: 'api-client',
    userId: 'user-1',
    sessionId: null,
    scopes: ['openid', 'offline_access'],
    claims: null,
    authTime: NOW - 60_000,
    amr: ['pwd'],
    acr: null,
    offlineAccess: true,
    createdAt: NOW - 60_000,
    expiresAt: NOW + 86_400_000,
    revokedAt: null,
    ...overrides,
  };
}
