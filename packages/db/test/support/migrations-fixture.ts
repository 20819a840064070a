import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../../src/migrate/migrations.js';
import type { Provider } from '../../src/database.js';

/** A temporary migrations folder, to add to or tamper with. */
export interface MigrationsFixture {
  readonly dir: string;
  /** Adds a migration folder holding `script`. */
  add(name: string, script: string): Promise<void>;
  remove(): Promise<void>;
}

/** A temporary migrations folder holding a copy of `provider`'s committed migrations, or nothing. */
export async function createMigrationsFixture(
  from: Provider | 'empty',
): Promise<MigrationsFixture> {
  const root = await mkdtemp(join(tmpdir(), 'idp-migrations-'));
  const dir = join(root, 'migrations');
  if (from === 'empty') await mkdir(dir);
  else await cp(defaultMigrationsDir(from), dir, { recursive: true });
  return {
    dir,
    add: async (name, script) => {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'migration.sql'), script);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
