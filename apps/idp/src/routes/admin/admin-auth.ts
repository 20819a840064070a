import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A preHandler that admits only `Authorization: Bearer <IDP_ADMIN_TOKEN>`. Both sides are
 * hashed first so that the comparison is constant-time whatever the presented length.
 */
export function requireAdminToken(token: string) {
  const expected = createHash('sha256').update(token).digest();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    const actual = createHash('sha256').update(presented).digest();
    if (!presented || !timingSafeEqual(actual, expected)) {
      return reply.status(401).header('www-authenticate', 'Bearer realm="admin"').send({
        error: 'invalid_token',
        error_description: 'The admin API needs Authorization: Bearer <IDP_ADMIN_TOKEN>.',
      });
    }
  };
}
