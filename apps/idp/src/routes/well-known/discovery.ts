import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ifNoneMatch } from '../../http/if-none-match.js';

/**
 * GET /.well-known/openid-configuration (OIDC Discovery 4) and
 * /.well-known/oauth-authorization-server (RFC 8414 3): one document, serialised once.
 */
export async function discoveryRoute(app: FastifyInstance, { document }: { document: Record<string, unknown> }) {
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    app.get(path, (request, reply) => {
      void reply.header('cache-control', 'public, max-age=300').header('etag', etag);
      if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    });
  }
}
