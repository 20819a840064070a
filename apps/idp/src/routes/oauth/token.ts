import { handleTokenRequest, OAuthError, type TokenContext } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { answerGetWith405 } from '../../http/post-only.js';
import { singleValuedForm } from '../../http/single-valued-form.js';

export const TOKEN_PATH = '/token';

/** POST /token (RFC 6749 3.2): form-encoded only; responses are never cached (5.1). */
export async function tokenRoute(app: FastifyInstance) {
  const { config, clock, keyRing, codes, refreshTokens, clientCache, log } = app;
  const context: TokenContext = {
    issuer: config.issuer,
    clock,
    signer: keyRing,
    verifier: keyRing,
    codes,
    refreshTokens,
    lifetimes: {
      accessToken: config.accessTokenTtl,
      idToken: config.idTokenTtl,
      refreshTokenIdle: config.refreshTokenIdleTtl,
      refreshTokenAbsolute: config.refreshTokenAbsoluteTtl,
      refreshTokenReuseGrace: config.refreshTokenReuseGrace,
    },
    // Theft signals are warnings an operator should see; routine grants are debug noise.
    emit: (event, data) =>
      event.endsWith('replayed') || event.endsWith('reused') ? log.warn({ event, ...data }, event) : log.debug({ event, ...data }, event),
  };
  app.post(TOKEN_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded');
    }
    const params = singleValuedForm(request.body);
    const response = await handleTokenRequest(
      params,
      { authorization: request.headers.authorization, clientId: params.client_id, clientSecret: params.client_secret },
      (id) => clientCache.findById(id),
      context,
    );
    return reply.send(response);
  });
  // RFC 6749 3.2: the token endpoint takes POST only.
  answerGetWith405(app, TOKEN_PATH);
}
