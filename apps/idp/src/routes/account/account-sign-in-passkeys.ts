import type { FastifyInstance } from 'fastify';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import { signInWithPasskey } from '../../interaction/second-factor-sign-in.js';
import { issueChallenge } from '../../passkeys/passkey-challenge.js';
import { authenticationOptions } from '../../passkeys/passkey-ceremony.js';
import { refusePasskeyOptions, sendPasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { passkeySignIn } from '../../passkeys/passkey-sign-in.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';
import {
  ACCOUNT_SIGN_IN_PATHS,
  sendAccountSecondFactor,
  sendAccountSignInForm,
} from './account-sign-in-pages.js';
import { acceptAccountSignIn, openAccountSignIn } from './account-sign-in-state.js';

interface PasskeyForm {
  interaction?: unknown;
  csrf?: unknown;
  state?: unknown;
  credential?: unknown;
}

/**
 * Passkeys on the account sign-in, the same ceremony as the login page's (WebAuthn L3 7.2):
 * "Sign in with a passkey" alone (a discoverable credential: amr ["hwk","user"]), and "Use a
 * passkey" after the password (one of that user's passkeys: amr ["pwd","hwk","user","mfa"]).
 * Either is a fresh sign-in, as `reauth=1` asks before a passkey is added.
 */
export async function accountSignInPasskeyRoutes(app: FastifyInstance) {
  const rp = relyingPartyOf(app.config.issuer);
  const binding = (id: string) => `account-sign-in:${id}`;

  app.post<{ Body: PasskeyForm }>(ACCOUNT_SIGN_IN_PATHS.passkeyOptions, async (request, reply) => {
    const state = await openAccountSignIn(request, app, request.body ?? {});
    if (!state) return refusePasskeyOptions(reply);
    const { challenge, sealed } = await issueChallenge(app, 'authentication', binding(state.id));
    const own = state.pending ? await app.passkeys.listForUser(state.pending.userId) : undefined;
    return sendPasskeyOptions(reply, await authenticationOptions(rp, challenge, own), sealed);
  });

  app.post<{ Body: PasskeyForm }>(ACCOUNT_SIGN_IN_PATHS.passkey, async (request, reply) => {
    const form = request.body ?? {};
    const state = await acceptAccountSignIn(request, reply, app, form);
    if (!state) return reply;
    // The second step's page has its own action: this one is for a passkey alone.
    if (state.pending) {
      const t = messages(request.locale).accountSignIn;
      return sendErrorPage(reply, 400, t.csrfTitle, t.expired);
    }
    return passkeySignIn(
      request,
      reply,
      app,
      {
        state: form.state,
        credential: form.credential,
        binding: binding(state.id),
        clientId: undefined,
      },
      {
        retry: (message) =>
          sendAccountSignInForm({ request, reply }, app, state.returnTo, { error: message }),
        succeed: () => reply.redirect(state.returnTo, 303),
      },
    );
  });

  app.post<{ Body: PasskeyForm }>(
    ACCOUNT_SIGN_IN_PATHS.secondFactorPasskey,
    async (request, reply) => {
      const form = request.body ?? {};
      const state = await acceptAccountSignIn(request, reply, app, form);
      if (!state) return reply;
      const userId = state.pending?.userId;
      const user = userId ? await app.users.findById(userId) : null;
      if (!userId || !user || user.disabled) {
        const t = messages(request.locale).accountSignIn;
        return sendErrorPage(reply, 400, t.goneTitle, t.gone);
      }
      const result = await signInWithPasskey(
        { request, reply },
        app,
        { userId },
        { state: form.state, credential: form.credential, binding: binding(state.id) },
      );
      if (result.outcome === 'sent') return result.reply;
      if (result.outcome === 'wrong')
        return sendAccountSecondFactor({ request, reply }, app, {
          returnTo: state.returnTo,
          userId,
          error: result.message,
        });
      return reply.redirect(state.returnTo, 303);
    },
  );
}
