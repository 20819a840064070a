import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LoginThrottle } from '../interaction/login-throttle.js';
import { RedisConnection } from '../redis-connection.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Redis, when IDP_REDIS_URL is set: it shares the login throttle's counters between instances. */
    readonly redis: RedisConnection | undefined;
    readonly loginThrottle: LoginThrottle;
  }
}

/** The login throttle, counting in Redis when configured (closed with the app) and in memory otherwise. */
export const loginThrottlePlugin = fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    const redis = config.redisUrl ? new RedisConnection(config.redisUrl, app.log) : undefined;
    if (redis) app.addHook('onClose', () => redis.close());
    app.decorate('redis', redis);
    app.decorate(
      'loginThrottle',
      new LoginThrottle(
        {
          failuresPerAccount: config.loginFailuresPerAccount,
          failureWindowSeconds: config.loginFailureWindow,
          failuresPerAddressPerMinute: config.loginRateLimitPerIp,
          newSourceIntervalSeconds: config.loginNewSourceInterval,
          knownSourceSeconds: config.loginKnownSourceTtl,
        },
        redis?.client,
      ),
    );
  },
  { name: 'idp-login-throttle', fastify: '5.x', dependencies: ['idp-stores'] },
);
