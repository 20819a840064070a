import { sha256Hex } from '@idp/oidc';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

const WINDOW_SECONDS = 3600;

/**
 * Limits `POST /register` per client address (IDP_REGISTRATION_RATE_LIMIT an hour), so that an
 * open or token-guarded registration endpoint cannot be used to fill the client table. Counters
 * in Redis when configured (shared by instances, with an in-process insurance limiter), in
 * memory otherwise; keys are SHA-256 hashes of the address.
 */
export class RegistrationThrottle {
  readonly #limiter: RateLimiterAbstract;

  constructor(perHour: number, redis?: Redis) {
    const memory = new RateLimiterMemory({
      keyPrefix: 'idp:register:address',
      points: perHour,
      duration: WINDOW_SECONDS,
    });
    this.#limiter = redis
      ? new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: 'idp:register:address',
          points: perHour,
          duration: WINDOW_SECONDS,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
  }

  /** Counts a request from `address`: seconds to wait when over the limit, else undefined. */
  async retryAfter(address: string): Promise<number | undefined> {
    try {
      await this.#limiter.consume(sha256Hex(address));
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
