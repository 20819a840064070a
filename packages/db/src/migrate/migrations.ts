import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerFolder, type Provider } from '../provider.js';

/*
 * The migration runner's shared half. Migrations are Prisma's own layout, `<timestamp>_<name>/
 * migration.sql` under prisma/<provider>/migrations, written with `prisma migrate diff`
 * (scripts/new-migration.ts). Prisma's `migrate deploy` cannot apply them here (PostgreSQL through
 * the adapter fails, prisma/orm#27403; Prisma 7 downloads a native engine), so each provider's
 * migrator (sqlite-migrator.ts, postgres-migrator.ts) applies the pending ones, each in its own
 * transaction, and records them in Prisma's `_prisma_migrations` table, so Prisma's tooling still
 * reads the history.
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

/**
 * A migration run that cannot go on: a failed migration (rolled back), a committed migration that
 * was edited after it was applied, or history naming a migration that is not on disk.
 */
export class MigrationError extends Error {
  constructor(
    /** The migration folder concerned. */
    readonly migration: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** One committed migration; `name` (its folder) is the `migration_name` Prisma records. */
export interface MigrationFile {
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
}

/** A row of `_prisma_migrations`, reduced to what deciding the plan needs. */
export interface MigrationRecord {
  readonly name: string;
  readonly checksum: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}

/** The committed migrations of a provider (this file sits at the same depth in src/ and dist/). */
export function defaultMigrationsDir(provider: Provider): string {
  const dir = `../../../../prisma/${providerFolder(provider)}/migrations`;
  return fileURLToPath(new URL(dir, import.meta.url));
}

/** The checksum Prisma records: SHA-256 of migration.sql, hex. */
const checksum = (script: string) => createHash('sha256').update(script).digest('hex');

/** Every migration folder of `dir` in name order, which the timestamp prefix makes their order. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: Error) => {
    throw new Error(`Cannot read the migrations directory ${dir}: ${error.message}`, {
      cause: error,
    });
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return Promise.all(
    names.sort().map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      const script = await readFile(file, 'utf8').catch((error: Error) => {
        const message = `Migration ${name} has no readable migration.sql (${file}): ${error.message}`;
        throw new Error(message, { cause: error });
      });
      return { name, script, checksum: checksum(script) };
    }),
  );
}

/**
 * The migrations still to apply, in order, after checking that the recorded history agrees with
 * the files: applied migrations must still be on disk, unchanged (line endings aside, as git may
 * change them), and none may have been left half-done. Rows marked rolled back are attempts
 * Prisma's tooling was told to forget.
 *
 * @throws MigrationError naming the first migration that disagrees.
 */
export function pendingMigrations(
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
        `Migration ${name} was started but never finished (recorded in _prisma_migrations without ` +
          'finished_at), so the database may be partly migrated. Repair the schema by hand, then set ' +
          'rolled_back_at on that row to retry the migration, or finished_at if it is complete.',
      );
    if (!file)
      throw new MigrationError(
        name,
        `Migration ${name} is recorded as applied but is missing from ${dir}. ` +
          'Migrations are append-only: restore the folder.',
      );
    const lf = file.script.replace(/\r\n/g, '\n');
    if (![file.script, lf, lf.replace(/\n/g, '\r\n')].some((s) => checksum(s) === recorded))
      throw new MigrationError(
        name,
        `Migration ${name} was modified after it was applied: the checksum of its migration.sql ` +
          `(${file.checksum}) differs from the recorded one (${recorded}). Migrations are ` +
          'append-only: restore the original file and put the change in a new migration ' +
          '(pnpm --filter @idp/db migration:new <name>).',
      );
    applied.add(name);
  }
  return files.filter((file) => !applied.has(file.name));
}

/** The history as `MigrationRecord`s (the booleans come back as 0/1 on SQLite). */
export const SELECT_MIGRATION_RECORDS = `SELECT migration_name AS name, checksum,
    finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
  FROM _prisma_migrations`;

/**
 * The insert of a successful migration's record (`logs` and `rolled_back_at` stay null, as Prisma
 * leaves them), with `$n` or `?` parameters, and its values; Prisma counts a script as one step.
 */
export function insertMigrationRecord<T>(
  migration: MigrationFile,
  startedAt: T,
  finishedAt: T,
  parameter: (n: number) => string,
): [string, unknown[]] {
  const columns = 'id, checksum, migration_name, started_at, finished_at, applied_steps_count';
  const values = [randomUUID(), migration.checksum, migration.name, startedAt, finishedAt, 1];
  const list = values.map((_, i) => parameter(i + 1)).join(', ');
  return [`INSERT INTO _prisma_migrations (${columns}) VALUES (${list})`, values];
}

/** The failure of `migration`, which its transaction's rollback undid. */
export function failed(migration: MigrationFile, error: unknown): MigrationError {
  const message = `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`;
  return new MigrationError(migration.name, message, { cause: error });
}
