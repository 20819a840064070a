import { withDeadline } from './deadline.js';
import { unavailableOr } from './database-unavailable.js';
import type { Db } from './db-client.js';

/**
 * The PostgreSQL client with database outages thrown as DatabaseUnavailable and a deadline of
 * `timeoutMs` on every call (each model query and raw query, also inside interactive
 * transactions), through Prisma's client extensions. Interactive transactions get theirs from the
 * client's `transactionOptions` (`maxWait` to start, `timeout` to finish); Prisma never sends
 * COMMIT for one that expired. A statement still under way at a deadline is ended with its
 * connection (postgres-recovering-client.ts), so PostgreSQL rolls its transaction back.
 */
export function withCallDeadlines(prisma: Db, timeoutMs: number): Db {
  const bounded = prisma.$extends({
    name: 'call-deadlines',
    query: {
      async $allOperations({ args, query, model, operation }) {
        try {
          return await withDeadline(
            Promise.resolve(query(args)),
            timeoutMs,
            model ? `${model}.${operation}` : operation,
          );
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
        return (bounded.$transaction as (...a: unknown[]) => Promise<unknown>)(...args).catch(
          (error: unknown) => {
            throw unavailableOr(error);
          },
        );
      },
    },
  });
  // The extensions change no method's signature: the client is used as before.
  return withTransactions as unknown as Db;
}
