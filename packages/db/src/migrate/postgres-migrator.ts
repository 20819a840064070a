import { MigrationError } from './migration-error.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import { pendingMigrations, type MigrationRecord } from './migration-plan.js';
import type { MigrationResult } from './migration-result.js';
import {
  MIGRATION_RECORD_COLUMNS,
  migrationRecordValues,
  POSTGRES_MIGRATIONS_TABLE,
  SELECT_MIGRATION_RECORDS,
} from './prisma-migrations-table.js';

/**
 * The advisory lock key Prisma Migrate itself takes, so that this runner and a `prisma migrate`
 * command also exclude each other.
 */
/**
 * What the migrator uses of a pg pool (postgres-database.ts makes it; this file does not import
 * the driver). pg runs a query without parameters as a simple query, so a script of several
 * statements runs whole, which Prisma's client cannot.
 */
export interface PostgresMigrationPool {
  connect(): Promise<PostgresMigrationClient>;
}

interface PostgresMigrationClient {
  query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  /** With an error, the pool closes the connection instead of keeping it. */
  release(error?: Error): void;
}

const MIGRATION_LOCK_KEY = 72707369;

/**
 * Applies the pending migrations of `migrationsDir`, each in its own transaction, while holding a
 * session-level advisory lock: of several instances starting at once, one migrates and the others
 * wait, then find nothing left to do. Scripts go through pg's simple query protocol, which runs
 * several statements at once (Prisma's client cannot).
 */
export async function migratePostgres(
  pool: PostgresMigrationPool,
  migrationsDir: string,
): Promise<MigrationResult> {
  const files = await readMigrationFiles(migrationsDir);
  const client = await pool.connect();
  let unlockError: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      // Read only now, under the lock: whoever held it before may have applied some.
      const records = (await client.query<MigrationRecord>(SELECT_MIGRATION_RECORDS)).rows;
      const pending = pendingMigrations(files, records, migrationsDir);
      for (const migration of pending) await applyMigration(client, migration);
      return { applied: pending.map((migration) => migration.name) };
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch((error: Error) => {
          unlockError = error;
        });
    }
  } finally {
    // A connection that may still hold the lock must not go back to the pool: passing the error
    // makes the pool close it, which releases the lock on the server.
    client.release(unlockError);
  }
}

async function applyMigration(
  client: PostgresMigrationClient,
  migration: MigrationFile,
): Promise<void> {
  await client.query('BEGIN');
  try {
    const startedAt = new Date();
    await client.query(migration.script);
    await client.query(
      `INSERT INTO _prisma_migrations (${MIGRATION_RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
      migrationRecordValues(migration, startedAt, new Date()),
    );
    await client.query('COMMIT');
  } catch (error) {
    // If ROLLBACK fails too the connection is gone, and the server has rolled back already; the
    // migration's own error is the one worth reporting.
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(
      migration.name,
      `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
