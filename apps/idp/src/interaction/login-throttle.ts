import type { Redis } from 'ioredis';

/**
 * Counts failed logins per account in a fixed window; past the limit, attempts are refused before
 * the password is even checked (slows online guessing against one account from many IPs).
 * Successful logins clear the count. Keys are hashed account names, never passwords.
 */
export interface LoginThrottle {
  isBlocked(account: string): Promise<boolean>;
  recordFailure(account: string): Promise<void>;
  reset(account: string): Promise<void>;
}

/** One process's counters; bounded so a flood of made-up names cannot grow memory forever. */
export class MemoryLoginThrottle implements LoginThrottle {
  static readonly MAX_ACCOUNTS = 100_000;
  readonly #counts = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  async isBlocked(account: string): Promise<boolean> {
    const entry = this.#counts.get(account);
    return entry !== undefined && entry.resetAt > this.now() && entry.failures >= this.limit;
  }

  async recordFailure(account: string): Promise<void> {
    const now = this.now();
    const entry = this.#counts.get(account);
    if (entry && entry.resetAt > now) {
      entry.failures += 1;
      return;
    }
    if (this.#counts.size >= MemoryLoginThrottle.MAX_ACCOUNTS) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#counts.keys().next().value;
      if (oldest !== undefined) this.#counts.delete(oldest);
    }
    this.#counts.set(account, { failures: 1, resetAt: now + this.windowMs });
  }

  async reset(account: string): Promise<void> {
    this.#counts.delete(account);
  }
}

/** Counters in Redis, shared by every instance of a cluster. */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  #key(account: string) {
    return `idp:login-failures:${account}`;
  }

  async isBlocked(account: string): Promise<boolean> {
    return Number((await this.redis.get(this.#key(account))) ?? 0) >= this.limit;
  }

  async recordFailure(account: string): Promise<void> {
    const key = this.#key(account);
    const failures = await this.redis.incr(key);
    if (failures === 1) await this.redis.pexpire(key, this.windowMs);
  }

  async reset(account: string): Promise<void> {
    await this.redis.del(this.#key(account));
  }
}
