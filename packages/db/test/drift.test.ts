import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { migrationSql, SQLITE_IN_MEMORY } from '../scripts/lib/prisma-cli.js';
import { modelsFile, providerFiles } from '../scripts/lib/prisma-files.js';
import { renderSchema } from '../scripts/lib/render-schema.js';
import { openDatabase } from '../src/index.js';
import { createScratchDatabase } from './support/scratch-database.js';
import { PROVIDERS, type Provider } from '../src/database.js';
import { driftReport } from './support/drift-report.js';
import { runScript } from './support/run-script.js';
import { readSchemaCatalog } from './support/schema-catalog.js';

/** The schema the committed migrations build, as applied by the runner. */
async function migratedCatalog(provider: Provider): Promise<string[]> {
  const scratch = await createScratchDatabase(provider);
  try {
    const db = await openDatabase(scratch.url);
    try {
      await db.migrate();
    } finally {
      await db.close();
    }
    return await readSchemaCatalog(scratch.url);
  } finally {
    await scratch.drop();
  }
}

/** The schema prisma/models.prisma describes now, built from scratch by Prisma's own SQL. */
async function modelledCatalog(provider: Provider): Promise<string[]> {
  const scratch = await createScratchDatabase(provider);
  // Rendered here rather than read from the build's output, so that an edit to models.prisma
  // counts even before the next build.
  const dir = await mkdtemp(join(tmpdir(), 'idp-drift-'));
  try {
    const schemaFile = join(dir, 'schema.prisma');
    await writeFile(
      schemaFile,
      renderSchema(providerFiles(provider), await readFile(modelsFile, 'utf8'), schemaFile),
    );
    const connection = provider === 'sqlite' ? SQLITE_IN_MEMORY : { databaseUrl: scratch.url };
    const script = await migrationSql(provider, 'empty', schemaFile, connection);
    assert.ok(script, 'prisma migrate diff produced no SQL for the models');
    await runScript(scratch.url, script);
    return await readSchemaCatalog(scratch.url);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await scratch.drop();
  }
}

describe('committed migrations against the models', () => {
  for (const provider of PROVIDERS) {
    test(`${provider}: the migrations build exactly the schema of prisma/models.prisma`, async () => {
      const [fromMigrations, fromModels] = await Promise.all([
        migratedCatalog(provider),
        modelledCatalog(provider),
      ]);
      assert.ok(fromModels.length > 0);
      const report = driftReport(providerFiles(provider).migrationsDir, fromMigrations, fromModels);
      if (report !== null) assert.fail(report);
    });
  }
});
