import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { checkpointInBackground } from './sqlite-checkpointer.js';
import { SQLITE_CONNECTION_PRAGMAS } from './sqlite-pragmas.js';
import { reuseStatements, type BeginFailures } from './sqlite-statements.js';

type SqliteConnection = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type SqliteTransaction = Awaited<ReturnType<SqliteConnection['startTransaction']>>;

/** The connection with what `isolateTransactions` adds. */
export type IsolatedSqliteConnection = SqliteConnection & {
  /**
   * Statements in one transaction (BEGIN IMMEDIATE … COMMIT, or ROLLBACK when one fails), each
   * one's changed-row count; see `runBatch`.
   */
  executeBatch(queries: readonly SqlQuery[]): Promise<number[]>;
};

/**
 * Prisma's better-sqlite3 adapter with our connection settings. The adapter has no option for
 * pragmas, and per-connection ones (foreign_keys, synchronous, busy_timeout) must be set on every
 * connection it opens, so they run right after it connects.
 */
export class ConfiguredSqliteAdapter extends PrismaBetterSQLite3 {
  readonly #filename: string;
  readonly #backgroundCheckpoints: boolean;
  #connection: Promise<IsolatedSqliteConnection> | undefined;
  #opened: SqliteConnection | undefined;

  /** `backgroundCheckpoints`: WAL checkpoints in a thread of their own (see sqlite-checkpointer.ts). */
  constructor(filename: string, options: { backgroundCheckpoints?: boolean } = {}) {
    super({ url: filename });
    this.#filename = filename;
    this.#backgroundCheckpoints = options.backgroundCheckpoints ?? false;
  }

  /**
   * One connection, whoever asks: Prisma's client and the statements run on its adapter directly
   * (adapter-sql.ts) must share it, since its transaction gate only orders what goes through it.
   * Once disposed, the next call opens a new one.
   */
  override connect(): Promise<IsolatedSqliteConnection> {
    this.#connection ??= this.#open().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  /**
   * Disposes the open connection, if any. Prisma's `$disconnect` disposes it only when its client
   * connected, and `db.sql` may have opened it alone (a CLI command that made only raw statements).
   */
  async close(): Promise<void> {
    await this.#opened?.dispose();
  }

  async #open(): Promise<IsolatedSqliteConnection> {
    const connection = await super.connect();
    await connection.executeScript(SQLITE_CONNECTION_PRAGMAS);
    const client = betterSqlite3Of(connection);
    const beginFailures = reuseStatements(client);
    const checkpointer = this.#backgroundCheckpoints ? checkpointInBackground(client, this.#filename) : undefined;
    const dispose = connection.dispose.bind(connection);
    connection.dispose = async () => {
      if (this.#opened === connection) {
        this.#opened = undefined;
        this.#connection = undefined;
      }
      await checkpointer?.stop();
      await dispose();
    };
    this.#opened = connection;
    return isolateTransactions(connection, beginFailures, client);
  }
}

/** The better-sqlite3 connection inside the adapter's (a public field, though not in its declared type). */
function betterSqlite3Of(connection: SqliteConnection): BetterSqlite3.Database {
  const { client } = connection as unknown as { client?: BetterSqlite3.Database };
  if (typeof client?.prepare !== 'function') {
    throw new Error('@prisma/adapter-better-sqlite3 no longer exposes its better-sqlite3 connection as `client`; see sqlite-statements.ts');
  }
  return client;
}

/**
 * The adapter shares one SQLite connection between every request and takes a lock only to start
 * a transaction, so a query made outside a transaction while another request's transaction is
 * open (between its BEGIN and COMMIT, across awaits) runs inside it: it reads that transaction's
 * uncommitted rows, and if the transaction rolls back, its own writes, already reported as done,
 * are undone with it. Here such queries wait until the open transaction has ended. When none is
 * open (nearly always) they run at once.
 */
