import { withDeadline } from './deadline.js';
import { unavailableOr } from './database-unavailable.js';
import type { Db } from './db-client.js';

/**
 * The Prisma client with database outages thrown as DatabaseUnavailable and, given `timeoutMs`
 * (PostgreSQL), a deadline on every call (each model query and raw query, also inside interactive
 * transactions), through Prisma's client extensions. Interactive transactions get theirs from the
 * client's `transactionOptions` (`maxWait` to start, `timeout` to finish); Prisma never sends
 * COMMIT for one that expired. SQLite's calls run on the event loop, bounded by its busy timeout.
 */
export function withCallDeadlines(prisma: Db, timeoutMs: number | undefined): Db {
  const bounded = prisma.$extends({
    name: 'call-deadlines',
    query: {
      async $allOperations({ args, query, model, operation }) {
        try {
          const work = Promise.resolve(query(args));
          return await (timeoutMs === undefined ? work : withDeadline(work, timeoutMs, model ? `${model}.${operation}` : operation));
        } catch (error) {
          throw unavailableOr(error);
        }
      },
    },
  });
  // A second layer, so that the transaction client `tx` is the one with the deadlines above.
  const withTransactions = bounded.$extends({
    name: 'transaction-outages',
    client: {
      $transaction(...args: unknown[]): Promise<unknown> {
        return (bounded.$transaction as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
          throw unavailableOr(error);
        });
      },
    },
  });
  // The extensions change no method's signature: the client is used as before.
  return withTransactions as unknown as Db;
}
