import type { FastifyInstance } from 'fastify';

const READY_TIMEOUT_MS = 2000;

/**
 * /healthz: the process answers (liveness). /readyz: it can serve logins, i.e. the database
 * answers and a signing key is loaded (readiness; a load balancer stops routing when 503).
 * Redis, when configured, shares login throttling counters and holds the `jti`s and pushed
 * requests: without it each process counts logins on its own and refuses what needs a single-use
 * check (503). Every instance shares the one Redis, so taking them all out of the load balancer
 * would help nobody: an instance stays ready and says `"status": "degraded", "redis": "down"`.
 */
export async function healthRoutes(app: FastifyInstance) {
  const { config, database, keyRing, redis } = app;
  app.get('/healthz', (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get('/readyz', async (request, reply) => {
    const problems: string[] = [];
    try {
      await withTimeout(database.ping(), READY_TIMEOUT_MS);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: database unreachable');
      problems.push('database unreachable');
    }
    const signing = keyRing.signingAlgorithms();
    const unsigned = config.signingAlgorithms.filter((alg) => !signing.includes(alg));
    if (unsigned.length > 0) problems.push(`no active signing key for ${unsigned.join(', ')}`);
    const redisState = redis ? { redis: (await redis.isUp()) ? 'up' : 'down' } : {};
    void reply.header('cache-control', 'no-store');
    if (problems.length > 0)
      return reply.status(503).send({ status: 'not ready', problems, ...redisState });
    return reply.send({
      status: redisState.redis === 'down' ? 'degraded' : 'ready',
      ...redisState,
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
