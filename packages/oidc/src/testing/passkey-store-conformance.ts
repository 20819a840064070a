import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NewPasskey } from '../ports/passkey-store.js';
import type { UserAccount } from '../users/user-account.js';
import { ACTOR, MINUTE, seedUser, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `PasskeyStore` (ports/passkey-store.ts), as node:test cases. */
export function describePasskeyStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`PasskeyStore conformance: ${name}`, open, (stores) => {
    const passkey = (user: UserAccount, overrides: Partial<NewPasskey> = {}): NewPasskey => ({
      credentialId: unique('cred'),
      userId: user.id,
      publicKey: 'pQECAyYgASFYIP',
      counter: 0,
      transports: ['internal', 'hybrid'],
      deviceType: 'multiDevice',
      backedUp: true,
      name: 'Laptop',
      ...overrides,
    });

    test('add stores a passkey once, with its times and an audit event; listed oldest first', async () => {
      const user = await seedUser(stores());
      const first = passkey(user, { counter: 4_294_967_295, deviceType: 'singleDevice' });
      const second = passkey(user, { name: 'Phone', transports: [], backedUp: false });
      assert.equal(await stores().passkeys.add(first, T0, { ip: '192.0.2.7' }), true);
      assert.equal(await stores().passkeys.add(second, T0 + MINUTE), true);
      assert.deepEqual(await stores().passkeys.find(first.credentialId), {
        ...first,
        createdAt: T0,
        lastUsedAt: null,
      });
      assert.deepEqual(
        (await stores().passkeys.listForUser(user.id)).map((p) => p.credentialId),
        [first.credentialId, second.credentialId],
      );
      assert.deepEqual(await stores().passkeys.listForUser(unique('user')), []);
      assert.equal(await stores().passkeys.find(unique('cred')), null);
      const added = await stores().audit.recent({ type: 'passkey.added', userId: user.id });
      assert.equal(added.length, 2);
      const firstEvent = added.find((e) => e.data.credentialId === first.credentialId);
      assert.equal(firstEvent?.ip, '192.0.2.7');
      assert.equal(firstEvent?.at, T0);
      assert.equal(firstEvent?.actor, user.id);
    });

    test('add refuses a credential id already registered, to anyone, and an unknown user', async () => {
      const user = await seedUser(stores());
      const other = await seedUser(stores());
      const taken = passkey(user);
      assert.equal(await stores().passkeys.add(taken, T0), true);
      assert.equal(
        await stores().passkeys.add({ ...taken, userId: other.id, name: 'Stolen' }, T0),
        false,
      );
      assert.equal((await stores().passkeys.find(taken.credentialId))?.userId, user.id);
      assert.deepEqual(await stores().passkeys.listForUser(other.id), []);
      const ghost = passkey({ ...user, id: unique('user') });
      assert.equal(await stores().passkeys.add(ghost, T0), false);
      assert.equal(await stores().passkeys.find(ghost.credentialId), null);
    });

    test('recordUse moves the counter forward only (WebAuthn L3 7.2 step 22), once per value', async () => {
      const user = await seedUser(stores());
      const key = passkey(user, { counter: 5, backedUp: false });
      await stores().passkeys.add(key, T0);
      assert.equal(
        await stores().passkeys.recordUse(key.credentialId, { counter: 5, backedUp: true }, T0),
        false,
        'same counter',
      );
      assert.equal(
        await stores().passkeys.recordUse(key.credentialId, { counter: 4, backedUp: true }, T0),
        false,
        'counter went back',
      );
      const uses = await Promise.all(
        [1, 2].map(() =>
          stores().passkeys.recordUse(
            key.credentialId,
            { counter: 6, backedUp: true },
            T0 + MINUTE,
          ),
        ),
      );
      assert.deepEqual(
        uses.sort(),
        [false, true],
        'of two concurrent uses with one counter, one wins',
      );
      const stored = await stores().passkeys.find(key.credentialId);
      assert.equal(stored?.counter, 6);
      assert.equal(stored?.backedUp, true);
      assert.equal(stored?.lastUsedAt, T0 + MINUTE);
      const used = await stores().audit.recent({ type: 'passkey.used', userId: user.id });
      assert.equal(used.length, 1);
      assert.equal(
        await stores().passkeys.recordUse(unique('cred'), { counter: 1, backedUp: false }, T0),
        false,
      );
    });

    test('recordUse accepts 0 after 0: an authenticator without a counter', async () => {
      const user = await seedUser(stores());
      const key = passkey(user);
      await stores().passkeys.add(key, T0);
      for (const at of [T0 + 1, T0 + 2])
        assert.equal(
          await stores().passkeys.recordUse(key.credentialId, { counter: 0, backedUp: true }, at),
          true,
        );
      assert.equal((await stores().passkeys.find(key.credentialId))?.lastUsedAt, T0 + 2);
    });

    test("rename and remove act on the user's own passkey only, with audit events", async () => {
      const user = await seedUser(stores());
      const other = await seedUser(stores());
      const key = passkey(user);
      await stores().passkeys.add(key, T0);
      assert.equal(await stores().passkeys.rename(other.id, key.credentialId, 'Mine', T0), false);
      assert.equal(await stores().passkeys.remove(other.id, key.credentialId, T0), false);
      assert.equal((await stores().passkeys.find(key.credentialId))?.name, 'Laptop');
      assert.equal(
        await stores().passkeys.rename(user.id, key.credentialId, 'Work laptop', T0, {
          actor: ACTOR,
        }),
        true,
      );
      assert.equal((await stores().passkeys.find(key.credentialId))?.name, 'Work laptop');
      assert.equal(await stores().passkeys.rename(user.id, unique('cred'), 'x', T0), false);
      assert.equal(await stores().passkeys.remove(user.id, key.credentialId, T0 + 1), true);
      assert.equal(await stores().passkeys.find(key.credentialId), null);
      assert.equal(await stores().passkeys.remove(user.id, key.credentialId, T0 + 2), false);
      const renamed = await stores().audit.recent({ type: 'passkey.renamed', userId: user.id });
      assert.equal(renamed.length, 1);
      assert.equal(renamed[0]?.actor, ACTOR);
      const removed = await stores().audit.recent({ type: 'passkey.removed', userId: user.id });
      assert.equal(removed.length, 1);
      assert.equal(removed[0]?.data.credentialId, key.credentialId);
    });

    test("removeAllForUser deletes every passkey of the user and nobody else's", async () => {
      const user = await seedUser(stores());
      const other = await seedUser(stores());
      for (const owner of [user, user, other]) await stores().passkeys.add(passkey(owner), T0);
      assert.equal(await stores().passkeys.removeAllForUser(user.id, T0, { actor: ACTOR }), 2);
      assert.deepEqual(await stores().passkeys.listForUser(user.id), []);
      assert.equal((await stores().passkeys.listForUser(other.id)).length, 1);
      assert.equal(await stores().passkeys.removeAllForUser(user.id, T0), 0);
      const removed = await stores().audit.recent({ type: 'passkey.removed', userId: user.id });
      assert.equal(removed.length, 1, 'one event, none for the empty second call');
      assert.equal(removed[0]?.data.count, 2);
    });
  });
}
