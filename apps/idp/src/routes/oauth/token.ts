import { handleTokenRequest, type TokenContext } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { tokenSigner } from '../../id-token-algorithms.js';
import { dpopProofHeader } from '../../http/dpop-header.js';
import { noStoreHook, requireFormBody } from '../../http/no-store-form.js';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { answerNonPostWith405 } from '../../http/post-only.js';
import { singleValuedForm } from '../../http/single-valued-form.js';
import { countProtocolEvent } from '../../metrics/metrics.js';
import {
  CLIENT_AUTHENTICATION_PARAMETERS,
  clientAuthenticationDeps,
  presentedCredentials,
} from './client-authenticated-form.js';

export const TOKEN_PATH = '/token';

/**
 * RFC 6749 4.1.3, 6, 4.4; RFC 7636 4.5; RFC 8707 2.2; RFC 8628 3.4; RFC 8693 2.1; the client's
 * credentials (RFC 6749 2.3.1, RFC 7523 2.2). None repeated (3.2).
 */
const TOKEN_REQUEST = parameterSchema(
  [
    'grant_type',
    'code',
    'redirect_uri',
    'code_verifier',
    'refresh_token',
    'scope',
    'resource',
    'device_code',
    'subject_token',
    'subject_token_type',
    'actor_token',
    'actor_token_type',
    'requested_token_type',
    'audience',
    ...CLIENT_AUTHENTICATION_PARAMETERS,
  ],
  { others: 'single' },
);

/** POST /token (RFC 6749 3.2): form-encoded only; responses are never cached (5.1). */
export async function tokenRoute(app: FastifyInstance) {
  const {
    config,
    clock,
    keyRing,
    codes,
    refreshTokens,
    deviceAuthorizations,
    families,
    audit,
    dpop,
    metrics,
    log,
  } = app;
  const context: TokenContext = {
    issuer: config.issuer,
    clock,
    signer: tokenSigner(app),
    verifier: keyRing,
    codes,
    refreshTokens,
    deviceAuthorizations,
    families,
    audit,
    lifetimes: {
      accessToken: config.accessTokenTtl,
      idToken: config.idTokenTtl,
      refreshTokenIdle: config.refreshTokenIdleTtl,
      refreshTokenAbsolute: config.refreshTokenAbsoluteTtl,
      refreshTokenReuseGrace: config.refreshTokenReuseGrace,
    },
    dpop,
    // Theft signals are warnings an operator should see; routine grants are debug noise.
    emit: (event, data) => {
      countProtocolEvent(metrics, event, data);
      if (event.endsWith('replayed') || event.endsWith('reused'))
        log.warn({ event, ...data }, event);
      else log.debug({ event, ...data }, event);
    },
  };
  const url = `${config.issuer.replace(/\/+$/, '')}${TOKEN_PATH}`;
  const noStore = noStoreHook(dpop, clock, { pragma: 'no-cache' });
  app.post(
    TOKEN_PATH,
    { schema: { body: TOKEN_REQUEST }, onRequest: noStore },
    async (request, reply) => {
      requireFormBody(request, 'the token request');
      const params = singleValuedForm(request.body);
      const response = await handleTokenRequest(
        params,
        presentedCredentials(request, params),
        clientAuthenticationDeps(app),
        context,
        { proof: dpopProofHeader(request), url },
      );
      return reply.send(response);
    },
  );
  // RFC 6749 3.2: the token endpoint takes POST only.
  answerNonPostWith405(app, TOKEN_PATH);
}
