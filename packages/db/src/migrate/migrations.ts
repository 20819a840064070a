import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerFolder, type Provider } from '../database.js';

/*
 * The migration runner. Migrations are Prisma's layout, `<timestamp>_<name>/migration.sql` under
 * prisma/<provider>/migrations, written by `prisma migrate diff` (scripts/new-migration.ts). Why
 * our own: Prisma 6.19's `migrate deploy` cannot reach PostgreSQL through the adapter
 * (prisma/orm#27403), and Prisma 7's CLI downloads a native engine first. It records migrations in
 * Prisma's `_prisma_migrations` table as Prisma does, so Prisma's tooling still reads the history.
 */

/** What a migration run did. */
export interface MigrationResult {
  /** Names of the migrations this run applied, in order; empty when the database was up to date. */
  readonly applied: string[];
}

/** Where a migration run takes its migrations from. */
export interface MigrateOptions {
  /** The folder of `<timestamp>_<name>/migration.sql` folders; defaults to the committed ones. */
  readonly migrationsDir?: string;
}

/** A migration run that cannot go on, naming the migration folder concerned. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * A connection of the runner's own, made by sqlite-database.ts or postgres-database.ts from their
 * driver: a migration is a script, and Prisma's raw API runs one statement at a time.
 */
export interface MigrationConnection {
  readonly provider: Provider;
  /** Runs a script: statements without parameters. */
  exec(script: string): Promise<void>;
  /** The rows of one statement with `?` parameters (Dates among them). */
  query<Row>(sql: string, values?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** One committed migration; `name` (its folder) is the `migration_name` Prisma records. */
type MigrationFile = { name: string; script: string; checksum: string };

/** A row of `_prisma_migrations`, as far as deciding the plan needs it. */
type MigrationRecord = { name: string; checksum: string; finished: SqlBool; rolledBack: SqlBool };

/** PostgreSQL's booleans; SQLite answers 0 or 1. */
type SqlBool = boolean | 0 | 1;

/** The committed migrations of a provider (this file sits at the same depth in src/ and dist/). */
export function defaultMigrationsDir(provider: Provider): string {
  const dir = `../../../../prisma/${providerFolder(provider)}/migrations`;
  return fileURLToPath(new URL(dir, import.meta.url));
}

/** The checksum Prisma records: SHA-256 of migration.sql, hex. */
const checksum = (script: string) => createHash('sha256').update(script).digest('hex');

/** Prisma's DDL for its history table, made idempotent. */
const HISTORY_TABLE = (timestamp: string, steps: string) => `CREATE TABLE IF NOT EXISTS
  _prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL,
    finished_at ${timestamp}, migration_name VARCHAR(255) NOT NULL, logs TEXT,
    rolled_back_at ${timestamp}, started_at ${timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,
    applied_steps_count ${steps} NOT NULL DEFAULT 0)`;

/** The advisory lock key Prisma Migrate takes, so that it and this runner exclude each other. */
const MIGRATION_LOCK_KEY = 72707369;

/**
 * Applies the pending migrations on `connection`, each in its own transaction, then closes it. On
 * PostgreSQL a session-level advisory lock, released with the connection, lets one of several
 * instances starting at once migrate while the others wait, then find nothing left to do. On
 * SQLite each migration's `BEGIN IMMEDIATE` takes the write lock instead.
 */
export async function runMigrations(
  connection: MigrationConnection,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const dir = options.migrationsDir ?? defaultMigrationsDir(connection.provider);
  try {
    const files = await readMigrations(dir);
    const postgres = connection.provider === 'postgresql';
    if (postgres) await connection.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await connection.exec(
      postgres
        ? HISTORY_TABLE('TIMESTAMPTZ', 'INTEGER')
        : HISTORY_TABLE('DATETIME', 'INTEGER UNSIGNED'),
    );
    // Read only now, under the lock: whoever held it before may have applied some.
    const records = await connection.query<MigrationRecord>(`SELECT
      migration_name AS name, checksum, finished_at IS NOT NULL AS finished,
      rolled_back_at IS NOT NULL AS "rolledBack" FROM _prisma_migrations`);
    const applied: string[] = [];
    for (const migration of pendingMigrations(files, records, dir))
      if (await apply(connection, migration)) applied.push(migration.name);
    return { applied };
  } finally {
    await connection.close();
  }
}

/** Every migration folder of `dir` in name order, which the timestamp prefix makes their order. */
async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(
    rethrow(`Cannot read the migrations directory ${dir}`),
  );
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return Promise.all(
    names.sort().map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      const script = await readFile(file, 'utf8').catch(
        rethrow(`Migration ${name} has no readable migration.sql (${file})`),
      );
      return { name, script, checksum: checksum(script) };
    }),
  );
}

