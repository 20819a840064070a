import type { ClaimsRequest } from './tokens/claims-request.js';
import type { UserAccount } from './users/user-account.js';

/** Source of the current time (milliseconds since the epoch), injected for tests. */
export interface Clock {
  now(): number;
}

/** Signs JWTs with the active key (RS256, `kid` header). Implemented by the keys package. */
export interface TokenSigner {
  sign(payload: Record<string, unknown>, options?: { typ?: string }): Promise<string>;
}

/** An authorization code as stored: only the hash of the code itself. Times in milliseconds. */
export interface AuthorizationCodeRecord {
  readonly codeHash: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly nonce: string | null;
  /** Null when the request carried no code_challenge (a client with require_pkce false). */
  readonly codeChallenge: string | null;
  readonly claims: ClaimsRequest | null;
  readonly resources: readonly string[];
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly familyId: string | null;
}

/** What a login grants, carried by every token of one family. */
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
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

export interface NewRefreshToken {
  /** The JWT's jti. */
  readonly id: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/** A stored code with its user, loaded in one lookup (null user: deleted since). */
export interface FoundAuthorizationCode extends AuthorizationCodeRecord {
  readonly user: UserAccount | null;
}

/**
 * Authorization codes. Contract: `redeem` is atomic — of several concurrent calls for one code at
 * most one returns true, and only that one writes the family and refresh token; `find` after a
 * successful `redeem` shows `consumedAt` and `familyId` set.
 */
export interface AuthorizationCodeStore {
  save(record: AuthorizationCodeRecord): Promise<void>;
  find(codeHash: string): Promise<FoundAuthorizationCode | null>;
  redeem(codeHash: string, now: number, family: TokenFamilyRecord, refreshToken: NewRefreshToken | null): Promise<boolean>;
  /** Code replay (RFC 6749 4.1.2): revokes the family its first exchange created. */
  revokeIssuedFrom(codeHash: string, now: number, reason: string): Promise<void>;
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

/** Token families, as userinfo and introspection need them. */
export interface TokenFamilyStore {
  findFamily(familyId: string): Promise<TokenFamilyRecord | null>;
  /** The revocation-list entry of `jti`, and the family `familyId` with its user. */
  accessTokenState(jti: string, familyId: string | null): Promise<AccessTokenState>;
  /**
   * Revokes a family and with it every refresh and access token issued from it, at the request
   * of client `clientId`, and records that in the audit log in the same write. False when the
   * family was already revoked (nothing is written then).
   */
  revokeFamily(familyId: string, now: number, reason: string, clientId: string): Promise<boolean>;
  /**
   * Puts one access token on the revocation list until it would expire anyway, at the request of
   * client `clientId`, recorded in the audit log in the same write. False when it was already
   * on the list (nothing is written then).
   */
  revokeAccessToken(jti: string, expiresAt: number, clientId: string): Promise<boolean>;
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
 * What a rotation found: `rotated` (first use: the successor is stored), `invalid` (unknown, or
 * its family revoked), or `used` (rotated before, by an earlier or a concurrent request), with
 * when and the successor that replaced it. `used` changes nothing: whether it is a retry within
 * the grace period or a replay is the grant's decision.
 */
export type RotationResult =
  | { readonly outcome: 'rotated' }
  | { readonly outcome: 'invalid' }
  | { readonly outcome: 'used'; readonly usedAt: number; readonly successor: StoredSuccessor | null };

/**
 * Refresh tokens. Contract: `rotate` runs in one transaction; of concurrent rotations of one
 * token exactly one returns `rotated`, and only that one stores a successor; no caller ever sees
 * a half-rotated family.
 */
export interface RefreshTokenStore {
  find(id: string): Promise<RefreshTokenRecord | null>;
  rotate(current: { id: string; tokenHash: string }, next: NewRefreshToken, now: number): Promise<RotationResult>;
  /**
   * A used token presented again: revokes its family and records the reuse in the audit log, in
   * one transaction. False when the family was revoked already (nothing is written then).
   */
  revokeForReuse(reuse: { familyId: string; tokenId: string; rotatedAt: number; clientId: string; userId: string }, now: number): Promise<boolean>;
}
