import { DatabaseUnavailable, unavailableOr } from './database-unavailable.js';
import type { Db } from './database.js';

/**
 * The PostgreSQL client with a deadline of `timeoutMs` on every call (each model and raw query,
 * also inside interactive transactions) and outages thrown as DatabaseUnavailable, through
 * Prisma's client extensions. Transactions get their deadlines from the client's
 * `transactionOptions`; Prisma never sends COMMIT for one that expired. A statement still under way
 * at its deadline is ended with its connection (postgres-recovering-client.ts).
 */
export function withCallDeadlines(prisma: Db, timeoutMs: number): Db {
  const bounded = prisma.$extends({
    name: 'call-deadlines',
    query: {
      async $allOperations({ args, query, model, operation }) {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          const what = model ? `${model}.${operation}` : operation;
          const message = `${what}: no answer from the database within ${timeoutMs} ms`;
          timer = setTimeout(() => reject(new DatabaseUnavailable(message)), timeoutMs);
        });
        const work = Promise.resolve(query(args));
        work.catch(() => undefined); // a late failure, after the deadline, is no one's to handle
        try {
          return await Promise.race([work, expired]);
        } catch (error) {
          throw unavailableOr(error);
        } finally {
          clearTimeout(timer);
        }
      },
    },
  });
  // A second layer, so that the transaction client `tx` is the one with the deadlines above.
  const withTransactions = bounded.$extends({
    name: 'transaction-outages',
    client: {
      $transaction(...args: unknown[]): Promise<unknown> {
        const transaction = bounded.$transaction.bind(bounded) as (
          ...a: unknown[]
        ) => Promise<unknown>;
        return transaction(...args).catch((error: unknown) => {
          throw unavailableOr(error);
        });
      },
    },
  });
  // The extensions change no method's signature.
  return withTransactions as unknown as Db;
}
