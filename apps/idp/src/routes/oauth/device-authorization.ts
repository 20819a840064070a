import { OAuthError, startDeviceAuthorization } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { answerGetWith405 } from '../../http/post-only.js';
import type { Services } from '../../services.js';
import { DEVICE_PATH } from '../interaction/device.js';
import { clientAuthenticatedForm } from './client-authenticated-form.js';

export const DEVICE_AUTHORIZATION_PATH = '/device_authorization';

/** How long a device code and its user code live, and the polling interval first asked for. */
const DEVICE_CODE_LIFETIME_SECONDS = 600;
const POLL_INTERVAL_SECONDS = 5;

/**
 * POST /device_authorization (RFC 8628 3.1): the client authenticates as at /token (a public
 * client names itself with client_id); the answer is never cached.
 */
export async function deviceAuthorizationRoute(app: FastifyInstance, { services }: { services: Services }) {
  const verificationUri = `${services.config.issuer.replace(/\/+$/, '')}${DEVICE_PATH}`;
  app.post(DEVICE_AUTHORIZATION_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'the device authorization request must be application/x-www-form-urlencoded');
    }
    const { params, client } = await clientAuthenticatedForm(request, services);
    const response = await startDeviceAuthorization(params, client, {
      store: services.deviceAuthorizations,
      now: services.clock.now(),
      verificationUri,
      lifetimeSeconds: DEVICE_CODE_LIFETIME_SECONDS,
      intervalSeconds: POLL_INTERVAL_SECONDS,
    });
    request.log.info({ event: 'device.authorization_started', clientId: client.clientId }, 'device authorization started');
    return reply.send(response);
  });
  answerGetWith405(app, DEVICE_AUTHORIZATION_PATH);
}
