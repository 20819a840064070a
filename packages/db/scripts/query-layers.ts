/**
 * What one statement costs the server in CPU at each layer it passes through: Prisma's client
 * (`$queryRaw`, `$executeRaw`, a batch `$transaction`), Prisma's driver adapter under it (the
 * same connection, called the way the client calls it), and the driver alone (better-sqlite3 or
 * pg, on a connection of its own). The same SQL at every layer, on a scratch database:
 *
 *   taskset -c 1 node --import tsx scripts/query-layers.ts [sqlite|postgresql]
 *
 * Not a test and not used by the server: it measures how much of a request's database time is
 * Prisma's client rather than the database, the figure behind README's Performance section.
 * PostgreSQL's own backend CPU is not counted (it runs in another process).
 */
import { performance } from 'node:perf_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/database-url.js';
import { postgresClientAsDb, type Db } from '../src/db-client.js';
import { openDatabase } from '../src/database.js';
import { PrismaClient as PostgresClient } from '../src/generated/postgres/client.js';
import { PrismaClient as SqliteClient } from '../src/generated/sqlite/client.js';
import { ConfiguredSqliteAdapter } from '../src/sqlite-adapter.js';
import { SQLITE_CONNECTION_PRAGMAS } from '../src/sqlite-pragmas.js';
import { createScratchDatabase } from '../src/testing/scratch-database.js';
import type { Provider } from '../src/provider.js';

type SqlDriverAdapterFactory = ConfiguredSqliteAdapter | PrismaPg;
type SqlDriverAdapter = Awaited<ReturnType<SqlDriverAdapterFactory['connect']>>;
type SqlQuery = Parameters<SqlDriverAdapter['queryRaw']>[0];

process.setSourceMapsEnabled(false);
const provider = (process.argv[2] ?? 'sqlite') as Provider;
if (provider !== 'sqlite' && provider !== 'postgresql') throw new Error('usage: query-layers.ts [sqlite|postgresql]');

