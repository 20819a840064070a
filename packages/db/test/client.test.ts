import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parseDatabaseUrl } from '../src/open-database.js';
import { openDatabase, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

const RENAME_CLIENT = fileURLToPath(new URL('./support/rename-client.ts', import.meta.url));

describe('database URLs', () => {
  test('file: paths are SQLite, relative ones against the working directory', () => {
    assert.deepEqual(parseDatabaseUrl('file:./data/idp.db', '/srv/idp'), {
      provider: 'sqlite',
      filename: '/srv/idp/data/idp.db',
    });
    assert.deepEqual(parseDatabaseUrl('file:/var/lib/idp.db', '/srv/idp'), {
      provider: 'sqlite',
      filename: '/var/lib/idp.db',
    });
  });

  test('postgresql:// and postgres:// are PostgreSQL', () => {
    for (const url of [
      'postgresql://u@db:5432/idp',
      'postgres://u:secret@db/idp?sslmode=require',
    ]) {
      assert.deepEqual(parseDatabaseUrl(url, '/'), {
        provider: 'postgresql',
        connectionString: url,
      });
    }
  });

  test('anything else is refused with the accepted forms, without the password', async () => {
    for (const url of [
      'mysql://u:hunter2@db/idp',
      './idp.db',
      'file:',
      'file://host/idp.db',
      'sqlite:idp.db',
    ]) {
      await assert.rejects(openDatabase(url), (error: Error) => {
        assert.match(
          error.message,
          /Accepted forms: file:\.\/relative\/path\.db .*file:\/absolute\/path\.db.*postgresql:\/\//,
        );
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    }
  });

  test('a relative SQLite path is created under the working directory, folder included', async () => {
    const cwd = process.cwd();
    const dir = await mkdtemp(join(tmpdir(), 'idp-cwd-'));
    process.chdir(dir);
    try {
      const db = await openDatabase('file:./data/idp.db');
      try {
        await db.ping();
      } finally {
        await db.close();
      }
      assert.ok((await stat(join(dir, 'data', 'idp.db'))).isFile());
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

for (const provider of PROVIDERS) {
  describe(`the Prisma client on ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
    });
    after(() => scratch?.close());

    test('reports its provider and answers a ping', async () => {
      assert.equal(db.provider, provider);
      await db.ping();
    });

    test('inserts and finds rows', async () => {
      await db.prisma.user.create({
        data: { id: 'u1', email: 'ada@example.com', passwordHash: 'hash' },
      });
      const found = await db.prisma.user.findUnique({ where: { email: 'ada@example.com' } });
      assert.equal(found?.id, 'u1');
      assert.equal(found?.disabled, false);
      assert.ok(found?.createdAt instanceof Date);
    });

    test('a transaction commits together, and a failing one leaves nothing', async () => {
      await db.prisma.$transaction(async (tx) => {
        await tx.client.create({
          data: { id: 'c1', name: 'App', tokenEndpointAuthMethod: 'none' },
        });
        await tx.consent.create({
          data: { id: 'k1', userId: 'u1', clientId: 'c1', scope: 'openid' },
        });
      });
      await assert.rejects(
        db.prisma.$transaction(async (tx) => {
          await tx.client.create({
            data: { id: 'c2', name: 'Other', tokenEndpointAuthMethod: 'none' },
          });
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(
        (await db.prisma.client.findMany({ orderBy: { id: 'asc' } })).map((c) => c.id),
        ['c1'],
      );
    });

    test('a query outside an open transaction neither reads its uncommitted rows nor is undone by its rollback', async () => {
      let written!: () => void;
      const insideWritten = new Promise<void>((resolve) => (written = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const transaction = db.prisma.$transaction(async (tx) => {
        await tx.client.create({
          data: { id: 'inside-row', name: 'Inside', tokenEndpointAuthMethod: 'none' },
        });
        written();
        await released;
        throw new Error('rolled back');
      });
      await insideWritten;
      // Another request's work while the transaction is open (on SQLite: the same connection).
      // Prisma queries are lazy: `then` sends them now.
      const outsideWrite = db.prisma.client
        .create({ data: { id: 'outside-row', name: 'Outside', tokenEndpointAuthMethod: 'none' } })
        .then((row) => row);
      const outsideRead = db.prisma.client
        .findUnique({ where: { id: 'inside-row' } })
        .then((row) => row);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await assert.rejects(transaction, /rolled back/);
      await outsideWrite;
      assert.equal(
        await outsideRead,
        null,
        'an uncommitted row was visible outside its transaction',
      );
      assert.ok(
        await db.prisma.client.findUnique({ where: { id: 'outside-row' } }),
        'a completed write was undone by a rollback',
      );
      assert.equal(await db.prisma.client.findUnique({ where: { id: 'inside-row' } }), null);
    });

    test('a transaction that reads, then writes after another process wrote, commits (cluster workers, or the CLI beside the server)', async () => {
      // On SQLite a deferred transaction that has read cannot write once another connection has
      // committed: SQLite fails it at once (SQLITE_BUSY), without waiting out busy_timeout.
      await db.prisma.client.create({
        data: { id: 'busy-a', name: 'A', tokenEndpointAuthMethod: 'none' },
      });
      await db.prisma.client.create({
        data: { id: 'busy-b', name: 'B', tokenEndpointAuthMethod: 'none' },
      });
      let proceed!: () => void;
      const mayWrite = new Promise<void>((resolve) => (proceed = resolve));
      let other: ReturnType<typeof spawn> | undefined;
      let otherExit: Promise<number | null> | undefined;
      const readThenWrite = db.prisma.$transaction(
        async (tx) => {
          const row = await tx.client.findUniqueOrThrow({ where: { id: 'busy-a' } });
          // A separate process, because better-sqlite3 waits for a lock synchronously: in this
          // process it would stop the transaction it waits for.
          other = spawn(
            process.execPath,
            ['--import', 'tsx', RENAME_CLIENT, scratch.url, 'busy-b', 'B renamed'],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          otherExit = new Promise((resolve) => other!.on('exit', resolve));
          await new Promise<void>((resolve) =>
            other!.stdout!.on(
              'data',
              (chunk: Buffer) => chunk.toString().includes('ready') && resolve(),
            ),
          );
          // Enough for its write to commit, if it can.
          await new Promise((resolve) => setTimeout(resolve, 300));
          proceed();
          await mayWrite;
          await tx.client.update({
            where: { id: 'busy-a' },
            data: { name: `${row.name} renamed` },
          });
        },
        { timeout: 20_000 },
      );
      try {
        await readThenWrite;
        assert.equal(await otherExit, 0, 'the other process wrote');
        assert.equal(
          (await db.prisma.client.findUniqueOrThrow({ where: { id: 'busy-a' } })).name,
          'A renamed',
        );
        assert.equal(
          (await db.prisma.client.findUniqueOrThrow({ where: { id: 'busy-b' } })).name,
          'B renamed',
        );
      } finally {
        other?.kill();
        await db.prisma.client.deleteMany({ where: { id: { in: ['busy-a', 'busy-b'] } } });
      }
    });

    if (provider === 'sqlite') {
      test('a transaction whose COMMIT fails is rolled back and leaves the connection usable', async () => {
        // Deferred foreign keys are checked at COMMIT, which then fails.
        await assert.rejects(
          db.prisma.$transaction(async (tx) => {
            await tx.$executeRawUnsafe('PRAGMA defer_foreign_keys = ON');
            await tx.consent.create({
              data: { id: 'dangling', userId: 'nobody', clientId: 'nothing', scope: 'openid' },
            });
          }),
        );
        const after = await Promise.race([
          db.prisma.consent.findUnique({ where: { id: 'dangling' } }).then((row) => ({ row })),
          new Promise((resolve) => setTimeout(() => resolve('stuck'), 3000)),
        ]);
        assert.deepEqual(
          after,
          { row: null },
          'the next query ran, and found nothing of the failed transaction',
        );
      });
    }

    test('enforces foreign keys and cascades deletes', async () => {
      await assert.rejects(
        db.prisma.consent.create({
          data: { id: 'k2', userId: 'nobody', clientId: 'c1', scope: 'openid' },
        }),
        /Foreign key constraint/i,
      );
      await db.prisma.user.delete({ where: { id: 'u1' } });
      assert.equal(await db.prisma.consent.count(), 0);
    });

    if (provider === 'sqlite') {
      test('runs SQLite in WAL mode with a busy timeout and synchronous=NORMAL', async () => {
        const pragma = async (name: string) =>
          Object.values(
            (await db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${name}`))[0]!,
          )[0];
        assert.equal(await pragma('journal_mode'), 'wal');
        assert.equal(await pragma('busy_timeout'), 5000n);
        assert.equal(await pragma('synchronous'), 1n);
        assert.equal(await pragma('foreign_keys'), 1n);
      });
    }

    test('close can be called twice', async () => {
      const other = await openDatabase(scratch.url);
      await other.ping();
      await other.close();
      await other.close();
    });
  });
}
