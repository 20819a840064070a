import { AuthorizationError, hintedSubject, validateAuthorizationRequest } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentSession } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';
import { continueAuthorization, sendAuthorizationError } from '../../interaction/authorization-flow.js';
import type { Services } from '../../services.js';

export const AUTHORIZE_PATH = '/authorize';

/** The page shown when an error must not be redirected (unknown client, unregistered redirect_uri). */
export function authorizationErrorPage(reply: FastifyReply, error: AuthorizationError): FastifyReply {
  return sendErrorPage(reply, 400, 'This sign-in link is not valid', error.description, error.error);
}

/** GET and POST /authorize (OIDC Core 3.1.2.1: both methods, same parameters). */
export async function authorizeRoute(app: FastifyInstance, { services }: { services: Services }) {
  const handle = async (request: FastifyRequest, reply: FastifyReply, raw: unknown) => {
    const afterPost = request.method === 'POST';
    try {
      const { request: authorization, client } = await validateAuthorizationRequest(raw, (id) => services.clientCache.findById(id), {
        requestObjects: { issuer: services.config.issuer, now: services.clock.now(), clientJwts: services.clientJwts },
      }, {
        pushedRequests: services.pushedRequests,
        now: services.clock.now(),
        requirePushedRequests: services.config.requirePushedAuthorizationRequests,
      });
      const session = await currentSession(request, services);
      const subject = await hintedSubject(authorization, { verifier: services.keyRing, issuer: services.config.issuer });
      return await continueAuthorization({ request, reply }, services, {
        request: authorization,
        client,
        session,
        hintedSubject: subject,
        afterPost,
      });
    } catch (error) {
      if (error instanceof AuthorizationError) {
        request.log.info({ error: error.error, description: error.description, detail: error.detail }, 'authorization request refused');
        return sendAuthorizationError(reply, services, error, afterPost, authorizationErrorPage);
      }
      throw error;
    }
  };
  // The core checks the parameters' shape itself; form bodies only reach here (body-parsers.ts).
  app.get(AUTHORIZE_PATH, (request, reply) => handle(request, reply, request.query));
  app.post(AUTHORIZE_PATH, (request, reply) => handle(request, reply, request.body));
}
