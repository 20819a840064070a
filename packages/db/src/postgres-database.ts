import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { adapterSql } from './adapter-sql.js';
import type { Database } from './database.js';
import { postgresClientAsDb } from './db-client.js';
import { PrismaClient } from './generated/postgres/client.js';
import { defaultMigrationsDir } from './migrate/migrations-dir.js';
import { migratePostgres } from './migrate/postgres-migrator.js';
import { onlyOnce } from './only-once.js';
import { PreparedStatementNames, preparingClient } from './postgres-statements.js';

/** Opens a pool of at most `poolSize` connections to a PostgreSQL database. */
export async function openPostgresDatabase(connectionString: string, poolSize: number): Promise<Database> {
  const prepared = new PreparedStatementNames();
  const pool = new pg.Pool({ connectionString, max: poolSize, Client: preparingClient(prepared) });
  // The server may drop idle connections (restart, failover, an administrator); the pool discards
  // them and the next query opens a new one. Without a listener the 'error' event would crash the
  // process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // An adapter of its own over the same pool: pg's pool is what the connections are shared through.
  let direct: ReturnType<PrismaPg['connect']> | undefined;
  const sql = adapterSql(
    'postgresql',
    () => (direct ??= new PrismaPg(pool).connect()),
    async () => {
      // The adapter only detaches its pool 'error' listener here; the pool is ended below.
      if (direct) await (await direct).dispose();
    },
    { prepare: (text) => prepared.register(text) },
  );
  return {
    provider: 'postgresql',
    prisma: postgresClientAsDb(prisma),
    sql,
    migrate: (options = {}) => migratePostgres(pool, options.migrationsDir ?? defaultMigrationsDir('postgresql')),
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: onlyOnce(async () => {
      // The adapter leaves a pool it was given open; it is ours to end.
      await prisma.$disconnect();
      await sql.close();
      await pool.end();
    }),
  };
}
