import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUTE, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `AuditLog` (ports/audit-log.ts), as node:test cases. */
export function describeAuditLogConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`AuditLog conformance: ${name}`, open, (stores) => {
    test('record stores the event at now; recent returns it whole, absent fields empty', async () => {
      const type = unique('test.recorded');
      await stores().audit.record(
        {
          type,
          actor: 'cli',
          userId: 'u1',
          clientId: 'c1',
          ip: '192.0.2.1',
          data: { reason: 'x', n: 1 },
        },
        T0,
      );
      await stores().audit.record({ type }, T0 + 1);
      const events = await stores().audit.recent({ type });
      assert.equal(events.length, 2);
      const [bare, full] = events;
      assert.deepEqual(
        { ...full!, id: undefined },
        {
          id: undefined,
          type,
          at: T0,
          actor: 'cli',
          userId: 'u1',
          clientId: 'c1',
          ip: '192.0.2.1',
          data: { reason: 'x', n: 1 },
        },
      );
      assert.deepEqual(
        { ...bare!, id: undefined },
        { id: undefined, type, at: T0 + 1, actor: '', userId: '', clientId: '', ip: '', data: {} },
      );
      assert.notEqual(bare!.id, full!.id);
    });

    test('recent is newest first, of one type, at most limit (default 50)', async () => {
      const type = unique('test.many');
      for (let i = 0; i < 55; i += 1)
        await stores().audit.record({ type, data: { i } }, T0 + i * 1000);
      const all = await stores().audit.recent({ type });
      assert.equal(all.length, 50);
      assert.deepEqual(
        all.slice(0, 2).map((e) => e.data.i),
        [54, 53],
      );
      assert.deepEqual(
        (await stores().audit.recent({ type, limit: 3 })).map((e) => e.at),
        [T0 + 54_000, T0 + 53_000, T0 + 52_000],
      );
      assert.ok((await stores().audit.recent({ limit: 5 })).length <= 5);
    });

    test('latestAt is the newest event of a type about a user, undefined if none', async () => {
      const user = unique('user');
      assert.equal(await stores().audit.latestAt('login.unlocked', user), undefined);
      await stores().audit.record({ type: 'login.unlocked', userId: user }, T0 - MINUTE);
      await stores().audit.record({ type: 'login.unlocked', userId: user }, T0);
      await stores().audit.record({ type: 'login.failed', userId: user }, T0 + MINUTE);
      await stores().audit.record(
        { type: 'login.unlocked', userId: unique('other') },
        T0 + 2 * MINUTE,
      );
      assert.equal(await stores().audit.latestAt('login.unlocked', user), T0);
    });

    test('recent filters by actor, user, client and time, and pages newest first by (at, id)', async () => {
      const type = unique('test.filtered');
      const [user, client] = [unique('user'), unique('client')];
      for (let i = 0; i < 6; i += 1)
        await stores().audit.record(
          {
            type,
            actor: i % 2 === 0 ? 'even' : 'odd',
            ...(i < 4 ? { userId: user } : {}),
            ...(i >= 2 ? { clientId: client } : {}),
            data: { i },
          },
          // Two events in each millisecond, so that the cursor must break ties.
          T0 + Math.floor(i / 2),
        );
      const ids = async (query: Parameters<ReturnType<typeof stores>['audit']['recent']>[0]) =>
        (await stores().audit.recent({ type, ...query })).map((e) => e.data.i);
      assert.deepEqual(await ids({ actor: 'even' }), [4, 2, 0]);
      assert.deepEqual((await ids({ userId: user })).sort(), [0, 1, 2, 3]);
      assert.deepEqual((await ids({ clientId: client })).sort(), [2, 3, 4, 5]);
      assert.deepEqual((await ids({ since: T0 + 1, until: T0 + 2 })).sort(), [2, 3]);
      const seen: unknown[] = [];
      let before: { at: number; id: string } | undefined;
      for (;;) {
        const page = await stores().audit.recent({ type, limit: 4, ...(before ? { before } : {}) });
        seen.push(...page.map((e) => e.data.i));
        const last = page.at(-1);
        if (page.length < 4 || !last) break;
        before = { at: last.at, id: last.id };
      }
      assert.equal(seen.length, 6);
      assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(
        seen.map((i) => Math.floor(Number(i) / 2)),
        [2, 2, 1, 1, 0, 0],
      );
    });
  });
}
