import type {
  FactorChange,
  FailurePolicy,
  OneTimeCodeFactor,
  OneTimeCodeStore,
} from '../ports/one-time-code-store.js';
import type { MemoryTables } from './memory-tables.js';

/**
 * The reference `OneTimeCodeStore`, on shared in-memory tables. No method awaits between its
 * check and its write, so each is atomic, as the port's single-winner rules need.
 */
export class MemoryOneTimeCodeStore implements OneTimeCodeStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async find(userId: string, now: number): Promise<OneTimeCodeFactor | null> {
    const factor = this.#tables.oneTimeCodeFactors.get(userId);
    if (!factor || (!factor.confirmed && factor.expiresAt <= now)) return null;
    return { ...factor };
  }

  async startEnrolment(
    userId: string,
    secret: string,
    _now: number,
    expiresAt: number,
  ): Promise<boolean> {
    if (this.#tables.oneTimeCodeFactors.get(userId)?.confirmed) return false;
    this.#tables.oneTimeCodeFactors.set(userId, {
      userId,
      secret,
      confirmed: false,
      expiresAt,
      lastUsedStep: null,
      failures: 0,
      lockedUntil: null,
    });
    return true;
  }

  async confirmEnrolment(
    userId: string,
    step: number,
    recoveryCodeHashes: readonly string[],
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    const tables = this.#tables;
    const factor = tables.oneTimeCodeFactors.get(userId);
    if (!factor || factor.confirmed || factor.expiresAt <= now) return false;
    tables.oneTimeCodeFactors.set(userId, { ...factor, confirmed: true, lastUsedStep: step });
    this.#setCodes(userId, recoveryCodeHashes);
    tables.recordAudit(event('one_time_code.enrolled', userId, change), now);
    return true;
  }

  async useStep(userId: string, step: number, now: number): Promise<boolean> {
    const factor = this.#usable(userId, now);
    if (!factor || (factor.lastUsedStep !== null && factor.lastUsedStep >= step)) return false;
    this.#tables.oneTimeCodeFactors.set(userId, { ...factor, lastUsedStep: step, failures: 0 });
    return true;
  }

  async recordFailure(
    userId: string,
    now: number,
    policy: FailurePolicy,
    change: FactorChange = {},
  ): Promise<number | null> {
    const factor = this.#tables.oneTimeCodeFactors.get(userId);
    if (!factor?.confirmed) return null;
    const failures = factor.failures + 1;
    if (failures < policy.maxFailures) {
      this.#tables.oneTimeCodeFactors.set(userId, { ...factor, failures });
      return null;
    }
    const lockedUntil = now + policy.lockMs;
    this.#tables.oneTimeCodeFactors.set(userId, { ...factor, failures: 0, lockedUntil });
    this.#tables.recordAudit(
      { ...event('one_time_code.locked', userId, change), data: { lockedUntil } },
      now,
    );
    return lockedUntil;
  }

  async useRecoveryCode(
    userId: string,
    codeHash: string,
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    const tables = this.#tables;
    const factor = this.#usable(userId, now);
    const code = tables.recoveryCodes.get(`${userId} ${codeHash}`);
    if (!factor || !code || code.usedAt !== null) return false;
    tables.recoveryCodes.set(`${userId} ${codeHash}`, { ...code, usedAt: now });
    tables.oneTimeCodeFactors.set(userId, { ...factor, failures: 0 });
    const remaining = this.#remaining(userId);
    tables.recordAudit(
      { ...event('recovery_code.used', userId, change), data: { remaining } },
      now,
    );
    return true;
  }

  async replaceRecoveryCodes(
    userId: string,
    recoveryCodeHashes: readonly string[],
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    if (!this.#tables.oneTimeCodeFactors.get(userId)?.confirmed) return false;
    this.#setCodes(userId, recoveryCodeHashes);
    this.#tables.recordAudit(event('recovery_codes.replaced', userId, change), now);
    return true;
  }

  async clearFailures(userId: string): Promise<boolean> {
    const factor = this.#tables.oneTimeCodeFactors.get(userId);
    if (!factor?.confirmed) return false;
    this.#tables.oneTimeCodeFactors.set(userId, { ...factor, failures: 0, lockedUntil: null });
    return true;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.#remaining(userId);
  }

  async remove(userId: string, now: number, change: FactorChange = {}): Promise<boolean> {
    const tables = this.#tables;
    const factor = tables.oneTimeCodeFactors.get(userId);
    tables.oneTimeCodeFactors.delete(userId);
    let codes = 0;
    for (const [key, code] of tables.recoveryCodes)
      if (code.userId === userId) {
        tables.recoveryCodes.delete(key);
        codes += 1;
      }
    const removed = factor?.confirmed === true || codes > 0;
    if (removed)
      tables.recordAudit(
        {
          ...event('one_time_code.removed', userId, change),
          data: { reason: change.reason ?? 'removed_by_user' },
        },
        now,
      );
    return removed;
  }

  #usable(userId: string, now: number): OneTimeCodeFactor | undefined {
    const factor = this.#tables.oneTimeCodeFactors.get(userId);
    if (!factor?.confirmed) return undefined;
    if (factor.lockedUntil !== null && now < factor.lockedUntil) return undefined;
    return factor;
  }

  #setCodes(userId: string, hashes: readonly string[]): void {
    for (const [key, code] of this.#tables.recoveryCodes)
      if (code.userId === userId) this.#tables.recoveryCodes.delete(key);
    for (const codeHash of hashes)
      this.#tables.recoveryCodes.set(`${userId} ${codeHash}`, { userId, codeHash, usedAt: null });
  }

  #remaining(userId: string): number {
    let count = 0;
    for (const code of this.#tables.recoveryCodes.values())
      if (code.userId === userId && code.usedAt === null) count += 1;
    return count;
  }
}

/** An audit event about `userId`'s factor. */
function event(type: string, userId: string, change: FactorChange) {
  return {
    type,
    actor: change.actor ?? userId,
    userId,
    ...(change.ip ? { ip: change.ip } : {}),
  };
}
