import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { adapterSql } from './adapter-sql.js';
import type { Database } from './database.js';
import { postgresClientAsDb } from './db-client.js';
import { PrismaClient } from './generated/postgres/client.js';
import { defaultMigrationsDir } from './migrate/migrations-dir.js';
import { migratePostgres } from './migrate/postgres-migrator.js';
import { onlyOnce } from './only-once.js';
import { recoveringClient } from './postgres-recovering-client.js';
import { PreparedStatementNames, preparingClient } from './postgres-statements.js';
import { withCallDeadlines } from './prisma-deadline.js';

/**
 * Opens a pool of at most `poolSize` connections to a PostgreSQL database, where no call waits
 * longer than `timeoutMs`: for a pooled connection (and for connecting), for a query's answer
 * (the connection is closed when it stalls), for a transaction to commit.
 */
export async function openPostgresDatabase(connectionString: string, poolSize: number, timeoutMs: number): Promise<Database> {
  const prepared = new PreparedStatementNames();
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    Client: recoveringClient(preparingClient(prepared), timeoutMs),
    connectionTimeoutMillis: timeoutMs,
    // The server's side of the same: a statement stuck on a lock is cancelled, and a transaction
    // whose client vanished without closing its socket (a network gone silent) is rolled back
    // (after a minute: an interactive transaction may be given a longer timeout than a call).
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: Math.max(60_000, 2 * timeoutMs),
    keepAlive: true,
  });
  // The server may drop idle connections (restart, failover, an administrator); the pool discards
  // them and the next query opens a new one. Without a listener the 'error' event would crash the
  // process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs } });
  // An adapter of its own over the same pool: pg's pool is what the connections are shared through.
  let direct: ReturnType<PrismaPg['connect']> | undefined;
  const sql = adapterSql(
    'postgresql',
    () => (direct ??= new PrismaPg(pool).connect()),
    async () => {
      // The adapter only detaches its pool 'error' listener here; the pool is ended below.
      if (direct) await (await direct).dispose();
    },
    { prepare: (text) => prepared.register(text), timeoutMs },
  );
  return {
    provider: 'postgresql',
    prisma: withCallDeadlines(postgresClientAsDb(prisma), timeoutMs),
    sql,
    migrate: (options = {}) => migrateOnOwnPool(connectionString, options.migrationsDir ?? defaultMigrationsDir('postgresql')),
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

/**
 * Migrations on a connection of their own, without the request deadlines: waiting for another
 * instance's migration lock, or a long index build, is expected there.
 */
async function migrateOnOwnPool(connectionString: string, migrationsDir: string) {
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => undefined);
  try {
    return await migratePostgres(pool, migrationsDir);
  } finally {
    await pool.end();
  }
}
