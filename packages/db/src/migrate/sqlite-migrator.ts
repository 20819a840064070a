import { SQLITE_BUSY_TIMEOUT_MS, sqliteConnectionPragmas } from '../sqlite-pragmas.js';
import { MigrationError } from './migration-error.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import { pendingMigrations, type MigrationRecord } from './migration-plan.js';
import type { MigrationResult } from './migration-result.js';
import {
  MIGRATION_RECORD_COLUMNS,
  migrationRecordValues,
  SELECT_MIGRATION_RECORDS,
  SQLITE_MIGRATIONS_TABLE,
  sqliteTimestamp,
} from './prisma-migrations-table.js';

/**
 * What the migrator uses of a better-sqlite3 connection (sqlite-database.ts opens it; this file
 * does not import the driver). `exec` runs multi-statement scripts, which Prisma's client cannot.
 */
export interface SqliteMigrationConnection {
  exec(sql: string): unknown;
  prepare(sql: string): {
    all(...args: unknown[]): unknown[];
    get(...args: unknown[]): unknown;
    run(...args: unknown[]): unknown;
  };
  readonly inTransaction: boolean;
}

type Connection = SqliteMigrationConnection;

/**
 * Applies the pending migrations of `migrationsDir` on `connection`, a connection of its own to
 * the SQLite file, each in its own transaction. The caller closes the connection.
 */
export async function migrateSqlite(
  connection: Connection,
  migrationsDir: string,
): Promise<MigrationResult> {
  const files = await readMigrationFiles(migrationsDir);
  for (const pragma of sqliteConnectionPragmas(SQLITE_BUSY_TIMEOUT_MS)) connection.exec(pragma);
  connection.exec(SQLITE_MIGRATIONS_TABLE);
  const applied: string[] = [];
  for (const migration of pendingMigrations(files, readRecords(connection), migrationsDir)) {
    if (applyMigration(connection, migration)) applied.push(migration.name);
  }
  return { applied };
}

function readRecords(connection: Connection): MigrationRecord[] {
  const rows = connection.prepare(SELECT_MIGRATION_RECORDS).all() as Array<{
    name: string;
    checksum: string;
    finished: number;
    rolledBack: number;
  }>;
  return rows.map((row) => ({
    ...row,
    finished: row.finished === 1,
    rolledBack: row.rolledBack === 1,
  }));
}

/** Applies one migration; false when another process applied it first. */
function applyMigration(connection: Connection, migration: MigrationFile): boolean {
  // Prisma's SQLite migrations redefine tables (create a copy, drop the original, rename). With
  // foreign keys enforced, dropping a table deletes the rows referencing it through ON DELETE
  // CASCADE, and the scripts' own "PRAGMA foreign_keys=OFF" is ignored inside a transaction. So
  // enforcement goes off around the transaction and foreign_key_check runs before commit, as
  // SQLite's documented procedure for schema changes does.
  connection.exec('PRAGMA foreign_keys = OFF');
  try {
    // IMMEDIATE takes the write lock at once: a second process migrating the same file waits
    // here, then finds the migration recorded.
    connection.exec('BEGIN IMMEDIATE');
    try {
      if (isRecorded(connection, migration.name)) {
        connection.exec('ROLLBACK');
        return false;
      }
      const startedAt = new Date();
      connection.exec(migration.script);
      assertForeignKeysHold(connection);
      connection
        .prepare(
          `INSERT INTO _prisma_migrations (${MIGRATION_RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          ...migrationRecordValues(
            migration,
            sqliteTimestamp(startedAt),
            sqliteTimestamp(new Date()),
          ),
        );
      connection.exec('COMMIT');
      return true;
    } catch (error) {
      if (connection.inTransaction) connection.exec('ROLLBACK');
      throw new MigrationError(
        migration.name,
        `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } finally {
    connection.exec('PRAGMA foreign_keys = ON');
  }
}

function isRecorded(connection: Connection, name: string): boolean {
  return (
    connection
      .prepare(
        'SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL',
      )
      .get(name) !== undefined
  );
}

function assertForeignKeysHold(connection: Connection): void {
  const violations = connection.prepare('PRAGMA foreign_key_check').all() as Array<{
    table: string;
    parent: string;
  }>;
  const first = violations[0];
  if (first) {
    throw new Error(
      `it leaves ${violations.length} row(s) violating foreign keys (first: a row of ${first.table} ` +
        `referencing a missing ${first.parent})`,
    );
  }
}
