import type { UserAccount } from '../users/user-account.js';
import type { TokenFamilyRecord } from './token-family-store.js';

/** A refresh token to store; only the hash of the token itself. */
export interface NewRefreshToken {
  /** The JWT's jti. */
  readonly id: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/**
 * A stored refresh token with everything the refresh grant checks, loaded in one lookup: its
 * family, the family's user, the scopes that user consented to for the family's client, and the
 * browser session the family was born in.
 */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly family: TokenFamilyRecord;
  readonly user: UserAccount;
  readonly consentedScopes: readonly string[];
  /** Null when the family has no session (or it was deleted by clean-up). */
  readonly session: { readonly endedAt: number | null; readonly expiresAt: number } | null;
}

/** The token that replaced a used refresh token, as stored: what it takes to sign it again. */
export interface StoredSuccessor {
  /** Its jti. */
  readonly id: string;
  readonly tokenHash: string;
  /** When it was issued (its `iat`, in milliseconds). */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

/**
 * What a rotation found: `rotated` (first use: the successor is stored), `invalid` (unknown, hash
 * mismatch, or its family revoked), or `used` (rotated before, by an earlier or a concurrent
 * request), with when and the successor that replaced it. `used` changes nothing: whether it is a
 * retry within the grace period or a replay is the grant's decision.
 */
export type RotationResult =
  | { readonly outcome: 'rotated' }
  | { readonly outcome: 'invalid' }
  | {
      readonly outcome: 'used';
      readonly usedAt: number;
      readonly successor: StoredSuccessor | null;
    };

/**
 * Refresh tokens, stored by hash. Used tokens are kept, with their successor, so that a replay
 * or a retry is recognised.
 *
 * Contract:
 * - `find` returns null for an unknown id.
 * - `rotate` is one transaction: of concurrent rotations of one token exactly one returns
 *   `rotated`, and only that one stores `next` (created at `now`, marking the current one used
 *   at `now`); the others return `used` naming that successor. No caller ever sees a
 *   half-rotated family.
 * - `extendIdle` moves an unused token's expiry to `expiresAt` (a refresh token that is not
 *   rotated, used again: its idle lifetime starts over), never earlier than it was; false,
 *   writing nothing, when the token is unknown, its hash differs, it was used (rotated) or its
 *   family is revoked.
 * - `revokeForReuse` (a used token presented again) revokes the family at `now` and records a
 *   `refresh_token.reused` audit event in the same transaction; false, writing nothing, when the
 *   family was revoked already.
 */
export interface RefreshTokenStore {
  find(id: string): Promise<RefreshTokenRecord | null>;
  rotate(
    current: { id: string; tokenHash: string },
    next: NewRefreshToken,
    now: number,
  ): Promise<RotationResult>;
  extendIdle(current: { id: string; tokenHash: string }, expiresAt: number): Promise<boolean>;
  revokeForReuse(
    reuse: {
      familyId: string;
      tokenId: string;
      rotatedAt: number;
      clientId: string;
      userId: string;
    },
    now: number,
  ): Promise<boolean>;
}
