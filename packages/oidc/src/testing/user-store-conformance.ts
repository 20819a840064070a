import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../ports/store-error.js';
import {
  ACTOR,
  DAY,
  MINUTE,
  seedClient,
  seedFamily,
  seedUser,
  T0,
  unique,
} from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

/** The contract of `UserStore` (ports/user-store.ts), as node:test cases. */
export function describeUserStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`UserStore conformance: ${name}`, open, (stores) => {
    test('create lower-cases the email, is created at now, and finds by id and by email in any case', async () => {
      const id = unique('sub');
      const email = `${unique('Mixed')}@Example.COM`;
      const created = await stores().users.create(
        { id, email, passwordHash: '$argon2id$x', claims: { name: 'Grace', email_verified: true } },
        ACTOR,
        T0,
      );
      const expected = {
        id,
        email: email.toLowerCase(),
        passwordHash: '$argon2id$x',
        disabled: false,
        admin: false,
        claims: { name: 'Grace', email_verified: true },
        createdAt: T0,
      };
      assert.deepEqual(created, expected);
      assert.deepEqual(await stores().users.findById(id), expected);
      assert.deepEqual(await stores().users.findByEmail(email.toUpperCase()), expected);
      assert.equal(await stores().users.findByEmail('nobody@example.com'), null);
      assert.equal(await stores().users.findById('no-such-sub'), null);
      assert.equal(await stores().users.findById('nul\u0000'), null);
    });

    test('of concurrent creates with one email, one wins and the others are conflicts', async () => {
      const email = `${unique('race')}@example.com`;
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          stores().users.create(
            { id: unique('sub'), email, passwordHash: 'x', claims: {} },
            ACTOR,
            T0,
          ),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results)
        if (r.status === 'rejected')
          assert.ok(isStoreError('conflict')(r.reason), String(r.reason));
    });

    test('a taken email (in any case) is a conflict; unknown emails are not_found', async () => {
      const user = await seedUser(stores());
      await assert.rejects(
        stores().users.create(
          { id: unique('sub'), email: user.email.toUpperCase(), passwordHash: 'x', claims: {} },
          ACTOR,
          T0,
        ),
        isStoreError('conflict'),
      );
      await assert.rejects(
        stores().users.setDisabled('missing@example.com', true, ACTOR, T0),
        isStoreError('not_found'),
      );
      await assert.rejects(
        stores().users.revokeAllSessions('missing@example.com', ACTOR, T0),
        isStoreError('not_found'),
      );
      await assert.rejects(
        stores().users.setPasswordHash('missing@example.com', 'x', ACTOR, T0),
        isStoreError('not_found'),
      );
    });

    test('list is ordered by email', async () => {
      const prefix = unique('zz-list');
      const b = await seedUser(stores(), `${prefix}-b@example.com`);
      const a = await seedUser(stores(), `${prefix}-a@example.com`);
      const emails = (await stores().users.list()).map((u) => u.email);
      assert.ok(emails.includes(a.email) && emails.indexOf(a.email) < emails.indexOf(b.email));
    });

    for (const [label, act] of [
      [
        'disabling',
        (email: string, now: number) => stores().users.setDisabled(email, true, ACTOR, now),
      ],
      [
        'changing the password',
        (email: string, now: number) =>
          stores().users.setPasswordHash(email, 'new-hash', ACTOR, now),
      ],
      [
        'revokeAllSessions',
        (email: string, now: number) => stores().users.revokeAllSessions(email, ACTOR, now),
      ],
    ] as const) {
      test(`${label} ends the user's sessions and revokes all their families at now`, async () => {
        const { user, family, token } = await seedFamily(stores(), { offlineAccess: true });
        const sessionId = unique('session');
        await stores().sessions.create(
          {
            id: sessionId,
            userId: user.id,
            authTime: T0,
            amr: ['pwd'],
            acr: null,
            expiresAt: T0 + DAY,
          },
          T0,
        );
        const client = await seedClient(stores());
        await stores().sessions.addClient(sessionId, client.clientId, T0);
        const at = T0 + 7 * MINUTE;
        const change = await act(user.email, at);
        assert.equal((await stores().sessions.find(sessionId))?.endedAt, at);
        // The ended sessions come back with their clients, so they can be told (Back-Channel Logout 1.0 2.5).
        assert.deepEqual(change.endedSessions, [
          { sessionId, userId: user.id, clientIds: [client.clientId] },
        ]);
        assert.equal(
          (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
          at,
        );
        assert.deepEqual(
          await stores().refreshTokens.rotate(
            { id: token.id, tokenHash: token.tokenHash },
            { ...token, id: unique('rt') },
            at,
          ),
          { outcome: 'invalid' },
        );
        const events = (await stores().audit.recent({ limit: 200 })).filter(
          (e) => e.userId === user.id && e.type.startsWith('user.') && e.type !== 'user.created',
        );
        assert.equal(events[0]?.at, at);
        assert.deepEqual(events[0]?.data, { revokedFamilies: 1 });
        // Ended once: a second write finds nothing more to tell.
        assert.deepEqual((await act(user.email, at + 1)).endedSessions, []);
      });
    }

    test('setDisabled stores the flag; enabling revokes nothing', async () => {
      const { user, family } = await seedFamily(stores());
      assert.equal(
        (await stores().users.setDisabled(user.email, false, ACTOR, T0)).disabled,
        false,
      );
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        null,
      );
      assert.equal((await stores().users.setDisabled(user.email, true, ACTOR, T0)).disabled, true);
      assert.equal((await stores().users.findById(user.id))?.disabled, true);
    });

    test('setAdmin grants and takes back the role, audited; sessions and tokens stay', async () => {
      const { user, family } = await seedFamily(stores());
      assert.equal((await stores().users.findById(user.id))?.admin, false, 'no role by default');
      assert.equal(
        (await stores().users.setAdmin(user.email.toUpperCase(), true, ACTOR, T0)).admin,
        true,
      );
      assert.equal((await stores().users.findByEmail(user.email))?.admin, true);
      assert.equal((await stores().users.page({ limit: 10, search: user.id }))[0]?.admin, true);
      assert.equal((await stores().users.setAdmin(user.email, false, ACTOR, T0 + 1)).admin, false);
      assert.equal((await stores().users.findById(user.id))?.admin, false);
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        null,
      );
      const types = (await stores().audit.recent({ userId: user.id, limit: 10 }))
        .map((e) => `${e.type}:${e.actor}`)
        .filter((t) => t.startsWith('user.admin'));
      assert.deepEqual(types, [`user.admin_revoked:${ACTOR}`, `user.admin_granted:${ACTOR}`]);
      await assert.rejects(
        stores().users.setAdmin('missing@example.com', true, ACTOR, T0),
        isStoreError('not_found'),
      );
    });

    test('setPasswordHash stores the new hash', async () => {
      const user = await seedUser(stores());
      assert.equal(
        (await stores().users.setPasswordHash(user.email, 'replaced', ACTOR, T0)).passwordHash,
        'replaced',
      );
      assert.equal((await stores().users.findByEmail(user.email))?.passwordHash, 'replaced');
    });

    test('setPasswordHash with keepSessionId keeps that session; others end, every family is revoked', async () => {
      const user = await seedUser(stores());
      const session = async () => {
        const id = unique('session');
        await stores().sessions.create(
          { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
          T0,
        );
        return id;
      };
      const [kept, other] = [await session(), await session()];
      const inKept = await seedFamily(
        stores(),
        { sessionId: kept, offlineAccess: false },
        { user },
      );
      const offline = await seedFamily(stores(), { offlineAccess: true }, { user });
      const at = T0 + 5 * MINUTE;
      const change = await stores().users.setPasswordHash(user.email, 'changed', user.id, at, {
        keepSessionId: kept,
      });
      assert.deepEqual(
        change.endedSessions.map((s) => s.sessionId),
        [other],
      );
      assert.equal((await stores().sessions.find(kept))?.endedAt, null);
      assert.equal((await stores().sessions.find(other))?.endedAt, at);
      for (const { family } of [inKept, offline])
        assert.equal(
          (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
          at,
        );
      const [event] = await stores().audit.recent({
        type: 'user.password_changed',
        userId: user.id,
      });
      assert.equal(event?.actor, user.id);
    });

    test('page: ordered by email after the cursor, searched in the email or by exact id', async () => {
      const prefix = unique('pg').replace(/-/g, '');
      const users = [];
      for (const letter of ['a', 'b', 'c'])
        users.push(await seedUser(stores(), `${prefix}${letter}@example.com`));
      const emails = users.map((u) => u.email);
      const page = async (query: { search?: string; after?: string; limit: number }) =>
        (await stores().users.page(query)).map((u) => u.email);
      assert.deepEqual(await page({ search: prefix.toUpperCase(), limit: 2 }), emails.slice(0, 2));
      assert.deepEqual(
        await page({ search: prefix, after: emails[0], limit: 10 }),
        emails.slice(1),
      );
      assert.deepEqual(await page({ search: users[1]!.id, limit: 10 }), [emails[1]]);
      assert.deepEqual(await page({ search: `${prefix}_`, limit: 10 }), []);
    });

    test('setClaims replaces the claims, records user.updated naming them, keeps tokens', async () => {
      const { user, family } = await seedFamily(stores());
      const before = await stores().users.create(
        {
          id: unique('sub'),
          email: `${unique('claims')}@example.com`,
          passwordHash: 'x',
          claims: { name: 'A', locale: 'en' },
        },
        ACTOR,
        T0,
      );
      const updated = await stores().users.setClaims(
        before.email.toUpperCase(),
        { name: 'B', given_name: 'Bea' },
        ACTOR,
        T0 + MINUTE,
      );
      assert.deepEqual(updated.claims, { name: 'B', given_name: 'Bea' });
      assert.deepEqual((await stores().users.findById(before.id))?.claims, updated.claims);
      const [event] = await stores().audit.recent({ type: 'user.updated', userId: before.id });
      assert.deepEqual(event?.data, { changed: ['given_name', 'locale', 'name'] });
      assert.equal(event?.actor, ACTOR);
      await stores().users.setClaims(user.email, { name: 'C' }, ACTOR, T0);
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        null,
      );
      await assert.rejects(
        stores().users.setClaims('missing@example.com', {}, ACTOR, T0),
        isStoreError('not_found'),
      );
    });
  });
}
