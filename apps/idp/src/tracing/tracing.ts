import { context, SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { withRequestSpan } from './request-span.js';

/** The tracer of one server process and how to flush it when the server closes. */
export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * Exports spans over OTLP/HTTP to `url` (IDP_OTLP_TRACES_URL), in batches. The provider is not
 * registered globally: only this server's own spans are made, so no library's automatic
 * instrumentation can put a URL with a token or a code into an attribute.
 */
export function startTracing(url: string): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'idp' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  return {
    tracer: provider.getTracer('@idp/server'),
    // A collector that does not answer must not hold up a shutdown: its last spans are dropped.
    shutdown: () =>
      Promise.race([
        provider.shutdown(),
        new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
      ]),
  };
}

const traceContext = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (headers: FastifyRequest['headers']) => Object.keys(headers),
  get: (headers: FastifyRequest['headers'], key: string) => headers[key],
};

/**
 * One SERVER span per request, named `METHOD /route/pattern` (`unmatched` for a 404), joined to
 * the caller's trace when it sends a W3C `traceparent`. Its attributes are the method, the route
 * pattern, the status code and, for a failure, the error's class name: never the URL, a header,
 * a body field or an error message, which may hold tokens, codes or personal data. The hooks and
 * the handler run with the span as the request's (request-span.ts), so the stores and the signer
 * make child spans of it (child-spans.ts).
 */
export const requestSpans = fp(
  async (app: FastifyInstance, { tracer }: { tracer: Tracer }) => {
    const spans = new WeakMap<FastifyRequest, Span>();
    app.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const parent = traceContext.extract(context.active(), request.headers, headerGetter);
      const span = tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': request.method, 'http.route': route },
        },
        parent,
      );
      spans.set(request, span);
      withRequestSpan(span, done);
    });
    // Again once the body is read: its parsing runs in the socket's async context, not ours.
    app.addHook('preHandler', (request, _reply, done) => withRequestSpan(spans.get(request), done));
    app.addHook('onError', (request, _reply, error, done) => {
      spans.get(request)?.setAttribute('error.type', error.name);
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      spans.get(request)?.setAttribute('error.type', 'aborted');
      spans.get(request)?.end();
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const span = spans.get(request);
      if (span) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      done();
    });
  },
  { name: 'idp-request-spans' },
);
