import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisteredClient } from '@idp/oidc';
import { ClientCache } from '../src/client-cache.js';
import { runEvery } from '../src/periodic-task.js';

const client = (clientId: string, version = 1) =>
  ({ clientId, clientName: `v${version}` }) as RegisteredClient;

/** A client table and its change counter, as the repository exposes them. */
function store() {
  const rows = new Map<string, RegisteredClient>();
  const state = { changes: 0, loads: [] as string[] };
  return {
    state,
    rows,
    change(id: string, row: RegisteredClient | undefined) {
      if (row) rows.set(id, row);
      else rows.delete(id);
      state.changes += 1;
    },
    load: async (id: string) => {
      state.loads.push(id);
      return rows.get(id) ?? null;
    },
    changeCount: async () => state.changes,
  };
}

test('a client is read once and served from memory while no change is counted; unknown ids are never cached', async () => {
  const db = store();
  db.rows.set('known', client('known'));
  let now = 0;
  const cache = new ClientCache({ load: db.load, changeCount: db.changeCount, now: () => now });
  await cache.checkForChanges();
  await cache.findById('known');
  now = 30_000;
  assert.equal(await cache.checkForChanges(), false, 'nothing changed');
  await cache.findById('known');
  assert.deepEqual(db.state.loads, ['known']);
  await cache.findById('nobody');
  await cache.findById('nobody');
  assert.equal(db.state.loads.filter((id) => id === 'nobody').length, 2);
});

test('a counted change (secret rotation, removal) drops the cached clients at the next check', async () => {
  const db = store();
  db.rows.set('app', client('app', 1));
  db.rows.set('other', client('other', 1));
  const cache = new ClientCache({ load: db.load, changeCount: db.changeCount, now: () => 0 });
  await cache.checkForChanges();
  assert.equal((await cache.findById('app'))?.clientName, 'v1');
  assert.ok(await cache.findById('other'));

  db.change('app', client('app', 2));
  assert.equal((await cache.findById('app'))?.clientName, 'v1', 'still cached until the check');
  assert.equal(await cache.checkForChanges(), true);
  assert.equal((await cache.findById('app'))?.clientName, 'v2');

  db.change('other', undefined);
  await cache.checkForChanges();
  assert.equal(await cache.findById('other'), null, 'a removed client is gone');
});

test('a read that began before a counted change is not kept after it', async () => {
  const db = store();
  db.rows.set('app', client('app', 1));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const cache = new ClientCache({
    load: async (id) => {
      const row = db.rows.get(id) ?? null;
      if (first) {
        first = false;
        await gate; // the row was read; the change and the check happen before the read returns
      }
      return row;
    },
    changeCount: db.changeCount,
    now: () => 0,
  });
  await cache.checkForChanges();
  const slow = cache.findById('app');
  db.change('app', client('app', 2));
  await cache.checkForChanges();
  release();
  assert.equal((await slow)?.clientName, 'v1', 'the caller gets what it read');
  assert.equal((await cache.findById('app'))?.clientName, 'v2', 'but the old row was not cached');
});

test('what was cached before the first check is dropped by it, since no change count covers it', async () => {
  const db = store();
  db.rows.set('app', client('app', 1));
  const cache = new ClientCache({ load: db.load, changeCount: db.changeCount, now: () => 0 });
  await cache.findById('app');
  db.change('app', client('app', 2));
  assert.equal(await cache.checkForChanges(), true);
  assert.equal((await cache.findById('app'))?.clientName, 'v2');
});

test('with no change counted, a cached client is still re-read after the maximum age (edits made in SQL)', async () => {
  const db = store();
  db.rows.set('app', client('app', 1));
  let now = 0;
  const cache = new ClientCache({
    load: db.load,
    changeCount: db.changeCount,
    maxAgeMs: 60_000,
    now: () => now,
  });
  await cache.checkForChanges();
  await cache.findById('app');
  db.rows.set('app', client('app', 2)); // not counted
  now = 59_999;
  assert.equal((await cache.findById('app'))?.clientName, 'v1');
  now = 60_000;
  assert.equal((await cache.findById('app'))?.clientName, 'v2');
});

test('the poller checks on its interval, reports a failed check and keeps checking', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const db = store();
  db.rows.set('app', client('app', 1));
  let failNext = false;
  const errors: unknown[] = [];
  const cache = new ClientCache({
    load: db.load,
    changeCount: async () => {
      if (failNext) {
        failNext = false;
        throw new Error('database unavailable');
      }
      return db.state.changes;
    },
    now: () => 0,
  });
  await cache.checkForChanges();
  // As the server schedules it.
  const stop = runEvery(
    1000,
    () => cache.checkForChanges(),
    (error) => errors.push(error),
  );
  t.after(() => stop());
  await cache.findById('app');
  db.change('app', client('app', 2));
  failNext = true;
  t.mock.timers.tick(1000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  assert.equal((await cache.findById('app'))?.clientName, 'v1', 'a failed check keeps the cache');
  t.mock.timers.tick(1000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await cache.findById('app'))?.clientName, 'v2');
});
