import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { databaseOf, type Database } from './database.js';
import { PrismaClient } from './generated/sqlite/client.js';
import { runMigrations, type MigrationConnection } from './migrate/migrations.js';
import { takingTurns } from './sqlite-turns.js';

/**
 * A SQLite connection's settings. WAL lets readers run while one connection writes (and is stored
 * in the file); synchronous=NORMAL is durable in WAL mode except for the last commits on power
 * loss, at a fraction of FULL's fsyncs; foreign keys are off by default in SQLite.
 */
const pragmas = (busyTimeoutMs: number) => [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  `PRAGMA busy_timeout = ${busyTimeoutMs}`,
];

/**
 * Opens a SQLite database file, creating its folder, and connects; `timeoutMs` is also how long a
 * write waits for another process's lock. The only file that imports better-sqlite3 and its Prisma
 * adapter, which is built as its documentation shows.
 */
export async function openSqliteDatabase(filename: string, timeoutMs: number): Promise<Database> {
  await mkdir(dirname(filename), { recursive: true });
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: filename, timeout: timeoutMs }),
    transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs },
  });
  // The adapter has one connection, opened here and again only after `$disconnect`.
  const configure = async () => {
    for (const pragma of pragmas(timeoutMs)) await client.$queryRawUnsafe(pragma);
  };
  await configure();
  const prisma = takingTurns(client, async () => {
    await client.$disconnect();
    await configure();
  });
  return databaseOf({
    provider: 'sqlite',
    prisma,
    migrate: async (options) => runMigrations(migrationConnection(filename), options),
    close: () => client.$disconnect(),
  });
}

/**
 * The migration runner's own connection, for whole scripts, which Prisma's raw API does not run.
 * Its wait for another process's lock is 5 s whatever `timeoutMs` is: a request may be given less,
 * but another instance's migration is worth waiting for.
 */
function migrationConnection(filename: string): MigrationConnection {
  const connection = new BetterSqlite3(filename, { timeout: 5000 });
  try {
    for (const pragma of pragmas(5000)) connection.exec(pragma);
  } catch (error) {
    connection.close();
    throw error;
  }
  // better-sqlite3 binds no Date: timestamps as Prisma writes them on SQLite.
  const bindable = (value: unknown) =>
    value instanceof Date ? value.toISOString().replace('Z', '+00:00') : value;
  return {
    provider: 'sqlite',
    exec: async (script) => void connection.exec(script),
    query: async <Row>(sql: string, values: readonly unknown[] = []) => {
      const statement = connection.prepare(sql);
      const bound = values.map(bindable);
      return (statement.reader ? statement.all(...bound) : (statement.run(...bound), [])) as Row[];
    },
    close: async () => void connection.close(),
  };
}
