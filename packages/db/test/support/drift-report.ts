/**
 * Tells how the schema the committed migrations build differs from the one the models describe,
 * or returns null when they are the same. Lines come from `readSchemaCatalog`.
 */
export function driftReport(
  migrationsDir: string,
  fromMigrations: readonly string[],
  fromModels: readonly string[],
): string | null {
  const migrated = new Set(fromMigrations);
  const modelled = new Set(fromModels);
  const missing = fromModels.filter((line) => !migrated.has(line));
  const extra = fromMigrations.filter((line) => !modelled.has(line));
  if (missing.length === 0 && extra.length === 0) return null;
  return [
    `The migrations in ${migrationsDir} do not build the schema of prisma/models.prisma.`,
    ...(missing.length > 0
      ? ['In the models, missing from the migrations:', ...missing.map((l) => `  + ${l}`)]
      : []),
    ...(extra.length > 0
      ? ['In the migrations, not in the models:', ...extra.map((l) => `  - ${l}`)]
      : []),
    'Write a migration for the change: pnpm --filter @idp/db migration:new <name>',
  ].join('\n');
}
