import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactJsonLine, redactUrl } from './log-redaction.js';

export { redactUrl } from './log-redaction.js';

/** Where a request's child logger keeps its request id (see `requestChildLogger`). */
const REQUEST_ID = Symbol('requestId');
/** Set on loggers made by `createLogger`, whose mixin writes REQUEST_ID (children inherit it). */
const MIXES_REQUEST_ID = Symbol('mixesRequestId');

/**
 * Fastify's per-request child logger, carrying the request id without pino bindings: pino
 * serializes bindings when the child is made, on every request although most requests never log
 * a line (with path-based redaction this took 4 % of a JWKS request's CPU, `pnpm bench
 * --scenarios jwks --cpu-prof`). The id is added by the mixin below, only to lines that are written.
 */
export function requestChildLogger(
  logger: Logger,
  bindings: Record<string, unknown>,
  options: object,
): Logger {
  const keys = Object.keys(bindings);
  // Any other logger, or other bindings than Fastify's request id: pino's own child.
  if (
    !(logger as { [MIXES_REQUEST_ID]?: boolean })[MIXES_REQUEST_ID] ||
    keys.length !== 1 ||
    keys[0] !== 'reqId'
  ) {
    return logger.child(bindings, options);
  }
  // Fastify passes route-level options ({} for every route here). Without them, a plain object
  // whose prototype is the parent logger is a complete child: it has no bindings of its own and
  // shares the parent's level methods. pino's child() would also copy those methods per request:
  // JWKS served 5.7 % more requests/s without that (geometric mean of 12 pairs of processes).
  const child = (
    Object.keys(options).length === 0 ? Object.create(logger) : logger.child({}, options)
  ) as Logger & {
    [REQUEST_ID]?: unknown;
  };
  child[REQUEST_ID] = bindings.reqId;
  return child;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    mixin: (_object, _level, logger) => {
      const id = (logger as { [REQUEST_ID]?: unknown })[REQUEST_ID];
      return id === undefined ? {} : { reqId: id };
    },
    // Secrets are redacted on the finished line, by name and whatever the name's case: only
    // lines that are written pay for it (see log-redaction.ts).
    hooks: { streamWrite: redactJsonLine },
    serializers: {
      req(request: { id: string; method: string; url: string; ip?: string }) {
        return {
          id: request.id,
          method: request.method,
          url: redactUrl(request.url),
          ip: request.ip,
        };
      },
    },
  };
}

/** The server's logger: JSON lines on stdout, or on `destination` (tests). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return Object.assign(pino(loggerOptions(level), destination), { [MIXES_REQUEST_ID]: true });
}
