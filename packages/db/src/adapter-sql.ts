import { ColumnTypeEnum, type ArgType, type ColumnType, type SqlDriverAdapter, type SqlQuery, type SqlResultSet } from '@prisma/driver-adapter-utils';
import { DatabaseUnavailable, unavailableOr } from './database-unavailable.js';
import { withDeadline } from './deadline.js';
import type { Prisma } from './generated/sqlite/client.js';
import type { Provider } from './provider.js';

/**
 * Raw SQL run through Prisma's driver adapter, the layer under Prisma's client that the client
 * itself sends its queries through (same connection, same SQLite transaction gate, same argument
 * encoding), for the statements on every request's path.
 *
 * Why: Prisma's client spends 85-90 % of a raw statement's CPU on SQLite before the adapter is
 * reached (`packages/db/scripts/query-layers.ts`: a SELECT by primary key 88-116 µs through the
 * client, 11 µs through its adapter; a transaction of two INSERTs 340-387 µs against 58-65 µs).
 * The statements are the client's own tagged templates (`Prisma.sql`), so the SQL text and its
 * parameters are written once and only the layer that runs them changes; the rows come back as
 * the client's `$queryRaw` returns them (DateTime as Date, Boolean as boolean, Int as number,
 * 64-bit integers as bigint), so the same row mappers apply.
 */
export interface AdapterSql {
  /** The rows of one statement, as `prisma.$queryRaw` would return them. */
  query<Row extends object>(statement: Prisma.Sql): Promise<Row[]>;
  /** One statement's count of changed rows, as `prisma.$executeRaw`. */
  execute(statement: Prisma.Sql): Promise<number>;
  /**
   * Statements in one transaction, each one's changed-row count, as a batch `prisma.$transaction`:
   * all commit or, if one fails, none does. With a deadline (PostgreSQL), COMMIT is sent only
   * while it has not passed; otherwise the transaction is rolled back and DatabaseUnavailable
   * thrown, so a request answered with an error has changed nothing.
   */
  transaction(statements: readonly Prisma.Sql[]): Promise<number[]>;
  /**
   * Releases what this layer holds: on SQLite the shared connection if the client left it open,
   * on PostgreSQL its own adapter over the pool.
   */
  close(): Promise<void>;
}

/** What a provider changes in how `adapterSql` runs statements. */
export interface AdapterSqlOptions {
  /** Told each SQL text before it runs (PostgreSQL: to run it prepared, postgres-statements.ts). */
  readonly prepare?: (sql: string) => void;
  /** Runs a batch transaction itself (SQLite: in one synchronous step, sqlite-adapter.ts). */
  readonly batch?: (queries: readonly SqlQuery[]) => Promise<number[]>;
  /** Runs a query itself, its result as the adapter's `queryRaw` (SQLite: on the driver directly, sqlite-reads.ts). */
  readonly read?: (query: SqlQuery) => Promise<SqlResultSet>;
  /**
   * Longest wait for one call, transactions included (PostgreSQL). SQLite's calls run on the event
   * loop and are bounded by its busy timeout instead.
   */
  readonly timeoutMs?: number;
}

/** `connect` returns the adapter connection to run on: for SQLite, the very one Prisma's client uses. */
export function adapterSql(provider: Provider, connect: () => Promise<SqlDriverAdapter>, close: () => Promise<void>, options: AdapterSqlOptions = {}): AdapterSql {
  const { prepare = () => undefined, batch, read, timeoutMs } = options;
  // SQLite's adapter wants `?` placeholders, pg's `$1`; Prisma.Sql renders both from one template.
  const toQuery = (statement: Prisma.Sql): SqlQuery => {
    const args = statement.values;
    const sql = provider === 'sqlite' ? statement.sql : statement.text;
    prepare(sql);
    return { sql, args, argTypes: args.map(argTypeOf) };
  };
  // Every call's failure from an outage is a DatabaseUnavailable; with a deadline, so is its end.
  const bounded = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await (timeoutMs === undefined ? work() : withDeadline(work(), timeoutMs, what));
    } catch (error) {
      throw unavailableOr(error);
    }
  };
  return {
    query<Row extends object>(statement: Prisma.Sql) {
      return bounded('query', async () => {
        if (read) return decodeRows<Row>(await read(toQuery(statement)));
        const connection = await connect();
        return decodeRows<Row>(await connection.queryRaw(toQuery(statement)));
      });
    },
    execute(statement) {
      return bounded('statement', async () => {
        // SQLite: a write of its own is a batch of one, as atomic as autocommit, so that a wait for
        // another process's write lock happens off the event loop too (sqlite-adapter.ts).
        if (batch) return (await batch([toQuery(statement)]))[0]!;
        const connection = await connect();
        return connection.executeRaw(toQuery(statement));
      });
    },
    async transaction(statements) {
      if (batch) return bounded('transaction', () => batch(statements.map(toQuery)));
      return transactionWithDeadline(await connect(), statements.map(toQuery), timeoutMs);
    },
    close,
  };
}

/**
 * What Prisma's client does for a batch transaction: the adapter begins it, the client sends
 * COMMIT (or ROLLBACK) as a statement and then tells the adapter it ended, here with a deadline
 * over the whole: COMMIT goes out only while it has not passed. A statement still under way at
 * the deadline is left to the connection's own deadline, which closes the connection
 * (postgres-recovering-client.ts); PostgreSQL then rolls the transaction back. The ROLLBACK sent
 * here queues behind it, so if the answer comes after all, the transaction is rolled back too.
 * What no deadline can settle: a COMMIT the server received and ran whose answer never arrived
 * (the connection broke, or the process died, just after). That request is answered with an
 * error although it committed; README's refresh-token section says what it means for clients.
 *
 * Ending twice is harmless (the recovering client makes the pool's release idempotent), so every
 * failure path ends it; pg's pool drops a connection that was closed.
 */
