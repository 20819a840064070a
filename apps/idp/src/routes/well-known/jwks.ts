import type { FastifyInstance } from 'fastify';
import { ifNoneMatch } from '../../http/if-none-match.js';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * GET /.well-known/jwks.json: the published keys (RFC 7517 5). The body and ETag come
 * precomputed from the key ring; this handler only picks headers.
 */
export async function jwksRoute(app: FastifyInstance) {
  const { config, keyRing } = app;
  const cacheControl = `public, max-age=${config.jwksMaxAge}, must-revalidate`;
  app.get(JWKS_PATH, (request, reply) => {
    const { body, etag } = keyRing.jwks();
    void reply.header('cache-control', cacheControl).header('etag', etag);
    if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
}
