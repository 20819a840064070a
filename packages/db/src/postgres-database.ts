import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { withCallDeadlines } from './call-deadlines.js';
import type { Database } from './database.js';
import { postgresClientAsDb } from './db-client.js';
import { PrismaClient } from './generated/postgres/client.js';
import { defaultMigrationsDir, runMigrations } from './migrate/migrations.js';
import { onlyOnce } from './only-once.js';
import { recoveringClient } from './postgres-recovering-client.js';
import { rawSql } from './raw-sql.js';

/**
 * Opens a pool of at most `poolSize` connections to a PostgreSQL database, where no call waits
 * longer than `timeoutMs`: for a pooled connection (and for connecting), for a query's answer
 * (the connection is closed when it stalls), for a transaction to commit.
 *
 * The only file that imports pg and the Prisma adapter for it: the adapter is given a pg pool, as
 * its documentation shows, and the migrator a pool of its own.
 */
export async function openPostgresDatabase(
  connectionString: string,
  poolSize: number,
  timeoutMs: number,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    // pg's documented way to use another client class: ours closes a stalled connection.
    Client: recoveringClient(pg.Client, timeoutMs),
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
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs },
  });
  const prisma = withCallDeadlines(postgresClientAsDb(client), timeoutMs);
  return {
    provider: 'postgresql',
    prisma,
    sql: rawSql(prisma),
    // Migrations get a connection of their own, without the request deadlines: waiting for another
    // instance's migration lock, or a long index build, is expected there. Closing it releases the
    // lock. pg runs a query without parameters as a simple query, so a whole script at once.
    migrate: async (options = {}) => {
      const own = new pg.Client({ connectionString });
      own.on('error', () => undefined);
      await own.connect();
      try {
        return await runMigrations(
          {
            provider: 'postgresql',
            exec: async (script) => void (await own.query(script)),
            query: async <Row>(sql: string, values?: readonly unknown[]) => {
              let n = 0;
              const text = sql.replace(/\?/g, () => `$${(n += 1)}`);
              return (await own.query(text, values && [...values])).rows as Row[];
            },
          },
          options.migrationsDir ?? defaultMigrationsDir('postgresql'),
        );
      } finally {
        await own.end().catch(() => undefined);
      }
    },
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: onlyOnce(async () => {
      // The adapter leaves a pool it was given open; it is ours to end.
      await client.$disconnect();
      await pool.end();
    }),
  };
}
