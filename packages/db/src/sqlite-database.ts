import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';
import { PrismaClient } from './generated/sqlite/client.js';
import { defaultMigrationsDir } from './migrate/migrations-dir.js';
import { migrateSqlite } from './migrate/sqlite-migrator.js';
import { onlyOnce } from './only-once.js';
import { rawSql } from './raw-sql.js';
import { SQLITE_BUSY_TIMEOUT_MS, sqliteConnectionPragmas } from './sqlite-pragmas.js';
import { takingTurns } from './sqlite-turns.js';

/**
 * Opens a SQLite database file, creating its folder (and, on first use, the file), and connects:
 * the connection's pragmas are set through the client before anything else runs.
 *
 * The only file that imports better-sqlite3 and the Prisma adapter for it: the adapter is built as
 * its documentation shows, and the migrator gets a connection of its own from here.
 */
export async function openSqliteDatabase(
  filename: string,
  options: { timeoutMs?: number } = {},
): Promise<Database> {
  await mkdir(dirname(filename), { recursive: true });
  const busyTimeoutMs = options.timeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: filename, timeout: busyTimeoutMs }),
    transactionOptions: { maxWait: busyTimeoutMs, timeout: busyTimeoutMs },
  });
  // One connection per client; it is opened here, and again only after `reset`.
  const configure = async () => {
    for (const pragma of sqliteConnectionPragmas(busyTimeoutMs))
      await client.$queryRawUnsafe(pragma);
  };
  await configure();
  const prisma = takingTurns(client, async () => {
    await client.$disconnect();
    await configure();
  });
  return {
    provider: 'sqlite',
    prisma,
    sql: rawSql(prisma),
    migrate: async (options = {}) => {
      // The migrator runs whole scripts (several statements each), which Prisma's raw API does not.
      const connection = new BetterSqlite3(filename, { timeout: SQLITE_BUSY_TIMEOUT_MS });
      try {
        return await migrateSqlite(
          connection,
          options.migrationsDir ?? defaultMigrationsDir('sqlite'),
        );
      } finally {
        connection.close();
      }
    },
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: onlyOnce(() => client.$disconnect()),
  };
}
