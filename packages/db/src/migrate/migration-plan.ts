import { matchesChecksum } from './checksum.js';
import { MigrationError } from './migration-error.js';
import type { MigrationFile } from './migration-files.js';

/** A row of `_prisma_migrations`, reduced to what deciding the plan needs. */
export interface MigrationRecord {
  readonly name: string;
  readonly checksum: string;
  readonly finished: boolean;
  readonly rolledBack: boolean;
}

const NEW_MIGRATION_HINT =
  'put the change in a new migration (pnpm --filter @idp/db migration:new <name>)';

/**
 * The migrations still to apply, in order, after checking that the recorded history agrees with
 * the files: applied migrations must still be on disk, unchanged, and none may have been left
 * half-done. Rows marked rolled back are attempts Prisma's tooling was told to forget, as in
 * Prisma.
 *
 * @throws MigrationError naming the first migration that disagrees.
 */
export function pendingMigrations(
  files: readonly MigrationFile[],
  records: readonly MigrationRecord[],
  migrationsDir: string,
): MigrationFile[] {
  const filesByName = new Map(files.map((file) => [file.name, file]));
  const applied = new Set<string>();
  for (const record of records) {
    if (record.rolledBack) continue;
    if (!record.finished) {
      throw new MigrationError(
        record.name,
        `Migration ${record.name} was started but never finished (recorded in _prisma_migrations without ` +
          'finished_at), so the database may be partly migrated. Repair the schema by hand, then set ' +
          'rolled_back_at on that row to retry the migration, or finished_at if it is complete.',
      );
    }
    const file = filesByName.get(record.name);
    if (!file) {
      throw new MigrationError(
        record.name,
        `Migration ${record.name} is recorded as applied but is missing from ${migrationsDir}. ` +
          'Migrations are append-only: restore the folder.',
      );
    }
    if (!matchesChecksum(file.script, record.checksum)) {
      throw new MigrationError(
        record.name,
        `Migration ${record.name} was modified after it was applied: the checksum of its migration.sql ` +
          `(${file.checksum}) differs from the recorded one (${record.checksum}). Migrations are ` +
          `append-only: restore the original file and ${NEW_MIGRATION_HINT}.`,
      );
    }
    applied.add(record.name);
  }
  return files.filter((file) => !applied.has(file.name));
}
