import { sha256Hex } from '@idp/oidc';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface LoginThrottleSettings {
  /** Failures per (account, source), and per account from all sources, within the window. */
  readonly failuresPerAccount: number;
  readonly failureWindowSeconds: number;
  /** Failures per address per minute; malformed posts are counted apart against the same number. */
  readonly failuresPerAddressPerMinute: number;
  /** While an account is over its limit, sources that never signed in to it share one attempt per this. */
  readonly newSourceIntervalSeconds: number;
  readonly knownSourceSeconds: number;
}

/** One sign-in attempt, as the throttle sees it: hashes and an address, never a password or an email. */
export interface LoginAttempt {
  /** SHA-256 of the normalised username. */
  readonly account: string;
  readonly address: string;
  /** The browser's device id, when its known-device cookie says it signed in to this account before. */
  readonly knownDevice?: string;
}

/** Which limit refused an attempt: the source for this account, the address, or new sources of an attacked account. */
export type ThrottleLimit = 'account_source' | 'address' | 'new_source';

export interface Refusal {
  readonly limit: ThrottleLimit;
  readonly retryAfterSeconds: number;
}

/** When the account was last unlocked by an operator (`idp users unlock`), looked up only if a limit blocks. */
export type UnlockedAt = () => Promise<number | undefined>;

/**
 * Login throttling that stops guessing without handing attackers a way to lock owners out.
 * Failures are counted per (account, source), per account and per address; successes are never
 * counted. A source that signed in to an account before (its address, or a browser holding the
 * known-device cookie) is held back only by its own failures. The attacker's source is refused
 * after N failures for that account; once an account has N failures from all sources together,
 * new sources are slowed to one shared attempt per interval rather than refused outright.
 *
 * Counters live in Redis when configured (shared by every instance), each with an in-process
 * insurance limiter that takes over while Redis is unreachable; otherwise in process memory.
 * Keys are SHA-256 hashes of accounts and addresses.
 */
export class LoginThrottle {
  readonly #failuresBySource: RateLimiterAbstract;
  readonly #failuresByAccount: RateLimiterAbstract;
  readonly #failuresByAddress: RateLimiterAbstract;
  readonly #newSourceAttempts: RateLimiterAbstract;
  readonly #knownAddresses: RateLimiterAbstract;
  readonly #malformedByAddress: RateLimiterAbstract;
  readonly #knownSourceSeconds: number;

  constructor(settings: LoginThrottleSettings, redis?: Redis) {
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `idp:login:${name}`, points, duration });
      if (!redis) return memory;
      // Insurance: rate-limiter-flexible answers from the in-process limiter when a Redis call fails.
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `idp:login:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    const window = settings.failureWindowSeconds;
    this.#failuresBySource = limiter('source-failures', settings.failuresPerAccount, window);
    this.#failuresByAccount = limiter('account-failures', settings.failuresPerAccount, window);
    this.#failuresByAddress = limiter('address-failures', settings.failuresPerAddressPerMinute, 60);
    this.#newSourceAttempts = limiter('new-source-attempts', 1, settings.newSourceIntervalSeconds);
    this.#knownAddresses = limiter('known-addresses', 1, settings.knownSourceSeconds);
    this.#malformedByAddress = limiter(
      'address-malformed',
      settings.failuresPerAddressPerMinute,
      60,
    );
    this.#knownSourceSeconds = settings.knownSourceSeconds;
  }

  /** Whether the attempt's source signed in to its account before (browser cookie or address). */
  async isKnownSource(attempt: LoginAttempt): Promise<boolean> {
    if (attempt.knownDevice !== undefined) return true;
    return (await this.#knownAddresses.get(addressKey(attempt))) !== null;
  }

  /** The limit that refuses this attempt before its password is checked, if any. */
  async check(
    attempt: LoginAttempt,
    known: boolean,
    unlockedAt: UnlockedAt,
  ): Promise<Refusal | undefined> {
    const unlocked = memoise(unlockedAt);
    const bySource = await this.#blocking(this.#failuresBySource, sourceKey(attempt), unlocked);
    if (bySource) return { limit: 'account_source', retryAfterSeconds: bySource };
    // The owner's own browser or address is not held back by what other sources did.
    if (known) return undefined;
    const byAddress = await this.#blocking(this.#failuresByAddress, sha256Hex(attempt.address));
    if (byAddress) return { limit: 'address', retryAfterSeconds: byAddress };
    if (!(await this.#blocking(this.#failuresByAccount, attempt.account, unlocked)))
      return undefined;
    try {
      await this.#newSourceAttempts.consume(attempt.account);
      return undefined;
    } catch (error) {
      if (error instanceof RateLimiterRes)
        return { limit: 'new_source', retryAfterSeconds: seconds(error.msBeforeNext) };
      throw error;
    }
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.#failuresBySource.penalty(sourceKey(attempt)),
      this.#failuresByAccount.penalty(attempt.account),
      this.#failuresByAddress.penalty(sha256Hex(attempt.address)),
    ]);
  }

  /** Forgives this source's failures and remembers its address as known to the account. */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.#failuresBySource.delete(sourceKey(attempt)),
      this.#knownAddresses.set(addressKey(attempt), 1, this.#knownSourceSeconds),
    ]);
  }

  /** Counts a malformed post (a form that fails its checks, empty fields); true when this one reaches the limit. */
  async recordMalformed(address: string): Promise<boolean> {
    const result = await this.#malformedByAddress.penalty(sha256Hex(address));
    return result.consumedPoints === this.#malformedByAddress.points;
  }

  /**
   * Seconds until the counter under `key` stops blocking, or 0 when it does not block. A count
   * that began before the account's last unlock is dropped: the operator forgave it.
   */
  async #blocking(
    limiter: RateLimiterAbstract,
    key: string,
    unlockedAt?: UnlockedAt,
  ): Promise<number> {
    const counted = await limiter.get(key);
    if (counted === null || counted.consumedPoints < limiter.points) return 0;
    if (unlockedAt) {
      const windowStart = Date.now() + counted.msBeforeNext - limiter.duration * 1000;
      const unlocked = await unlockedAt();
      if (unlocked !== undefined && unlocked >= windowStart) {
        await limiter.delete(key);
        return 0;
      }
    }
    return seconds(counted.msBeforeNext);
  }
}

/** A known browser is its own source, apart from its address: attackers behind the same NAT cannot block it. */
function sourceKey(attempt: LoginAttempt): string {
  const source =
    attempt.knownDevice !== undefined
      ? `device ${attempt.knownDevice}`
      : `address ${attempt.address}`;
  return sha256Hex(`${attempt.account}\n${source}`);
}

function addressKey(attempt: LoginAttempt): string {
  return sha256Hex(`${attempt.account}\n${attempt.address}`);
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function memoise<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}
