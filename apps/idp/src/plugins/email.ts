import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EmailThrottle } from '../email/email-throttle.js';
import { Outbox } from '../email/outbox.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Limits of the pages that send e-mail (per network address, per mailbox). */
    readonly emailThrottle: EmailThrottle;
    /** Mail sent after the response (routes/account-email/), drained on close. */
    readonly outbox: Outbox;
  }
}

/** The e-mail pages' throttle (in Redis when configured, like the login throttle) and outbox. */
export const emailPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('emailThrottle', new EmailThrottle(app.redis?.client));
    const outbox = new Outbox((error, what) =>
      app.log.error({ err: error, event: 'email.failed', what }, 'could not send an e-mail'),
    );
    app.decorate('outbox', outbox);
    app.addHook('onClose', () => outbox.drain());
  },
  { name: 'idp-email', fastify: '5.x', dependencies: ['idp-stores', 'idp-login-throttle'] },
);
