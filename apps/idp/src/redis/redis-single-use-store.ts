import type { SingleUseStore } from '@idp/oidc';
import type { Redis } from 'ioredis';
import { redisCommand } from './redis-unavailable.js';

/**
 * How much longer than `expiresAt` an id is kept: instances' clocks differ a little, and one
 * that runs behind still accepts what the id names after the others consider it expired.
 */
export const SINGLE_USE_CLOCK_SKEW_MS = 60_000;

/**
 * Single-use ids in Redis (ports/single-use-store.ts), for every instance sharing it: one
 * `SET key 1 NX PX ttl` each, which only the first caller's command succeeds at. The time to
 * live is counted from this server's clock (`expiresAt` minus now, plus the skew allowance) rather
 * than given to Redis as an absolute time, so Redis's own wall clock never shortens it.
 * A failed command throws RedisUnavailable: the caller refuses the request.
 */
export class RedisSingleUseStore implements SingleUseStore {
  readonly #redis: Redis;
  readonly #now: () => number;
  readonly #prefix: string;

  /** `prefix` namespaces the keys (`idp:once:` by default). */
  constructor(redis: Redis, now: () => number, prefix = 'idp:once:') {
    this.#redis = redis;
    this.#now = now;
    this.#prefix = prefix;
  }

  async consume(id: string, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(0, Math.ceil(expiresAt - this.#now())) + SINGLE_USE_CLOCK_SKEW_MS;
    const set = await redisCommand('single-use id', () =>
      this.#redis.set(this.#prefix + id, '1', 'PX', ttl, 'NX'),
    );
    return set === 'OK';
  }
}