/** Sequential calls for `seconds` after a warm-up; CPU microseconds per call (this process does nothing else). */
async function cpuPerCall(call: () => Promise<unknown>, seconds = 2): Promise<number> {
  for (let i = 0; i < 300; i += 1) await call();
  const before = process.cpuUsage();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < seconds * 1000) {
    await call();
    calls += 1;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

/** Hands the client its adapter as usual and keeps the connection it opens, to be called directly too. */
function keepingConnection<F extends SqlDriverAdapterFactory>(factory: F): { factory: F; connection: () => SqlDriverAdapter } {
  let opened: SqlDriverAdapter | undefined;
  const connect = factory.connect.bind(factory) as () => Promise<SqlDriverAdapter>;
  (factory as { connect: () => Promise<SqlDriverAdapter> }).connect = async () => (opened = await connect());
  return {
    factory,
    connection: () => {
      if (!opened) throw new Error('the client has not connected yet');
      return opened;
    },
  };
}

const scratch = await createScratchDatabase(provider);
const setup = await openDatabase(scratch.url);
await setup.migrate();
await setup.close();
const location = parseDatabaseUrl(scratch.url, process.cwd());
const pool = location.provider === 'postgresql' ? new pg.Pool({ connectionString: location.connectionString, max: 1 }) : undefined;

try {
  // Placeholders differ; everything else is the same text at every layer.
  const p = (n: number) => (provider === 'sqlite' ? '?' : `$${n}`);
  const select = `SELECT "jti", "expiresAt" FROM "RevokedAccessToken" WHERE "jti" = ${p(1)}`;
  const insert = `INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${p(1)}, ${p(2)}, ${p(3)})`;
  let n = 0;
  const jti = () => `t${(n += 1)}`;
  // The adapters' argument form: dates as ISO strings tagged DateTime, as the client sends them.
  const selectQuery = (id: string): SqlQuery => ({ sql: select, args: [id], argTypes: [{ scalarType: 'string', arity: 'scalar' }] });
  const insertQuery = (id: string): SqlQuery => {
    const at = new Date().toISOString();
    return { sql: insert, args: [id, at, at], argTypes: [{ scalarType: 'string', arity: 'scalar' }, { scalarType: 'datetime', arity: 'scalar' }, { scalarType: 'datetime', arity: 'scalar' }] };
  };

  const kept = keepingConnection(provider === 'sqlite' ? new ConfiguredSqliteAdapter(location.provider === 'sqlite' ? location.filename : '') : new PrismaPg(pool!));
  const prisma: Db =
    kept.factory instanceof PrismaPg ? postgresClientAsDb(new PostgresClient({ adapter: kept.factory })) : new SqliteClient({ adapter: kept.factory });
  await prisma.$executeRawUnsafe(insert, 'known', new Date(), new Date());
  const adapter = kept.connection();

  const driver = location.provider === 'sqlite' ? sqliteDriver(location.filename, select, insert) : postgresDriver(pool!, select, insert);

  const rows: [string, number, number, number][] = [
    [
      'SELECT one row by primary key',
      await cpuPerCall(() => prisma.$queryRawUnsafe(select, 'known')),
      await cpuPerCall(() => adapter.queryRaw(selectQuery('known'))),
      await cpuPerCall(() => driver.select('known')),
    ],
    [
      'INSERT one row',
      await cpuPerCall(() => prisma.$executeRawUnsafe(insert, jti(), new Date(), new Date())),
      await cpuPerCall(() => adapter.executeRaw(insertQuery(jti()))),
      await cpuPerCall(() => driver.insert(jti())),
    ],
    [
      'transaction of two INSERTs',
      await cpuPerCall(() => prisma.$transaction([prisma.$executeRawUnsafe(insert, jti(), new Date(), new Date()), prisma.$executeRawUnsafe(insert, jti(), new Date(), new Date())])),
      await cpuPerCall(async () => {
        const tx = await adapter.startTransaction();
        // What the client sends through a transaction: BEGIN only where the adapter leaves it to the client.
        if (provider === 'postgresql') await tx.executeRaw({ sql: 'BEGIN', args: [], argTypes: [] });
        await tx.executeRaw(insertQuery(jti()));
        await tx.executeRaw(insertQuery(jti()));
        await tx.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] });
        await tx.commit();
      }),
      await cpuPerCall(() => driver.pair()),
    ],
  ];
  await prisma.$disconnect();

  process.stdout.write(`${provider}: CPU µs per call       Prisma client   its adapter   ${provider === 'sqlite' ? 'better-sqlite3' : 'pg'} alone\n`);
  for (const [name, client, adapterCost, driverCost] of rows) {
    process.stdout.write(`  ${name.padEnd(32)} ${client.toFixed(0).padStart(9)} ${adapterCost.toFixed(0).padStart(13)} ${driverCost.toFixed(0).padStart(15)}\n`);
  }
} finally {
  await pool?.end();
  await scratch.drop();
}

/** better-sqlite3 on a connection of its own, statements prepared once, with the server's pragmas. */
function sqliteDriver(filename: string, select: string, insert: string) {
  const db = new BetterSqlite3(filename);
  db.exec(SQLITE_CONNECTION_PRAGMAS);
  const selectStatement = db.prepare(select);
  const insertStatement = db.prepare(insert);
  let n = 0;
  const pair = db.transaction(() => {
    const at = new Date().toISOString();
    insertStatement.run(`d${(n += 1)}`, at, at);
    insertStatement.run(`d${(n += 1)}`, at, at);
  });
  return {
    select: async (id: string) => selectStatement.get(id),
    insert: async (id: string) => {
      const at = new Date().toISOString();
      return insertStatement.run(id, at, at);
    },
    pair: async () => pair.immediate(),
  };
}

/** pg on a pool of its own (one connection), the same statements unnamed, as the adapter sends them. */
function postgresDriver(pool: pg.Pool, select: string, insert: string) {
  let n = 0;
  const row = () => [`d${(n += 1)}`, new Date(), new Date()];
  return {
    select: (id: string) => pool.query(select, [id]),
    insert: (id: string) => pool.query(insert, [id, new Date(), new Date()]),
    pair: async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(insert, row());
        await client.query(insert, row());
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
}
