import type { FastifyInstance } from 'fastify';
import { csrfCookie } from '../../http/browser-session.js';
import {
  continueAuthorization,
  PASSKEY_LOGIN_OPTIONS_PATH,
  PASSKEY_LOGIN_PATH,
} from '../../interaction/authorization-flow.js';
import { openInteraction } from '../../interaction/interaction-state.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import { issueChallenge } from '../../passkeys/passkey-challenge.js';
import { authenticationOptions } from '../../passkeys/passkey-ceremony.js';
import { passkeySignIn } from '../../passkeys/passkey-sign-in.js';
import { sendPasskeyOptions, refusePasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';

interface PasskeyLoginForm {
  interaction?: string;
  csrf?: string;
  state?: string;
  credential?: string;
}

/**
 * "Sign in with a passkey" on the login page of an authorization request: the options (a fresh
 * challenge bound to the page's interaction), then the assertion, posted like the password form
 * and going on the same way (consent, or the code to the client).
 */
export async function passkeyLoginRoutes(app: FastifyInstance) {
  const rp = relyingPartyOf(app.config.issuer);

  app.post<{ Body: PasskeyLoginForm }>(PASSKEY_LOGIN_OPTIONS_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const state =
      typeof form.interaction === 'string'
        ? await openInteraction(form.interaction, app.secrets.interactionKey, app.clock.now())
        : undefined;
    const cookie = csrfCookie(request, app);
    if (!state || !cookie || form.csrf !== cookie || state.csrf !== cookie)
      return refusePasskeyOptions(reply);
    const { challenge, sealed } = await issueChallenge(
      app,
      'authentication',
      `interaction:${state.id}`,
    );
    return sendPasskeyOptions(reply, await authenticationOptions(rp, challenge), sealed);
  });

  app.post<{ Body: PasskeyLoginForm }>(PASSKEY_LOGIN_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) return reply;
    const { state, client } = accepted;
    return passkeySignIn(
      request,
      reply,
      app,
      {
        state: form.state,
        credential: form.credential,
        binding: `interaction:${state.id}`,
        clientId: client.clientId,
      },
      {
        retry: (message) =>
          continueAuthorization({ request, reply }, app, {
            request: state.request,
            client,
            session: undefined,
            afterPost: true,
            loginError: message,
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
