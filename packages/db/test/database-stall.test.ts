import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Prisma } from '../src/generated/sqlite/client.js';
import { DatabaseUnavailable, openDatabase, type Database } from '../src/index.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

// Below the HTTP layer: what the server's fault tests (test/faults) cannot aim at, such as an
// interactive transaction whose connection stalls halfway.
const DEADLINE_MS = 1000;
const SLACK_MS = 1500;

let scratch: ScratchDatabase;
let proxy: TcpProxy;
let db: Database;
const unhandled: unknown[] = [];
const onUnhandled = (error: unknown) => unhandled.push(error);

before(async () => {
  scratch = await createScratchDatabase('postgresql');
  const migrating = await openDatabase(scratch.url);
  await migrating.migrate();
  await migrating.close();
  const server = new URL(scratch.url);
  proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  db = await openDatabase(proxy.via(scratch.url), { poolSize: 2, timeoutMs: DEADLINE_MS });
  process.on('unhandledRejection', onUnhandled);
});
after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await db?.close();
  await proxy?.close();
  await scratch?.drop();
});

const insert = (jti: string) =>
  Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${new Date()}, ${new Date()})`;

/** Rejects with DatabaseUnavailable within the deadline (and slack); returns how long it took. */
async function unavailableInTime(work: Promise<unknown>): Promise<void> {
  const started = performance.now();
  await assert.rejects(work, DatabaseUnavailable);
  const ms = performance.now() - started;
  assert.ok(ms <= DEADLINE_MS + SLACK_MS, `failed after ${Math.round(ms)} ms`);
}

test('issue 29 item 11: a stalled PostgreSQL: calls and transactions fail with DatabaseUnavailable in time, nothing of theirs commits, and the pool recovers', async () => {
  // An interactive transaction that stalls after its first write (Prisma's own timeout rolls it
  // back from a timer while its statement still waits).
  await unavailableInTime(
    db.prisma.$transaction(async (tx) => {
      await tx.revokedAccessToken.create({ data: { jti: 'stalled-1', expiresAt: new Date() } });
      proxy.pause();
      await tx.revokedAccessToken.create({ data: { jti: 'stalled-2', expiresAt: new Date() } });
    }),
  );
  // A batch transaction (the refresh rotation's and the code exchange's way), a write and reads:
  // more calls than the pool has connections.
  await Promise.all([
    unavailableInTime(db.sql.transaction([insert('stalled-3'), insert('stalled-4')])),
    unavailableInTime(db.sql.execute(insert('stalled-5'))),
    ...Array.from({ length: 3 }, () =>
      unavailableInTime(db.sql.query(Prisma.sql`SELECT 1 AS "one"`)),
    ),
    unavailableInTime(db.prisma.revokedAccessToken.count()),
  ]);
  // Every stalled connection reaches its own deadline and is closed meanwhile.
  await sleep(DEADLINE_MS + 500);
  proxy.resume();

  for (let round = 0; round < 5; round += 1)
    assert.deepEqual(await db.sql.query(Prisma.sql`SELECT 1 AS "one"`), [{ one: 1 }]);
  await db.prisma.$transaction(async (tx) =>
    tx.revokedAccessToken.create({ data: { jti: 'after', expiresAt: new Date() } }),
  );
  assert.deepEqual(await db.sql.transaction([insert('after-batch')]), [1]);

  const direct = await openDatabase(scratch.url);
  try {
    const rows = await direct.prisma.revokedAccessToken.findMany({
      select: { jti: true },
      orderBy: { jti: 'asc' },
    });
    assert.deepEqual(
      rows.map((row) => row.jti),
      ['after', 'after-batch'],
      'nothing of a call that failed was committed (the stalled write sent outside a transaction was dropped with its connection)',
    );
  } finally {
    await direct.close();
  }
  assert.deepEqual(
    unhandled,
    [],
    'no unhandled rejection (Prisma rolls back expired transactions from a timer)',
  );
});
