import { parseDatabaseUrl } from './database-url.js';
import type { Db } from './db-client.js';
import type { MigrateOptions, MigrationResult } from './migrate/migrations.js';
import { openPostgresDatabase } from './postgres-database.js';
import type { Provider } from './provider.js';
import type { RawSql } from './raw-sql.js';
import { openSqliteDatabase } from './sqlite-database.js';

/** An open database: the Prisma client plus what the application does with the database itself. */
export interface Database {
  readonly provider: Provider;
  /** The Prisma client; the same type on every provider. */
  readonly prisma: Db;
  /** The per-request statements' way in: raw SQL through the same client (raw-sql.ts). */
  readonly sql: RawSql;
  /**
   * Applies the pending committed migrations (or those of `options.migrationsDir`), each in its
   * own transaction, recorded in Prisma's `_prisma_migrations` table.
   *
   * @throws MigrationError naming the migration that failed (and was rolled back), that was
   *   modified after it was applied, or that is recorded but missing on disk.
   */
  migrate(options?: MigrateOptions): Promise<MigrationResult>;
  /** Resolves once the database answers a query. */
  ping(): Promise<void>;
  /** Closes every connection; later calls resolve at once. */
  close(): Promise<void>;
}

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Most connections the PostgreSQL pool opens (default 10); SQLite uses one connection. */
  readonly poolSize?: number;
  /**
   * Longest wait for the database in one call, in milliseconds (default 5000): for a pooled
   * connection, a statement's answer, a transaction to commit; SQLite's wait for another
   * process's write lock. A call that takes longer throws DatabaseUnavailable, having changed
   * nothing (it is rolled back, or its connection closed before COMMIT was sent).
   */
  readonly timeoutMs?: number;
}

/**
 * Opens the database at `url` (SQLite connects at once to set its pragmas; PostgreSQL's pool
 * connects on the first query): `file:./relative.db` (relative to the working directory; its
 * folder is created), `file:/absolute.db`, or `postgresql://…` / `postgres://…`.
 *
 * @throws Error listing the accepted forms when `url` is none of them, or when `poolSize` or
 *   `timeoutMs` is not a positive integer.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}) {
  const location = parseDatabaseUrl(url, process.cwd());
  const { poolSize = 10, timeoutMs = 5000 } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new Error(
      `timeoutMs must be a whole number of milliseconds, at least 1 (got ${timeoutMs})`,
    );
  if (location.provider === 'sqlite') return openSqliteDatabase(location.filename, timeoutMs);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error(`poolSize must be a whole number of connections, at least 1 (got ${poolSize})`);
  return openPostgresDatabase(location.connectionString, poolSize, timeoutMs);
}
