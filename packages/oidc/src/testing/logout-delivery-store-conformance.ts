import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogoutNotice } from '../logout/logout-token.js';
import { DAY, MINUTE, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

const LEASE = 30_000;

/** The contract of `LogoutDeliveryStore` (ports/logout-delivery-store.ts), as node:test cases. */
export function describeLogoutDeliveryStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`LogoutDeliveryStore conformance: ${name}`, open, (stores) => {
    const notice = (): LogoutNotice => ({
      clientId: unique('client'),
      uri: 'https://rp.example/backchannel',
      alg: 'ES256',
      sessionId: unique('sid'),
      subject: unique('user'),
    });
    // Each test works at its own day, each earlier than the one before, so that what an earlier
    // test left behind is never due in a later one (they share one database).
    let day = 100;
    const base = () => T0 + (day -= 1) * DAY;

    test('enqueue stores deliveries due at once; a claim counts an attempt and leases them', async () => {
      const now = base();
      const notices = [notice(), notice()];
      await stores().logoutDeliveries.enqueue(notices, now);
      const claimed = await stores().logoutDeliveries.claim(now, LEASE, 10);
      assert.deepEqual(
        claimed.map((d) => d.notice).sort((a, b) => a.clientId.localeCompare(b.clientId)),
        [...notices].sort((a, b) => a.clientId.localeCompare(b.clientId)),
      );
      for (const delivery of claimed) {
        assert.equal(delivery.attempts, 1);
        assert.equal(delivery.dueAt, now + LEASE);
        assert.equal(delivery.createdAt, now);
        assert.equal(typeof delivery.id, 'string');
      }
      assert.deepEqual(await stores().logoutDeliveries.claim(now + LEASE - 1, LEASE, 10), []);
      // The claimer died: once its lease has run out, another claims them again.
      const again = await stores().logoutDeliveries.claim(now + LEASE, LEASE, 10);
      assert.deepEqual(again.map((d) => d.id).sort(), claimed.map((d) => d.id).sort());
      assert.ok(again.every((d) => d.attempts === 2));
      for (const delivery of again) await stores().logoutDeliveries.remove(delivery.id);
    });

    test('a claim takes at most limit, the earliest due first', async () => {
      const now = base();
      const first = notice();
      await stores().logoutDeliveries.enqueue([first], now - 2 * MINUTE);
      await stores().logoutDeliveries.enqueue([notice(), notice()], now - MINUTE);
      const claimed = await stores().logoutDeliveries.claim(now, LEASE, 1);
      assert.equal(claimed.length, 1);
      assert.deepEqual(claimed[0]!.notice, first);
      assert.equal((await stores().logoutDeliveries.claim(now, LEASE, 10)).length, 2);
    });

    test('concurrent claims never hand out the same delivery twice', async () => {
      const now = base();
      await stores().logoutDeliveries.enqueue(
        Array.from({ length: 12 }, () => notice()),
        now,
      );
      const rounds = await Promise.all(
        Array.from({ length: 6 }, () => stores().logoutDeliveries.claim(now, LEASE, 5)),
      );
      const ids = rounds.flat().map((d) => d.id);
      assert.equal(new Set(ids).size, ids.length, 'no delivery claimed twice');
      const rest = await stores().logoutDeliveries.claim(now, LEASE, 100);
      assert.equal(ids.length + rest.length, 12, 'and none lost');
    });

    test('retryAt makes a claimed delivery due at that time; remove deletes it; unknown ids are no-ops', async () => {
      const now = base();
      await stores().logoutDeliveries.enqueue([notice()], now);
      const [delivery] = await stores().logoutDeliveries.claim(now, LEASE, 10);
      assert.ok(delivery);
      await stores().logoutDeliveries.retryAt(delivery.id, now + 5_000);
      assert.deepEqual(await stores().logoutDeliveries.claim(now + 4_999, LEASE, 10), []);
      const [retried] = await stores().logoutDeliveries.claim(now + 5_000, LEASE, 10);
      assert.equal(retried?.id, delivery.id);
      assert.equal(retried?.attempts, 2);
      await stores().logoutDeliveries.remove(delivery.id);
      assert.deepEqual(await stores().logoutDeliveries.claim(now + DAY / 2, LEASE, 10), []);
      await stores().logoutDeliveries.retryAt(unique('none'), now);
      await stores().logoutDeliveries.remove(unique('none'));
    });
  });
}
