import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { parseDatabaseUrl } from '../src/database-url.js';
import { openDatabase } from '../src/database.js';
import { BACKGROUND_AUTOCHECKPOINT_PAGES, CHECKPOINT_INTERVAL_MS, checkpointInBackground } from '../src/sqlite-checkpointer.js';
import { SQLITE_CONNECTION_PRAGMAS } from '../src/sqlite-pragmas.js';
import { createScratchDatabase } from '../src/testing/scratch-database.js';

/**
 * About 1 MB of rows in one commit (about 300 pages of log): well under the 1,000 pages at which
 * SQLite's connection checkpoints by itself.
 */
async function writeRows(database: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  const padding = 'x'.repeat(1000);
  await database.prisma.$executeRaw`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
    INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") SELECT i || ${padding}, ${new Date()}, ${new Date()} FROM n`;
}

function fileOf(url: string): string {
  const location = parseDatabaseUrl(url, process.cwd());
  if (location.provider !== 'sqlite') throw new Error('not a SQLite URL');
  return location.filename;
}

/** The database file proper (not its -wal log) grows only when a checkpoint copies the log into it. */
async function waitForFileSize(filename: string, atLeast: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let size = (await stat(filename)).size;
  while (size < atLeast && Date.now() < deadline) {
    await sleep(50);
    size = (await stat(filename)).size;
  }
  return size;
}

describe('SQLite WAL checkpoints in a thread of their own', () => {
  for (const backgroundCheckpoints of [true, false]) {
    test(`with backgroundCheckpoints ${backgroundCheckpoints}, written rows ${backgroundCheckpoints ? 'reach' : 'stay out of'} the database file while the server runs`, async () => {
      const scratch = await createScratchDatabase('sqlite');
      const database = await openDatabase(scratch.url, { backgroundCheckpoints });
      try {
        await database.migrate();
        const filename = fileOf(scratch.url);
        const before = (await stat(filename)).size;
        await writeRows(database);
        const after = await waitForFileSize(filename, before + 500_000, CHECKPOINT_INTERVAL_MS * 3);
        if (backgroundCheckpoints) {
          assert.ok(after >= before + 500_000, `the file grew from ${before} to ${after} bytes only`);
        } else {
          // The control: below 1,000 pages the server's connection never checkpoints, so the
          // growth above can only have come from the thread.
          assert.ok(after < before + 500_000, `the file grew from ${before} to ${after} bytes without a checkpointer`);
        }
        const [row] = await database.prisma.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>('PRAGMA wal_autocheckpoint');
        assert.equal(Number(row!.wal_autocheckpoint), backgroundCheckpoints ? BACKGROUND_AUTOCHECKPOINT_PAGES : 1000);
      } finally {
        await database.close();
        await scratch.drop();
      }
    });
  }

  test('stop() ends the thread; a thread that cannot open the file hands checkpoints back to the connection', async () => {
    const scratch = await createScratchDatabase('sqlite');
    const filename = fileOf(scratch.url);
    const connection = new BetterSqlite3(filename);
    try {
      connection.exec(SQLITE_CONNECTION_PRAGMAS);
      const running = checkpointInBackground(connection, filename);
      assert.equal(connection.pragma('wal_autocheckpoint', { simple: true }), BACKGROUND_AUTOCHECKPOINT_PAGES);
      await running.stop(); // resolves once the thread has exited
      await running.stop(); // and again, at once

      checkpointInBackground(connection, '/nonexistent-folder/idp.db');
      const deadline = Date.now() + 5000;
      while (connection.pragma('wal_autocheckpoint', { simple: true }) !== 1000 && Date.now() < deadline) await sleep(20);
      assert.equal(connection.pragma('wal_autocheckpoint', { simple: true }), 1000);
    } finally {
      connection.close();
      await scratch.drop();
    }
  });
});
