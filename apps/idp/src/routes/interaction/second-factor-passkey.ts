import type { FastifyInstance } from 'fastify';
import { csrfCookie } from '../../http/browser-session.js';
import { openInteraction } from '../../interaction/interaction-state.js';
import { acceptSecondFactorForm } from '../../interaction/second-factor-form.js';
import { afterSecondFactor } from '../../interaction/second-factor-outcome.js';
import {
  LOGIN_SECOND_FACTOR_PASSKEY_OPTIONS_PATH,
  LOGIN_SECOND_FACTOR_PASSKEY_PATH,
} from '../../interaction/second-factor-page.js';
import { signInWithPasskey } from '../../interaction/second-factor-sign-in.js';
import { issueChallenge } from '../../passkeys/passkey-challenge.js';
import { authenticationOptions } from '../../passkeys/passkey-ceremony.js';
import { refusePasskeyOptions, sendPasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';

interface PasskeyForm {
  interaction?: string;
  csrf?: string;
  state?: string;
  credential?: string;
}

/**
 * "Use a passkey" on the second-factor page, after the password (or for a step-up): the options
 * name the user's own passkeys and carry a fresh challenge bound to the page's interaction; the
 * assertion must be by one of them, and completes the sign-in with amr ["pwd","hwk","user","mfa"].
 */
export async function secondFactorPasskeyRoutes(app: FastifyInstance) {
  const rp = relyingPartyOf(app.config.issuer);

  app.post<{ Body: PasskeyForm }>(
    LOGIN_SECOND_FACTOR_PASSKEY_OPTIONS_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const state =
        typeof form.interaction === 'string'
          ? await openInteraction(form.interaction, app.secrets.interactionKey, app.clock.now())
          : undefined;
      const cookie = csrfCookie(request, app);
      if (!state?.secondFactor || !cookie || form.csrf !== cookie || state.csrf !== cookie)
        return refusePasskeyOptions(reply);
      const { challenge, sealed } = await issueChallenge(
        app,
        'authentication',
        `second-factor:${state.id}`,
      );
      const own = await app.passkeys.listForUser(state.secondFactor.userId);
      return sendPasskeyOptions(reply, await authenticationOptions(rp, challenge, own), sealed);
    },
  );

  app.post<{ Body: PasskeyForm }>(LOGIN_SECOND_FACTOR_PASSKEY_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const accepted = await acceptSecondFactorForm(request, reply, app, form);
    if (!accepted) return reply;
    const { state, client, pending } = accepted;
    const result = await signInWithPasskey(
      { request, reply },
      app,
      { userId: pending.userId, clientId: client.clientId },
      { state: form.state, credential: form.credential, binding: `second-factor:${state.id}` },
    );
    return afterSecondFactor({ request, reply }, app, accepted, result);
  });
}
