import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

const READY_TIMEOUT_MS = 2000;

/**
 * /healthz: the process answers (liveness). /readyz: it can serve logins, i.e. the database
 * answers and a signing key is loaded (readiness; a load balancer stops routing when 503).
 */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/healthz', (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const problems: string[] = [];
    try {
      await withTimeout(services.database.ping(), READY_TIMEOUT_MS);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: database unreachable');
      problems.push('database unreachable');
    }
    if (!services.keyRing.activeKid()) problems.push('no active signing key');
    void reply.header('cache-control', 'no-store');
    return problems.length === 0
      ? reply.send({ status: 'ready' })
      : reply.status(503).send({ status: 'not ready', problems });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
