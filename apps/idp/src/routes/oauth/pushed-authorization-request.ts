import { pushAuthorizationRequest, readRawParameters, verifyRequestObject } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { idTokenAlgorithms } from '../../id-token-algorithms.js';
import { dpopProofHeader } from '../../http/dpop-header.js';
import { noStoreHook, requireFormBody } from '../../http/no-store-form.js';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { answerNonPostWith405 } from '../../http/post-only.js';
import {
  CLIENT_AUTHENTICATION_PARAMETERS,
  clientAuthenticatedForm,
} from './client-authenticated-form.js';

export const PAR_PATH = '/par';

/** The form fields that authenticate a client (RFC 6749 2.3.1, RFC 7521 4.2). */
const CREDENTIAL_FIELDS: readonly string[] = CLIENT_AUTHENTICATION_PARAMETERS;

/**
 * RFC 9126 2.1: the credentials once each; the authorization request's own parameters are the
 * core's to check, as at /authorize (some may repeat, RFC 8707 2).
 */
const PUSHED_REQUEST = parameterSchema(CLIENT_AUTHENTICATION_PARAMETERS, { others: 'ignored' });

/**
 * POST /par (RFC 9126 2): the token endpoint's client authentication, then the core validates
 * and stores the request; 201 with the request_uri.
 */
export async function pushedAuthorizationRequestRoute(app: FastifyInstance) {
  const { config, clock, pushedRequests, clientJwts, dpop } = app;
  const url = `${config.issuer.replace(/\/+$/, '')}${PAR_PATH}`;
  const noStore = noStoreHook(dpop, clock);
  app.post(
    PAR_PATH,
    { schema: { body: PUSHED_REQUEST }, onRequest: noStore },
    async (request, reply) => {
      requireFormBody(request, 'the pushed authorization request');
      const raw = readRawParameters(request.body);
      const credentials = Object.fromEntries(
        Object.entries(raw).filter(([name]) => CREDENTIAL_FIELDS.includes(name)),
      );
      const { client } = await clientAuthenticatedForm(request, app, credentials);
      // What authenticated the client is not part of the authorization request (client_id is).
      const parameters = Object.fromEntries(
        Object.entries(raw).filter(
          ([name]) => name === 'client_id' || !CREDENTIAL_FIELDS.includes(name),
        ),
      );
      const response = await pushAuthorizationRequest(parameters, client, {
        store: pushedRequests,
        now: clock.now(),
        lifetimeSeconds: config.parLifetime,
        signingAlgorithms: idTokenAlgorithms(app),
        requestObject: (object, pushing) =>
          verifyRequestObject(object, pushing, {
            issuer: config.issuer,
            now: clock.now(),
            clientJwts,
          }),
        dpop: { proof: dpopProofHeader(request), url, replay: dpop.replay, nonces: dpop.nonces },
      });
      return reply.status(201).send(response);
    },
  );
  answerNonPostWith405(app, PAR_PATH);
}
