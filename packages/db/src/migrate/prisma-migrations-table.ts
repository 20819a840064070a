// Prisma Migrate's history table, created exactly as Prisma's schema engine creates it (same
// columns, types and defaults) so that `prisma migrate status` and friends read our history.
import { randomUUID } from 'node:crypto';

/** Prisma's DDL for SQLite, made idempotent. */
export const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Prisma's DDL for PostgreSQL, made idempotent. */
export const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The history as `MigrationRecord` columns (the booleans come back as 0/1 on SQLite). */
export const SELECT_MIGRATION_RECORDS = `SELECT migration_name AS name, checksum,
    finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
  FROM _prisma_migrations`;

/**
 * The columns written for a successful migration, in the order of `migrationRecordValues`.
 * `logs` and `rolled_back_at` stay null, as Prisma leaves them on success.
 */
export const MIGRATION_RECORD_COLUMNS =
  'id, checksum, migration_name, started_at, finished_at, applied_steps_count';

/** Values for `MIGRATION_RECORD_COLUMNS`. */
export function migrationRecordValues<T>(
  migration: { readonly name: string; readonly checksum: string },
  startedAt: T,
  finishedAt: T,
): [string, string, string, T, T, number] {
  // Prisma counts a migration.sql as one step.
  return [randomUUID(), migration.checksum, migration.name, startedAt, finishedAt, 1];
}

/** Timestamps as Prisma writes them on SQLite: ISO 8601 with milliseconds and a +00:00 offset. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}
