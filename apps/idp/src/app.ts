import { randomUUID } from 'node:crypto';
import { buildDiscoveryDocument } from '@idp/oidc';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandler } from './http/error-handler.js';
import { requireAdminToken } from './routes/admin/admin-auth.js';
import { adminKeyRoutes } from './routes/admin/keys.js';
import { healthRoutes } from './routes/health.js';
import { discoveryRoute } from './routes/well-known/discovery.js';
import { JWKS_PATH, jwksRoute } from './routes/well-known/jwks.js';
import type { Services } from './services.js';

/**
 * Builds the HTTP application on ready services. It does not listen: `main.ts` does, and tests
 * may `inject` or listen on an ephemeral port themselves.
 */
export async function buildApp(services: Services, logger: Logger): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: trustProxy(config.trustProxy),
    // Small bodies only: nothing this server accepts is large (RFC 6749 forms, JSON admin calls).
    bodyLimit: 64 * 1024,
    // Fastify 5 closes idle keep-alive connections on close(), so SIGTERM drains promptly.
    forceCloseConnections: 'idle',
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  installErrorHandler(app);

  const document = buildDiscoveryDocument(config.issuer, { jwks_uri: JWKS_PATH });
  await app.register(discoveryRoute, { document });
  await app.register(jwksRoute, { services });
  await app.register(healthRoutes, { services });

  const adminToken = config.adminToken;
  if (adminToken) {
    await app.register(
      async (admin) => {
        admin.addHook('preHandler', requireAdminToken(adminToken));
        await admin.register(adminKeyRoutes, { services });
      },
      { prefix: '/admin' },
    );
  }
  return app;
}

/** A hop count becomes "trust the nearest N proxies" (Fastify's types take a function for it). */
function trustProxy(setting: boolean | number) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}
