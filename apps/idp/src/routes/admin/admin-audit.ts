import type { FastifyInstance } from 'fastify';
import { actorOf } from './admin-auth.js';

/**
 * Every authenticated admin call leaves an `admin.request` event naming its actor, the route and
 * the answer's status, reads included: who looked at what is part of the trail too. Changes also
 * leave their own event (client.updated, key.rotated, ...) with the same actor, written in the
 * change's transaction. Refused calls are logged, not audited (an unauthenticated caller must
 * not be able to fill the audit table).
 */
export function auditAdminRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const principal = request.adminPrincipal;
    if (!principal) return;
    try {
      await app.audit.record(
        {
          type: 'admin.request',
          actor: actorOf(principal),
          ip: request.ip,
          data: {
            method: request.method,
            route: request.routeOptions.url ?? '',
            status: reply.statusCode,
          },
        },
        app.clock.now(),
      );
    } catch (error) {
      request.log.error({ err: error }, 'admin request not audited');
    }
  });
}
