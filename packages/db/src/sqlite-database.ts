import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';
import { PrismaClient } from './generated/sqlite/client.js';
import { defaultMigrationsDir, runMigrations } from './migrate/migrations.js';
import { onlyOnce } from './only-once.js';
import { rawSql } from './raw-sql.js';
import { takingTurns } from './sqlite-turns.js';

/**
 * A SQLite connection's settings. WAL lets readers run while one connection writes (and is stored
 * in the file); synchronous=NORMAL is durable in WAL mode except for the last commits on power
 * loss, at a fraction of FULL's fsyncs; foreign keys are off by default in SQLite. WAL checkpoints
 * are SQLite's own: the committing connection copies the log back once it reaches 1000 pages.
 */
const pragmas = (busyTimeoutMs: number) => [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  `PRAGMA busy_timeout = ${busyTimeoutMs}`,
];

/**
 * Opens a SQLite database file, creating its folder (and, on first use, the file), and connects;
 * `timeoutMs` is also how long a write waits for another process's lock (busy_timeout).
 *
 * The only file that imports better-sqlite3 and the Prisma adapter for it: the adapter is built as
 * its documentation shows, and the migrator gets a connection of its own from here.
 */
export async function openSqliteDatabase(filename: string, timeoutMs: number): Promise<Database> {
  await mkdir(dirname(filename), { recursive: true });
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: filename, timeout: timeoutMs }),
    transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs },
  });
  // One connection per client, opened here and again only after `reset`; pragmas go through it.
  const configure = async () => {
    for (const pragma of pragmas(timeoutMs)) await client.$queryRawUnsafe(pragma);
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
      // The runner runs whole scripts, which Prisma's raw API does not, on a connection of its
      // own; it waits for another process's migration longer than a request would.
      const connection = new BetterSqlite3(filename, { timeout: 5000 });
      // better-sqlite3 binds no Date: timestamps as Prisma writes them on SQLite.
      const value = (v: unknown) =>
        v instanceof Date ? v.toISOString().replace('Z', '+00:00') : v;
      try {
        for (const pragma of pragmas(5000)) connection.exec(pragma);
        const dir = options.migrationsDir ?? defaultMigrationsDir('sqlite');
        return await runMigrations(
          {
            provider: 'sqlite',
            exec: async (script) => void connection.exec(script),
            query: async <Row>(sql: string, values: readonly unknown[] = []) => {
              const statement = connection.prepare(sql);
              const bound = values.map(value);
              return (
                statement.reader ? statement.all(...bound) : (statement.run(...bound), [])
              ) as Row[];
            },
          },
          dir,
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
