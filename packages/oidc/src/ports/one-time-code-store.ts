/**
 * A person's one-time-code factor (TOTP, RFC 6238), as stored. `secret` is what the server
 * keeps of the shared secret: sealed by the application with its key-encryption key, never the
 * clear base32 value. Times in milliseconds.
 */
export interface OneTimeCodeFactor {
  readonly userId: string;
  readonly secret: string;
  /** False while the enrolment waits for its first code; only a confirmed factor signs anyone in. */
  readonly confirmed: boolean;
  /** An unconfirmed enrolment is void from then on (and collected); kept for a confirmed one. */
  readonly expiresAt: number;
  /** The last RFC 6238 time step accepted (RFC 6238 5.2: a code is accepted once); null: none yet. */
  readonly lastUsedStep: number | null;
  /** Wrong codes since the last right one or the last lock. */
  readonly failures: number;
  /** While `now` is before this, no code (TOTP or recovery) is checked at all. */
  readonly lockedUntil: number | null;
}

/** Who made a change (default: the user) and from where, for the audit trail. */
export interface FactorChange {
  readonly actor?: string;
  readonly ip?: string;
  /** Why (recorded in the event's data), e.g. `reset_by_operator`. */
  readonly reason?: string;
}

/** How many wrong codes lock the factor, and for how long. */
export interface FailurePolicy {
  readonly maxFailures: number;
  readonly lockMs: number;
}

/**
 * One-time codes as a second factor, and the recovery codes that stand in for them.
 *
 * Contract:
 * - `find` returns the user's factor: a confirmed one, or an unconfirmed one whose `expiresAt`
 *   is after `now`; null otherwise.
 * - `startEnrolment` stores an unconfirmed factor with `secret`, replacing an earlier unconfirmed
 *   one; it answers false and changes nothing when the user has a confirmed factor.
 * - `confirmEnrolment` confirms the unconfirmed, unexpired factor, records `step` as its last
 *   used step, and replaces the user's recovery codes by `recoveryCodeHashes`, with the audit
 *   event `one_time_code.enrolled`, in one transaction; false (nothing written) when there is no
 *   such factor. Of concurrent calls at most one answers true.
 * - `useStep` accepts `step` for a confirmed factor that is not locked at `now` and whose last
 *   used step is null or smaller; it then records `step` and clears `failures`, atomically: of
 *   concurrent calls with the same step exactly one answers true (a code is never accepted twice).
 * - `recordFailure` counts one wrong code for a confirmed factor. When `failures` reaches
 *   `maxFailures`, the factor is locked until `now + lockMs`, `failures` goes back to 0 and the
 *   audit event `one_time_code.locked` is recorded. Answers the lock end, or null when not locked
 *   (or there is no confirmed factor). Concurrent failures are all counted.
 * - `useRecoveryCode` uses an unused recovery code of the user (by its hash) while the user's
 *   factor is confirmed and not locked: marks it used, clears `failures`, records
 *   `recovery_code.used` with the count left; of concurrent calls for one code exactly one
 *   answers true.
 * - `replaceRecoveryCodes` replaces every recovery code of a user with a confirmed factor
 *   (`recovery_codes.replaced`); false without a confirmed factor.
 * - `clearFailures` forgets the wrong codes counted and lifts a lock (`users unlock`); answers
 *   whether the user has a confirmed factor.
 * - `remainingRecoveryCodes` counts the user's unused recovery codes.
 * - `remove` deletes the user's factor (confirmed or not) and recovery codes in one transaction,
 *   with the audit event `one_time_code.removed` (data: `reason`) when a confirmed factor or a
 *   code was there; answers whether anything confirmed was removed.
 */
export interface OneTimeCodeStore {
  find(userId: string, now: number): Promise<OneTimeCodeFactor | null>;
  startEnrolment(userId: string, secret: string, now: number, expiresAt: number): Promise<boolean>;
  confirmEnrolment(
    userId: string,
    step: number,
    recoveryCodeHashes: readonly string[],
    now: number,
    change?: FactorChange,
  ): Promise<boolean>;
  useStep(userId: string, step: number, now: number): Promise<boolean>;
  recordFailure(
    userId: string,
    now: number,
    policy: FailurePolicy,
    change?: FactorChange,
  ): Promise<number | null>;
  useRecoveryCode(
    userId: string,
    codeHash: string,
    now: number,
    change?: FactorChange,
  ): Promise<boolean>;
  replaceRecoveryCodes(
    userId: string,
    recoveryCodeHashes: readonly string[],
    now: number,
    change?: FactorChange,
  ): Promise<boolean>;
  clearFailures(userId: string): Promise<boolean>;
  remainingRecoveryCodes(userId: string): Promise<number>;
  remove(userId: string, now: number, change?: FactorChange): Promise<boolean>;
}
