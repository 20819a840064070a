import assert from 'node:assert/strict';
import { open, stat } from 'node:fs/promises';
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
async function writeRows(database: Awaited<ReturnType<typeof openDatabase>>, prefix = '', rows = 500): Promise<void> {
  const padding = 'x'.repeat(1000);
  await database.prisma.$executeRaw`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
    INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") SELECT ${prefix} || i || ${padding}, ${new Date()}, ${new Date()} FROM n`;
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

  test('under a steady stream of commits the thread restarts the log (which a PASSIVE checkpoint alone never does), so the server connection never checkpoints', async () => {
    // The log starts over only when a writer finds every frame of it copied; while commits keep
    // coming a PASSIVE checkpoint is always behind, so the log grew until the server's connection
    // checkpointed it on the event loop. Each restart rewrites the -wal file's header with the
    // next checkpoint sequence number (bytes 12-15, SQLite's file format 4.1).
    const scratch = await createScratchDatabase('sqlite');
    const database = await openDatabase(scratch.url, { backgroundCheckpoints: true });
    const wal = `${fileOf(scratch.url)}-wal`;
    const walHeader = Buffer.alloc(32);
    const checkpointSequence = async () => {
      const file = await open(wal, 'r');
      try {
        await file.read(walHeader, 0, 32, 0);
        return walHeader.readUInt32BE(12);
      } finally {
        await file.close();
      }
    };
    try {
      await database.migrate();
      await writeRows(database, 'first-', 20);
      const first = await checkpointSequence();
      const sequences = new Set([first]);
      // Back to back for a few of the thread's ticks, stopping well before the log could reach
      // the connection's own checkpoint size (the -wal file keeps its largest size).
      const deadline = Date.now() + 4.5 * CHECKPOINT_INTERVAL_MS;
      for (let commit = 0; Date.now() < deadline && (await stat(wal)).size < 0.75 * BACKGROUND_AUTOCHECKPOINT_PAGES * 4096; commit += 1) {
        await writeRows(database, `c${commit}-`, 1);
        sequences.add(await checkpointSequence());
      }
      assert.ok(sequences.size >= 2, `the log started over ${sequences.size - 1} times, ${Math.round((await stat(wal)).size / 4096)} pages long`);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });

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
