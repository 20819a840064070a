import {
  failed,
  insertMigrationRecord,
  pendingMigrations,
  readMigrations,
  SELECT_MIGRATION_RECORDS,
  type MigrationRecord,
  type MigrationResult,
} from './migrations.js';

/**
 * What the migrator uses of a pg pool of its own (postgres-database.ts makes it; this file does
 * not import the driver). pg runs a query without parameters as a simple query, so a script of
 * several statements runs whole, which Prisma's client cannot.
 */
export interface PostgresMigrationPool {
  connect(): Promise<{
    query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
    /** With an error, the pool closes the connection instead of keeping it. */
    release(error?: Error): void;
  }>;
}

/** Prisma's DDL for its history table on PostgreSQL, made idempotent. */
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock key Prisma Migrate takes, so that it and this runner exclude each other. */
const MIGRATION_LOCK_KEY = 72707369;

/**
 * Applies the pending migrations of `dir`, each in its own transaction, while holding a
 * session-level advisory lock: of several instances starting at once, one migrates and the others
 * wait, then find nothing left to do.
 */
export async function migratePostgres(
  pool: PostgresMigrationPool,
  dir: string,
): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  let unlockError: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(HISTORY_TABLE);
      // Read only now, under the lock: whoever held it before may have applied some.
      const records = await client.query<MigrationRecord>(SELECT_MIGRATION_RECORDS);
      const pending = pendingMigrations(files, records.rows, dir);
      for (const migration of pending) {
        await client.query('BEGIN');
        try {
          const startedAt = new Date();
          await client.query(migration.script);
          await client.query(
            ...insertMigrationRecord(migration, startedAt, new Date(), (n) => `$${n}`),
          );
          await client.query('COMMIT');
        } catch (error) {
          // If ROLLBACK fails too, the connection is gone and the server has rolled back already.
          await client.query('ROLLBACK').catch(() => undefined);
          throw failed(migration, error);
        }
      }
      return { applied: pending.map((migration) => migration.name) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch((error) => {
        unlockError = error as Error;
      });
    }
  } finally {
    // A connection that may still hold the lock must not go back to the pool: with the error the
    // pool closes it, which releases the lock on the server.
    client.release(unlockError);
  }
}
