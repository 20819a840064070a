import { sha256Hex } from '@idp/oidc';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
  type RateLimiterRes,
} from 'rate-limiter-flexible';

/**
 * Wrong user codes allowed per network address and per browser (its session, or its CSRF
 * cookie before sign-in) in WINDOW_SECONDS. With 20^8 possible codes alive for minutes, these
 * make guessing hopeless (RFC 8628 5.1) while a person who mistypes has many tries.
 */
const PER_ADDRESS = 20;
const PER_BROWSER = 5;
const WINDOW_SECONDS = 15 * 60;

/**
 * Limits entries of wrong user codes on the /device page, like the login throttle: counters in
 * Redis when configured (with an in-process insurance limiter), otherwise in memory; keys are
 * SHA-256 hashes. Only wrong codes count, so a person who typed the right code is never held up.
 */
export class UserCodeThrottle {
  readonly #byAddress: RateLimiterAbstract;
  readonly #byBrowser: RateLimiterAbstract;

  constructor(redis?: Redis) {
    const limiter = (name: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({
        keyPrefix: `idp:device:${name}`,
        points,
        duration: WINDOW_SECONDS,
      });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `idp:device:${name}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.#byAddress = limiter('address-failures', PER_ADDRESS);
    this.#byBrowser = limiter('browser-failures', PER_BROWSER);
  }

  /** Seconds to wait before another entry is accepted, or undefined when it may go ahead. */
  async retryAfter(address: string, browser: string): Promise<number | undefined> {
    const [byAddress, byBrowser] = await Promise.all([
      this.#byAddress.get(sha256Hex(address)),
      this.#byBrowser.get(sha256Hex(browser)),
    ]);
    const blocked = [
      [byAddress, PER_ADDRESS],
      [byBrowser, PER_BROWSER],
    ] as const;
    const waits = blocked
      .filter(([res, points]) => res !== null && res.consumedPoints >= points)
      .map(([res]) => (res as RateLimiterRes).msBeforeNext);
    return waits.length > 0 ? Math.max(1, Math.ceil(Math.max(...waits) / 1000)) : undefined;
  }

  async recordFailure(address: string, browser: string): Promise<void> {
    await Promise.all([
      this.#byAddress.penalty(sha256Hex(address)),
      this.#byBrowser.penalty(sha256Hex(browser)),
    ]);
  }
}
