import { DatabaseUnavailable } from './database-unavailable.js';

/** What this file uses of pg's `Client` class, which postgres-database.ts passes in. */
interface PgClient {
  query(...args: unknown[]): unknown;
  end(): Promise<void>;
  once(event: 'end', listener: () => void): unknown;
}

// A mixin's base constructor must take `any[]` (TypeScript's rule for classes extending a generic).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgClientClass = new (...args: any[]) => PgClient;

/** What pg returns for a ROLLBACK, for one that the closing of its connection did instead. */
const ROLLED_BACK = { command: 'ROLLBACK', rowCount: null, rows: [], fields: [] };

/**
 * A pg client class (for `pg.Pool`'s `Client` option) with which the pool recovers by itself from
 * a database that stalls or drops connections:
 *
 * - A query with no answer for `timeoutMs` ends its connection, failing it and every query queued
 *   behind it with DatabaseUnavailable; PostgreSQL then rolls back the open transaction, COMMIT
 *   never sent. pg's `query_timeout` would fail the query but keep the connection, which the pool
 *   lends again, waiting for the stalled answer.
 * - A connection that ended is handed back to the pool at once, as failed, whoever holds it; later
 *   releases are no-ops. Prisma releases a transaction's connection only after a successful COMMIT
 *   or ROLLBACK, so one that died under a transaction would otherwise hold a pool slot forever.
 * - A ROLLBACK that fails is reported as done, closing the connection, which rolls back too:
 *   Prisma rolls back an expired transaction from a timer and an error there would be unhandled.
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

    // The pool passes a callback, the adapter awaits a promise; pg's other forms go unused.
    override query(...args: unknown[]): never {
      const callback = typeof args.at(-1) === 'function' ? args.pop() : undefined;
      const result = (super.query as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      const timer = setTimeout(() => {
        this.#stalled ??= new DatabaseUnavailable(
          `no answer from PostgreSQL within ${timeoutMs} ms; the connection was closed`,
        );
        void this.end().catch(() => undefined);
      }, timeoutMs);
      const settled = result
        .finally(() => clearTimeout(timer))
        .catch((error: unknown) => {
          if (!isRollback(args[0])) throw this.#stalled ?? error;
          void this.end().catch(() => undefined);
          return ROLLED_BACK;
        });
      if (!callback) return settled as never;
      const report = callback as (error: unknown, result?: unknown) => void;
      settled.then((value) => report(null, value), report);
      return undefined as never;
    }
  };
}

function isRollback(query: unknown): boolean {
  const text = typeof query === 'object' ? (query as { text?: unknown } | null)?.text : query;
  return typeof text === 'string' && /^\s*ROLLBACK\b/i.test(text);
}
