import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Tracer,
} from '@opentelemetry/api';
import { decodeProtectedHeader } from 'jose';
import type { Services } from '../services.js';
import { requestSpan } from './request-span.js';

/** The services whose every call is a database call (ports implemented by @idp/db). */
const STORES = [
  'users',
  'clients',
  'audit',
  'codes',
  'families',
  'refreshTokens',
  'sessions',
  'consents',
  'singleUseIds',
  'pushedRequests',
  'deviceAuthorizations',
  'emailTokens',
  'oneTimeCodes',
  'passkeys',
  'registrations',
  'signingKeys',
] as const satisfies readonly (keyof Services)[];

/**
 * Runs `call` in a child span of the current request's span, named `name`; outside a request
 * (background tasks) it runs untraced. A failure marks the span with the error's class name,
 * never its message (which may quote input).
 */
async function inChildSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  call: () => Promise<T>,
  after?: (result: T) => Attributes,
): Promise<T> {
  const parent = requestSpan();
  if (!parent) return call();
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.INTERNAL, attributes },
    trace.setSpan(context.active(), parent),
  );
  try {
    const result = await call();
    if (after) span.setAttributes(after(result));
    return result;
  } catch (error) {
    span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A store whose method calls are child spans `<store>.<method>` with the database system and
 * the operation as attributes; arguments and results are never recorded (they hold hashes of
 * secrets, personal data). Methods run on the store itself, so private fields keep working.
 */
function tracedStore<T extends object>(store: T, name: string, tracer: Tracer, db: string): T {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) =>
        inChildSpan(
          tracer,
          `${name}.${property}`,
          { 'db.system.name': db, 'db.operation.name': property, 'idp.store': name },
          async () => method.apply(target, args),
        );
    },
  });
}

/**
 * The key ring with `sign` as a child span `jwt.sign`, carrying the algorithm and the `kid`
 * read from the signed token's protected header (public values); never the token or a claim.
 */
function tracedKeyRing(keyRing: Services['keyRing'], tracer: Tracer): Services['keyRing'] {
  return new Proxy(keyRing, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property !== 'sign') return method.bind(target);
      return (...args: Parameters<Services['keyRing']['sign']>) =>
        inChildSpan(
          tracer,
          'jwt.sign',
          {},
          () => target.sign(...args),
          (token) => {
            const header = decodeProtectedHeader(token);
            return {
              'jwt.alg': String(header.alg),
              'jwt.kid': String(header.kid),
              ...(header.typ ? { 'jwt.typ': String(header.typ) } : {}),
            };
          },
        );
    },
  });
}

/**
 * The services with a child span for each store call and each JWT signed, for `buildApp` when
 * tracing is on. The same objects underneath: only the decorators the routes read are wrapped.
 */
export function withChildSpans(services: Services, tracer: Tracer): Services {
  const db = services.database.provider === 'postgresql' ? 'postgresql' : 'sqlite';
  const wrapped: Record<string, unknown> = {};
  for (const name of STORES) wrapped[name] = tracedStore(services[name], name, tracer, db);
  return {
    ...services,
    ...wrapped,
    keyRing: tracedKeyRing(services.keyRing, tracer),
    close: () => services.close(),
  } as Services;
}
