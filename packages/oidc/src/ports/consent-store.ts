import type { ConsentGrant } from '../authorize/requested-claims.js';

/**
 * What each user allowed each client: a set of scopes, and claims asked for one by one.
 *
 * Contract:
 * - `granted` answers empty lists for a pair that never consented.
 * - `grant` adds to what was granted before, without duplicates (consent accumulates, RFC 6749
 *   3.3; claims one by one, OIDC Core 5.5), atomically: concurrent grants for one pair lose
 *   nothing. `granted` after `grant` lists earlier names first, in the order they were granted.
 */
export interface ConsentStore {
  granted(userId: string, clientId: string): Promise<ConsentGrant>;
  grant(
    userId: string,
    clientId: string,
    scopes: readonly string[],
    claims?: readonly string[],
  ): Promise<void>;
}
