// Prisma CLI config for the PostgreSQL schema: `prisma <command> --config prisma-config/postgres.ts`.
// `engine: 'js'` makes the CLI use its WebAssembly schema engine through the driver adapter, so
// no native engine binary is downloaded (none can be, offline). Commands that read a PostgreSQL
// database fail through this adapter (prisma/orm#27403); generate and `migrate diff` between
// schema files work.
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: '../../../prisma/postgres/schema.prisma',
  migrations: { path: '../../../prisma/postgres/migrations' },
  adapter: async () => new PrismaPg({ connectionString: env('DATABASE_URL') }),
});
