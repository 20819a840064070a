import {
  failed,
  insertMigrationRecord,
  pendingMigrations,
  readMigrations,
  SELECT_MIGRATION_RECORDS,
  type MigrationFile,
  type MigrationResult,
} from './migrations.js';

/**
 * What the migrator uses of a better-sqlite3 connection of its own (sqlite-database.ts opens it
 * and sets its pragmas; this file does not import the driver). `exec` runs a whole script, which
 * Prisma's client cannot.
 */
export interface SqliteMigrationConnection {
  exec(sql: string): unknown;
  prepare(sql: string): { all(...args: unknown[]): unknown[]; run(...args: unknown[]): unknown };
  readonly inTransaction: boolean;
}

/** Prisma's DDL for its history table on SQLite, made idempotent. */
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Applies the pending migrations of `dir`, each in its own transaction. */
export async function migrateSqlite(
  connection: SqliteMigrationConnection,
  dir: string,
): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  connection.exec(HISTORY_TABLE);
  const records = (connection.prepare(SELECT_MIGRATION_RECORDS).all() as RawRecord[]).map((r) => {
    return { ...r, finished: r.finished === 1, rolledBack: r.rolledBack === 1 };
  });
  const applied: string[] = [];
  for (const migration of pendingMigrations(files, records, dir))
    if (apply(connection, migration)) applied.push(migration.name);
  return { applied };
}

type RawRecord = { name: string; checksum: string; finished: number; rolledBack: number };

/**
 * Applies one migration; false when another process applied it first.
 *
 * Prisma's SQLite migrations redefine tables (copy, drop the original, rename). With foreign keys
 * enforced, dropping a table deletes the rows referencing it (ON DELETE CASCADE), and a script's
 * own "PRAGMA foreign_keys=OFF" is ignored inside a transaction. So enforcement goes off around the
 * transaction and foreign_key_check runs before commit, SQLite's documented procedure.
 */
function apply(connection: SqliteMigrationConnection, migration: MigrationFile): boolean {
  connection.exec('PRAGMA foreign_keys = OFF');
  try {
    // IMMEDIATE takes the write lock at once: a second process migrating the same file waits
    // here, then finds the migration recorded.
    connection.exec('BEGIN IMMEDIATE');
    try {
      const recorded = connection
        .prepare(
          'SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL',
        )
        .all(migration.name);
      if (recorded.length > 0) {
        connection.exec('ROLLBACK');
        return false;
      }
      // Timestamps as Prisma writes them on SQLite: ISO 8601 with milliseconds and +00:00.
      const startedAt = new Date().toISOString().replace('Z', '+00:00');
      connection.exec(migration.script);
      const violations = connection.prepare('PRAGMA foreign_key_check').all() as ForeignKeyCheck[];
      if (violations[0])
        throw new Error(
          `it leaves ${violations.length} row(s) violating foreign keys (first: a row of ` +
            `${violations[0].table} referencing a missing ${violations[0].parent})`,
        );
      const finishedAt = new Date().toISOString().replace('Z', '+00:00');
      const [insert, values] = insertMigrationRecord(migration, startedAt, finishedAt, () => '?');
      connection.prepare(insert).run(...values);
      connection.exec('COMMIT');
      return true;
    } catch (error) {
      if (connection.inTransaction) connection.exec('ROLLBACK');
      throw failed(migration, error);
    }
  } finally {
    connection.exec('PRAGMA foreign_keys = ON');
  }
}

type ForeignKeyCheck = { table: string; parent: string };
