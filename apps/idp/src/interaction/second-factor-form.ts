import type { RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentSession } from '../http/browser-session.js';
import { sendErrorPage } from '../http/html-reply.js';
import { messages } from '../i18n/index.js';
import type { InteractionState, PendingSecondFactor } from './interaction-state.js';
import { acceptSubmittedForm } from './submitted-form.js';

type FormDeps = Parameters<typeof acceptSubmittedForm>[2] &
  Pick<FastifyInstance, 'users' | 'sessions'>;

/**
 * The checks of every form on the second-factor page (a code, a passkey), after those of every
 * interaction form (`acceptSubmittedForm`, which consumes the page): the page asks for a second
 * factor, a step-up's session is still the browser's, and the user may still sign in. Returns
 * what the handler needs, or undefined after sending a page in plain words.
 */
export async function acceptSecondFactorForm(
  request: FastifyRequest,
  reply: FastifyReply,
  app: FormDeps,
  form: { interaction?: unknown; csrf?: unknown },
): Promise<
  { state: InteractionState; client: RegisteredClient; pending: PendingSecondFactor } | undefined
> {
  const accepted = await acceptSubmittedForm(request, reply, app, form);
  if (!accepted) return undefined;
  const { state, client } = accepted;
  // The interaction's language was chosen by acceptSubmittedForm (ui_locales).
  const t = messages(request.locale).oneTimeCode;
  const pending = state.secondFactor;
  if (!pending) {
    void sendErrorPage(reply, 400, t.notThisStepTitle, t.notThisStep);
    return undefined;
  }
  // A step-up completes the session it began in: not another one this browser signed in to since.
  if (pending.sessionId !== undefined) {
    const current = await currentSession(request, app);
    if (current?.sessionId !== pending.sessionId) {
      void sendErrorPage(reply, 400, t.signedOutTitle, t.signedOut);
      return undefined;
    }
  }
  const user = await app.users.findById(pending.userId);
  if (!user || user.disabled) {
    void sendErrorPage(reply, 400, t.cannotSignInTitle, t.cannotSignIn);
    return undefined;
  }
  return { state, client, pending };
}
