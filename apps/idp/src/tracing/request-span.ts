import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

/**
 * The SERVER span of the request being handled, for the child spans of the stores and the
 * signer. Our own storage rather than a global OpenTelemetry context manager: nothing but this
 * server's code can make spans (see startTracing).
 */
const current = new AsyncLocalStorage<Span>();

/** Runs `next` (and everything it starts) with `span` as the request's span. */
export function withRequestSpan(span: Span | undefined, next: () => void): void {
  if (span) current.run(span, next);
  else next();
}

/** The span of the request this code runs for; undefined outside a traced request. */
export function requestSpan(): Span | undefined {
  return current.getStore();
}
