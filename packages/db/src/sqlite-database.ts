import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { adapterSql } from './adapter-sql.js';
import type { Database } from './database.js';
import { PrismaClient } from './generated/sqlite/client.js';
import { defaultMigrationsDir } from './migrate/migrations-dir.js';
import { migrateSqlite } from './migrate/sqlite-migrator.js';
import { onlyOnce } from './only-once.js';
import { ConfiguredSqliteAdapter } from './sqlite-adapter.js';

/** Opens a SQLite database file, creating its folder (and, on first use, the file). */
export async function openSqliteDatabase(filename: string, options: { backgroundCheckpoints?: boolean } = {}): Promise<Database> {
  await mkdir(dirname(filename), { recursive: true });
  const adapter = new ConfiguredSqliteAdapter(filename, options);
  const prisma = new PrismaClient({ adapter });
  // The connection the client opens (or this opens for it first): one per database.
  const sql = adapterSql('sqlite', () => adapter.connect(), () => adapter.close(), {
    batch: async (queries) => (await adapter.connect()).executeBatch(queries),
    read: async (query) => (await adapter.connect()).executeRead(query),
  });
  return {
    provider: 'sqlite',
    prisma,
    sql,
    migrate: (options = {}) => migrateSqlite(filename, options.migrationsDir ?? defaultMigrationsDir('sqlite')),
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: onlyOnce(async () => {
      await prisma.$disconnect();
      await sql.close();
    }),
  };
}
