// Prisma CLI config for the SQLite schema: `prisma <command> --config prisma-config/sqlite.ts`.
// `engine: 'js'` makes the CLI use its WebAssembly schema engine through the driver adapter, so
// no native engine binary is downloaded (none can be, offline).
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: '../../../prisma/sqlite/schema.prisma',
  migrations: { path: '../../../prisma/sqlite/migrations' },
  adapter: async () => new PrismaBetterSQLite3({ url: env('DATABASE_URL') }),
});
