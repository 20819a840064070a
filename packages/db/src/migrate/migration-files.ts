import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationChecksum } from './checksum.js';

/** One committed migration: a folder `<timestamp>_<name>` holding migration.sql. */
export interface MigrationFile {
  /** The folder name, which is also the `migration_name` recorded in `_prisma_migrations`. */
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
}

/**
 * Reads every migration folder of `dir`, in name order (the timestamp prefix makes that the
 * order they were written in). Files beside the folders, such as migration_lock.toml, are not
 * migrations.
 */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Cannot read the migrations directory ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  names.sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      let script;
      try {
        script = await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(
          `Migration ${name} has no readable migration.sql (${file}): ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      return { name, script, checksum: migrationChecksum(script) };
    }),
  );
}