export function isolateTransactions(connection: SqliteConnection, beginFailures: BeginFailures, client: BetterSqlite3.Database): IsolatedSqliteConnection {
  // Checked again after every wake-up and acted on in the same synchronous step, so two waiters
  // cannot both see "no transaction" and start one each.
  let open: Promise<void> | undefined;
  const queryRaw = connection.queryRaw.bind(connection);
  const executeRaw = connection.executeRaw.bind(connection);
  const startTransaction = connection.startTransaction.bind(connection);
  connection.queryRaw = async (query) => {
    while (open) await open;
    return queryRaw(query);
  };
  connection.executeRaw = async (query) => {
    while (open) await open;
    return executeRaw(query);
  };
  connection.startTransaction = async (isolationLevel) => {
    while (open) await open;
    let ended!: () => void;
    const ours = new Promise<void>((resolve) => (ended = resolve));
    open = ours;
    // Idempotent, and only ever clears this transaction's gate: after a failed COMMIT both this
    // wrapper and Prisma may end the transaction, perhaps once another one has started.
    const end = () => {
      if (open === ours) open = undefined;
      ended();
    };
    let transaction: SqliteTransaction;
    try {
      transaction = await startTransaction(isolationLevel);
    } catch (error) {
      end();
      throw error;
    }
    const failedBegin = beginFailures.take();
    if (failedBegin) {
      // No transaction was opened (BEGIN failed); ending this one releases the adapter's lock.
      await transaction.rollback();
      end();
      throw failedBegin.error;
    }
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    const execute = transaction.executeRaw.bind(transaction);
    transaction.commit = async () => {
      try {
        await commit();
      } finally {
        end();
      }
    };
    transaction.rollback = async () => {
      try {
        await rollback();
      } finally {
        end();
      }
    };
    // Prisma sends COMMIT or ROLLBACK through the transaction and calls commit()/rollback() only
    // if that succeeded. If it fails (an I/O error, or SQLite already rolled back), the
    // transaction is over all the same: roll back what may be left and release the connection,
    // or every later query would wait for it forever.
    transaction.executeRaw = async (query) => {
      try {
        return await execute(query);
      } catch (error) {
        if (/^\s*(COMMIT|ROLLBACK)\b/i.test(query.sql)) {
          await execute({ ...query, sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => undefined);
          await transaction.rollback();
        }
        throw error;
      }
    };
    return transaction;
  };
  return Object.assign(connection, {
    executeBatch: async (queries: readonly SqlQuery[]) => {
      while (open) await open;
      return runBatch(client, queries);
    },
  });
}

/** What a statement of `reuseStatements`' connection offers (sqlite-statements.ts). */
interface ReusedStatement {
  bind(args: unknown[]): { run(): BetterSqlite3.RunResult };
}

/**
 * A batch transaction in one synchronous step on better-sqlite3, below Prisma's adapter.
 *
 * Why: through the adapter a batch is four awaited calls (its transaction start and lock, each
 * statement, COMMIT, its end), and while it is open every other request's statement waits at the
 * gate above. The same two INSERTs cost 72 µs of CPU through the adapter and 37 µs on
 * better-sqlite3 alone (`scripts/query-layers.ts`, this machine). Run synchronously, nothing else
 * can run between BEGIN and COMMIT, so the gate is only waited for (a transaction of Prisma's
 * client may be open), never held across an await.
 *
 * Arguments are encoded as the adapter encodes them (dates as ISO 8601 text with "+00:00",
 * booleans as 1 and 0), so rows read back alike through either layer. BEGIN IMMEDIATE waits out
 * busy_timeout for another process's write lock and throws if it cannot have it; a failing
 * statement rolls the whole batch back.
 */
function runBatch(client: BetterSqlite3.Database, queries: readonly SqlQuery[]): number[] {
  const statement = (sql: string) => client.prepare(sql) as unknown as ReusedStatement;
  const bound = queries.map((query) => ({ sql: query.sql, args: query.args.map(sqliteArgument) }));
  statement('BEGIN IMMEDIATE').bind([]).run();
  try {
    const counts = bound.map(({ sql, args }) => statement(sql).bind(args).run().changes);
    statement('COMMIT').bind([]).run();
    return counts;
  } catch (error) {
    // The statement's error is the one to report, not a failed ROLLBACK's (only an I/O error
    // makes ROLLBACK fail, and then the connection's next statement fails too).
    if (client.inTransaction) {
      try {
        statement('ROLLBACK').bind([]).run();
      } catch {
        // The original error follows.
      }
    }
    throw error;
  }
}

/** An argument as Prisma's better-sqlite3 adapter (6.19, default timestamp format) binds it. */
function sqliteArgument(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
