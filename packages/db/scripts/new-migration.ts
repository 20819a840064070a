// `pnpm --filter @idp/db migration:new <name>`: writes the next migration of every provider, the
// diff from prisma/migrated-models.prisma (the models as of the newest migration) to
// prisma/models.prisma, then makes models.prisma the new migrated-models.prisma.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PROVIDERS, type Provider } from '../src/database.js';
import { migrationSql, SQLITE_IN_MEMORY, type PrismaConnection } from './lib/prisma-cli.js';
import { migratedModelsFile, modelsFile, providerFiles } from './lib/prisma-files.js';
import { nextMigrationFolder } from './lib/migration-name.js';
import { renderSchema } from './lib/render-schema.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error(
    'Usage: pnpm --filter @idp/db migration:new <name>   (lower case, digits and _, e.g. add_user_locale)',
  );
  process.exit(1);
}

function connectionFor(provider: Provider): PrismaConnection {
  if (provider === 'sqlite') return SQLITE_IN_MEMORY;
  return {
    // eslint-disable-next-line no-restricted-syntax -- a developer tool, not the application: the same server setting as the tests
    databaseUrl: process.env.IDP_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
  };
}

/** The SQL from the migrated models to the current ones, for `provider`; null if none. */
async function nextMigrationSql(provider: Provider, scratchDir: string): Promise<string | null> {
  const files = providerFiles(provider);
  const current = join(scratchDir, `${provider}-current.prisma`);
  const migrated = join(scratchDir, `${provider}-migrated.prisma`);
  await writeFile(current, renderSchema(files, await readFile(modelsFile, 'utf8'), current));
  await writeFile(
    migrated,
    renderSchema(files, await readFile(migratedModelsFile, 'utf8'), migrated),
  );
  return migrationSql(provider, migrated, current, connectionFor(provider));
}

/** Writes the migration folders; returns the files written, or null when nothing changed. */
async function writeNextMigration(
  migrationName: string,
  scratchDir: string,
): Promise<string[] | null> {
  const scripts = await Promise.all(
    PROVIDERS.map((provider) => nextMigrationSql(provider, scratchDir)),
  );
  if (scripts.every((script) => script === null)) return null;
  const existing = (
    await Promise.all(PROVIDERS.map((p) => readdir(providerFiles(p).migrationsDir)))
  ).flat();
  const folder = nextMigrationFolder(migrationName, new Date(), existing);
  const written: string[] = [];
  for (const [index, provider] of PROVIDERS.entries()) {
    const dir = join(providerFiles(provider).migrationsDir, folder);
    await mkdir(dir);
    // Both providers get the folder, even without a change, so that their histories stay in step.
    await writeFile(
      join(dir, 'migration.sql'),
      scripts[index] ?? '-- No change for this provider.\n',
    );
    written.push(join(dir, 'migration.sql'));
  }
  await copyFile(modelsFile, migratedModelsFile);
  return [...written, migratedModelsFile];
}

const scratchDir = await mkdtemp(join(tmpdir(), 'idp-migration-'));
try {
  const written = await writeNextMigration(name, scratchDir);
  if (written === null) {
    console.log(
      'No changes: prisma/models.prisma matches prisma/migrated-models.prisma. Nothing written.',
    );
  } else {
    for (const file of written) console.log(`wrote ${relative(process.cwd(), file)}`);
    console.log(
      'Review the SQL (data-losing steps, SQLite table rebuilds) and commit these files together.',
    );
  }
} finally {
  await rm(scratchDir, { recursive: true, force: true });
}
