import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedClient, seedUser } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `ConsentStore` (ports/consent-store.ts), as node:test cases. */
export function describeConsentStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`ConsentStore conformance: ${name}`, open, (stores) => {
    test('a pair that never consented has granted nothing', async () => {
      const [user, client] = [await seedUser(stores()), await seedClient(stores())];
      assert.deepEqual(await stores().consents.granted(user.id, client.clientId), {
        scopes: [],
        claims: [],
      });
    });

    test('grants accumulate without duplicates, earlier names first', async () => {
      const [user, client, other] = [
        await seedUser(stores()),
        await seedClient(stores()),
        await seedClient(stores()),
      ];
      await stores().consents.grant(user.id, client.clientId, ['openid', 'profile']);
      await stores().consents.grant(
        user.id,
        client.clientId,
        ['profile', 'email'],
        ['email_verified'],
      );
      await stores().consents.grant(
        user.id,
        client.clientId,
        ['openid'],
        ['email_verified', 'name'],
      );
      assert.deepEqual(await stores().consents.granted(user.id, client.clientId), {
        scopes: ['openid', 'profile', 'email'],
        claims: ['email_verified', 'name'],
      });
      assert.deepEqual(await stores().consents.granted(user.id, other.clientId), {
        scopes: [],
        claims: [],
      });
    });
  });
}
