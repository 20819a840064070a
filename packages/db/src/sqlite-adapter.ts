import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { checkpointInBackground } from './sqlite-checkpointer.js';
import { readRows } from './sqlite-reads.js';
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_CONNECTION_PRAGMAS } from './sqlite-pragmas.js';
import { reuseStatements, type ConnectionState } from './sqlite-statements.js';

type SqliteConnection = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type SqliteTransaction = Awaited<ReturnType<SqliteConnection['startTransaction']>>;

/** The connection with what `isolateTransactions` adds. */
export type IsolatedSqliteConnection = SqliteConnection & {
  /**
   * Statements in one transaction (BEGIN IMMEDIATE … COMMIT, or ROLLBACK when one fails), each
   * one's changed-row count; see `runBegunBatch`.
   */
  executeBatch(queries: readonly SqlQuery[]): Promise<number[]>;
  /** One statement's result as `queryRaw` returns it, run on better-sqlite3 directly (sqlite-reads.ts). */
  executeRead(query: SqlQuery): Promise<SqlResultSet>;
};

/**
 * Prisma's better-sqlite3 adapter with our connection settings. The adapter has no option for
 * pragmas, and per-connection ones (foreign_keys, synchronous, busy_timeout) must be set on every
 * connection it opens, so they run right after it connects.
 */
export class ConfiguredSqliteAdapter extends PrismaBetterSQLite3 {
  readonly #filename: string;
  readonly #backgroundCheckpoints: boolean;
  readonly #busyTimeoutMs: number;
  #connection: Promise<IsolatedSqliteConnection> | undefined;
  #opened: SqliteConnection | undefined;

  /**
   * `backgroundCheckpoints`: WAL checkpoints in a thread of their own (see sqlite-checkpointer.ts).
   * `busyTimeoutMs`: how long a write waits for another process's write lock before it fails.
   */
  constructor(filename: string, options: { backgroundCheckpoints?: boolean; busyTimeoutMs?: number } = {}) {
    super({ url: filename });
    this.#filename = filename;
    this.#backgroundCheckpoints = options.backgroundCheckpoints ?? false;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
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
    await connection.executeScript(`${SQLITE_CONNECTION_PRAGMAS}PRAGMA busy_timeout = ${this.#busyTimeoutMs};`);
    const client = betterSqlite3Of(connection);
    const state = reuseStatements(client);
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
    return isolateTransactions(connection, state, client);
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
export function isolateTransactions(connection: SqliteConnection, state: ConnectionState, client: BetterSqlite3.Database): IsolatedSqliteConnection {
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
    const failedBegin = state.take();
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
    executeRead: async (query: SqlQuery) => {
      while (open) await open;
      return readRows(client, query.sql, query.args.map(sqliteArgument));
    },
    executeBatch: async (queries: readonly SqlQuery[]) => {
      const bound = queries.map((query) => ({ sql: query.sql, args: query.args.map(sqliteArgument) }));
      let deadline: number | undefined;
      for (let attempt = 0; ; attempt += 1) {
        while (open) await open;
        const busy = beginImmediateWithoutWaiting(client, state.busyTimeoutMs);
        // Begun: the batch runs in this same synchronous step, nothing can come between.
        if (!busy) return runBegunBatch(client, bound);
        deadline ??= performance.now() + state.busyTimeoutMs;
        if (performance.now() >= deadline) throw busy.error;
        await pauseBeforeRetry(attempt);
      }
    },
  });
}

/** What a statement of `reuseStatements`' connection offers (sqlite-statements.ts). */
interface ReusedStatement {
  bind(args: unknown[]): { run(): BetterSqlite3.RunResult };
}

const statementOf = (client: BetterSqlite3.Database, sql: string) => client.prepare(sql) as unknown as ReusedStatement;

/**
 * BEGIN IMMEDIATE with SQLite's busy handler switched off for it, or, when another process (a
 * cluster worker, `pnpm idp`) holds the write lock, its SQLITE_BUSY error, for the caller to wait
 * asynchronously and try again until the connection's busy_timeout (`timeoutMs`) has passed.
 *
 * Why: the busy handler waits by sleeping in the thread that runs the statement, which is the
 * event loop: 1, 2, 5, 10 ms and on, in which the process serves nothing, while the other
 * writer holds the lock for a few hundred microseconds at a time. With two workers exchanging
 * codes on one SQLite file (`bench/run.ts --scenarios authorization_code --workers 2`, 9 s),
 * 498 BEGIN IMMEDIATE took 1-8 ms that way; with the wait here, 10 took over 0.9 ms (pre-empted
 * on a shared core, not asleep). The setting is compiled anew each time: SQLite applies
 * `busy_timeout = N` when the statement is compiled, so a reused prepared one would set nothing.
 * `exec()` compiles and runs without making a statement object: the two settings cost 2-3 µs
 * that way, against 6 µs through `pragma()`. `timeoutMs` is the connection's setting, which
 * `reuseStatements` keeps track of, since reading it back compiles a statement too.
 */
function beginImmediateWithoutWaiting(client: BetterSqlite3.Database, timeoutMs: number): { error: unknown } | undefined {
  client.exec('PRAGMA busy_timeout = 0');
  try {
    statementOf(client, 'BEGIN IMMEDIATE').bind([]).run();
    return undefined;
  } catch (error) {
    // SQLITE_BUSY, or SQLITE_BUSY_RECOVERY while another connection recovers the log.
    if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
    return { error };
  } finally {
    client.exec(`PRAGMA busy_timeout = ${timeoutMs}`);
  }
}

/**
 * Between tries for the write lock: the next turn of the event loop at first (the other writer's
 * transactions take a few hundred microseconds), then timers of 1 ms, growing to 10.
 */
function pauseBeforeRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => (attempt < 2 ? setImmediate(resolve) : setTimeout(resolve, Math.min(attempt - 1, 10))));
}

/**
 * A batch transaction in one synchronous step on better-sqlite3, below Prisma's adapter, once
 * BEGIN IMMEDIATE has taken the write lock.
 *
 * Why: through the adapter a batch is four awaited calls (its transaction start and lock, each
 * statement, COMMIT, its end), and while it is open every other request's statement waits at the
 * gate above. The same two INSERTs cost 72 µs of CPU through the adapter and 37 µs on
 * better-sqlite3 alone (`scripts/query-layers.ts`, this machine). Run synchronously, nothing else
 * can run between BEGIN and COMMIT, so the gate is only waited for (a transaction of Prisma's
 * client may be open), never held across an await.
 *
 * Arguments are encoded as the adapter encodes them (dates as ISO 8601 text with "+00:00",
 * booleans as 1 and 0), so rows read back alike through either layer. A failing statement rolls
 * the whole batch back.
 */
function runBegunBatch(client: BetterSqlite3.Database, bound: readonly { sql: string; args: unknown[] }[]): number[] {
  try {
    const counts = bound.map(({ sql, args }) => statementOf(client, sql).bind(args).run().changes);
    statementOf(client, 'COMMIT').bind([]).run();
    return counts;
  } catch (error) {
    // The statement's error is the one to report, not a failed ROLLBACK's (only an I/O error
    // makes ROLLBACK fail, and then the connection's next statement fails too).
    if (client.inTransaction) {
      try {
        statementOf(client, 'ROLLBACK').bind([]).run();
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
