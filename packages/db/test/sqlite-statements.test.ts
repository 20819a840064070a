import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { reuseStatements, SQLITE_STATEMENT_CACHE_SIZE } from '../src/sqlite-statements.js';

/** A connection used the way Prisma's adapter uses it: prepare, bind, then run or raw().all(). */
function connection(filename = ':memory:') {
  const client = new BetterSqlite3(filename);
  client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  let prepares = 0;
  const original = client.prepare.bind(client);
  client.prepare = ((sql: string) => {
    prepares += 1;
    return original(sql);
  }) as typeof client.prepare;
  const state = reuseStatements(client);
  type Bound = { reader: boolean; run(): BetterSqlite3.RunResult; raw(): { all(): unknown[][] } };
  const prepare = (sql: string, args: unknown[]) => (client.prepare(sql) as unknown as { bind(args: unknown[]): Bound }).bind(args);
  return { client, state, prepare, prepares: () => prepares };
}

describe('reused SQLite statements', () => {
  test('one SQL text is prepared once and runs with each call’s own arguments', () => {
    const db = connection();
    for (const [id, name] of [[1, 'ada'], [2, 'grace']] as const) {
      assert.equal(db.prepare('INSERT INTO t (id, name) VALUES (?, ?)', [id, name]).run().changes, 1);
    }
    const select = 'SELECT name FROM t WHERE id = ?';
    assert.deepEqual(db.prepare(select, [2]).raw().all(), [['grace']]);
    assert.deepEqual(db.prepare(select, [1]).raw().all(), [['ada']]);
    assert.deepEqual(db.prepare(select, [3]).raw().all(), []);
    assert.equal(db.prepares(), 2);
  });

  test('a statement that failed (a constraint) runs again afterwards', () => {
    const db = connection();
    const insert = 'INSERT INTO t (id, name) VALUES (?, ?)';
    db.prepare(insert, [1, 'ada']).run();
    assert.throws(() => db.prepare(insert, [1, 'again']).run(), /UNIQUE constraint failed/);
    assert.equal(db.prepare(insert, [2, 'grace']).run().changes, 1);
    assert.deepEqual(db.prepare('SELECT id, name FROM t ORDER BY id', []).raw().all(), [[1, 'ada'], [2, 'grace']]);
  });

  test(`keeps at most ${SQLITE_STATEMENT_CACHE_SIZE} statements, dropping the least recently used`, () => {
    const db = connection();
    const distinct = (n: number) => `SELECT ${n} AS n`;
    for (let n = 0; n < SQLITE_STATEMENT_CACHE_SIZE; n += 1) db.prepare(distinct(n), []).raw().all();
    db.prepare(distinct(0), []).raw().all(); // now the most recently used
    db.prepare(distinct(SQLITE_STATEMENT_CACHE_SIZE), []).raw().all(); // evicts 1
    const before = db.prepares();
    db.prepare(distinct(0), []).raw().all();
    assert.equal(db.prepares(), before, 'the recently used statement was kept');
    db.prepare(distinct(1), []).raw().all();
    assert.equal(db.prepares(), before + 1, 'the least recently used one was prepared again');
  });

  test('a PRAGMA is carried out every time it runs, and the busy_timeout it sets is known without reading it back', () => {
    // SQLite applies a setting, and reads one, when it compiles the PRAGMA: a reused statement
    // would leave the second `= 50` undone and read back a stale value.
    const db = connection();
    const busyTimeout = () => db.prepare('PRAGMA busy_timeout', []).raw().all();
    for (const ms of [50, 70, 50]) {
      db.prepare(`PRAGMA busy_timeout = ${ms}`, []).raw().all();
      assert.equal(db.client.pragma('busy_timeout', { simple: true }), ms);
      assert.deepEqual(busyTimeout(), [[ms]]);
      assert.equal(db.state.busyTimeoutMs, ms);
    }
    // Other statements are still prepared once.
    const before = db.prepares();
    db.prepare('SELECT 1', []).raw().all();
    db.prepare('SELECT 1', []).raw().all();
    assert.equal(db.prepares(), before + 1);
  });

  test('knows the busy_timeout the connection had when its statements started being reused', () => {
    const client = new BetterSqlite3(':memory:', { timeout: 1234 });
    try {
      assert.equal(reuseStatements(client).busyTimeoutMs, 1234);
    } finally {
      client.close();
    }
  });

  test('BEGIN takes the write lock at once (IMMEDIATE), so a later write cannot fail on a stale snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idp-sqlite-'));
    const file = join(dir, 'lock.db');
    const db = connection(file);
    const other = new BetterSqlite3(file, { timeout: 0 });
    try {
      db.prepare('BEGIN', []).run();
      // A deferred BEGIN would hold no lock yet, and the other connection would get it.
      assert.throws(() => other.exec('BEGIN IMMEDIATE'), /database is locked/);
      db.prepare('COMMIT', []).run();
      other.exec('BEGIN IMMEDIATE; COMMIT');
    } finally {
      other.close();
      db.client.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
