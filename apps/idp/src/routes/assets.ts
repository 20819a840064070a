import type { FastifyInstance } from 'fastify';
import { PASSKEY_SCRIPTS } from '../passkeys/passkey-assets.js';

/**
 * Static scripts under fixed paths. They carry nothing per person, so caches may keep them for a
 * day; pages pin them by SRI integrity and name them in their CSP.
 */
export async function assetRoutes(app: FastifyInstance) {
  for (const script of PASSKEY_SCRIPTS) {
    app.get(script.path, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(script.body),
    );
  }
}
