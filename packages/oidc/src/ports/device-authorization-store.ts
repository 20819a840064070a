import type { UserAccount } from '../users/user-account.js';
import type { NewRefreshToken } from './refresh-token-store.js';
import type { TokenFamilyRecord } from './token-family-store.js';

/** Where a device authorization stands (RFC 8628 3.4-3.5). */
export type DeviceAuthorizationStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

/** Who approved a device authorization, and how they had signed in. Times in milliseconds. */
export interface DeviceApproval {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
}

/**
 * A device authorization request as stored: only hashes of the device code and of the user
 * code's canonical form. Times in milliseconds; `interval` in seconds.
 */
export interface DeviceAuthorizationRecord {
  readonly deviceCodeHash: string;
  readonly userCodeHash: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  readonly expiresAt: number;
  /** Minimum seconds between polls; each slow_down adds 5 (RFC 8628 3.5). */
  readonly interval: number;
  readonly lastPolledAt: number | null;
  readonly status: DeviceAuthorizationStatus;
  /** Set when approved (and kept once redeemed). */
  readonly approval: DeviceApproval | null;
  /** The token family its redemption created. */
  readonly familyId: string | null;
}

/** A stored device authorization with its approving user, loaded in one lookup. */
export interface FoundDeviceAuthorization extends DeviceAuthorizationRecord {
  readonly user: UserAccount | null;
}

/**
 * Device authorizations (RFC 8628), stored by the hashes of their codes.
 *
 * Contract:
 * - `create` stores a new record as given (status `pending`, no approval, no family, no poll
 *   whatever the record says) and returns true; false, storing nothing, when another record
 *   holds the same `userCodeHash` (user codes are unique while stored).
 * - `find` and `findByUserCode` return the record (`find` with its approving user, null before
 *   approval or once the user is gone), null for an unknown hash.
 * - `recordPoll` sets `lastPolledAt` = `now` and `interval` only if `lastPolledAt` still equals
 *   `previousPolledAt` (compare-and-set): of concurrent polls seeing the same previous time
 *   exactly one returns true; false for an unknown hash.
 * - `approve` and `deny` change a `pending` record whose `expiresAt` is after `now`, to
 *   `approved` with `approval` or to `denied`; exactly one of concurrent decisions returns true,
 *   and a decided, expired or unknown record is left unchanged (false).
 * - `redeem` is atomic: of concurrent calls for one `approved` record exactly one returns true,
 *   sets status `redeemed` with `familyId`, and inserts `family` and `refreshToken` (created at
 *   `now`); any other status, or an unknown hash, gives false and writes nothing.
 */
export interface DeviceAuthorizationStore {
  create(record: DeviceAuthorizationRecord, now: number): Promise<boolean>;
  find(deviceCodeHash: string): Promise<FoundDeviceAuthorization | null>;
  findByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null>;
  recordPoll(
    deviceCodeHash: string,
    previousPolledAt: number | null,
    now: number,
    interval: number,
  ): Promise<boolean>;
  approve(deviceCodeHash: string, approval: DeviceApproval, now: number): Promise<boolean>;
  deny(deviceCodeHash: string, now: number): Promise<boolean>;
  redeem(
    deviceCodeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean>;
}
