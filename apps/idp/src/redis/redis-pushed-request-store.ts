import type { FoundPushedRequest, PushedRequestRecord, PushedRequestStore } from '@idp/oidc';
import type { Redis } from 'ioredis';
import { redisCommand } from './redis-unavailable.js';

/**
 * How long a pushed request is kept past its `expiresAt`. The port lets `consume` succeed after
 * expiry, for a person who opened the login page in time and finishes later: the login page
 * lives 15 minutes, a second factor and the consent page each as long again. After this the
 * request_uri is unknown, which /authorize refuses just as it refuses a used one.
 */
export const PUSHED_REQUEST_RETENTION_MS = 60 * 60_000;

/** Stores the record and its time to live in one step, so no key is ever left without one. */
const SAVE = `
redis.call('HSET', KEYS[1], 'record', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Marks a stored, unconsumed request consumed: 1 for the one caller that did, 0 otherwise. */
const CONSUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSETNX', KEYS[1], 'consumedAt', ARGV[1])`;

interface PushedRequestCommands {
  idpPushedRequestSave(key: string, record: string, ttlMs: number): Promise<number>;
  idpPushedRequestConsume(key: string, consumedAt: number): Promise<number>;
}

/** What a key's `record` field holds: the record without the hash, which is in the key. */
type StoredRecord = Omit<PushedRequestRecord, 'requestUriHash'>;

/**
 * Pushed authorization requests (RFC 9126) in Redis (ports/pushed-request-store.ts): one hash per
 * request_uri hash, its `record` written once with a time to live, its `consumedAt` set by a
 * small script that only the first caller for an existing request succeeds at. A failed command
 * throws RedisUnavailable: the caller refuses the request.
 */
export class RedisPushedRequestStore implements PushedRequestStore {
  readonly #redis: Redis & PushedRequestCommands;
  readonly #prefix: string;

  /** `prefix` namespaces the keys (`idp:par:` by default). */
  constructor(redis: Redis, prefix = 'idp:par:') {
    redis.defineCommand('idpPushedRequestSave', { numberOfKeys: 1, lua: SAVE });
    redis.defineCommand('idpPushedRequestConsume', { numberOfKeys: 1, lua: CONSUME });
    this.#redis = redis as Redis & PushedRequestCommands;
    this.#prefix = prefix;
  }

  async save(record: PushedRequestRecord, now: number): Promise<void> {
    const { requestUriHash, ...stored } = record;
    const ttl = Math.max(0, Math.ceil(record.expiresAt - now)) + PUSHED_REQUEST_RETENTION_MS;
    await redisCommand('pushed request save', () =>
      this.#redis.idpPushedRequestSave(
        this.#prefix + requestUriHash,
        JSON.stringify(stored satisfies StoredRecord),
        ttl,
      ),
    );
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const [record, consumedAt] = await redisCommand('pushed request lookup', () =>
      this.#redis.hmget(this.#prefix + requestUriHash, 'record', 'consumedAt'),
    );
    if (record === null || record === undefined) return null;
    const stored = JSON.parse(record) as StoredRecord;
    return {
      requestUriHash,
      clientId: stored.clientId,
      parameters: stored.parameters,
      expiresAt: stored.expiresAt,
      consumedAt: consumedAt === null || consumedAt === undefined ? null : Number(consumedAt),
    };
  }

  async consume(requestUriHash: string, now: number): Promise<boolean> {
    const consumed = await redisCommand('pushed request consume', () =>
      this.#redis.idpPushedRequestConsume(this.#prefix + requestUriHash, now),
    );
    return consumed === 1;
  }
}
