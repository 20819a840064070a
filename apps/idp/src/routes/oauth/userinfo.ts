import {
  DPOP_SIGNING_ALGORITHMS,
  OAuthError,
  userinfoResponse,
  type TokenPresentation,
  type UserinfoResponse,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dpopProofHeader, sendDpopNonce } from '../../http/dpop-header.js';
import { parameterSchema } from '../../http/parameter-schemas.js';

export const USERINFO_PATH = '/userinfo';

/** RFC 6750 2.2: a form body may carry the token, once; other form fields are not read. */
const USERINFO_FORM = parameterSchema(['access_token'], { others: 'ignored' });

/** Errors of the DPoP scheme, answered with a DPoP challenge (RFC 9449 7.1). */
const DPOP_ERRORS = new Set(['invalid_dpop_proof', 'use_dpop_nonce']);

/**
 * RFC 6750 3 and RFC 9449 7.1: a challenge for the scheme the request used (both when it sent no
 * token), with an error code when the request carried a token.
 */
function challenge(
  reply: FastifyReply,
  realm: string,
  status: number,
  scheme: 'Bearer' | 'DPoP' | undefined,
  error?: string,
  description?: string,
) {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description}"`);
  const dpop = `DPoP ${[...parts, `algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"`].join(', ')}`;
  const bearer = `Bearer ${parts.join(', ')}`;
  const header =
    scheme === undefined
      ? [bearer, dpop]
      : scheme === 'DPoP' || (error && DPOP_ERRORS.has(error))
        ? dpop
        : bearer;
  void reply.header('www-authenticate', header).header('cache-control', 'no-store');
  return reply
    .status(status)
    .send(
      error ? { error, ...(description ? { error_description: description } : {}) } : undefined,
    );
}

/**
 * The token from the Authorization header (RFC 6750 2.1, RFC 9449 7.1) or a form body (RFC 6750
 * 2.2); never both. The query string (2.3) is not accepted: URLs end up in logs and histories.
 */
function presentedToken(request: FastifyRequest): {
  token?: string;
  scheme?: 'Bearer' | 'DPoP';
  error?: string;
} {
  const header = request.headers.authorization;
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody =
    request.method === 'POST' &&
    request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
      ? body?.access_token
      : undefined;
  if (header && fromBody !== undefined) return { error: 'use one way to send the access token' };
  if (header) {
    const match = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match) return { error: 'malformed Authorization header' };
    return { token: match[2]!, scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer' };
  }
  if (fromBody !== undefined)
    return typeof fromBody === 'string'
      ? { token: fromBody, scheme: 'Bearer' }
      : { error: 'access_token must be sent once' };
  return {};
}

/**
 * GET and POST /userinfo (OIDC Core 5.3), with Bearer or DPoP-bound access tokens; JSON, or a
 * signed JWT for a client that registered userinfo_signed_response_alg (the core decides).
 */
export async function userinfoRoute(app: FastifyInstance) {
  const { config, clock, keyRing, clientCache, families, dpop } = app;
  const realm = config.issuer;
  const url = `${config.issuer.replace(/\/+$/, '')}${USERINFO_PATH}`;
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    // Refused by the schema: answered as every bad userinfo request is, with a challenge (RFC 6750
    // 3.1). Only the form body is checked, and a token there is a Bearer token (2.2).
    if (request.validationError)
      return challenge(
        reply,
        realm,
        400,
        'Bearer',
        'invalid_request',
        request.validationError.message,
      );
    const { token, scheme, error } = presentedToken(request);
    if (error) return challenge(reply, realm, 400, scheme, 'invalid_request', error);
    if (!token) return challenge(reply, realm, 401, undefined);
    const now = clock.now();
    sendDpopNonce(reply, dpop, now);

    let response: UserinfoResponse;
    try {
      const presentation: TokenPresentation = {
        scheme: scheme ?? 'Bearer',
        proof: dpopProofHeader(request),
        method: request.method,
        url,
      };
      response = await userinfoResponse(
        token,
        {
          issuer: realm,
          verifier: keyRing,
          families,
          clients: clientCache,
          signer: keyRing,
          dpop: { ...dpop, now },
        },
        presentation,
      );
    } catch (failure) {
      // invalid_token, insufficient_scope and the DPoP errors answer with a challenge (RFC 6750
      // 3.1, RFC 9449 7.1); anything else (the database did not answer) is the error handler's.
      if (failure instanceof OAuthError) {
        if (failure.headers) void reply.headers(failure.headers);
        return challenge(reply, realm, failure.status, scheme, failure.error, failure.description);
      }
      throw failure;
    }
    void reply.header('cache-control', 'no-store');
    if (response.format === 'json') return reply.send(response.claims);
    // OIDC Core 5.3.2: a signed response is the JWT itself, as application/jwt.
    return reply.header('content-type', 'application/jwt').send(response.jwt);
  };
  app.get(USERINFO_PATH, handle);
  app.post(USERINFO_PATH, { schema: { body: USERINFO_FORM }, attachValidation: true }, handle);
}
