import { OAuthError, startDeviceAuthorization } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { answerNonPostWith405 } from '../../http/post-only.js';
import { DEVICE_PATH } from '../interaction/device.js';
import {
  CLIENT_AUTHENTICATION_PARAMETERS,
  clientAuthenticatedForm,
} from './client-authenticated-form.js';

export const DEVICE_AUTHORIZATION_PATH = '/device_authorization';

/** How long a device code and its user code live, and the polling interval first asked for. */
const DEVICE_CODE_LIFETIME_SECONDS = 600;
const POLL_INTERVAL_SECONDS = 5;

/** RFC 8628 3.1: the scope and the client's credentials. None repeated (RFC 6749 3.2). */
const DEVICE_AUTHORIZATION_REQUEST = parameterSchema(
  ['scope', ...CLIENT_AUTHENTICATION_PARAMETERS],
  { others: 'single' },
);

/**
 * POST /device_authorization (RFC 8628 3.1): the client authenticates as at /token (a public
 * client names itself with client_id); the answer is never cached.
 */
export async function deviceAuthorizationRoute(app: FastifyInstance) {
  const { config, clock, deviceAuthorizations } = app;
  const verificationUri = `${config.issuer.replace(/\/+$/, '')}${DEVICE_PATH}`;
  // In onRequest, so that a request the schema refuses is not cached either.
  const noStore = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  };
  app.post(
    DEVICE_AUTHORIZATION_PATH,
    { schema: { body: DEVICE_AUTHORIZATION_REQUEST }, onRequest: noStore },
    async (request, reply) => {
      if (
        !request.headers['content-type']
          ?.toLowerCase()
          .startsWith('application/x-www-form-urlencoded')
      ) {
        throw new OAuthError(
          'invalid_request',
          'the device authorization request must be application/x-www-form-urlencoded',
        );
      }
      const { params, client } = await clientAuthenticatedForm(request, app);
      const response = await startDeviceAuthorization(params, client, {
        store: deviceAuthorizations,
        now: clock.now(),
        verificationUri,
        lifetimeSeconds: DEVICE_CODE_LIFETIME_SECONDS,
        intervalSeconds: POLL_INTERVAL_SECONDS,
      });
      request.log.info(
        { event: 'device.authorization_started', clientId: client.clientId },
        'device authorization started',
      );
      return reply.send(response);
    },
  );
  answerNonPostWith405(app, DEVICE_AUTHORIZATION_PATH);
}
