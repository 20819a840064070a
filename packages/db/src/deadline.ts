import { DatabaseUnavailable } from './database-unavailable.js';

/**
 * `work`, or a DatabaseUnavailable once `ms` have passed without it settling. The work itself is
 * not stopped: on PostgreSQL the connection's own deadline ends a stalled query (and with it the
 * connection, postgres-recovering-client.ts); `late` is told of a result that arrives after all, so
 * that what it holds (a transaction, a connection) can be let go.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  late?: (value: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (late) void work.then(late, () => undefined);
      else void work.catch(() => undefined);
      reject(new DatabaseUnavailable(`${what}: no answer from the database within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
