import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  createMemoryStores,
  describePushedRequestStoreConformance,
  describeSingleUseStoreConformance,
} from '@idp/oidc/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import {
  PUSHED_REQUEST_RETENTION_MS,
  RedisPushedRequestStore,
} from '../src/redis/redis-pushed-request-store.js';
import {
  RedisSingleUseStore,
  SINGLE_USE_CLOCK_SKEW_MS,
} from '../src/redis/redis-single-use-store.js';
import { RedisUnavailable } from '../src/redis/redis-unavailable.js';
import { RedisConnection } from '../src/redis-connection.js';

// The Redis every test machine runs (as the login throttle's tests use); each run keeps to keys
// of its own prefix and deletes them at the end.
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `idp-test:${randomBytes(6).toString('hex')}:`;
const clients: Redis[] = [];

function redis(): Redis {
  const client = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

after(async () => {
  const [client] = clients;
  if (client) {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  }
  await Promise.all(clients.map((client) => client.quit()));
});

/** The memory store set with the two Redis stores in place of the memory ones. */
const withRedisStores = async () => {
  const client = redis();
  return {
    ...createMemoryStores(),
    singleUseIds: new RedisSingleUseStore(client, () => Date.now(), `${prefix}once:`),
    pushedRequests: new RedisPushedRequestStore(client, `${prefix}par:`),
    close: async () => {},
  };
};

describeSingleUseStoreConformance('RedisSingleUseStore', withRedisStores);
describePushedRequestStoreConformance('RedisPushedRequestStore', withRedisStores);

describe('Redis stores: how long keys live', () => {
  let client: Redis;
  before(() => {
    client = redis();
  });

  test('a single-use id lives until its expiry by our clock, plus the clock-skew allowance', async () => {
    const now = Date.now();
    const store = new RedisSingleUseStore(client, () => now, `${prefix}ttl:`);
    assert.equal(await store.consume('a', now + 30_000), true);
    const ttl = await client.pttl(`${prefix}ttl:a`);
    assert.ok(ttl > 30_000 + SINGLE_USE_CLOCK_SKEW_MS - 5_000, `pttl ${ttl}`);
    assert.ok(ttl <= 30_000 + SINGLE_USE_CLOCK_SKEW_MS, `pttl ${ttl}`);
    // An id already past its expiry is still remembered for the allowance, never for nothing.
    assert.equal(await store.consume('b', now - 10_000), true);
    assert.equal(await store.consume('b', now - 10_000), false);
  });

  test('a pushed request outlives its expiry by the retention, so a late consume still works', async () => {
    const now = Date.now();
    const store = new RedisPushedRequestStore(client, `${prefix}ttl-par:`);
    const record = { requestUriHash: 'h', clientId: 'c', parameters: {}, expiresAt: now + 60_000 };
    await store.save(record, now);
    const ttl = await client.pttl(`${prefix}ttl-par:h`);
    assert.ok(ttl > 60_000 + PUSHED_REQUEST_RETENTION_MS - 5_000, `pttl ${ttl}`);
    assert.ok(ttl <= 60_000 + PUSHED_REQUEST_RETENTION_MS, `pttl ${ttl}`);
    assert.equal(await store.consume('h', now + 120_000), true);
    assert.equal(
      (await client.pttl(`${prefix}ttl-par:h`)) > 60_000,
      true,
      'consuming keeps the time to live',
    );
  });
});

describe('Redis stores fail closed while Redis is unreachable', () => {
  let connection: RedisConnection;
  let closedPort: number;
  before(async () => {
    // A port that was just free: nothing answers there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    connection = new RedisConnection(`redis://127.0.0.1:${closedPort}`, pino({ level: 'silent' }));
  });
  after(() => connection.close());

  test('consume and every pushed-request call throw RedisUnavailable at once, never true or null', async () => {
    const once = new RedisSingleUseStore(connection.client, () => Date.now(), `${prefix}down:`);
    const pushed = new RedisPushedRequestStore(connection.client, `${prefix}down-par:`);
    const started = Date.now();
    await assert.rejects(once.consume('x', Date.now() + 60_000), RedisUnavailable);
    await assert.rejects(
      pushed.save(
        { requestUriHash: 'h', clientId: 'c', parameters: {}, expiresAt: Date.now() + 1 },
        Date.now(),
      ),
      RedisUnavailable,
    );
    await assert.rejects(pushed.find('h'), RedisUnavailable);
    await assert.rejects(pushed.consume('h', Date.now()), RedisUnavailable);
    assert.ok(Date.now() - started < 2_000, 'no call waits for a reconnection');
  });
});
