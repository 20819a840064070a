import { OAuthError } from '@idp/oidc';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { sendDpopNonce, type DpopWiring } from './dpop-header.js';

/**
 * The onRequest hook of a form-posting protocol endpoint that answers with credentials (token
 * RFC 6749 5.1, PAR RFC 9126 2.2): `Cache-Control: no-store` (and the headers in `extra`) and the
 * current DPoP nonce (RFC 9449 8.2). In onRequest, so a request the schema refuses gets them too.
 */
export function noStoreHook(
  dpop: DpopWiring,
  clock: { now(): number },
  extra: Record<string, string> = {},
): onRequestHookHandler {
  return (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('cache-control', 'no-store').headers(extra);
    sendDpopNonce(reply, dpop, clock.now());
    done();
  };
}

/** Refuses a body that is not form-encoded, as RFC 6749 3.2 and RFC 9126 2.1 require. */
export function requireFormBody(request: FastifyRequest, what: string): void {
  const type = request.headers['content-type']?.toLowerCase();
  if (!type?.startsWith('application/x-www-form-urlencoded'))
    throw new OAuthError('invalid_request', `${what} must be application/x-www-form-urlencoded`);
}