/** A file system error's handler that throws it again, saying what could not be read. */
const rethrow = (what: string) => (error: Error) => {
  throw new Error(`${what}: ${error.message}`, { cause: error });
};

/**
 * The migrations still to apply, in order, once the history agrees with the files: every applied
 * migration still on disk, unchanged (line endings aside, which git may change), none left
 * half-done. Rows marked rolled back are attempts Prisma's tooling was told to forget.
 *
 * @throws MigrationError naming the first migration that disagrees.
 */
function pendingMigrations(
  files: readonly MigrationFile[],
  records: readonly MigrationRecord[],
  dir: string,
): MigrationFile[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied = new Set<string>();
  for (const { name, finished, rolledBack, checksum: recorded } of records) {
    if (rolledBack) continue;
    const file = byName.get(name);
    if (!finished)
      throw new MigrationError(
        name,
        `Migration ${name} was started but never finished, so the database may be partly ` +
          'migrated. Repair the schema by hand, then set rolled_back_at on its row in ' +
          '_prisma_migrations to retry it, or finished_at if it is complete.',
      );
    if (!file)
      throw new MigrationError(
        name,
        `Migration ${name} is recorded as applied but is missing from ${dir}: restore the folder.`,
      );
    const lf = file.script.replace(/\r\n/g, '\n');
    if (![file.script, lf, lf.replace(/\n/g, '\r\n')].some((s) => checksum(s) === recorded))
      throw new MigrationError(
        name,
        `Migration ${name} was modified after it was applied (checksum ${file.checksum}, ` +
          `recorded ${recorded}): restore the original and put the change in a new migration ` +
          '(pnpm --filter @idp/db migration:new <name>).',
      );
    applied.add(name);
  }
  return files.filter((file) => !applied.has(file.name));
}

/**
 * Applies one migration in its own transaction; false when another process applied it first.
 *
 * SQLite: Prisma's SQLite migrations redefine tables (copy, drop, rename), and with foreign keys
 * enforced dropping a table deletes the rows referencing it; a script's own
 * "PRAGMA foreign_keys=OFF" is ignored inside a transaction. So enforcement goes off around the
 * transaction and foreign_key_check runs before commit, SQLite's documented procedure.
 */
async function apply(connection: MigrationConnection, migration: MigrationFile): Promise<boolean> {
  const sqlite = connection.provider === 'sqlite';
  if (sqlite) await connection.exec('PRAGMA foreign_keys = OFF');
  try {
    await connection.exec(sqlite ? 'BEGIN IMMEDIATE' : 'BEGIN');
    try {
      const recorded = await connection.query(
        'SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL',
        [migration.name],
      );
      if (recorded.length > 0) {
        await connection.exec('ROLLBACK');
        return false;
      }
      const startedAt = new Date();
      await connection.exec(migration.script);
      if (sqlite) {
        const [first, ...more] = await connection.query<{ table: string; parent: string }>(
          'PRAGMA foreign_key_check',
        );
        if (first)
          throw new Error(
            `it leaves ${more.length + 1} row(s) violating foreign keys (first: a row of ` +
              `${first.table} referencing a missing ${first.parent})`,
          );
      }
      // `logs` and `rolled_back_at` stay null, as Prisma leaves them; a script counts as one step.
      await connection.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at,
          applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
        [randomUUID(), migration.checksum, migration.name, startedAt, new Date()],
      );
      await connection.exec('COMMIT');
      return true;
    } catch (error) {
      // A failing ROLLBACK finds no transaction left (the connection is gone, or SQLite had none).
      await connection.exec('ROLLBACK').catch(() => undefined);
      const message = `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`;
      throw new MigrationError(migration.name, message, { cause: error });
    }
  } finally {
    if (sqlite) await connection.exec('PRAGMA foreign_keys = ON');
  }
}
