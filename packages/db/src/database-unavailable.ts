/**
 * The database did not answer in time, refused or dropped the connection, or is out of
 * connections: nothing a request did is at fault, and the same request may succeed later. What
 * the call would have written is rolled back (or was never sent). The HTTP layer answers 503.
 */
export class DatabaseUnavailable extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatabaseUnavailable';
  }
}

/**
 * SQLSTATE classes and codes that mean "not now" rather than "not this statement": connection
 * exceptions (08), insufficient resources (53), operator intervention (57, which includes
 * statement_timeout's 57014 and a server shutting down), lock_not_available (55P03) and
 * idle_in_transaction_session_timeout (25P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57...|55P03|25P03)$/;

/** Kinds of Prisma's driver-adapter errors that say the same (SQLite's SQLITE_BUSY is a `SocketTimeout`). */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/**
 * Prisma client codes for the same: cannot reach (P1001), timed out (P1002, P1008), connection
 * closed (P1017), no pooled connection in time (P2024), transaction timed out or expired (P2028).
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

/** Node's socket errors when the database's host or port does not answer. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * pg reports a few failures as plain Errors with no code, only a message: a connection that
 * ended under a query, a pool that found no connection in time, a client that is closed.
 */
const PG_UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client (has encountered a connection error|was closed) and is not queryable)/;

/**
 * `error` as a DatabaseUnavailable when it (or an error it wraps, through `cause` or, for a raw
 * query's P2010, Prisma's `meta.driverAdapterError`) is one of the failures above; otherwise
 * `error` itself, untouched.
 */
export function unavailableOr(error: unknown): unknown {
  if (error instanceof DatabaseUnavailable) return error;
  for (
    let current = error, depth = 0;
    current instanceof Object && depth < 5;
    current = wrapped(current), depth += 1
  ) {
    if (isUnavailable(current as Record<string, unknown>)) {
      // The cause's own words stay in the message for the logs (clients never see it).
      return new DatabaseUnavailable(
        `the database is unavailable or too slow: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return error;
}

function wrapped(error: object): unknown {
  const { cause, meta } = error as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
  return cause ?? meta?.driverAdapterError;
}

function isUnavailable(error: Record<string, unknown>): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  const { code, kind, message } = error;
  if (typeof kind === 'string') {
    if (UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    if (kind === 'postgres' && typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code))
      return true;
  }
  if (typeof code === 'string') {
    if (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    if (typeof error.severity === 'string' && UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (code.startsWith('SQLITE_BUSY')) return true;
  }
  return error instanceof Error && PG_UNAVAILABLE_MESSAGES.test(String(message));
}
