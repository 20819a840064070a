import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPrisma } from '../scripts/lib/prisma-cli.js';
import { defaultMigrationsDir, MigrationError, openDatabase } from '../src/index.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { PROVIDERS } from '../src/database.js';
import { createMigrationsFixture } from './support/migrations-fixture.js';

/** The committed migration folders of a provider, in order. */
async function committedMigrations(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function historyRows(url: string) {
  const db = await openDatabase(url);
  try {
    return await db.prisma.$queryRawUnsafe<
      Array<{ migration_name: string; checksum: string; finished: boolean }>
    >(
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
  } finally {
    await db.close();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const db = await openDatabase(url);
  try {
    const rows = await db.prisma.$queryRawUnsafe<unknown[]>(
      db.provider === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${table}'`
        : // ::text because the adapter cannot read PostgreSQL's "name" type (prisma/orm#27403).
          `SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename = '${table}'`,
    );
    return rows.length > 0;
  } finally {
    await db.close();
  }
}

/** Runs `migrate` on a fresh `openDatabase` and closes it. */
async function migrate(url: string, migrationsDir?: string) {
  const db = await openDatabase(url);
  try {
    return await db.migrate(migrationsDir === undefined ? {} : { migrationsDir });
  } finally {
    await db.close();
  }
}

for (const provider of PROVIDERS) {
  describe(`migrations on ${provider}`, () => {
    let scratch: ScratchDatabase;
    let committed: string[];

    before(async () => {
      committed = await committedMigrations(defaultMigrationsDir(provider));
    });

    describe('on an empty database', () => {
      before(async () => {
        scratch = await createScratchDatabase(provider);
      });
      after(() => scratch.drop());

      test('applies every committed migration, then nothing on the next run', async () => {
        assert.ok(committed.length > 0);
        assert.deepEqual(await migrate(scratch.url), { applied: committed });
        assert.deepEqual(await migrate(scratch.url), { applied: [] });
      });

      test('records them in _prisma_migrations with the SHA-256 of migration.sql', async () => {
        const expected = await Promise.all(
          committed.map(async (name) => ({
            migration_name: name,
            checksum: createHash('sha256')
              .update(await readFile(join(defaultMigrationsDir(provider), name, 'migration.sql')))
              .digest('hex'),
            finished: true,
          })),
        );
        const rows = (await historyRows(scratch.url)).map((row) => ({
          ...row,
          finished: Boolean(row.finished),
        }));
        assert.deepEqual(rows, expected);
      });

      if (provider === 'sqlite') {
        // Prisma's commands that read a PostgreSQL database fail through the driver adapter
        // (prisma/orm#27403), so only SQLite can show that Prisma reads our history.
        test('prisma migrate status reads the history as up to date', async () => {
          const stdout = await runPrisma('sqlite', ['migrate', 'status'], {
            databaseUrl: scratch.url,
          });
          assert.match(stdout, /Database schema is up to date/);
        });
      }
    });

    describe('with a tampered migrations folder', () => {
      let fixture: Awaited<ReturnType<typeof createMigrationsFixture>>;

      before(async () => {
        scratch = await createScratchDatabase(provider);
        fixture = await createMigrationsFixture(provider);
      });
      after(async () => {
        await scratch.drop();
        await fixture.remove();
      });

      test('a failing migration rolls back completely and the error names it', async () => {
        await fixture.add(
          '29990101000000_broken',
          'CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n',
        );
        await assert.rejects(migrate(scratch.url, fixture.dir), (error) => {
          assert.ok(error instanceof MigrationError);
          assert.equal(error.migration, '29990101000000_broken');
          assert.match(
            error.message,
            /Migration 29990101000000_broken failed and was rolled back: .*NoSuchTable/,
          );
          return true;
        });
        assert.equal(await tableExists(scratch.url, 'HalfDone'), false);
        // The migrations before it stay applied: each has a transaction of its own.
        assert.deepEqual(
          (await historyRows(scratch.url)).map((row) => row.migration_name),
          committed,
        );
        await rm(join(fixture.dir, '29990101000000_broken'), { recursive: true });
      });

      test('a migration changed after it was applied is refused, by name', async () => {
        const first = committed[0]!;
        await appendFile(join(fixture.dir, first, 'migration.sql'), '\n-- edited afterwards\n');
        await assert.rejects(migrate(scratch.url, fixture.dir), (error) => {
          assert.ok(error instanceof MigrationError);
          assert.equal(error.migration, first);
          assert.match(
            error.message,
            new RegExp(`Migration ${first} was modified after it was applied`),
          );
          return true;
        });
      });

      test('a recorded migration missing on disk is refused, by name', async () => {
        await rm(join(fixture.dir, committed[0]!), { recursive: true });
        await assert.rejects(migrate(scratch.url, fixture.dir), (error) => {
          assert.ok(error instanceof MigrationError);
          assert.match(
            error.message,
            new RegExp(`Migration ${committed[0]} is recorded as applied but is missing`),
          );
          return true;
        });
      });
    });

    test('RFC 7591 2.1: clients without the authorization_code grant lose response_types ["code"], registered ones first, then all', async () => {
      const registeredOnly = '20261207190600_registered_client_response_types';
      const everyClient = '20261207211500_client_response_types';
      const database = await createScratchDatabase(provider);
      const fixture = await createMigrationsFixture(provider);
      try {
        // The database as it was before both migrations, with clients of every kind.
        const scripts = new Map<string, string>();
        for (const name of [registeredOnly, everyClient]) {
          scripts.set(name, await readFile(join(fixture.dir, name, 'migration.sql'), 'utf8'));
          await rm(join(fixture.dir, name), { recursive: true });
        }
        await migrate(database.url, fixture.dir);
        const clients = [
          ['registered-service', '["client_credentials"]', '["code"]', true],
          [
            'registered-device',
            '["urn:ietf:params:oauth:grant-type:device_code"]',
            '["code"]',
            true,
          ],
          ['registered-web', '["authorization_code","refresh_token"]', '["code"]', true],
          ['seeded-service', '["client_credentials"]', '["code"]', false],
          ['seeded-device', '["urn:ietf:params:oauth:grant-type:device_code"]', '["code"]', false],
          ['seeded-web', '["authorization_code"]', '["code"]', false],
          ['seeded-web-without-code', '["authorization_code"]', '[]', false],
        ] as const;
        const db = await openDatabase(database.url);
        try {
          for (const [id, grants, responses, registered] of clients) {
            await db.prisma.$executeRawUnsafe(
              `INSERT INTO "Client" ("id", "name", "tokenEndpointAuthMethod", "grantTypes", "responseTypes", "updatedAt") VALUES ('${id}', '${id}', 'client_secret_basic', '${grants}', '${responses}', CURRENT_TIMESTAMP)`,
            );
            if (registered)
              await db.prisma.$executeRawUnsafe(
                `INSERT INTO "ClientRegistration" ("clientId", "tokenHash") VALUES ('${id}', 'hash-${id}')`,
              );
          }
        } finally {
          await db.close();
        }
        const responseTypes = async () => {
          const opened = await openDatabase(database.url);
          try {
            const rows = await opened.prisma.$queryRawUnsafe<
              { id: string; responseTypes: string }[]
            >('SELECT "id", "responseTypes" FROM "Client" ORDER BY "id"');
            return Object.fromEntries(rows.map((row) => [row.id, row.responseTypes]));
          } finally {
            await opened.close();
          }
        };

        await fixture.add(registeredOnly, scripts.get(registeredOnly)!);
        assert.deepEqual(await migrate(database.url, fixture.dir), { applied: [registeredOnly] });
        assert.deepEqual(await responseTypes(), {
          'registered-device': '[]',
          'registered-service': '[]',
          'registered-web': '["code"]',
          'seeded-device': '["code"]',
          'seeded-service': '["code"]',
          'seeded-web': '["code"]',
          'seeded-web-without-code': '[]',
        });

        // Seed files, `clients add` and the admin API now derive response_types the same way.
        await fixture.add(everyClient, scripts.get(everyClient)!);
        assert.deepEqual(await migrate(database.url, fixture.dir), { applied: [everyClient] });
        assert.deepEqual(await responseTypes(), {
          'registered-device': '[]',
          'registered-service': '[]',
          'registered-web': '["code"]',
          'seeded-device': '[]',
          'seeded-service': '[]',
          'seeded-web': '["code"]',
          // Not given a response type it never had: the authorization endpoint stays closed to it.
          'seeded-web-without-code': '[]',
        });
      } finally {
        await database.drop();
        await fixture.remove();
      }
    });

    if (provider === 'sqlite') {
      test('a migration that rebuilds a table keeps the rows that reference it', async () => {
        // Prisma's SQLite migrations rebuild tables (copy, drop, rename). With foreign keys
        // enforced, the drop would cascade to the rows referencing the table.
        const database = await createScratchDatabase('sqlite');
        const fixture = await createMigrationsFixture('empty');
        try {
          await fixture.add(
            '29990101000000_parent_child',
            [
              'CREATE TABLE "Parent" ("id" TEXT NOT NULL PRIMARY KEY);',
              'CREATE TABLE "Child" ("id" TEXT NOT NULL PRIMARY KEY,',
              '  "parentId" TEXT NOT NULL REFERENCES "Parent" ("id") ON DELETE CASCADE);',
              `INSERT INTO "Parent" VALUES ('p');`,
              `INSERT INTO "Child" VALUES ('c', 'p');`,
            ].join('\n'),
          );
          await migrate(database.url, fixture.dir);
          await fixture.add(
            '29990101000001_rebuild_parent',
            [
              'PRAGMA foreign_keys=OFF;',
              'CREATE TABLE "new_Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT);',
              'INSERT INTO "new_Parent" ("id") SELECT "id" FROM "Parent";',
              'DROP TABLE "Parent";',
              'ALTER TABLE "new_Parent" RENAME TO "Parent";',
              'PRAGMA foreign_keys=ON;',
            ].join('\n'),
          );
          assert.deepEqual(await migrate(database.url, fixture.dir), {
            applied: ['29990101000001_rebuild_parent'],
          });
          const db = await openDatabase(database.url);
          try {
            assert.deepEqual(
              await db.prisma.$queryRawUnsafe('SELECT "id", "parentId" FROM "Child"'),
              [{ id: 'c', parentId: 'p' }],
            );
          } finally {
            await db.close();
          }
        } finally {
          await database.drop();
          await fixture.remove();
        }
      });
    }

    if (provider === 'postgresql') {
      test('five instances migrating at once apply each migration exactly once', async () => {
        const database = await createScratchDatabase('postgresql');
        const instances = await Promise.all(
          Array.from({ length: 5 }, () => openDatabase(database.url, { poolSize: 2 })),
        );
        try {
          const results = await Promise.all(instances.map((db) => db.migrate()));
          assert.deepEqual(results.flatMap((result) => result.applied).sort(), committed);
          assert.deepEqual(
            (await historyRows(database.url)).map((row) => row.migration_name),
            committed,
          );
        } finally {
          await Promise.all(instances.map((db) => db.close()));
          await database.drop();
        }
      });
    }
  });
}
