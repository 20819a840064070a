import type { LogoutNotice } from '../logout/logout-token.js';

/**
 * One pending back-channel logout delivery: what to tell which client (the notice, not a signed
 * token: the token is signed at each attempt, so it is fresh and short-lived however late the
 * attempt, and nothing that a client would accept is kept at rest).
 */
export interface LogoutDelivery {
  readonly id: string;
  readonly notice: LogoutNotice;
  /** Attempts begun so far, counting the one a claim starts. */
  readonly attempts: number;
  /** When it may next be claimed: its retry time, or the end of a claim's lease. */
  readonly dueAt: number;
  readonly createdAt: number;
}

/**
 * Pending back-channel logout deliveries (Back-Channel Logout 1.0 2.5-2.8), kept so that a
 * restart or a crash between retries loses none.
 *
 * Contract:
 * - `enqueue` stores one delivery per notice, due at `now`, with no attempts.
 * - `claim` takes up to `limit` deliveries due at `now` (`dueAt` <= now, oldest due first), moves
 *   each one's `dueAt` to `now + leaseMs` and counts an attempt, and returns them as claimed.
 *   Concurrent claims (other processes too) never return the same delivery while its lease runs;
 *   a delivery whose claimer died is claimed again once the lease has passed.
 * - `retryAt` makes a claimed delivery due again at `at`; `remove` deletes it (delivered, or
 *   given up). Both are no-ops for an unknown id.
 * - The garbage collector deletes deliveries created before now − keepMs (a worker that never
 *   ran leaves nothing forever).
 */
export interface LogoutDeliveryStore {
  enqueue(notices: readonly LogoutNotice[], now: number): Promise<void>;
  claim(now: number, leaseMs: number, limit: number): Promise<LogoutDelivery[]>;
  retryAt(id: string, at: number): Promise<void>;
  remove(id: string): Promise<void>;
}
