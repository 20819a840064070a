import { DatabaseUnavailable } from '@idp/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The route label of a request no route matched (404s): never its URL, which anyone chooses. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts every response by its route's pattern and status, with its latency, and every request
 * that met a database outage. Registered on the root instance (fastify-plugin), before the routes,
 * so its hooks cover every context; not registered at all when metrics are off. Counts into the
 * `metrics` decorator (plugins/stores.ts).
 */
export const httpMetrics = fp(
  async (app: FastifyInstance) => {
    const { metrics } = app;
    app.addHook('onResponse', (request, reply, done) => {
      metrics.request(
        request.method,
        request.routeOptions.url ?? UNMATCHED_ROUTE,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
    app.addHook('onError', (_request, _reply, error, done) => {
      if (error instanceof DatabaseUnavailable) metrics.databaseUnavailable('request');
      done();
    });
  },
  { name: 'idp-http-metrics', fastify: '5.x', decorators: { fastify: ['metrics'] } },
);
