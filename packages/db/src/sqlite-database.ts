import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { adapterSql } from './adapter-sql.js';
import type { Database } from './database.js';
import { PrismaClient } from './generated/sqlite/client.js';
import { defaultMigrationsDir } from './migrate/migrations-dir.js';
import { migrateSqlite } from './migrate/sqlite-migrator.js';
import { onlyOnce } from './only-once.js';
import { withCallDeadlines } from './prisma-deadline.js';
import { ConfiguredSqliteAdapter } from './sqlite-adapter.js';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-pragmas.js';

/** Opens a SQLite database file, creating its folder (and, on first use, the file). */
export async function openSqliteDatabase(filename: string, options: { backgroundCheckpoints?: boolean; timeoutMs?: number } = {}): Promise<Database> {
  await mkdir(dirname(filename), { recursive: true });
  const timeoutMs = options.timeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const adapter = new ConfiguredSqliteAdapter(filename, { backgroundCheckpoints: options.backgroundCheckpoints, busyTimeoutMs: timeoutMs });
  const prisma = new PrismaClient({ adapter, transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs } });
  // The connection the client opens (or this opens for it first): one per database.
  const sql = adapterSql('sqlite', () => adapter.connect(), () => adapter.close(), {
    batch: async (queries) => (await adapter.connect()).executeBatch(queries),
    read: async (query) => (await adapter.connect()).executeRead(query),
  });
  return {
    provider: 'sqlite',
    prisma: withCallDeadlines(prisma, undefined),
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
