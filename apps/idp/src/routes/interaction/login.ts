import type { FastifyInstance } from 'fastify';
import { continueAuthorization, LOGIN_PATH } from '../../interaction/authorization-flow.js';
import { makePasswordSignIn, WRONG_CREDENTIALS } from '../../interaction/password-sign-in.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';

interface LoginForm {
  username?: string;
  password?: string;
  interaction?: string;
  csrf?: string;
}

/** The login form of an authorization request: a password check, then the next step of the flow. */
export async function loginRoute(app: FastifyInstance) {
  const passwords = await makePasswordSignIn(app);

  app.post<{ Body: LoginForm }>(LOGIN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) {
      await passwords.countMalformed(request, 'form_rejected');
      return reply;
    }
    const { state, client } = accepted;
    const username = typeof form.username === 'string' ? form.username.trim().toLowerCase() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    return passwords.signIn(
      request,
      reply,
      { username, password, clientId: client.clientId },
      {
        retry: () =>
          continueAuthorization({ request, reply }, app, {
            request: state.request,
            client,
            session: undefined,
            afterPost: true,
            loginError: WRONG_CREDENTIALS,
            typedUsername: username,
            device: state.device,
          }),
        succeed: (session) =>
          continueAuthorization({ request, reply }, app, {
            request: state.request,
            client,
            session,
            justAuthenticated: true,
            afterPost: true,
            device: state.device,
          }),
      },
    );
  });
}
