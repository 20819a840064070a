import type BetterSqlite3 from 'better-sqlite3';

/** Distinct SQL texts whose prepared statements a SQLite connection keeps (least recently used go first). */
export const SQLITE_STATEMENT_CACHE_SIZE = 256;

/**
 * What Prisma's better-sqlite3 adapter (6.19) does with the result of `prepare`: `bind(args)` then
 * `run()`, or `reader`, `columns()` and `raw().all()`; `prepare('BEGIN').run()` unbound. Nothing
 * else, so that is all a reused statement offers; an adapter that wanted more would fail loudly
 * (and every SQLite test with it), not quietly.
 */
interface AdapterStatement {
  readonly reader: boolean;
  bind(args: unknown[]): AdapterStatement;
  run(): BetterSqlite3.RunResult;
  columns(): BetterSqlite3.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

/**
 * Changes how the adapter's connection prepares SQL, for two reasons:
 *
 * - **Statements are reused.** The adapter prepares every query anew (better-sqlite3's `bind`
 *   fixes the arguments to the statement for good), which is a measurable part of each request
 *   and leaves a native statement per query for the garbage collector. Prisma's SQL texts repeat,
 *   so each is prepared once and run with each call's arguments.
 * - **Transactions start with BEGIN IMMEDIATE.** The adapter's plain BEGIN is deferred: a
 *   transaction that reads first holds a snapshot, and when another connection (a cluster worker,
 *   or `pnpm idp` beside the server) commits before it writes, SQLite fails the write at once
 *   with SQLITE_BUSY, without waiting out busy_timeout. IMMEDIATE takes the write lock at BEGIN,
 *   where busy_timeout does apply. Within one process transactions already run one at a time.
 * - **A BEGIN that fails does not throw here.** The adapter takes its transaction lock before
 *   BEGIN and releases it only through the transaction it returns, so a BEGIN that gave up after
 *   busy_timeout (another process held the write lock) left the lock held and every later
 *   transaction of this connection waiting forever. The error is kept instead, for the caller of
 *   `startTransaction` to take (`ConnectionState`), end the transaction and throw.
 * - **PRAGMAs are prepared every time, never reused.** SQLite carries out `PRAGMA busy_timeout =
 *   N` (and reads a setting's value) when it compiles the statement, so a reused one would set
 *   nothing the second time. The busy_timeout is read back after each PRAGMA that names it and
 *   kept (`ConnectionState.busyTimeoutMs`): a batch switches the busy handler off around its
 *   BEGIN and needs the value to restore, and reading it through `pragma()` compiles a statement
 *   (1 % of a refresh grant's samples in `--cpu-prof`; 6-11 µs of CPU a batch in a loop).
 *
 * The connection's own settings (sqlite-pragmas.ts) must be applied before this is installed;
 * afterwards, settings are changed through its statements (Prisma's client or adapter), not
 * `exec()`, which bypasses them.
 */
export function reuseStatements(client: BetterSqlite3.Database): ConnectionState {
  let beginFailure: { error: unknown } | undefined;
  const readBusyTimeout = () => Number(client.pragma('busy_timeout', { simple: true }));
  let busyTimeoutMs = readBusyTimeout();
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      cache.delete(sql);
    } else if (PRAGMA.test(sql)) {
      // Never cached, so only a miss can be one.
      const pragma = withArguments(prepare<unknown[]>(sql), []);
      if (/busy_timeout/i.test(sql)) busyTimeoutMs = readBusyTimeout();
      return pragma;
    } else {
      statement = prepare<unknown[]>(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
      if (cache.size >= SQLITE_STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    const bound = withArguments(statement, []);
    if (sql !== 'BEGIN') return bound;
    return {
      ...bound,
      run: () => {
        try {
          return bound.run();
        } catch (error) {
          beginFailure = { error };
          return { changes: 0, lastInsertRowid: 0 };
        }
      },
    };
  };
  client.prepare = prepared as unknown as BetterSqlite3.Database['prepare'];
  return {
    take: () => {
      const failure = beginFailure;
      beginFailure = undefined;
      return failure;
    },
    get busyTimeoutMs() {
      return busyTimeoutMs;
    },
  };
}

const PRAGMA = /^\s*PRAGMA\b/i;

/** What the connection's statements have seen: a failed BEGIN, and the connection's busy_timeout. */
export interface ConnectionState {
  /** The error of the last BEGIN, if it failed; each failure is taken once. */
  take(): { error: unknown } | undefined;
  /** The connection's busy_timeout in milliseconds, as last set through its statements. */
  readonly busyTimeoutMs: number;
}

/**
 * A statement's result columns, read once: better-sqlite3 builds the array of descriptors anew on
 * every `columns()` call (2 % of a refresh grant's CPU in `--cpu-prof`), and for a prepared
 * statement they are fixed when SQLite compiles it. Only a schema change would recompile it, and
 * migrations run before the server opens its connection.
 */
const resultColumns = new WeakMap<BetterSqlite3.Statement<unknown[]>, BetterSqlite3.ColumnDefinition[]>();

function columnsOf(statement: BetterSqlite3.Statement<unknown[]>): BetterSqlite3.ColumnDefinition[] {
  let columns = resultColumns.get(statement);
  if (!columns) {
    columns = Object.freeze(statement.columns()) as BetterSqlite3.ColumnDefinition[];
    resultColumns.set(statement, columns);
  }
  return columns;
}

function withArguments(statement: BetterSqlite3.Statement<unknown[]>, args: unknown[]): AdapterStatement {
  return {
    reader: statement.reader,
    bind: (bound) => withArguments(statement, bound),
    // better-sqlite3 binds an array's elements as the anonymous parameters, and clears them after.
    run: () => statement.run(args),
    columns: () => columnsOf(statement),
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  };
}
