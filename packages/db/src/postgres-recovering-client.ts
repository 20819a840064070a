import { DatabaseUnavailable } from './database-unavailable.js';

/**
 * What this file uses of pg's `Client` class; postgres-database.ts passes pg's own, so that this
 * file does not import the driver.
 */
interface PgClient {
  query(...args: unknown[]): unknown;
  end(): Promise<void>;
  once(event: 'end', listener: () => void): unknown;
}

// A mixin's base constructor must take `any[]` (TypeScript's rule for classes extending a generic).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgClientClass = new (...args: any[]) => PgClient;

type Callback = (error: unknown, result: unknown) => void;

/** What pg returns for a ROLLBACK, for one that the closing of its connection did instead. */
const ROLLED_BACK = { command: 'ROLLBACK', rowCount: null, rows: [], fields: [] };

/**
 * A pg client class (for `pg.Pool`'s `Client` option) for a database that may stall or drop
 * connections; the pool recovers by itself with it:
 *
 * - A query with no answer for `timeoutMs` ends its connection, failing that query and every one
 *   queued behind it with DatabaseUnavailable. pg's `query_timeout` would reject the caller's
 *   promise but leave the connection waiting for the stalled answer, and a pool lends such a
 *   connection again. Ended (pg destroys the socket of a connection with a query under way),
 *   PostgreSQL rolls back whatever transaction was open on it, COMMIT never sent.
 * - A connection that ended is handed back to the pool at once, as failed (the pool drops it),
 *   whoever holds it; later releases are no-ops. Prisma's interactive transactions release their
 *   connection only after a successful COMMIT or ROLLBACK, so without this a connection that died
 *   under one would count against the pool's size forever.
 * - A ROLLBACK that fails (its connection is gone) is reported as done: closing a connection rolls
 *   back its transaction. Prisma rolls back an expired transaction from a timer and does not
 *   catch a failure there, which would end the process as an unhandled rejection.
 */
export function recoveringClient<Client extends PgClientClass>(
  Base: Client,
  timeoutMs: number,
): Client {
  return class RecoveringClient extends Base {
    #stalled: DatabaseUnavailable | undefined;
    #poolRelease: ((error?: unknown) => void) | undefined;
    #released = true;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      this.once('end', () =>
        this.release(new DatabaseUnavailable('the connection to PostgreSQL ended')),
      );
    }

    /** The pool sets this on every checkout; see the class comment. */
    set release(release: (error?: unknown) => void) {
      this.#poolRelease = release;
      this.#released = false;
    }

    get release(): (error?: unknown) => void {
      return (error?: unknown) => {
        if (this.#released) return;
        this.#released = true;
        this.#poolRelease?.(error);
      };
    }

    // pg's `query` has a dozen overloads; the pool passes a callback, a transaction awaits a promise.
    override query(...args: unknown[]): never {
      const query = super.query as (...a: unknown[]) => never;
      const rollback = isRollback(args[0]);
      const last = args.at(-1);
      if (typeof last === 'function') {
        const done = this.#watch();
        args[args.length - 1] = (error: unknown, result: unknown) => {
          done();
          if (error && rollback) return this.#rolledBackByClosing(last as Callback);
          (last as Callback)(error && (this.#stalled ?? error), result);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args) as unknown;
      if (!(result instanceof Promise)) return result as never;
      const done = this.#watch();
      return result.then(
        (value: unknown) => {
          done();
          return value;
        },
        (error: unknown) => {
          done();
          if (rollback) return this.#rolledBackByClosing();
          throw this.#stalled ?? error;
        },
      ) as never;
    }

    /** Starts the query's clock; the returned function stops it. */
    #watch(): () => void {
      const timer = setTimeout(() => {
        this.#stalled ??= new DatabaseUnavailable(
          `no answer from PostgreSQL within ${timeoutMs} ms; the connection was closed`,
        );
        void this.end().catch(() => undefined);
      }, timeoutMs);
      return () => clearTimeout(timer);
    }

    #rolledBackByClosing(callback?: Callback) {
      void this.end().catch(() => undefined);
      if (callback) callback(null, ROLLED_BACK);
      return ROLLED_BACK;
    }
  };
}

function isRollback(query: unknown): boolean {
  const text =
    typeof query === 'string'
      ? query
      : typeof query === 'object' && query !== null && 'text' in query
        ? query.text
        : undefined;
  return typeof text === 'string' && /^\s*ROLLBACK\b/i.test(text);
}
