import type pg from 'pg';
import { DatabaseUnavailable } from './database-unavailable.js';

/**
 * A pg client class (for `pg.Pool`'s `Client` option) that ends its connection when a query has
 * had no answer for `timeoutMs`, failing that query and every one queued behind it with
 * DatabaseUnavailable.
 *
 * Why not pg's `query_timeout`: it rejects the caller's promise but leaves the connection waiting
 * for the stalled answer, so the pool lends a busy connection to the next request (a transaction
 * releases its connection without an error, and the pool keeps it). Ending it instead (pg destroys
 * the socket of a connection with a query under way) makes the pool drop it and open a fresh one
 * when asked, and makes PostgreSQL roll back a transaction left open on it, COMMIT never sent.
 */
export function endingStalledQueries(Base: typeof pg.Client, timeoutMs: number): typeof pg.Client {
  return class DeadlineClient extends Base {
    #stalled: DatabaseUnavailable | undefined;

    // pg's `query` has a dozen overloads; the pool passes a callback, a transaction awaits a promise.
    override query(...args: unknown[]): never {
      const query = super.query as (...a: unknown[]) => never;
      const last = args.at(-1);
      if (typeof last === 'function') {
        const done = this.#watch();
        args[args.length - 1] = (error: unknown, result: unknown) => {
          done();
          (last as (e: unknown, r: unknown) => void)(error && (this.#stalled ?? error), result);
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
          throw this.#stalled ?? error;
        },
      ) as never;
    }

    /** Starts the query's clock; the returned function stops it. */
    #watch(): () => void {
      const timer = setTimeout(() => {
        this.#stalled ??= new DatabaseUnavailable(`no answer from PostgreSQL within ${timeoutMs} ms; the connection was closed`);
        void this.end().catch(() => undefined);
      }, timeoutMs);
      return () => clearTimeout(timer);
    }
  };
}
