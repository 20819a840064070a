import { OAuthError, userinfoClaims } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parameterSchema } from '../../http/parameter-schemas.js';

export const USERINFO_PATH = '/userinfo';

/** RFC 6750 2.2: a form body may carry the token, once; other form fields are not read. */
const USERINFO_FORM = parameterSchema(['access_token'], { others: 'ignored' });

/** RFC 6750 3: a Bearer challenge, with an error code when the request carried a token. */
function challenge(reply: FastifyReply, realm: string, status: number, error?: string, description?: string) {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description}"`);
  void reply.header('www-authenticate', `Bearer ${parts.join(', ')}`).header('cache-control', 'no-store');
  return reply.status(status).send(error ? { error, ...(description ? { error_description: description } : {}) } : undefined);
}

/**
 * The token from the Authorization header (RFC 6750 2.1) or a form body (2.2); never both.
 * The query string (2.3) is not accepted: URLs end up in logs and histories.
 */
function presentedToken(request: FastifyRequest): { token?: string; error?: string } {
  const header = request.headers.authorization;
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody = request.method === 'POST' && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
    ? body?.access_token
    : undefined;
  if (header && fromBody !== undefined) return { error: 'use one way to send the access token' };
  if (header) {
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    return match ? { token: match[1]! } : { error: 'malformed Authorization header' };
  }
  if (fromBody !== undefined) return typeof fromBody === 'string' ? { token: fromBody } : { error: 'access_token must be sent once' };
  return {};
}

/** GET and POST /userinfo (OIDC Core 5.3). */
export async function userinfoRoute(app: FastifyInstance) {
  const { config, keyRing, families } = app;
  const realm = config.issuer;
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    // Refused by the schema: answered as every bad userinfo request is, with a challenge (RFC 6750 3.1).
    if (request.validationError) return challenge(reply, realm, 400, 'invalid_request', request.validationError.message);
    const { token, error } = presentedToken(request);
    if (error) return challenge(reply, realm, 400, 'invalid_request', error);
    if (!token) return challenge(reply, realm, 401);

    let claims: Record<string, unknown>;
    try {
      claims = await userinfoClaims(token, { issuer: realm, verifier: keyRing, families });
    } catch (failure) {
      // invalid_token and insufficient_scope answer with a challenge (RFC 6750 3.1); anything
      // else (the database did not answer) is the error handler's.
      if (failure instanceof OAuthError) return challenge(reply, realm, failure.status, failure.error, failure.description);
      throw failure;
    }
    return reply.header('cache-control', 'no-store').send(claims);
  };
  app.get(USERINFO_PATH, handle);
  app.post(USERINFO_PATH, { schema: { body: USERINFO_FORM }, attachValidation: true }, handle);
}
