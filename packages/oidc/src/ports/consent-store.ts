import type { ConsentGrant } from '../authorize/requested-claims.js';

/** What one user granted one client. */
export interface ConsentRecord extends ConsentGrant {
  readonly clientId: string;
}

/**
 * What each user allowed each client: a set of scopes, and claims asked for one by one.
 *
 * Contract:
 * - `granted` answers empty lists for a pair that never consented.
 * - `grant` adds to what was granted before, without duplicates (consent accumulates, RFC 6749
 *   3.3; claims one by one, OIDC Core 5.5), atomically: concurrent grants for one pair lose
 *   nothing. `granted` after `grant` lists earlier names first, in the order they were granted.
 * - `listForUser` lists the user's consents, one per client, ordered by client_id.
 * - `revoke` deletes the pair's consent and revokes, at `now` and in the same transaction with a
 *   `consent.revoked` audit event by `actor`, every live token family of the pair (offline ones
 *   too: what was granted is taken back). False, writing nothing, when the pair had no consent.
 */
export interface ConsentStore {
  granted(userId: string, clientId: string): Promise<ConsentGrant>;
  grant(
    userId: string,
    clientId: string,
    scopes: readonly string[],
    claims?: readonly string[],
  ): Promise<void>;
  listForUser(userId: string): Promise<ConsentRecord[]>;
  revoke(
    userId: string,
    clientId: string,
    actor: string,
    now: number,
  ): Promise<{ revoked: boolean; revokedFamilies: number }>;
}
