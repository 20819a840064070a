import type { ClaimsRequest } from '../tokens/claims-request.js';
import type { UserAccount } from '../users/user-account.js';

/** What a login grants, carried by every token of one family. Times in milliseconds. */
export interface TokenFamilyRecord {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly claims: ClaimsRequest | null;
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly offlineAccess: boolean;
  /**
   * RFC 8707 resources granted at login (the authorization request's `resource`s): the audience
   * of every access token the family's refreshes issue, which a refresh may narrow to one of
   * them. Absent or empty: none were asked for (the client's registered resources apply).
   */
  readonly resources?: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

/** What an access token's validity depends on besides its signature, loaded in one lookup. */
export interface AccessTokenState {
  /** The jti is on the revocation list. */
  readonly revoked: boolean;
  /** The family the jti names (null: no family, e.g. client_credentials, or unknown). */
  readonly family: TokenFamilyRecord | null;
  /** The family's user. */
  readonly user: UserAccount | null;
}

/**
 * Token families and the access-token revocation list, one store because an access token's
 * state is read from both in one lookup (`accessTokenState`). Families are created by
 * `AuthorizationCodeStore.redeem`; refresh tokens live in `RefreshTokenStore`.
 *
 * Contract:
 * - Revoking a family revokes every token issued from it: its refresh tokens no longer rotate
 *   (`RefreshTokenStore.rotate` answers `invalid`) and `accessTokenState` shows the family's
 *   `revokedAt`, which resource-facing endpoints check for its access tokens.
 * - `revokeFamily` sets `revokedAt` to `now` and records a `token.revoked` audit event by client
 *   `clientId` in the same transaction; false, writing nothing, when the family is unknown or
 *   revoked already (of concurrent calls exactly one is true).
 * - `revokeAccessToken` puts the jti on the list until `expiresAt` (when the token would expire
 *   anyway), with its audit event, at `now`; false, writing nothing, when it is listed already.
 */
export interface TokenFamilyStore {
  /** The revocation-list entry of `jti`, and the family `familyId` (if not null) with its user. */
  accessTokenState(jti: string, familyId: string | null): Promise<AccessTokenState>;
  revokeFamily(familyId: string, now: number, reason: string, clientId: string): Promise<boolean>;
  revokeAccessToken(
    jti: string,
    expiresAt: number,
    clientId: string,
    now: number,
  ): Promise<boolean>;
}
