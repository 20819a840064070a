import { Redis } from 'ioredis';
import type { Logger } from 'pino';

const PING_TIMEOUT_MS = 500;

/**
 * The Redis client of the login throttle and the short-lived single-use stores (redis/), set to
 * fail fast: no offline queue and a command timeout, so that while Redis is unreachable each call
 * fails at once: the throttle's in-process insurance counters answer instead of a login hanging,
 * and a request that needs a single-use check is refused (503) instead of waiting. Logs one
 * warning when Redis becomes unreachable and one line when it is back (ioredis retries on its own).
 */
export class RedisConnection {
  readonly client: Redis;
  #reachable = false;
  #warned = false;
  #closing = false;

  /** `onError`: told of every error the client reports (metrics count them). */
  constructor(
    url: string,
    logger: Pick<Logger, 'info' | 'warn'>,
    onError: (error: Error) => void = () => {},
  ) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: PING_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    });
    this.client.on('ready', () => {
      this.#reachable = true;
      if (this.#warned)
        logger.info(
          { event: 'redis.up' },
          'redis reachable again: login throttling counters are shared again, single-use checks resume',
        );
      this.#warned = false;
    });
    const lost = (error?: Error) => {
      this.#reachable = false;
      if (this.#warned || this.#closing) return;
      this.#warned = true;
      logger.warn(
        { event: 'redis.down', error: error?.message ?? 'connection closed' },
        'redis unreachable: until it is back, login throttling counts in this process only, and client assertions, DPoP proofs and pushed requests are refused with 503',
      );
    };
    this.client.on('error', (error: Error) => {
      onError(error);
      lost(error);
    });
    this.client.on('close', () => {
      if (this.#reachable) lost();
    });
  }

  /** Whether Redis answers a PING now (for /readyz). */
  async isUp(): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    try {
      await this.client.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
