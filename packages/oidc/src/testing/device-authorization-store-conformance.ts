import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceApproval } from '../ports/device-authorization-store.js';
import {
  deviceRecord,
  familyRecord,
  MINUTE,
  refreshToken,
  seedClient,
  seedUser,
  T0,
  unique,
} from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `DeviceAuthorizationStore` (ports/device-authorization-store.ts), as node:test cases. */
export function describeDeviceAuthorizationStoreConformance(
  name: string,
  open: OpenStoreSet,
): void {
  conformanceSuite(`DeviceAuthorizationStore conformance: ${name}`, open, (stores) => {
    const approval = (userId: string): DeviceApproval => ({
      userId,
      sessionId: null,
      authTime: T0 - MINUTE,
      amr: ['pwd'],
      acr: null,
    });

    test('create stores a pending record found by either hash; a taken user code is refused', async () => {
      const s = stores();
      const client = await seedClient(s);
      const record = deviceRecord(client, {
        status: 'approved',
        lastPolledAt: T0,
        familyId: 'ignored',
      });
      assert.equal(await s.deviceAuthorizations.create(record, T0), true);
      const expected = {
        ...record,
        status: 'pending',
        lastPolledAt: null,
        familyId: null,
        approval: null,
      };
      assert.deepEqual(await s.deviceAuthorizations.find(record.deviceCodeHash), {
        ...expected,
        user: null,
      });
      assert.deepEqual(await s.deviceAuthorizations.findByUserCode(record.userCodeHash), expected);
      assert.equal(await s.deviceAuthorizations.find(unique('device')), null);
      assert.equal(await s.deviceAuthorizations.findByUserCode(unique('user-code')), null);

      const clash = deviceRecord(client, { userCodeHash: record.userCodeHash });
      assert.equal(await s.deviceAuthorizations.create(clash, T0), false);
      assert.equal(await s.deviceAuthorizations.find(clash.deviceCodeHash), null);
    });

    test('recordPoll is a compare-and-set on the previous poll time', async () => {
      const s = stores();
      const record = deviceRecord(await seedClient(s));
      await s.deviceAuthorizations.create(record, T0);
      assert.equal(
        await s.deviceAuthorizations.recordPoll(record.deviceCodeHash, null, T0 + 1000, 5),
        true,
      );
      assert.equal(
        await s.deviceAuthorizations.recordPoll(record.deviceCodeHash, null, T0 + 2000, 10),
        false,
        'a stale previous time loses',
      );
      assert.equal(
        await s.deviceAuthorizations.recordPoll(record.deviceCodeHash, T0 + 1000, T0 + 2000, 10),
        true,
      );
      const found = await s.deviceAuthorizations.find(record.deviceCodeHash);
      assert.equal(found?.lastPolledAt, T0 + 2000);
      assert.equal(found?.interval, 10);
      assert.equal(await s.deviceAuthorizations.recordPoll(unique('device'), null, T0, 5), false);

      const racing = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          s.deviceAuthorizations.recordPoll(record.deviceCodeHash, T0 + 2000, T0 + 3000 + i, 10),
        ),
      );
      assert.equal(
        racing.filter(Boolean).length,
        1,
        'of concurrent polls seeing the same previous time exactly one wins',
      );
    });

    test('approve and deny decide a pending, unexpired record once', async () => {
      const s = stores();
      const client = await seedClient(s);
      const user = await seedUser(s);
      const approved = deviceRecord(client);
      const denied = deviceRecord(client);
      const expired = deviceRecord(client, { expiresAt: T0 });
      for (const r of [approved, denied, expired])
        await s.deviceAuthorizations.create(r, T0 - MINUTE);

      assert.equal(
        await s.deviceAuthorizations.approve(approved.deviceCodeHash, approval(user.id), T0),
        true,
      );
      assert.equal(
        await s.deviceAuthorizations.deny(approved.deviceCodeHash, T0),
        false,
        'decided already',
      );
      const found = await s.deviceAuthorizations.find(approved.deviceCodeHash);
      assert.equal(found?.status, 'approved');
      assert.deepEqual(found?.approval, approval(user.id));
      assert.equal(found?.user?.id, user.id);

      assert.equal(await s.deviceAuthorizations.deny(denied.deviceCodeHash, T0), true);
      assert.equal(
        await s.deviceAuthorizations.approve(denied.deviceCodeHash, approval(user.id), T0),
        false,
      );
      assert.equal((await s.deviceAuthorizations.find(denied.deviceCodeHash))?.status, 'denied');

      assert.equal(
        await s.deviceAuthorizations.approve(expired.deviceCodeHash, approval(user.id), T0),
        false,
        'expiresAt is not after now',
      );
      assert.equal((await s.deviceAuthorizations.find(expired.deviceCodeHash))?.status, 'pending');
      assert.equal(
        await s.deviceAuthorizations.approve(unique('device'), approval(user.id), T0),
        false,
      );

      const racing = deviceRecord(client);
      await s.deviceAuthorizations.create(racing, T0);
      const decisions = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2 === 0
            ? s.deviceAuthorizations.approve(racing.deviceCodeHash, approval(user.id), T0)
            : s.deviceAuthorizations.deny(racing.deviceCodeHash, T0),
        ),
      );
      assert.equal(decisions.filter(Boolean).length, 1);
    });

    test('redeem spends an approved record once, creating its family and refresh token', async () => {
      const s = stores();
      const client = await seedClient(s);
      const user = await seedUser(s);
      const pending = deviceRecord(client);
      const record = deviceRecord(client);
      for (const r of [pending, record]) await s.deviceAuthorizations.create(r, T0);
      const family = familyRecord(client, user);
      const token = refreshToken(family.id);
      assert.equal(
        await s.deviceAuthorizations.redeem(pending.deviceCodeHash, T0, family, token),
        false,
        'not approved',
      );
      assert.equal(await s.refreshTokens.find(token.id), null);

      await s.deviceAuthorizations.approve(record.deviceCodeHash, approval(user.id), T0);
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => {
          const f = i === 0 ? family : familyRecord(client, user);
          return s.deviceAuthorizations.redeem(
            record.deviceCodeHash,
            T0,
            f,
            i === 0 ? token : refreshToken(f.id),
          );
        }),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const found = await s.deviceAuthorizations.find(record.deviceCodeHash);
      assert.equal(found?.status, 'redeemed');
      const winner = results.indexOf(true);
      if (winner === 0) {
        assert.equal(found?.familyId, family.id);
        assert.equal((await s.refreshTokens.find(token.id))?.family.id, family.id);
      }
      assert.equal(
        (await s.families.accessTokenState(unique('jti'), found!.familyId)).family?.userId,
        user.id,
      );
      assert.equal(
        await s.deviceAuthorizations.redeem(
          record.deviceCodeHash,
          T0,
          familyRecord(client, user),
          null,
        ),
        false,
        'spent',
      );
    });
  });
}
