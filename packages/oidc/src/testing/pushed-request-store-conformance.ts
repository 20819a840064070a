import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUTE, seedClient, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `PushedRequestStore` (ports/pushed-request-store.ts), as node:test cases. */
export function describePushedRequestStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`PushedRequestStore conformance: ${name}`, open, (stores) => {
    const record = (clientId: string) => ({
      requestUriHash: unique('par'),
      clientId,
      parameters: {
        response_type: 'code',
        scope: 'openid profile',
        resource: ['https://a.example', 'https://b.example'],
      },
      expiresAt: T0 + MINUTE,
    });

    test('a saved request is found as it was pushed, unconsumed; an unknown hash is null', async () => {
      const client = await seedClient(stores());
      const pushed = record(client.clientId);
      await stores().pushedRequests.save(pushed, T0);
      assert.deepEqual(await stores().pushedRequests.find(pushed.requestUriHash), {
        ...pushed,
        consumedAt: null,
      });
      assert.equal(await stores().pushedRequests.find(unique('par')), null);
    });

    test('a request is consumed once, even after its expiry; an unknown one never', async () => {
      const client = await seedClient(stores());
      const pushed = record(client.clientId);
      await stores().pushedRequests.save(pushed, T0);
      const later = T0 + 2 * MINUTE;
      assert.equal(await stores().pushedRequests.consume(pushed.requestUriHash, later), true);
      assert.equal(await stores().pushedRequests.consume(pushed.requestUriHash, later), false);
      assert.equal((await stores().pushedRequests.find(pushed.requestUriHash))?.consumedAt, later);
      assert.equal(await stores().pushedRequests.consume(unique('par'), later), false);
    });

    test('of 10 concurrent consumptions of one request exactly one wins', async () => {
      const client = await seedClient(stores());
      const pushed = record(client.clientId);
      await stores().pushedRequests.save(pushed, T0);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          stores().pushedRequests.consume(pushed.requestUriHash, T0),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
