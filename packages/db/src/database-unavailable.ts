/**
 * The database did not answer in time, refused or dropped the connection, or is out of
 * connections: nothing a request did is at fault, and the same request may succeed later. What
 * the call would have written is rolled back (or was never sent). The HTTP layer answers 503.
 */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/**
 * SQLSTATEs that mean "not now" rather than "not this statement": connection exceptions (08),
 * insufficient resources (53), operator intervention (57: statement_timeout's 57014, a server
 * shutting down), lock_not_available (55P03), idle_in_transaction_session_timeout (25P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57...|55P03|25P03)$/;

/**
 * The same in other words, as an error's `code` or `kind`: Prisma's driver-adapter error kinds
 * (SQLite's SQLITE_BUSY is a `SocketTimeout`); Prisma's codes for cannot reach (P1001), timed out
 * (P1002, P1008), connection closed (P1017), no pooled connection in time (P2024), transaction
 * timed out (P2028); Node's socket errors.
 */
const UNAVAILABLE_NAMES = new Set([
  ...['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'],
  ...['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028'],
  ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH'],
]);

/** pg's plain Errors: a connection that ended, no pooled connection in time, a closed client. */
const PG_UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client (has encountered a connection error|was closed) and is not queryable)/;

/**
 * `error` as a DatabaseUnavailable when it (or an error it wraps, through `cause` or, for a raw
 * query's P2010, Prisma's `meta.driverAdapterError`) is one of the failures above; otherwise
 * `error` itself, untouched.
 */
export function unavailableOr(error: unknown): unknown {
  if (error instanceof DatabaseUnavailable) return error;
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth += 1) {
    if (isUnavailable(current as Record<string, unknown>)) {
      // The cause's own words stay in the message for the logs (clients never see it).
      const words = error instanceof Error ? error.message : String(error);
      const message = `the database is unavailable or too slow: ${words}`;
      return new DatabaseUnavailable(message, { cause: error });
    }
    const { cause, meta } = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    current = cause ?? meta?.driverAdapterError;
  }
  return error;
}

function isUnavailable(error: Record<string, unknown>): boolean {
  const { code, kind, message, severity } = error;
  if (error instanceof DatabaseUnavailable || UNAVAILABLE_NAMES.has(kind as string)) return true;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NAMES.has(code) || code.startsWith('SQLITE_BUSY')) return true;
    // A PostgreSQL error, from the adapter (kind 'postgres') or from pg itself (with a severity).
    if ((kind === 'postgres' || typeof severity === 'string') && UNAVAILABLE_SQLSTATE.test(code))
      return true;
  }
  return error instanceof Error && PG_UNAVAILABLE_MESSAGES.test(String(message));
}
