import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LoginThrottle } from '../interaction/login-throttle.js';
import { UserCodeThrottle } from '../interaction/user-code-throttle.js';

declare module 'fastify' {
  interface FastifyInstance {
    readonly loginThrottle: LoginThrottle;
    /** Wrong user codes on the device page (RFC 8628 5.1), shared through Redis like the login throttle. */
    readonly userCodeThrottle: UserCodeThrottle;
  }
}

/** The login and user-code throttles, counting in Redis when configured (plugins/stores.ts) and in memory otherwise. */
export const loginThrottlePlugin = fp(
  async (app: FastifyInstance) => {
    const { config, redis } = app;
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
    app.decorate('userCodeThrottle', new UserCodeThrottle(redis?.client));
  },
  { name: 'idp-login-throttle', fastify: '5.x', dependencies: ['idp-stores'] },
);
