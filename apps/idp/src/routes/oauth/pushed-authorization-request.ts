import { OAuthError, pushAuthorizationRequest, readRawParameters, verifyRequestObject } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { dpopProofHeader, sendDpopNonce, type DpopWiring } from '../../http/dpop-header.js';
import { answerGetWith405 } from '../../http/post-only.js';
import type { Services } from '../../services.js';
import { clientAuthenticatedForm } from './client-authenticated-form.js';

export const PAR_PATH = '/par';

/** The form fields that authenticate a client (RFC 6749 2.3.1, RFC 7521 4.2). */
const CREDENTIAL_FIELDS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * POST /par (RFC 9126 2): the token endpoint's client authentication, then the core validates
 * and stores the request; 201 with the request_uri.
 */
export async function pushedAuthorizationRequestRoute(app: FastifyInstance, { services, dpop }: { services: Services; dpop: DpopWiring }) {
  const url = `${services.config.issuer.replace(/\/+$/, '')}${PAR_PATH}`;
  app.post(PAR_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    sendDpopNonce(reply, dpop, services.clock.now());
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'the pushed authorization request must be application/x-www-form-urlencoded');
    }
    const raw = readRawParameters(request.body);
    const credentials = Object.fromEntries(Object.entries(raw).filter(([name]) => CREDENTIAL_FIELDS.includes(name)));
    const { client } = await clientAuthenticatedForm(request, services, credentials);
    // What authenticated the client is not part of the authorization request (client_id is).
    const parameters = Object.fromEntries(Object.entries(raw).filter(([name]) => name === 'client_id' || !CREDENTIAL_FIELDS.includes(name)));
    const response = await pushAuthorizationRequest(parameters, client, {
      store: services.pushedRequests,
      now: services.clock.now(),
      lifetimeSeconds: services.config.parLifetime,
      requestObject: (object, pushing) =>
        verifyRequestObject(object, pushing, { issuer: services.config.issuer, now: services.clock.now(), clientJwts: services.clientJwts }),
      dpop: { proof: dpopProofHeader(request), url, replay: dpop.replay, nonces: dpop.nonces },
    });
    return reply.status(201).send(response);
  });
  answerGetWith405(app, PAR_PATH);
}