async function transactionWithDeadline(connection: SqlDriverAdapter, queries: readonly SqlQuery[], timeoutMs = Number.POSITIVE_INFINITY): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  const remaining = () => Math.max(0, deadline - performance.now());
  const step = <T>(what: string, work: Promise<T>, late?: (value: T) => void) =>
    Number.isFinite(timeoutMs) ? withDeadline(work, remaining(), what, late) : work;
  type Transaction = Awaited<ReturnType<SqlDriverAdapter['startTransaction']>>;
  const rollback = async (transaction: Transaction) => {
    await transaction.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => undefined);
    await transaction.rollback();
  };
  let transaction: Transaction;
  try {
    // A transaction begun after its caller gave up is rolled back at once.
    transaction = await step('BEGIN', connection.startTransaction(), (late) => void rollback(late));
  } catch (error) {
    throw unavailableOr(error);
  }
  const counts: number[] = [];
  try {
    for (const query of queries) counts.push(await step('statement', transaction.executeRaw(query)));
    if (remaining() === 0) throw new DatabaseUnavailable(`the transaction did not reach COMMIT within ${timeoutMs} ms; rolled back`);
    await step('COMMIT', transaction.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] }));
  } catch (error) {
    const failure = unavailableOr(error);
    // Waiting for the ROLLBACK of a stalled connection would outlast the deadline.
    if (failure instanceof DatabaseUnavailable) void rollback(transaction).catch(() => undefined);
    else await rollback(transaction);
    throw failure;
  }
  await transaction.commit();
  return counts;
}

/**
 * How the client describes a JavaScript value to the adapter. Dates matter most: both adapters
 * encode a `datetime` argument the way Prisma stores DateTime columns (SQLite: ISO 8601 text;
 * PostgreSQL: a UTC timestamp), so rows written here read back through models and vice versa.
 */
function argTypeOf(value: unknown): ArgType {
  if (value instanceof Date) return { scalarType: 'datetime', arity: 'scalar' };
  switch (typeof value) {
    case 'string':
      return { scalarType: 'string', arity: 'scalar' };
    case 'number':
      return { scalarType: Number.isInteger(value) ? 'int' : 'float', arity: 'scalar' };
    case 'bigint':
      return { scalarType: 'bigint', arity: 'scalar' };
    case 'boolean':
      return { scalarType: 'boolean', arity: 'scalar' };
    default:
      if (value === null) return { scalarType: 'unknown', arity: 'scalar' };
      // Only scalars are ever bound here; an object or undefined is a bug at the call site.
      throw new TypeError(`cannot bind a ${typeof value} as an SQL parameter`);
  }
}

type Decode = (value: unknown) => unknown;

const asIs: Decode = (value) => value;
const asNumber: Decode = (value) => Number(value);
const asDate: Decode = (value) => new Date(value as string);
const asBigInt: Decode = (value) => BigInt(value as string | number | bigint);
// SQLite has no boolean: its adapter returns a BOOLEAN column's 0/1 as text.
const asBoolean: Decode = (value) => value === true || value === 1 || value === '1';

/**
 * The adapters return values in their wire form (dates and 64-bit integers as strings); these are
 * the types Prisma's client turns them into for `$queryRaw`. Our models use only these column
 * types; anything else fails loudly rather than come back in a form the mappers do not expect.
 */
function decoderFor(type: ColumnType, name: string): Decode {
  switch (type) {
    case ColumnTypeEnum.Text:
    case ColumnTypeEnum.Character:
    case ColumnTypeEnum.Uuid:
    case ColumnTypeEnum.Enum:
      return asIs;
    case ColumnTypeEnum.Int32:
    case ColumnTypeEnum.Float:
    case ColumnTypeEnum.Double:
    case ColumnTypeEnum.UnknownNumber:
      return asNumber;
    case ColumnTypeEnum.Int64:
      return asBigInt;
    case ColumnTypeEnum.Boolean:
      return asBoolean;
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return asDate;
    default:
      return () => {
        throw new TypeError(`column "${name}" has a type (${type}) that adapter-sql.ts does not decode`);
      };
  }
}

/** Keyed by a result's column types: `read` returns the same array for every run of a statement. */
const decodersByColumnTypes = new WeakMap<readonly ColumnType[], Decode[]>();

/** The decoder of each column of a result, worked out once per statement. */
function decodersOf({ columnNames, columnTypes }: SqlResultSet): Decode[] {
  let decoders = decodersByColumnTypes.get(columnTypes);
  if (!decoders) {
    decoders = columnTypes.map((type, index) => decoderFor(type, columnNames[index]!));
    decodersByColumnTypes.set(columnTypes, decoders);
  }
  return decoders;
}

function decodeRows<Row extends object>(result: SqlResultSet): Row[] {
  const { columnNames, rows } = result;
  const decode = decodersOf(result);
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < columnNames.length; index += 1) {
      const value = values[index];
      row[columnNames[index]!] = value === null || value === undefined ? null : decode[index]!(value);
    }
    return row as Row;
  });
}
