// Where the Prisma files live. The runtime finds the migrations through src/ as well, so the
// provider-to-folder naming is spelled once, in src/database.ts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMigrationsDir } from '../../src/migrate/migrations.js';
import { providerFolder, type Provider } from '../../src/database.js';

/** packages/db */
export const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/** The repository's prisma/ folder. */
export const prismaDir = fileURLToPath(new URL('../../../../prisma/', import.meta.url));

/** The one model source. */
export const modelsFile = join(prismaDir, 'models.prisma');

/**
 * models.prisma as of the newest committed migration, written by `migration:new`: the next
 * migration is the diff from it to models.prisma.
 */
export const migratedModelsFile = join(prismaDir, 'migrated-models.prisma');

/** A provider's Prisma files. */
export interface ProviderFiles {
  readonly provider: Provider;
  /** The rendered schema (git-ignored). */
  readonly schemaFile: string;
  /** The committed migrations. */
  readonly migrationsDir: string;
  /** The Prisma CLI config, for `prisma --config`. */
  readonly configFile: string;
  /** Where `prisma generate` writes the client. */
  readonly clientDir: string;
}

/** The Prisma files of `provider`. */
export function providerFiles(provider: Provider): ProviderFiles {
  const folder = providerFolder(provider);
  return {
    provider,
    schemaFile: join(prismaDir, folder, 'schema.prisma'),
    migrationsDir: defaultMigrationsDir(provider),
    configFile: join(packageDir, 'prisma-config', `${folder}.ts`),
    clientDir: join(packageDir, 'src', 'generated', folder),
  };
}
