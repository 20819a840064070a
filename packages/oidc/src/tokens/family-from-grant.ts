import type { TokenFamilyRecord } from '../ports/index.js';
import { randomId } from './build-claims.js';

/** What a login granted, as a code or an approved device authorization carries it. */
export interface GrantedLogin {
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly claims: TokenFamilyRecord['claims'];
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly resources: readonly string[];
}

/**
 * The token family a redeemed grant starts (a code exchange, a device approval): every later
 * refresh of this login belongs to it, until `absoluteSeconds` from now.
 */
export function familyFromGrant(
  grant: GrantedLogin,
  clientId: string,
  userId: string,
  now: number,
  absoluteSeconds: number,
): TokenFamilyRecord {
  return {
    id: randomId(),
    clientId,
    userId,
    sessionId: grant.sessionId,
    scopes: grant.scopes,
    claims: grant.claims,
    authTime: grant.authTime,
    amr: grant.amr,
    acr: grant.acr,
    offlineAccess: grant.scopes.includes('offline_access'),
    // RFC 8707: what the login asked for stays the audience of refreshed access tokens.
    ...(grant.resources.length > 0 ? { resources: grant.resources } : {}),
    createdAt: now,
    expiresAt: now + absoluteSeconds * 1000,
    revokedAt: null,
  };
}
