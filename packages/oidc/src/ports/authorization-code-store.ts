import type { ClaimsRequest } from '../tokens/claims-request.js';
import type { UserAccount } from '../users/user-account.js';
import type { NewRefreshToken } from './refresh-token-store.js';
import type { TokenFamilyRecord } from './token-family-store.js';

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
  /** RFC 9449 10: the thumbprint of the DPoP key the code is bound to (`dpop_jkt`), if any. */
  readonly dpopJkt: string | null;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly familyId: string | null;
}

/** A stored code with its user, loaded in one lookup (null user: deleted since). */
export interface FoundAuthorizationCode extends AuthorizationCodeRecord {
  readonly user: UserAccount | null;
}

/**
 * Authorization codes, stored by hash.
 *
 * Contract:
 * - `save` stores a new, unconsumed code (its `consumedAt` and `familyId` are ignored: a find
 *   returns them null); `find` returns it with its user, null for an unknown hash.
 * - `redeem` is atomic: of several concurrent calls for one code exactly one returns true (none
 *   if it was consumed before), and only that one writes `family` and `refreshToken` (created
 *   at `now`). A `find` after a successful `redeem` shows `consumedAt` = `now` and `familyId` set.
 * - `revokeIssuedFrom` (code replay, RFC 6749 4.1.2) revokes, at `now` with `reason`, the family
 *   the code's redemption created; nothing happens for an unredeemed or unknown code or a family
 *   revoked already.
 */
export interface AuthorizationCodeStore {
  save(record: AuthorizationCodeRecord, now: number): Promise<void>;
  find(codeHash: string): Promise<FoundAuthorizationCode | null>;
  redeem(
    codeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean>;
  revokeIssuedFrom(codeHash: string, now: number, reason: string): Promise<void>;
}
