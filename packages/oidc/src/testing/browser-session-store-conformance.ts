import assert from 'node:assert/strict';
import { test } from 'node:test';
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

/** The contract of `BrowserSessionStore` (ports/browser-session-store.ts), as node:test cases. */
export function describeBrowserSessionStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`BrowserSessionStore conformance: ${name}`, open, (stores) => {
    test('create then find returns the session, not ended; unknown ids find null', async () => {
      const user = await seedUser(stores());
      const session = {
        id: unique('session'),
        userId: user.id,
        authTime: T0 - MINUTE,
        amr: ['pwd', 'otp'],
        acr: 'urn:example:loa:2',
        expiresAt: T0 + DAY,
      };
      await stores().sessions.create(session, T0);
      assert.deepEqual(await stores().sessions.find(session.id), { ...session, endedAt: null });
      assert.equal(await stores().sessions.find('no-such-session'), null);
      assert.equal(await stores().sessions.find('nul\u0000'), null);
    });

    test('end sets endedAt to now, once', async () => {
      const user = await seedUser(stores());
      const id = unique('session');
      await stores().sessions.create(
        { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
        T0,
      );
      assert.deepEqual(await stores().sessions.end(id, T0 + MINUTE), {
        revokedFamilies: 0,
        ended: { sessionId: id, userId: user.id, clientIds: [] },
      });
      assert.deepEqual(await stores().sessions.end(id, T0 + 2 * MINUTE), {
        revokedFamilies: 0,
        ended: null,
      });
      assert.equal((await stores().sessions.find(id))?.endedAt, T0 + MINUTE);
      assert.deepEqual(await stores().sessions.end('no-such-session', T0), {
        revokedFamilies: 0,
        ended: null,
      });
    });

    test('addClient records each client once; end answers them once, sorted', async () => {
      const user = await seedUser(stores());
      const [a, b] = [await seedClient(stores()), await seedClient(stores())];
      const id = unique('session');
      await stores().sessions.create(
        { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
        T0,
      );
      await stores().sessions.addClient(id, b.clientId, T0);
      await stores().sessions.addClient(id, a.clientId, T0 + 1);
      await stores().sessions.addClient(id, b.clientId, T0 + 2);
      await stores().sessions.addClient('no-such-session', a.clientId, T0);
      const results = await Promise.all([
        stores().sessions.end(id, T0 + MINUTE, { revokeFamilies: true }),
        stores().sessions.end(id, T0 + MINUTE, { revokeFamilies: true }),
      ]);
      const ended = results.flatMap((r) => (r.ended ? [r.ended] : []));
      assert.deepEqual(ended, [
        { sessionId: id, userId: user.id, clientIds: [a.clientId, b.clientId].sort() },
      ]);
    });

    test('end with revokeFamilies revokes the live families born in the session, except offline ones', async () => {
      const user = await seedUser(stores());
      const id = unique('session');
      await stores().sessions.create(
        { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
        T0,
      );
      const online = await seedFamily(stores(), { sessionId: id, offlineAccess: false }, { user });
      const offline = await seedFamily(stores(), { sessionId: id, offlineAccess: true }, { user });
      const without = await seedFamily(
        stores(),
        { sessionId: null, offlineAccess: false },
        { user },
      );
      const at = T0 + 3 * MINUTE;
      assert.deepEqual(
        (await stores().sessions.end(id, at, { revokeFamilies: true, reason: 'logout' }))
          .revokedFamilies,
        1,
      );
      const revokedAt = async (familyId: string) =>
        (await stores().families.accessTokenState('jti', familyId)).family?.revokedAt;
      assert.equal(await revokedAt(online.family.id), at);
      assert.equal(await revokedAt(offline.family.id), null);
      assert.equal(await revokedAt(without.family.id), null);
      assert.equal((await stores().sessions.find(id))?.endedAt, at);
      assert.deepEqual(await stores().sessions.end(id, at + 1, { revokeFamilies: true }), {
        revokedFamilies: 0,
        ended: null,
      });
    });

    test('listForUser returns live sessions at now, newest sign-in first', async () => {
      const user = await seedUser(stores());
      const other = await seedUser(stores());
      const session = (authTime: number, expiresAt: number, userId = user.id) => ({
        id: unique('session'),
        userId,
        authTime,
        amr: ['pwd'],
        acr: null,
        expiresAt,
      });
      const older = session(T0 - 2 * MINUTE, T0 + DAY);
      const newer = session(T0 - MINUTE, T0 + DAY);
      const expired = session(T0 - 3 * MINUTE, T0);
      const ended = session(T0 - 4 * MINUTE, T0 + DAY);
      for (const s of [older, newer, expired, ended, session(T0, T0 + DAY, other.id)])
        await stores().sessions.create(s, T0);
      await stores().sessions.end(ended.id, T0);
      assert.deepEqual(
        (await stores().sessions.listForUser(user.id, T0)).map((s) => s.id),
        [newer.id, older.id],
      );
      // The boundary is `now`, not the wall clock: before T0 the expired one was live.
      assert.deepEqual(
        (await stores().sessions.listForUser(user.id, T0 - 1)).map((s) => s.id),
        [newer.id, older.id, expired.id],
      );
    });

    test('listForUser answers when each session began and its clients: participants and family clients, once, sorted', async () => {
      const user = await seedUser(stores());
      const [a, b, c] = [
        await seedClient(stores()),
        await seedClient(stores()),
        await seedClient(stores()),
      ];
      const id = unique('session');
      await stores().sessions.create(
        {
          id,
          userId: user.id,
          authTime: T0 - MINUTE,
          amr: ['pwd'],
          acr: null,
          expiresAt: T0 + DAY,
        },
        T0 - MINUTE,
      );
      await stores().sessions.addClient(id, c.clientId, T0);
      await stores().sessions.addClient(id, a.clientId, T0);
      await seedFamily(stores(), { sessionId: id }, { user, client: b });
      await seedFamily(stores(), { sessionId: id }, { user, client: a });
      // A family of the same user born elsewhere is not this session's.
      await seedFamily(stores(), { sessionId: null }, { user });
      const [listed] = await stores().sessions.listForUser(user.id, T0);
      assert.equal(listed?.id, id);
      assert.equal(listed?.createdAt, T0 - MINUTE);
      assert.deepEqual(listed?.clientIds, [a.clientId, b.clientId, c.clientId].sort());
    });

    test('listLive lists the live sessions of every user, newest first, with email and last use; pages by before', async () => {
      // Far after the other cases' sessions, so that only this case's are live at `now`.
      const now = T0 + 400 * DAY;
      const [alice, bob] = [await seedUser(stores()), await seedUser(stores())];
      const start = async (userId: string, createdAt: number, expiresAt = now + DAY) => {
        const id = unique('session');
        const record = { id, userId, authTime: createdAt, amr: ['pwd'], acr: null, expiresAt };
        await stores().sessions.create(record, createdAt);
        return id;
      };
      const first = await start(alice.id, now - 4 * MINUTE);
      const second = await start(bob.id, now - 3 * MINUTE);
      const third = await start(alice.id, now - 2 * MINUTE);
      const expired = await start(alice.id, now - MINUTE, now);
      const ended = await start(bob.id, now - MINUTE);
      await stores().sessions.end(ended, now - 1);
      const ours = new Set([first, second, third, expired, ended]);
      const all = (await stores().sessions.listLive({ limit: 500 }, now)).filter((s) =>
        ours.has(s.id),
      );
      assert.deepEqual(
        all.map((s) => s.id),
        [third, second, first],
      );
      assert.deepEqual(
        all.map((s) => [s.userEmail, s.createdAt, s.lastSeenAt]),
        [
          [alice.email, now - 2 * MINUTE, now - 2 * MINUTE],
          [bob.email, now - 3 * MINUTE, now - 3 * MINUTE],
          [alice.email, now - 4 * MINUTE, now - 4 * MINUTE],
        ],
      );
      const mine = await stores().sessions.listLive({ userId: alice.id, limit: 1 }, now);
      assert.deepEqual(
        mine.map((s) => s.id),
        [third],
      );
      const next = await stores().sessions.listLive(
        { userId: alice.id, limit: 5, before: { createdAt: mine[0]!.createdAt, id: third } },
        now,
      );
      assert.deepEqual(
        next.map((s) => s.id),
        [first],
      );
      assert.deepEqual(
        await stores().sessions.listLive({ userId: 'nul\u0000', limit: 5 }, now),
        [],
      );
    });

    test('listLive by client: sessions it took part in or has families born in; last use is the latest of them', async () => {
      const now = T0 + 500 * DAY;
      const user = await seedUser(stores());
      const [a, b] = [await seedClient(stores()), await seedClient(stores())];
      const id = unique('session');
      const other = unique('session');
      for (const sessionId of [id, other])
        await stores().sessions.create(
          {
            id: sessionId,
            userId: user.id,
            authTime: now - 10 * MINUTE,
            amr: ['pwd'],
            acr: null,
            expiresAt: now + DAY,
          },
          now - 10 * MINUTE,
        );
      await stores().sessions.addClient(id, a.clientId, now - 8 * MINUTE);
      await stores().sessions.addClient(id, a.clientId, now - MINUTE);
      await seedFamily(
        stores(),
        { sessionId: other, createdAt: now - 5 * MINUTE, expiresAt: now + DAY },
        { user, client: b },
      );
      const byA = await stores().sessions.listLive({ clientId: a.clientId, limit: 10 }, now);
      assert.deepEqual(
        byA.map((s) => [s.id, s.clientIds, s.lastSeenAt]),
        [[id, [a.clientId], now - 8 * MINUTE]],
        'the first participation counts (addClient records a client once)',
      );
      const byB = await stores().sessions.listLive({ clientId: b.clientId, limit: 10 }, now);
      assert.deepEqual(
        byB.map((s) => [s.id, s.clientIds, s.lastSeenAt]),
        [[other, [b.clientId], now - 5 * MINUTE]],
      );
    });

    test('endOthers ends every live session of the user but one, revokes their online families, audits each', async () => {
      const user = await seedUser(stores());
      const stranger = await seedUser(stores());
      const session = async (userId = user.id) => {
        const id = unique('session');
        await stores().sessions.create(
          { id, userId, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
          T0,
        );
        return id;
      };
      const [kept, first, second, foreign] = [
        await session(),
        await session(),
        await session(),
        await session(stranger.id),
      ];
      const client = await seedClient(stores());
      await stores().sessions.addClient(first, client.clientId, T0);
      const keptFamily = await seedFamily(
        stores(),
        { sessionId: kept, offlineAccess: false },
        { user },
      );
      const online = await seedFamily(
        stores(),
        { sessionId: first, offlineAccess: false },
        { user },
      );
      const offline = await seedFamily(
        stores(),
        { sessionId: second, offlineAccess: true },
        { user },
      );
      const at = T0 + 2 * MINUTE;
      const result = await stores().sessions.endOthers(user.id, kept, at, {
        reason: 'signed_out_elsewhere',
        actor: user.id,
      });
      assert.equal(result.revokedFamilies, 1);
      assert.deepEqual(
        result.ended,
        [
          { sessionId: first, userId: user.id, clientIds: [client.clientId] },
          { sessionId: second, userId: user.id, clientIds: [] },
        ].sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1)),
      );
      assert.equal((await stores().sessions.find(kept))?.endedAt, null);
      assert.equal((await stores().sessions.find(foreign))?.endedAt, null);
      assert.equal((await stores().sessions.find(first))?.endedAt, at);
      const revokedAt = async (familyId: string) =>
        (await stores().families.accessTokenState('jti', familyId)).family?.revokedAt;
      assert.equal(await revokedAt(online.family.id), at);
      assert.equal(await revokedAt(offline.family.id), null);
      assert.equal(await revokedAt(keptFamily.family.id), null);
      const events = await stores().audit.recent({ type: 'session.ended', userId: user.id });
      assert.deepEqual(
        events.map((e) => ({ actor: e.actor, reason: e.data.reason })),
        [
          { actor: user.id, reason: 'signed_out_elsewhere' },
          { actor: user.id, reason: 'signed_out_elsewhere' },
        ],
      );
      assert.deepEqual(
        await stores().sessions.endOthers(user.id, kept, at + 1, { reason: 'x', actor: user.id }),
        { revokedFamilies: 0, ended: [] },
      );
    });

    test('end with an actor records session.ended for a live session only', async () => {
      const user = await seedUser(stores());
      const id = unique('session');
      await stores().sessions.create(
        { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt: T0 + DAY },
        T0,
      );
      await stores().sessions.end(id, T0 + MINUTE, {
        revokeFamilies: true,
        reason: 'admin',
        actor: ACTOR,
      });
      await stores().sessions.end(id, T0 + 2 * MINUTE, { actor: ACTOR });
      const events = await stores().audit.recent({ type: 'session.ended', userId: user.id });
      assert.deepEqual(
        events.map((e) => ({ at: e.at, actor: e.actor, data: e.data })),
        [{ at: T0 + MINUTE, actor: ACTOR, data: { reason: 'admin', revokedFamilies: 0 } }],
      );
    });
  });
}
