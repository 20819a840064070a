import Fastify, { type FastifyInstance } from 'fastify';

/** What a scrape answers: Prometheus text, from one process or aggregated over a cluster's workers. */
export type Scrape = () => Promise<{ readonly contentType: string; readonly body: string }>;

/**
 * The metrics listener: `GET /metrics` on IDP_METRICS_PORT, a server of its own so that metrics
 * never share the public port (a firewall or a Kubernetes port list keeps them internal). It binds
 * to `host` as the main server does (`localhost`: every loopback address). Nothing else is served.
 */
export async function startMetricsListener(options: {
  host: string;
  port: number;
  scrape: Scrape;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.get('/metrics', async (_request, reply) => {
    try {
      const { contentType, body } = await options.scrape();
      return await reply
        .header('content-type', contentType)
        .header('cache-control', 'no-store')
        .send(body);
    } catch (error) {
      // A cluster scrape fails when a worker does not answer in time (one starting or dying).
      return await reply
        .status(503)
        .header('cache-control', 'no-store')
        .type('text/plain')
        .send(`metrics unavailable: ${(error as Error).message}\n`);
    }
  });
  await app.listen({ host: options.host, port: options.port });
  return app;
}
