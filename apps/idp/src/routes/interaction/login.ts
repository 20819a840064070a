import { needsSecondFactor } from '@idp/oidc';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { continueAuthorization, LOGIN_PATH } from '../../interaction/authorization-flow.js';
import { PasswordSignInCheck } from '../../interaction/password-sign-in.js';
import { messages } from '../../i18n/index.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import { sendSecondFactorPage } from '../../interaction/second-factor-page.js';

interface LoginForm {
  username?: string;
  password?: string;
  interaction?: string;
  csrf?: string;
}

export async function loginRoute(app: FastifyInstance) {
  const { metrics, loginThrottle: throttle, oneTimeCodes, passkeys, clock } = app;
  const check = new PasswordSignInCheck(app);

  /** Malformed posts never reach a password check; they are counted, and a flood is logged once a minute. */
  const countMalformed = async (request: FastifyRequest, reason: string) => {
    metrics.login('malformed');
    if (await throttle.recordMalformed(request.ip)) {
      request.log.warn(
        { event: 'login.malformed_flood', reason, ip: request.ip },
        'many malformed login posts from one address',
      );
    }
  };

  app.post<{ Body: LoginForm }>(LOGIN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) {
      await countMalformed(request, 'form_rejected');
      return reply;
    }
    const { state, client } = accepted;
    const username = typeof form.username === 'string' ? form.username.trim().toLowerCase() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const retry = () =>
      continueAuthorization({ request, reply }, app, {
        request: state.request,
        client,
        session: undefined,
        afterPost: true,
        // Same words for an unknown account and a wrong password: no account enumeration.
        loginError: messages(request.locale).login.wrongCredentials,
        typedUsername: username,
        device: state.device,
      });
    // Nothing to check: no account lookup, so the cheap answer reveals nothing about accounts.
    if (!username || !password) {
      await countMalformed(request, 'empty_credentials');
      return retry();
    }

    const result = await check.signIn(request, reply, {
      username,
      password,
      clientId: client.clientId,
      // A user with one-time codes gives one now, whatever the client asked; a user with passkeys
      // gives one when the request needs a second factor. No session until then.
      // Passkeys are looked up only then, so an ordinary password sign-in costs no extra query.
      needsSecondFactor: async (user) =>
        (await oneTimeCodes.find(user.id, clock.now()))?.confirmed === true ||
        (needsSecondFactor(state.request, client) &&
          (await passkeys.listForUser(user.id)).length > 0),
    });
    if (result.outcome === 'refused') return result.reply;
    if (result.outcome === 'wrong') return retry();
    if (result.outcome === 'second_factor') {
      return sendSecondFactorPage({ request, reply }, app, {
        request: state.request,
        client,
        pending: { userId: result.user.id },
        device: state.device,
      });
    }
    return continueAuthorization({ request, reply }, app, {
      request: state.request,
      client,
      session: result.session,
      justAuthenticated: true,
      afterPost: true,
      device: state.device,
    });
  });
}
