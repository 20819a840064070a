import { AuthorizationError, claimsBeyondScopes } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { currentSession } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import {
  CONSENT_PATH,
  continueAuthorization,
  sendAuthorizationError,
} from '../../interaction/authorization-flow.js';
import { denyDevice } from '../../interaction/device-decision.js';
import { acceptSubmittedForm } from '../../interaction/submitted-form.js';
import { authorizationErrorPage } from '../oauth/authorize.js';

interface ConsentForm {
  decision?: string;
  interaction?: string;
  csrf?: string;
}

/** POST /consent: the person allowed or denied the client's request. */
export async function consentRoute(app: FastifyInstance) {
  const { audit, clock, consents } = app;
  app.post<{ Body: ConsentForm }>(CONSENT_PATH, async (request, reply) => {
    const form = request.body ?? {};
    // Before the form is accepted (and so used up): the person can still choose.
    if (form.decision !== 'allow' && form.decision !== 'deny') {
      const t = messages(request.locale).consent;
      return sendErrorPage(reply, 400, t.noChoiceTitle, t.noChoice);
    }
    const accepted = await acceptSubmittedForm(request, reply, app, form);
    if (!accepted) return reply;
    const { state, client } = accepted;
    const session = await currentSession(request, app);
    const target = {
      redirectUri: state.request.redirectUri,
      responseMode: state.request.responseMode,
      state: state.request.state,
    };

    if (form.decision === 'deny' && state.device) {
      return denyDevice({ request, reply }, app, {
        device: state.device,
        client,
        userId: session?.userId,
      });
    }
    if (form.decision === 'deny') {
      // The pushed request (RFC 9126) is done with, even though no code was issued.
      if (state.request.pushedRequestUriHash)
        await app.pushedRequests.consume(state.request.pushedRequestUriHash, clock.now());
      await audit.record(
        {
          type: 'consent.denied',
          userId: session?.userId,
          clientId: client.clientId,
          ip: request.ip,
        },
        clock.now(),
      );
      const denied = new AuthorizationError(
        'access_denied',
        'The user denied the request.',
        target,
      );
      return sendAuthorizationError(reply, app, denied, true, authorizationErrorPage);
    }
    if (session) {
      // Exactly what the page listed: the scopes and the claims requested beyond them.
      const claims = claimsBeyondScopes(state.request.scopes, state.request.claims);
      await consents.grant(session.userId, client.clientId, state.request.scopes, claims);
      await audit.record(
        {
          type: 'consent.granted',
          userId: session.userId,
          clientId: client.clientId,
          ip: request.ip,
          data: {
            scope: state.request.scopes.join(' '),
            ...(claims.length > 0 ? { claims: claims.join(' ') } : {}),
          },
        },
        clock.now(),
      );
    }
    // Without a live session (it expired meanwhile) this shows the login page again.
    return continueAuthorization({ request, reply }, app, {
      request: state.request,
      client,
      session,
      justAuthenticated: state.authenticated,
      justConsented: session !== undefined,
      afterPost: true,
      device: state.device,
    });
  });
}
