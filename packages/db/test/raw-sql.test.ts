import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { parseDatabaseUrl } from '../src/open-database.js';
import { Prisma } from '../src/generated/sqlite/client.js';
import { openDatabase, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

// The per-request statements (RawSql): what they read and write must be exactly what the
// client's models read and write, on both providers, and they must keep out of other requests'
// transactions.
for (const provider of PROVIDERS) {
  describe(`raw SQL, ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
    });
    after(() => scratch?.close());

    test("returns a row as the client's $queryRaw and its model query do (DateTime, Boolean, Int, null)", async () => {
      const createdAt = new Date('2026-03-04T05:06:07.891Z');
      await db.prisma.user.create({
        data: {
          id: 'u-types',
          email: 'types@example.com',
          passwordHash: 'h',
          disabled: true,
          claims: '{"name":"T"}',
          createdAt,
          passwordChangedAt: null,
        },
      });
      await db.prisma.signingKey.create({
        data: {
          kid: 'k-types',
          alg: 'RS256',
          size: 2048,
          publicJwk: '{}',
          privateKey: 'sealed',
          activatesAt: createdAt,
          retiredAt: null,
        },
      });
      for (const statement of [
        Prisma.sql`SELECT * FROM "User" WHERE "id" = ${'u-types'}`,
        Prisma.sql`SELECT * FROM "SigningKey" WHERE "kid" = ${'k-types'}`,
      ]) {
        const ours = await db.sql.query(statement);
        assert.deepEqual(ours, await db.prisma.$queryRaw(statement));
      }
      const [user] = await db.sql.query(Prisma.sql`SELECT * FROM "User" WHERE "id" = ${'u-types'}`);
      assert.deepEqual(user, await db.prisma.user.findUnique({ where: { id: 'u-types' } }));
      const [key] = await db.sql.query(
        Prisma.sql`SELECT * FROM "SigningKey" WHERE "kid" = ${'k-types'}`,
      );
      assert.deepEqual(key, await db.prisma.signingKey.findUnique({ where: { kid: 'k-types' } }));
    });

    test("decodes expressions and aliased columns as the client does (EXISTS, COUNT, a LEFT JOIN's missing row)", async () => {
      const statement = Prisma.sql`
        SELECT EXISTS (SELECT 1 FROM "User" WHERE "id" = ${'u-types'}) AS "known", EXISTS (SELECT 1 FROM "User" WHERE "id" = ${'nobody'}) AS "unknown",
          (SELECT COUNT(*) FROM "User") AS "users", u."disabled" AS "u_disabled", u."createdAt" AS "u_createdAt", n."id" AS "n_id"
        FROM (SELECT 1 AS "one") AS "lookup"
        LEFT JOIN "User" u ON u."id" = ${'u-types'}
        LEFT JOIN "User" n ON n."id" = ${'nobody'}`;
      const ours = await db.sql.query<Record<string, unknown>>(statement);
      assert.deepEqual(ours, await db.prisma.$queryRaw(statement));
      assert.equal(ours[0]!.u_disabled, true);
      assert.ok(ours[0]!.u_createdAt instanceof Date);
      assert.equal(ours[0]!.n_id, null);
    });

    test('writes what the client reads back unchanged (dates to the millisecond, booleans, integers)', async () => {
      const expiresAt = new Date('2031-01-02T03:04:05.006Z');
      const changed = await db.sql.execute(Prisma.sql`
        INSERT INTO "RevokedAccessToken" ("jti", "familyId", "expiresAt", "createdAt") VALUES (${'jti-1'}, ${null}, ${expiresAt}, ${expiresAt})`);
      assert.equal(changed, 1);
      assert.deepEqual(await db.prisma.revokedAccessToken.findUnique({ where: { jti: 'jti-1' } }), {
        jti: 'jti-1',
        familyId: null,
        expiresAt,
        createdAt: expiresAt,
      });
      await db.sql.execute(
        Prisma.sql`UPDATE "User" SET "disabled" = ${false} WHERE "id" = ${'u-types'}`,
      );
      await db.sql.execute(
        Prisma.sql`UPDATE "SigningKey" SET "size" = ${3072} WHERE "kid" = ${'k-types'}`,
      );
      assert.equal(
        (await db.prisma.user.findUniqueOrThrow({ where: { id: 'u-types' } })).disabled,
        false,
      );
      assert.equal(
        (await db.prisma.signingKey.findUniqueOrThrow({ where: { kid: 'k-types' } })).size,
        3072,
      );
      // A date written by the client compares equal to one bound here (the same text on SQLite).
      const rows = await db.sql.query(
        Prisma.sql`SELECT "jti" FROM "RevokedAccessToken" WHERE "expiresAt" = ${expiresAt}`,
      );
      assert.deepEqual(rows, [{ jti: 'jti-1' }]);
    });

    test('a transaction commits every statement, or none when one fails, and leaves the connection usable', async () => {
      const at = new Date();
      const insert = (jti: string) =>
        Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${at}, ${at})`;
      assert.deepEqual(await db.sql.transaction([insert('tx-a'), insert('tx-b')]), [1, 1]);
      // The second statement breaks the primary key: the first must not stay written.
      await assert.rejects(db.sql.transaction([insert('tx-c'), insert('tx-a')]));
      const jtis = await db.sql.query<{ jti: string }>(
        Prisma.sql`SELECT "jti" FROM "RevokedAccessToken" WHERE "jti" LIKE ${'tx-%'} ORDER BY "jti"`,
      );
      assert.deepEqual(
        jtis.map((row) => row.jti),
        ['tx-a', 'tx-b'],
      );
      // Still usable by both layers (on SQLite the transaction lock was released).
      assert.deepEqual(await db.sql.transaction([insert('tx-d')]), [1]);
      assert.equal(
        await db.prisma.revokedAccessToken.count({ where: { jti: { startsWith: 'tx-' } } }),
        3,
      );
    });

    /**
     * A transaction of Prisma's client that has written row `jti` and stays open until `release`,
     * then rolls back.
     */
    const openClientTransaction = async (jti: string, at: Date) => {
      let written!: () => void;
      const insideWritten = new Promise<void>((resolve) => (written = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const transaction = db.prisma.$transaction(async (tx) => {
        await tx.revokedAccessToken.create({ data: { jti, expiresAt: at } });
        written();
        await released;
        throw new Error('rolled back');
      });
      await insideWritten;
      return { transaction, release };
    };

    test("a statement made while the client's transaction is open neither reads its rows nor is undone by its rollback", async () => {
      // On SQLite both layers share one connection, and only its transaction gate keeps another
      // request's statement from running inside the open transaction.
      const at = new Date();
      const { transaction, release } = await openClientTransaction('inside', at);
      const outsideRead = db.sql.query(
        Prisma.sql`SELECT "jti" FROM "RevokedAccessToken" WHERE "jti" = ${'inside'}`,
      );
      const outsideWrite = db.sql.execute(
        Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${'outside'}, ${at}, ${at})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await assert.rejects(transaction, /rolled back/);
      assert.deepEqual(
        await outsideRead,
        [],
        'an uncommitted row was visible outside its transaction',
      );
      assert.equal(await outsideWrite, 1);
      assert.ok(
        await db.prisma.revokedAccessToken.findUnique({ where: { jti: 'outside' } }),
        'a completed write was undone by a rollback',
      );
    });

    test("a transaction made while the client's transaction is open waits for it and is not undone by its rollback", async () => {
      const at = new Date('2032-05-06T07:08:09.123Z');
      const { transaction, release } = await openClientTransaction('inside-2', at);
      const insert = (jti: string) =>
        Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${at}, ${at})`;
      const batch = db.sql.transaction([insert('batch-1'), insert('batch-2')]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await assert.rejects(transaction, /rolled back/);
      assert.deepEqual(await batch, [1, 1]);
      assert.equal(
        await db.prisma.revokedAccessToken.findUnique({ where: { jti: 'inside-2' } }),
        null,
      );
      // What the batch bound reads back through the client unchanged (dates to the millisecond).
      const rows = await db.prisma.revokedAccessToken.findMany({
        where: { jti: { startsWith: 'batch-' } },
        orderBy: { jti: 'asc' },
      });
      assert.deepEqual(rows, [
        { jti: 'batch-1', familyId: null, expiresAt: at, createdAt: at },
        { jti: 'batch-2', familyId: null, expiresAt: at, createdAt: at },
      ]);
      const matched = await db.sql.query(
        Prisma.sql`SELECT "jti" FROM "RevokedAccessToken" WHERE "expiresAt" = ${at} ORDER BY "jti"`,
      );
      assert.deepEqual(matched, [{ jti: 'batch-1' }, { jti: 'batch-2' }]);
    });

    test(
      'a transaction that cannot begin (another process holds the write lock) fails, and later ones still run',
      { skip: provider !== 'sqlite' },
      async () => {
        // SQLite gives up waiting for the write lock after busy_timeout; the transaction must end
        // with it, or every later transaction would wait forever.
        const location = parseDatabaseUrl(scratch.url, process.cwd());
        assert.equal(location.provider, 'sqlite');
        const impatient = await openDatabase(scratch.url, { timeoutMs: 50 });
        const other = new BetterSqlite3(location.provider === 'sqlite' ? location.filename : '');
        const at = new Date();
        const insert = (jti: string) =>
          Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${jti}, ${at}, ${at})`;
        // Without the fix a later transaction never settles: fail it after 3 s instead.
        const within = <T>(work: Promise<T>) => {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>(
            (_, reject) =>
              (timer = setTimeout(() => reject(new Error('still waiting after 3 s')), 3000)),
          );
          return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
        };
        try {
          other.exec('BEGIN IMMEDIATE');
          await assert.rejects(
            within(impatient.sql.transaction([insert('busy-1')])),
            /locked|busy|SocketTimeout|timed out/i,
          );
          await assert.rejects(
            within(
              impatient.prisma.$transaction(async (tx) =>
                tx.revokedAccessToken.create({ data: { jti: 'busy-2', expiresAt: at } }),
              ),
            ),
            (error: Error) => {
              assert.doesNotMatch(error.message, /still waiting/);
              return true;
            },
          );
          other.exec('ROLLBACK');
          assert.deepEqual(await within(impatient.sql.transaction([insert('busy-3')])), [1]);
          await within(
            impatient.prisma.$transaction(async (tx) =>
              tx.revokedAccessToken.create({ data: { jti: 'busy-4', expiresAt: at } }),
            ),
          );
          assert.equal(
            await db.prisma.revokedAccessToken.count({ where: { jti: { startsWith: 'busy-' } } }),
            2,
          );
        } finally {
          other.close();
          await impatient.close();
        }
      },
    );
  });
}
