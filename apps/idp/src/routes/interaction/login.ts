import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { startSession } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { continueAuthorization, LOGIN_PATH } from '../../interaction/authorization-flow.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import type { LoginThrottle } from '../../interaction/login-throttle.js';
import { verifyPassword } from '../../passwords.js';
import type { Services } from '../../services.js';
import { messagePage } from '../../views/index.js';

interface LoginForm {
  username?: string;
  password?: string;
  interaction?: string;
  csrf?: string;
}

/** Same words for an unknown account and a wrong password: no account enumeration. */
const WRONG_CREDENTIALS = 'That email and password do not match an account. Check them and try again.';

export async function loginRoute(
  app: FastifyInstance,
  options: { services: Services; throttle: LoginThrottle; dummyPasswordHash: string },
) {
  const { services, throttle, dummyPasswordHash } = options;
  app.post<{ Body: LoginForm }>(
    LOGIN_PATH,
    {
      config: {
        rateLimit: {
          max: services.config.loginRateLimitPerIp,
          timeWindow: 60_000,
          errorResponseBuilder: () => ({ statusCode: 429, rateLimited: true }),
        },
      },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const accepted = await acceptSubmittedForm(request, reply, services, form);
      if (!accepted) return reply;
      const { state, client } = accepted;

      const username = typeof form.username === 'string' ? form.username.trim().toLowerCase() : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const account = sha256Hex(username);
      if (await throttle.isBlocked(account)) {
        await services.audit.record({ type: 'login.throttled', clientId: client.clientId, ip: request.ip, data: { account } });
        return sendHtml(reply, 429, messagePage({ title: 'Too many attempts', message: 'There have been too many failed sign-in attempts for this account. Wait a few minutes, then try again.' }));
      }

      const user = username ? await services.users.findByEmail(username) : null;
      // Verify against a dummy hash for unknown accounts, so both cases take the same time.
      const passwordOk = await verifyPassword(user?.passwordHash ?? dummyPasswordHash, password);
      if (!user || user.disabled || !passwordOk) {
        await throttle.recordFailure(account);
        await services.audit.record({
          type: 'login.failed',
          userId: user?.id,
          clientId: client.clientId,
          ip: request.ip,
          data: { reason: !user ? 'unknown_account' : user.disabled ? 'disabled' : 'wrong_password' },
        });
        return continueAuthorization({ request, reply }, services, {
          request: state.request,
          client,
          session: undefined,
          afterPost: true,
          loginError: WRONG_CREDENTIALS,
          typedUsername: username,
        });
      }

      await throttle.reset(account);
      const session = await startSession(request, reply, services, user.id);
      await services.audit.record({ type: 'login.succeeded', userId: user.id, clientId: client.clientId, ip: request.ip });
      return continueAuthorization({ request, reply }, services, {
        request: state.request,
        client,
        session,
        justAuthenticated: true,
        afterPost: true,
      });
    },
  );
}
