import { AsyncLocalStorage } from 'node:async_hooks';
import { unavailableOr } from './database-unavailable.js';
import type { Db } from './database.js';

/**
 * A statement that takes SQLite's write lock and changes nothing. Prisma's adapter begins
 * transactions DEFERRED: one that reads first and writes later would fail at once with SQLITE_BUSY
 * if another process committed in between, so every interactive transaction waits for the lock
 * (busy_timeout) up front instead.
 */
const TAKE_WRITE_LOCK = 'DELETE FROM "_prisma_migrations" WHERE 0';

/**
 * The SQLite client with every call taking its turn on the one connection (a statement, or a
 * whole transaction, at a time) and outages thrown as DatabaseUnavailable.
 *
 * Why: Prisma's better-sqlite3 adapter has one connection and orders only transactions among
 * themselves. A statement sent while another request's interactive transaction is open would run
 * inside it, read its uncommitted rows, and be undone by its rollback. Turns cost no throughput, as
 * better-sqlite3 runs every statement synchronously anyway. A transaction's own calls (its `tx`)
 * are recognised through AsyncLocalStorage, with which `$transaction` runs its callback.
 *
 * `reset` runs, still in its turn, after an interactive transaction failed: Prisma leaves the
 * adapter's transaction lock held when COMMIT or ROLLBACK itself fails, which only a new
 * connection undoes.
 */
export function takingTurns(prisma: Db, reset: () => Promise<void>): Db {
  const inTurn = new AsyncLocalStorage<true>();
  let last: Promise<unknown> = Promise.resolve();
  const turn = <T>(work: () => Promise<T>): Promise<T> => {
    if (inTurn.getStore()) return work();
    const result = last.then(() => inTurn.run(true, work));
    last = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      throw unavailableOr(error);
    });
  };
  const client = prisma.$extends({
    name: 'sqlite-turns',
    query: {
      $allOperations: ({ args, query }) => turn(() => query(args)),
    },
    client: {
      $transaction(first: unknown, options?: unknown): Promise<unknown> {
        const transaction = prisma.$transaction.bind(prisma) as (
          ...a: unknown[]
        ) => Promise<unknown>;
        // A batch (an array of queries) begins with a write of its own or is a read; it runs as is.
        if (typeof first !== 'function') return turn(() => transaction(first, options));
        const callback = first as (tx: unknown) => Promise<unknown>;
        return turn(async () => {
          try {
            return await transaction(async (tx: Db) => {
              await tx.$executeRawUnsafe(TAKE_WRITE_LOCK);
              return callback(tx);
            }, options);
          } catch (error) {
            await reset();
            throw error;
          }
        });
      },
    },
  });
  // The extension changes no method's signature.
  return client as unknown as Db;
}
