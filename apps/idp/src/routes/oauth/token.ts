import { handleTokenRequest, OAuthError, type TokenContext } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { dpopProofHeader, sendDpopNonce } from '../../http/dpop-header.js';
import { answerGetWith405 } from '../../http/post-only.js';
import { singleValuedForm } from '../../http/single-valued-form.js';
import type { Services } from '../../services.js';
import { clientAuthenticationDeps, presentedCredentials } from './client-authenticated-form.js';

export const TOKEN_PATH = '/token';

/** POST /token (RFC 6749 3.2): form-encoded only; responses are never cached (5.1). */
export async function tokenRoute(app: FastifyInstance, { services, context }: { services: Services; context: TokenContext }) {
  const url = `${services.config.issuer.replace(/\/+$/, '')}${TOKEN_PATH}`;
  app.post(TOKEN_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    sendDpopNonce(reply, context.dpop, services.clock.now());
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded');
    }
    const params = singleValuedForm(request.body);
    const response = await handleTokenRequest(
      params,
      presentedCredentials(request, params),
      clientAuthenticationDeps(services),
      context,
      { proof: dpopProofHeader(request), url },
    );
    return reply.send(response);
  });
  // RFC 6749 3.2: the token endpoint takes POST only.
  answerGetWith405(app, TOKEN_PATH);
}
