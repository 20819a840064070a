import type { RegisteredClient } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { continueAuthorization } from './authorization-flow.js';
import type { InteractionState, PendingSecondFactor } from './interaction-state.js';
import { sendSecondFactorPage } from './second-factor-page.js';
import type { SecondFactorSignIn } from './second-factor-sign-in.js';

/**
 * Where a second factor of a sign-in leads, whichever it was (a code, a passkey): already
 * answered, the page again with its words, or on with the authorization it interrupted.
 */
export function afterSecondFactor(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: FastifyInstance,
  accepted: { state: InteractionState; client: RegisteredClient; pending: PendingSecondFactor },
  result: SecondFactorSignIn,
): FastifyReply | Promise<FastifyReply> {
  const { state, client, pending } = accepted;
  if (result.outcome === 'sent') return result.reply;
  if (result.outcome === 'wrong')
    return sendSecondFactorPage(http, app, {
      request: state.request,
      client,
      pending,
      device: state.device,
      error: result.message,
    });
  return continueAuthorization(http, app, {
    request: state.request,
    client,
    session: result.session,
    // prompt=login and max_age were met by the password typed in this interaction.
    justAuthenticated: pending.sessionId === undefined,
    afterPost: true,
    device: state.device,
  });
}
