import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTOR, seedClient, seedFamily, seedUser, T0 } from './conformance-fixtures.js';
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

    test('listForUser lists each client the user consented to, by client_id', async () => {
      const user = await seedUser(stores());
      const [a, b] = [await seedClient(stores()), await seedClient(stores())];
      await stores().consents.grant(user.id, b.clientId, ['openid'], ['name']);
      await stores().consents.grant(user.id, a.clientId, ['openid', 'email']);
      const expected = [
        { clientId: a.clientId, scopes: ['openid', 'email'], claims: [] },
        { clientId: b.clientId, scopes: ['openid'], claims: ['name'] },
      ].sort((x, y) => (x.clientId < y.clientId ? -1 : 1));
      assert.deepEqual(await stores().consents.listForUser(user.id), expected);
      assert.deepEqual(await stores().consents.listForUser('no-such-user'), []);
    });

    test("revoke deletes the consent and revokes the pair's families, offline ones too, with its event", async () => {
      const { user, client, family } = await seedFamily(stores(), { offlineAccess: true });
      const other = await seedFamily(stores(), {}, { user });
      await stores().consents.grant(user.id, client.clientId, ['openid', 'offline_access']);
      assert.deepEqual(await stores().consents.revoke(user.id, client.clientId, ACTOR, T0 + 5), {
        revoked: true,
        revokedFamilies: 1,
      });
      assert.deepEqual(await stores().consents.granted(user.id, client.clientId), {
        scopes: [],
        claims: [],
      });
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        T0 + 5,
      );
      assert.equal(
        (await stores().families.accessTokenState('jti', other.family.id)).family?.revokedAt,
        null,
      );
      const [event] = await stores().audit.recent({ type: 'consent.revoked', userId: user.id });
      assert.deepEqual(
        { actor: event?.actor, clientId: event?.clientId, data: event?.data },
        { actor: ACTOR, clientId: client.clientId, data: { revokedFamilies: 1 } },
      );
      assert.deepEqual(await stores().consents.revoke(user.id, client.clientId, ACTOR, T0), {
        revoked: false,
        revokedFamilies: 0,
      });
    });
  });
}
