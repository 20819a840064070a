import { AsyncLocalStorage } from 'node:async_hooks';
import { unavailableOr } from './database-unavailable.js';
import type { Db } from './db-client.js';

/**
 * A statement that takes SQLite's write lock and changes nothing. Prisma's adapter begins
 * transactions DEFERRED; a transaction that reads first and writes later would fail at once with
 * SQLITE_BUSY if another process (a cluster worker, the CLI) committed in between, so every
 * interactive transaction runs this first and waits for the lock (busy_timeout) up front instead.
 */
const TAKE_WRITE_LOCK = 'DELETE FROM "_prisma_migrations" WHERE 0';

/**
 * The SQLite client with every call taking its turn on the one connection (a statement, or a
 * whole transaction, at a time) and outages thrown as DatabaseUnavailable (SQLITE_BUSY once
 * busy_timeout has passed).
 *
 * Why: Prisma's better-sqlite3 adapter has one connection per client and orders only
 * transactions among themselves. A statement sent while another request's interactive
 * transaction is open (between its BEGIN and COMMIT, across awaits) would run inside it: it would
 * read its uncommitted rows, and a rollback would undo a write already reported as done. Turns
 * cost no throughput, since better-sqlite3 runs every statement synchronously on this thread
 * anyway. The calls a transaction makes (its `tx`) run in its turn; they are recognised through
 * AsyncLocalStorage, with which `$transaction` runs its callback.
 *
 * `reset` is awaited, still in the failed transaction's turn, after an interactive transaction
 * failed: Prisma leaves the adapter's transaction lock held when COMMIT or ROLLBACK itself fails,
 * which only a new connection undoes.
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
      $transaction(...args: unknown[]): Promise<unknown> {
        const [first, options] = args;
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
  // The extension changes no method's signature: the client is used as before.
  return client as unknown as Db;
}
