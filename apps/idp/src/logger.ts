import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Every place a secret can appear in a log line. Request bodies are not logged at all; these
 * cover headers and any object a handler logs on purpose.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.client_secret',
  '*.clientSecret',
  '*.code',
  '*.code_verifier',
  '*.refresh_token',
  '*.access_token',
  '*.id_token',
  '*.id_token_hint',
  '*.token',
  '*.secret',
  'password',
  'client_secret',
  'token',
];

/** Query parameters whose values are credentials (RFC 6750 2.3, OIDC id_token_hint, codes). */
const SECRET_QUERY_PARAMETERS = new Set([
  'code',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'token',
  'client_secret',
  'password',
  'code_verifier',
]);

/** The request URL as logged: credential-bearing query values replaced by [Redacted]. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (SECRET_QUERY_PARAMETERS.has(name)) {
      params.set(name, '[Redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, query)}?${params.toString()}` : url;
}

/** Where a request's child logger keeps its request id (see `requestChildLogger`). */
const REQUEST_ID = Symbol('requestId');
/** Set on loggers made by `createLogger`, whose mixin writes REQUEST_ID (children inherit it). */
const MIXES_REQUEST_ID = Symbol('mixesRequestId');

/**
 * Fastify's per-request child logger, carrying the request id without pino bindings: pino runs
 * every binding through the redaction of the `*.`-paths above, which took 4 % of a JWKS request's
 * CPU (`pnpm bench --scenarios jwks --cpu-prof`) although most requests never log a line. The
 * id is added by the mixin below, only to lines that are written.
 */
export function requestChildLogger(logger: Logger, bindings: Record<string, unknown>, options: object): Logger {
  const keys = Object.keys(bindings);
  // Any other logger, or other bindings than Fastify's request id: pino's own child.
  if (!(logger as { [MIXES_REQUEST_ID]?: boolean })[MIXES_REQUEST_ID] || keys.length !== 1 || keys[0] !== 'reqId') {
    return logger.child(bindings, options);
  }
  // Fastify passes route-level options ({} for every route here). Without them, a plain object
  // whose prototype is the parent logger is a complete child: it has no bindings of its own and
  // shares the parent's level methods. pino's child() would also copy those methods per request:
  // JWKS served 5.7 % more requests/s without that (geometric mean of 12 pairs of processes).
  const child = (Object.keys(options).length === 0 ? Object.create(logger) : logger.child({}, options)) as Logger & {
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
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    serializers: {
      req(request: { id: string; method: string; url: string; ip?: string }) {
        return { id: request.id, method: request.method, url: redactUrl(request.url), ip: request.ip };
      },
    },
  };
}

/** The server's logger: JSON lines on stdout, or on `destination` (tests). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return Object.assign(pino(loggerOptions(level), destination), { [MIXES_REQUEST_ID]: true });
}
