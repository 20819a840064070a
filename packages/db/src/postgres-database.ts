import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { withCallDeadlines } from './call-deadlines.js';
import { databaseOf, type Database, type Db } from './database.js';
import { PrismaClient } from './generated/postgres/client.js';
import { runMigrations, type MigrationConnection } from './migrate/migrations.js';
import { recoveringClient } from './postgres-recovering-client.js';

/**
 * Opens a pool of at most `poolSize` connections to a PostgreSQL database, where no call waits
 * longer than `timeoutMs`. The only file that imports pg and its Prisma adapter, which is given a
 * pg pool as its documentation shows.
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
    // whose client went silent is rolled back (after a minute at least, as an interactive
    // transaction may be given a longer timeout than a call).
    statement_timeout: timeoutMs,
    idle_in_transaction_session_timeout: Math.max(60_000, 2 * timeoutMs),
    keepAlive: true,
  });
  // The pool drops an idle connection the server closed; unheard, its 'error' would end the process.
  pool.on('error', () => undefined);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: timeoutMs, timeout: timeoutMs },
  });
  // The clients are distinct declarations whose generic types TypeScript cannot relate, so the
  // PostgreSQL one passes for `Db` only through `unknown`.
  const prisma = withCallDeadlines(client as unknown as Db, timeoutMs);
  return databaseOf({
    provider: 'postgresql',
    prisma,
    migrate: async (options) => runMigrations(await migrationConnection(connectionString), options),
    close: async () => {
      // The adapter leaves a pool it was given open.
      await client.$disconnect();
      await pool.end();
    },
  });
}

/**
 * The migration runner's own connection, without the request deadlines: waiting for another
 * instance's migration lock, or a long index build, is expected there.
 */
async function migrationConnection(connectionString: string): Promise<MigrationConnection> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  return {
    provider: 'postgresql',
    // pg sends a query without parameters as a simple query, which may hold a whole script.
    exec: async (script) => void (await client.query(script)),
    query: async <Row>(sql: string, values?: readonly unknown[]) => {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${(n += 1)}`);
      return (await client.query(text, values && [...values])).rows as Row[];
    },
    close: () => client.end().catch(() => undefined),
  };
}
